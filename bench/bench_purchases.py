"""Benchmark purchase logs: a zipped export in, RFM segments and three charts out.

A purchase log of N purchases by N/10 customers (planted RFM groups, as
``segmentation.sample.purchase_log_frame`` plants them, generated here in bulk) is written as
CSV and zipped, as a manager would send a big export. Each size runs in its own process (so
peak memory is that size's alone) and reports the median over a few repeats of: reading (unzip,
parse, aggregate per customer), segmenting, the three charts, and the whole path end to end.

    python bench/bench_purchases.py                  # 1,000,000 and 5,000,000 purchases
    python bench/bench_purchases.py --sizes 100000   # one size

Targets: 1,000,000 purchases (about 30 MB of CSV, sent zipped) by 100,000 customers end to end
in at most 3 s and 1.5 GB; 5,000,000 purchases in at most 12 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = (1_000_000, 5_000_000)


def make_log(purchases: int, seed: int = 3) -> bytes:
    """A zipped CSV purchase log of about ``purchases`` rows by ``purchases / 10`` customers."""
    import numpy as np
    import pandas as pd

    from segmentation.sample import LOG_END, PURCHASE_GROUPS

    rng = np.random.default_rng(seed)
    customers = max(purchases // 10, 10)
    names = list(PURCHASE_GROUPS)
    shares = np.array([PURCHASE_GROUPS[g][0] for g in names])
    group = rng.choice(len(names), size=customers, p=shares / shares.sum())
    last_lo = np.array([PURCHASE_GROUPS[g][1][0] for g in names])[group]
    last_hi = np.array([PURCHASE_GROUPS[g][1][1] for g in names])[group]
    value = np.array([PURCHASE_GROUPS[g][3] for g in names])[group]
    weight = np.array([PURCHASE_GROUPS[g][2] for g in names])[group]
    counts = rng.multinomial(purchases - customers, weight / weight.sum()) + 1
    owner = np.repeat(np.arange(customers), counts)
    last = rng.integers(last_lo, last_hi + 1)
    day = last[owner] + rng.integers(0, 365, size=len(owner)) % np.maximum(365 - last[owner], 1)
    amount = np.round(value[owner] * np.exp(rng.normal(0.0, 0.35, len(owner))), 2)
    frame = pd.DataFrame(
        {
            "Invoice": np.arange(500_000, 500_000 + len(owner)),
            "Customer ID": owner + 100_000,
            "Invoice Date": (LOG_END - pd.to_timedelta(day - 1, unit="D")).strftime("%Y-%m-%d"),
            "Amount": amount,
        }
    )
    text = frame.to_csv(index=False, lineterminator="\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("purchases.csv", text)
    return buffer.getvalue()


def run_worker(path: str, repeats: int) -> None:
    """Time one size in this process; print one JSON line."""
    from segmentation import (
        IngestLimits,
        load_customers,
        render_k_chart_png,
        render_profile_png,
        render_scatter_png,
        segment_customers,
    )
    from segmentation.threads import limit_blas_for_process

    limit_blas_for_process()
    data = Path(path).read_bytes()
    limits = IngestLimits(
        max_bytes=200 * 1024 * 1024,
        max_rows=6_000_000,
        max_cells=60_000_000,
        max_unpacked_bytes=1024 * 1024 * 1024,
    )
    stages: dict[str, list[float]] = {"read": [], "segment": [], "charts": [], "total": []}
    result = {}
    for _ in range(repeats):
        start = time.perf_counter()
        table = load_customers(data, "purchases.zip", limits=limits)
        read = time.perf_counter()
        seg = segment_customers(table)
        fitted = time.perf_counter()
        render_scatter_png(table, seg)
        render_k_chart_png(seg)
        render_profile_png(seg)
        done = time.perf_counter()
        stages["read"].append(read - start)
        stages["segment"].append(fitted - read)
        stages["charts"].append(done - fitted)
        stages["total"].append(done - start)
        info = table.receipt.purchases or {}
        result = {
            "purchases": info.get("purchases"),
            "customers": info.get("customers"),
            "k": seg.k,
            "names": sorted({s.persona.name for s in seg.segments}),
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    medians = {name: statistics.median(values) for name, values in stages.items()}
    print(json.dumps({**result, **medians, "peak_mb": peak, "zip_mb": len(data) / 2**20}))


def main() -> int:
    """Run every size in its own process and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated purchase counts")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.repeats)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(SIZES)
    rows = []
    for size in sizes:
        print(f"measuring {size:,} purchases…", file=sys.stderr)
        data = make_log(size)
        path = Path(f"/tmp/segbot-bench-purchases-{size}.zip")
        path.write_bytes(data)
        repeats = args.repeats if size <= 1_000_000 else 1
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(path), "--repeats", str(repeats)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        path.unlink()
    load = os.getloadavg()
    print(f"Purchase logs — 2 cores, load average {load[0]:.1f} at the end; median seconds.\n")
    print("| purchases | customers | zip | read | segment | 3 charts | end to end | peak | k |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['purchases']:,} | {r['customers']:,} | {r['zip_mb']:.1f} MB | {r['read']:.2f} | "
            f"{r['segment']:.2f} | {r['charts']:.2f} | **{r['total']:.2f}** | "
            f"{r['peak_mb']:.0f} MB | {r['k']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
