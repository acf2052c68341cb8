"""Uploads at once: five 5 MB uploads in five chats against one alone, and /whois meanwhile.

The conversation (real engine, workers and SQLite file, no Telegram) takes one upload of a
synthetic 5 MB member list (``sample_csv``, about 225,000 rows), then, on a fresh file, five
different ones at the same moment in five chats, while a sixth chat asks ``/whois`` every 0.1 s.
Each round is timed from the first file handed over to the last overview; the ratio of five
to one is taken round by round, and the medians are printed.

Then, in the same run, as many rounds of the floor: the least work that gives the same
answers (``bench_floor.floor``, drawing only the overview's scatter, as the bot does before it
answers), one pass per upload on as many processes as the machine has cores: one pass alone,
as many at once as there are cores, and the five. How much slower a pass runs while every core
is busy tells what the cores give together, and so the least time five uploads of one core's
work each can take against one alone on this machine.

    python bench/bench_concurrent.py              # 9 rounds
    python bench/bench_concurrent.py --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_floor import floor  # noqa: E402  (this script's own folder)

from bot.config import Config, StorageConfig, WorkersConfig  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from bot.workers import Workers  # noqa: E402
from segmentation import sample_csv  # noqa: E402

ROWS = 225_000  # about 5 MB
ASKER = 99


async def upload(conv: Conversation, chat: int, data: bytes) -> float:
    """Hand a file to the conversation; return when its answer is ready."""

    async def fetch() -> bytes:
        return data

    await conv.on_document(chat, chat, f"members-{chat}.csv", len(data), fetch)
    return time.perf_counter()


async def ask_whois(conv: Conversation, stop: asyncio.Event, latencies: list[float]) -> None:
    """Ask /whois in another chat every 0.1 s until ``stop``."""
    while not stop.is_set():
        start = time.perf_counter()
        await conv.on_text(ASKER, ASKER, "/whois 42")
        latencies.append(time.perf_counter() - start)
        await asyncio.sleep(0.1)


async def one_round(
    files: list[bytes], folder: Path, number: int, processes: int
) -> tuple[float, float, list[float]]:
    """(seconds for one upload, seconds for all at once, /whois latencies meanwhile)."""
    config = Config(
        storage=StorageConfig(path=str(folder / f"round-{number}.db")),
        workers=WorkersConfig(fit_processes=processes),
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)
        await upload(conv, ASKER, files[0])  # the colleague's chat has data to look up
        start = time.perf_counter()
        await upload(conv, 1, files[1])
        alone = time.perf_counter() - start
        latencies: list[float] = []
        stop = asyncio.Event()
        asking = asyncio.create_task(ask_whois(conv, stop, latencies))
        start = time.perf_counter()
        await asyncio.gather(*(upload(conv, 10 + i, data) for i, data in enumerate(files[2:])))
        together = time.perf_counter() - start
        stop.set()
        await asking
        return alone, together, latencies
    finally:
        await workers.close()


class Floor:
    """The floor's passes, one per upload, on as many processes as the machine has cores."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.numbers = itertools.count()
        self.pool = ProcessPoolExecutor(
            os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")
        )

    def run(self, files: list[bytes]) -> float:
        """Seconds from handing ``files`` over to the last pass's end."""
        start = time.perf_counter()
        passes = [
            self.pool.submit(floor, data, self.folder, next(self.numbers), ("scatter",))
            for data in files
        ]
        for done in passes:
            done.result()
        return time.perf_counter() - start


def row(measure: str, ours: list[float], floors: list[float]) -> str:
    """A table row: medians of ours and of the floor, and the ratio of the medians."""
    a, b = statistics.median(ours), statistics.median(floors)
    return f"| {measure} | {a:.2f} s | {b:.2f} s | {a / b:.2f}× |"


def by_round(many: list[float], one: list[float]) -> float:
    """The median of ``many / one`` taken round by round."""
    return statistics.median(m / o for m, o in zip(many, one, strict=True))


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument(
        "--processes", type=int, default=2, help="[workers] fit_processes (0: threads only)"
    )
    args = parser.parse_args(argv)
    files = [sample_csv(ROWS, seed=seed) for seed in range(2 + args.uploads)]
    alone: list[float] = []
    together: list[float] = []
    latencies: list[float] = []
    floor_alone: list[float] = []
    floor_busy: list[float] = []
    floor_together: list[float] = []
    busy = min(os.cpu_count() or 1, args.uploads)  # passes at once that keep every core busy
    with tempfile.TemporaryDirectory() as folder:
        floors = Floor(Path(folder))
        with floors.pool:
            for number in range(args.rounds + 1):  # the first round warms imports and caches
                one, many, asked = asyncio.run(
                    one_round(files, Path(folder), number, args.processes)
                )
                if number:
                    alone.append(one)
                    together.append(many)
                    latencies.extend(asked)
            # The floor's rounds come after ours rather than between them: this machine
            # runs a round measurably slower or quicker depending on what ran just before
            # it, so each keeps the rhythm of its own rounds.
            for number in range(args.rounds + 1):
                floor_one = floors.run(files[1:2])
                floor_all_busy = floors.run(files[2 : 2 + busy])
                floor_many = floors.run(files[2:])
                if number:
                    floor_alone.append(floor_one)
                    floor_busy.append(floor_all_busy)
                    floor_together.append(floor_many)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    one_min, five_min, _ = os.getloadavg()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {one_min:.1f} "
        f"(5 min {five_min:.1f}) at the end; {len(files[1]) / 1e6:.1f} MB a file, medians of "
        f"{args.rounds} rounds, fit_processes = {args.processes}"
    )
    print()
    n = args.uploads
    print("| measure | ours | floor | ours ÷ floor |")
    print("|---|---:|---:|---:|")
    print(row("one upload alone", alone, floor_alone))
    print(row(f"{n} uploads at once, until the last answer", together, floor_together))
    print(
        f"| {n} at once ÷ one alone, round by round | **{by_round(together, alone):.2f}×** | "
        f"{by_round(floor_together, floor_alone):.2f}× | |"
    )
    # What the cores give: with all of them busy, each pass takes `slower` times as long as
    # alone, so n uploads of one core's work each cannot take less than n / busy * slower.
    slower = by_round(floor_busy, floor_alone)
    print()
    print(
        f"{busy} floor passes at once take {slower:.2f}× one alone: {busy} busy cores do "
        f"{busy / slower:.2f}× the work of one, so {n} uploads of one core's work each take "
        f"at least {n / busy * slower:.2f}× one alone here."
    )
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(
        f"| /whois in another chat meanwhile: median ({len(latencies)}) | "
        f"{statistics.median(latencies):.3f} s |"
    )
    print(f"| /whois in another chat meanwhile: p95 | {p95:.3f} s |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| peak RSS of the bot's process | {peak:,.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
