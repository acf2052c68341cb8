"""Uploads at once: five 5 MB uploads in five chats against one alone, and /whois meanwhile.

The conversation (real engine, workers and SQLite file, no Telegram) takes one upload of a
synthetic 5 MB member list (``sample_csv``, about 225,000 rows), then, on a fresh file, five
different ones at the same moment in five chats, while a sixth chat asks ``/whois`` every 0.1 s.
Each round is timed from the first file handed over to the last overview; the ratio of five
to one is taken round by round, and the medians are printed.

    python bench/bench_concurrent.py              # 5 rounds
    python bench/bench_concurrent.py --rounds 9
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

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


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument(
        "--processes", type=int, default=2, help="[workers] fit_processes (0: threads only)"
    )
    args = parser.parse_args(argv)
    files = [sample_csv(ROWS, seed=seed) for seed in range(2 + args.uploads)]
    alone: list[float] = []
    together: list[float] = []
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.rounds + 1):  # the first round warms imports and caches
            one, many, asked = asyncio.run(one_round(files, Path(folder), number, args.processes))
            if number:
                alone.append(one)
                together.append(many)
                latencies.extend(asked)
    ratios = [m / o for m, o in zip(together, alone, strict=True)]
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    one_min, five_min, _ = os.getloadavg()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {one_min:.1f} "
        f"(5 min {five_min:.1f}) at the end; {len(files[1]) / 1e6:.1f} MB a file, medians of "
        f"{args.rounds} rounds, fit_processes = {args.processes}"
    )
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| one upload alone | {statistics.median(alone):.2f} s |")
    print(
        f"| {args.uploads} uploads at once, until the last answer | "
        f"{statistics.median(together):.2f} s |"
    )
    print(f"| ratio, round by round | **{statistics.median(ratios):.2f}×** |")
    print(
        f"| /whois in another chat meanwhile: median ({len(latencies)}) | "
        f"{statistics.median(latencies):.3f} s |"
    )
    print(f"| /whois in another chat meanwhile: p95 | {p95:.3f} s |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| peak RSS of the process | {peak:,.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
