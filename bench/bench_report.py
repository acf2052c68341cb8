"""Benchmark the hand-off files: the PDF report, the CSV and xlsx exports, an audience file.

Measures, on synthetic member lists (``segmentation.sample.sample_csv``):

* the report of the bundled 200-customer sample (k chosen, 5 segments) and of a 3,000-customer
  file cut into 20 segments: bytes and drawing time;
* for 100,000 customers: reading the file, the CSV export, the xlsx export, one segment's
  audience file, the ten most typical customers per segment and the report.

Run from the repository root: ``python bench/bench_report.py`` (``--rows N`` changes the large
file). Prints a Markdown table of medians over ``--repeat`` runs (default 3).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.report import report_pdf  # noqa: E402
from bot.text.report import ReportFacts  # noqa: E402
from segmentation import (  # noqa: E402
    CustomerTable,
    Segmentation,
    SegmentOptions,
    assignments_csv,
    assignments_xlsx,
    close_call,
    load_customers,
    rank_targets,
    render_scatter_png,
    sample_csv,
    segment_audience_csv,
    segment_customers,
    typical_customers,
)
from segmentation.planted import skewed_tiers  # noqa: E402


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def facts(table: CustomerTable, seg: Segmentation, chart: bytes) -> ReportFacts:
    """What the report says besides the segmentation, as the bot gathers it."""
    return ReportFacts(
        filename=table.receipt.filename,
        uploaded_at="2026-11-30T09:00:00+00:00",
        receipt=table.receipt.to_dict(),
        ranks=tuple(rank_targets(seg)),
        close=close_call(seg),
        chart=chart,
        typical=typical_customers(seg),
    )


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    small = load_customers(sample_csv(), "members.csv")
    seg = segment_customers(small, SegmentOptions())
    chart = render_scatter_png(small, seg)
    seconds, pdf = timed(lambda: report_pdf(seg, facts(small, seg, chart)), args.repeat)
    rows.append((f"report, 200 customers, k={seg.k} ({len(pdf):,} bytes)", f"{seconds:.2f} s"))

    frame, _ = skewed_tiers()
    tiers = load_customers(frame.to_csv(index=False).encode(), "tiers.csv")
    twenty = segment_customers(tiers, SegmentOptions(k=20))
    chart = render_scatter_png(tiers, twenty)
    seconds, pdf = timed(lambda: report_pdf(twenty, facts(tiers, twenty, chart)), args.repeat)
    rows.append((f"report, 3,000 customers, k=20 ({len(pdf):,} bytes)", f"{seconds:.2f} s"))

    data = sample_csv(args.rows)
    seconds, big = timed(lambda: load_customers(data, "members.csv"), args.repeat)
    rows.append((f"read {args.rows:,} rows ({len(data) / 1e6:.1f} MB)", f"{seconds:.2f} s"))
    fitted = segment_customers(big, SegmentOptions())
    n = f"{args.rows:,} customers, k={fitted.k}"
    seconds, csv_bytes = timed(lambda: assignments_csv(big, fitted), args.repeat)
    rows.append((f"CSV export, {n} ({len(csv_bytes) / 1e6:.1f} MB)", f"{seconds:.2f} s"))
    seconds, xlsx = timed(lambda: assignments_xlsx(big, fitted), args.repeat)
    rows.append((f"xlsx export, {n} ({len(xlsx) / 1e6:.1f} MB)", f"{seconds:.2f} s"))
    seconds, audience = timed(
        lambda: segment_audience_csv(big, fitted, 1, "segbot-members-segment-1"), args.repeat
    )
    rows.append((f"audience of segment 1 ({len(audience) / 1e6:.2f} MB)", f"{seconds:.2f} s"))
    seconds, _ = timed(lambda: typical_customers(fitted), args.repeat)
    rows.append((f"ten most typical per segment, {n}", f"{seconds * 1000:.0f} ms"))
    chart = render_scatter_png(big, fitted)
    seconds, pdf = timed(lambda: report_pdf(fitted, facts(big, fitted, chart)), args.repeat)
    rows.append((f"report, {n} ({len(pdf):,} bytes)", f"{seconds:.2f} s"))

    load = os.getloadavg()[0]
    print(
        f"{os.cpu_count()} CPUs, load average {load:.1f}, Python {platform.python_version()}, "
        f"medians of {args.repeat}\n"
    )
    print("| step | time |\n|---|---:|")
    for step, value in rows:
        print(f"| {step} | {value} |")


if __name__ == "__main__":
    main()
