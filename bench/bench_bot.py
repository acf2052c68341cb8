"""Benchmark the Telegram bot end to end against the fake Bot API on loopback.

Measures, with the real python-telegram-bot Application, engine and SQLite store:

* upload -> first message (the status), -> overview plot, -> last reply, for the mall-sized
  file (the first upload after start is shown apart: it pays for imports and cold caches)
  and for a ~20 MB file (900,000 rows);
* while the 20 MB file is processed in one chat, the latency of ``/whois`` in another chat;
* the process's peak resident memory (bot, fake server and the file bytes it serves).

Run from the repository root: ``python bench/bench_bot.py`` (``--quick`` uses 100,000 rows
instead of 900,000). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from fake_bot_api import TOKEN, FakeBotApi, Outgoing, strip_html  # noqa: E402

from bot.config import AccessConfig, Config, LimitsConfig, StorageConfig, TelegramConfig  # noqa: E402
from bot.telegram_app import ALLOWED_UPDATES, build_application  # noqa: E402

MALL = REPO.parent / "shared" / "datasets" / "mall_customers.csv"
MANAGER = 1001  # user id, also the private chat id of the big upload
COLLEAGUE = 1002  # the chat asking /whois meanwhile
SAMPLE_CHAT = 1003  # the chat timing the first upload after start (imports, caches cold)
WHOIS_PAUSE = 0.1  # seconds between two /whois questions


@dataclass
class UploadTiming:
    """Seconds from the upload to each milestone."""

    rows: int
    megabytes: float
    first: float
    plot: float
    done: float
    stages: list[tuple[float, str]]


def generate_csv(rows: int, folder: Path) -> bytes:
    """Write sample_csv(rows) in a child process (its pandas peak stays out of our RSS)."""
    path = folder / f"sample-{rows}.csv"
    code = (
        "import sys; from segmentation.sample import sample_csv; "
        f"open(sys.argv[1], 'wb').write(sample_csv({rows}))"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=REPO)
    return path.read_bytes()


def is_overview(message: Outgoing) -> bool:
    """The overview is the upload's plot."""
    return message.kind == "photo"


async def time_upload(fake: FakeBotApi, chat: int, data: bytes, name: str) -> UploadTiming:
    """Upload ``data`` in ``chat`` and time the first message, the plot and the last reply."""
    mark = fake.mark()
    start = time.monotonic()
    fake.user_uploads(chat, chat, data, name)
    first = await fake.wait_for_message(chat, mark, timeout=120)
    plot = await fake.wait_for_message(chat, mark, is_overview, timeout=120)
    rows = len(data.splitlines()) - 1
    status = [
        (call.at - start, call.params["text"])
        for call in fake.calls
        if call.seq > mark
        and call.method in ("sendMessage", "editMessageText")
        and call.chat_id == chat
        and (call.seq == first.seq or call.param("message_id") == str(first.message_id))
        and call.at <= plot.at
    ]
    return UploadTiming(
        rows,
        len(data) / 1e6,
        first.at - start,
        plot.at - start,
        max(m.at for m in fake.since(mark, chat)) - start,
        status,
    )


async def whois_while_busy(
    fake: FakeBotApi, busy: asyncio.Task[UploadTiming], customer: str
) -> list[float]:
    """Ask /whois in another chat, one at a time, until ``busy`` ends; return the latencies."""
    latencies: list[float] = []
    while not busy.done():
        mark = fake.mark()
        start = time.monotonic()
        fake.user_says(COLLEAGUE, COLLEAGUE, f"/whois {customer}")
        answer = await fake.wait_for_message(COLLEAGUE, mark, timeout=60)
        if not busy.done():  # only answers given during the big upload count
            latencies.append(answer.at - start)
        await asyncio.sleep(WHOIS_PAUSE)
    return latencies


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(
    rows: int, folder: Path
) -> tuple[list[tuple[str, str, str]], UploadTiming, UploadTiming]:
    """Run the scenarios; return (measure, value, target) rows and both uploads' timings."""
    small = MALL.read_bytes() if MALL.exists() else generate_csv(200, folder)
    big = generate_csv(rows, folder)
    async with FakeBotApi(max_download_bytes=64 * 1024 * 1024) as fake:
        config = Config(
            telegram=TelegramConfig(
                token=TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url
            ),
            access=AccessConfig(allowed_user_ids=(MANAGER, COLLEAGUE, SAMPLE_CHAT)),
            storage=StorageConfig(path=str(folder / "bench.db")),
            limits=LimitsConfig(max_upload_mb=64),
        )
        app = build_application(config)
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            cold = await time_upload(fake, SAMPLE_CHAT, small, "mall_customers.csv")
            mall = await time_upload(fake, COLLEAGUE, small, "mall_customers.csv")
            busy = asyncio.create_task(time_upload(fake, MANAGER, big, "members.csv"))
            await fake.wait_for(
                lambda: fake.sent_to(MANAGER), timeout=60, what="the big upload's status"
            )
            latencies = await whois_while_busy(fake, busy, "0042")
            large = await busy
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
        errors = [f"{c.method} {c.status} {c.description}" for c in fake.errors]
    if errors:
        raise SystemExit("the fake Bot API refused calls:\n" + "\n".join(errors))
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
    table = [
        (
            f"mall file ({cold.rows} rows), first upload after start: upload → overview plot",
            f"{cold.plot:.2f} s",
            "",
        ),
        (f"mall file ({mall.rows} rows): upload → first message", f"{mall.first:.2f} s", ""),
        (f"mall file ({mall.rows} rows): upload → overview plot", f"{mall.plot:.2f} s", "< 1 s"),
        (f"mall file ({mall.rows} rows): upload → last reply", f"{mall.done:.2f} s", ""),
        (
            f"{large.megabytes:.1f} MB ({large.rows:,} rows): upload → first message",
            f"{large.first:.2f} s",
            "",
        ),
        (
            f"{large.megabytes:.1f} MB ({large.rows:,} rows): upload → overview plot",
            f"{large.plot:.2f} s",
            "≤ 3 s",
        ),
        (
            f"{large.megabytes:.1f} MB ({large.rows:,} rows): upload → last reply",
            f"{large.done:.2f} s",
            "",
        ),
        (
            f"/whois in another chat meanwhile: median ({len(ordered)} queries)",
            f"{statistics.median(ordered):.3f} s" if ordered else "–",
            "",
        ),
        ("/whois in another chat meanwhile: p95", f"{p95:.3f} s", "≤ 0.2 s"),
        ("peak RSS of the process", f"{peak_rss_mb():,.0f} MB", "< 1,500 MB"),
    ]
    return table, mall, large


def main() -> None:
    """Parse options, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows instead of 900,000")
    parser.add_argument("--rows", type=int, help="rows of the large file")
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.quick else 900_000)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="segbot-bench-") as folder:
        table, mall, large = asyncio.run(run(rows, Path(folder)))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"segbot bot benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load} at the end, {rows:,} rows\n"
    )
    print("| measure | value | target |")
    print("|---|---:|---|")
    for measure, value, target in table:
        print(f"| {measure} | {value} | {target} |")
    for timing in (mall, large):
        print(f"\nStatus of the {timing.rows:,}-row upload, seconds after sending the file:\n")
        print("| s | status |")
        print("|---:|---|")
        for seconds, text in timing.stages:
            print(f"| {seconds:.2f} | {strip_html(text)} |")
        print(f"| {timing.plot:.2f} | (overview plot arrives) |")


if __name__ == "__main__":
    main()
