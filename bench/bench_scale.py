"""The upload path from 1 to 10 million rows: time per stage, peak memory, per million rows.

Each size is a synthetic mall-like file (``segmentation.sample.sample_csv``), written by one
child process and then read, segmented, drawn and saved to a fresh SQLite file by another, so
each size's peak resident memory is that path's alone (imports included). Limits are those the
bot sets on a machine with 8 GB or more (10M rows, 100M cells), the size limit lifted as for
``segbot analyze`` or a self-hosted Bot API server.

    python bench/bench_scale.py                        # 1M, 3M and 10M rows
    python bench/bench_scale.py --sizes 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SIZES = (1_000_000, 3_000_000, 10_000_000)


def write_file(rows: int, path: Path) -> None:
    """Write ``sample_csv(rows)`` to ``path``."""
    from segmentation import sample_csv

    path.write_bytes(sample_csv(rows))


def run_path(path: Path, folder: Path) -> dict[str, Any]:
    """Read, segment, draw and save one file, timing each stage."""
    from bot.config import LARGE_LIMITS
    from bot.uploads import new_run
    from segmentation import (
        IngestLimits,
        SegmentOptions,
        limit_blas_for_process,
        load_customers,
        render_k_chart_png,
        render_profile_png,
        render_scatter_png,
        segment_customers,
    )
    from storage import CustomerStore, NewDataset, prepare_upload

    limit_blas_for_process()
    data = path.read_bytes()
    rows, cells = LARGE_LIMITS
    limits = IngestLimits(max_bytes=len(data) + 1, max_rows=rows, max_cells=cells)
    times: dict[str, float] = {}
    start = mark = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[stage] = now - mark
        mark = now

    table = load_customers(data, path.name, limits=limits)
    del data
    lap("read")
    options = SegmentOptions()
    seg = segment_customers(table, options)
    lap("segment")
    plots = {"scatter": render_scatter_png(table, seg)}
    lap("scatter")
    with CustomerStore(folder / "scale.db", checkpoint_on_commit=False) as store:
        dataset = NewDataset(
            path.name, path.stat().st_size, "0" * 64, 1, {}, table.customers, table.id_padding()
        )
        store.save_prepared(1, prepare_upload(dataset, new_run(options, seg, plots, None, {})))
        lap("save")
        total = time.perf_counter() - start
        store.checkpoint()
        lap("checkpoint")
    render_k_chart_png(seg)
    render_profile_png(seg)
    lap("later charts")
    return {
        "rows": len(table.customers),
        "megabytes": path.stat().st_size / 1e6,
        "k": seg.k,
        "times": times,
        "total": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(rows: int) -> dict[str, Any]:
    """Write the file in one child and run the path in another."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"members-{rows}.csv"
        subprocess.run([sys.executable, __file__, "--write", str(rows), str(path)], check=True)
        done = subprocess.run(
            [sys.executable, __file__, "--run", str(path), folder],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"the path failed at {rows:,} rows:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def markdown(reports: list[dict[str, Any]]) -> str:
    """One row per size."""
    lines = [
        "| rows | MB | k | read | segment | scatter | save | **load → saved** | s per M rows "
        "| peak RSS | MB per M rows | checkpoint after | k + profile charts later |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        t, millions = r["times"], r["rows"] / 1e6
        lines.append(
            f"| {r['rows']:,} | {r['megabytes']:.0f} | {r['k']} | {t['read']:.1f} "
            f"| {t['segment']:.1f} | {t['scatter']:.1f} | {t['save']:.1f} | **{r['total']:.1f}** "
            f"| {r['total'] / millions:.2f} | {r['peak_mb']:,.0f} MB "
            f"| {r['peak_mb'] / millions:.0f} | {t['checkpoint']:.1f} | {t['later charts']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run every size (or be one of the children)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated row counts")
    parser.add_argument("--write", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write:
        write_file(int(args.write[0]), Path(args.write[1]))
        return 0
    if args.run:
        print(json.dumps(run_path(Path(args.run[0]), Path(args.run[1]))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SIZES)
    reports = [measure(rows) for rows in sizes]
    one, five, _ = os.getloadavg()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {one:.1f} "
        f"(5 min {five:.1f}) at the end; seconds"
    )
    print()
    print(markdown(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
