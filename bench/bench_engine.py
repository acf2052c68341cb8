"""Benchmark the segmentation engine against a notebook-style baseline.

For the published mall file and for synthetic mall-like files (``segmentation.sample``) of 200,
100k, 900k (~19 MB) and 1M rows, each size runs in its own subprocess (so peak memory is that
size's alone) and reports the median time of every stage over a few repeats: read
(``load_customers``), features, choose k, final fit, quality, profiles + personas, each chart,
the export, and the end-to-end time (read -> segments -> personas -> three PNGs). Then, in the
same process on the same table and features, a notebook-style baseline runs once per repeat:
``KMeans(n_init=10)`` on every row for every k in 2..10, silhouette on a 10k-row sample to pick k,
and a scatter of every point. Both run under the same thread limits (one BLAS and one OpenMP
thread), so the speed-up is the method's, not the threading's.

    python bench/bench_engine.py            # all sizes, prints Markdown tables
    python bench/bench_engine.py --quick    # mall file, 200 and 20k rows, one repeat
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MALL = REPO.parent / "shared" / "datasets" / "mall_customers.csv"
SIZES = ("mall", "200", "100000", "900000", "1000000")
QUICK_SIZES = ("mall", "200", "20000")
STAGES = (
    "read",
    "features",
    "choose_k",
    "fit",
    "quality",
    "profiles",
    "personas",
    "scatter",
    "k_chart",
    "profile",
    "export",
)


def run_worker(path: str, repeats: int, features: tuple[str, ...] | None, baseline: bool) -> None:
    """Time the engine (and the baseline) on one file; print one JSON line."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from segmentation.charts import render_k_chart_png, render_profile_png, render_scatter_png
    from segmentation.export import assignments_csv
    from segmentation.ingest.load import load_customers
    from segmentation.ingest.table import IngestLimits
    from segmentation.model import segment_customers
    from segmentation.result import SegmentOptions
    from segmentation.threads import compute_limits

    data = Path(path).read_bytes()
    limits = IngestLimits(max_bytes=len(data) + 1, max_rows=2_000_000)
    options = SegmentOptions(features=features)
    runs: list[dict[str, float]] = []
    k = 0
    for _ in range(repeats):
        times: dict[str, float] = {}
        start = time.perf_counter()
        table = load_customers(data, Path(path).name, limits=limits)
        times["read"] = time.perf_counter() - start
        seg = segment_customers(table, options, timings=times)
        mark = time.perf_counter()
        render_scatter_png(table, seg)
        times["scatter"] = time.perf_counter() - mark
        mark = time.perf_counter()
        render_k_chart_png(seg)
        times["k_chart"] = time.perf_counter() - mark
        mark = time.perf_counter()
        render_profile_png(seg)
        times["profile"] = time.perf_counter() - mark
        times["end_to_end"] = time.perf_counter() - start
        mark = time.perf_counter()
        assignments_csv(table, seg)
        times["export"] = time.perf_counter() - mark
        runs.append(times)
        k = seg.k
    peak_engine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "rows": len(table.customers),
        "bytes": len(data),
        "features": list(seg.features),
        "k": k,
        "median": {key: statistics.median(r[key] for r in runs) for key in runs[0]},
        "first_end_to_end": runs[0]["end_to_end"],
        "peak_mb": peak_engine,
    }
    if baseline:
        x_raw = table.customers[list(seg.features)].to_numpy(dtype=np.float64)
        base_times = []
        base_k = 0
        for _ in range(repeats if len(x_raw) < 100_000 else 1):
            start = time.perf_counter()
            with compute_limits():
                x = (x_raw - x_raw.mean(axis=0)) / x_raw.std(axis=0)
                scores = {}
                fits = {}
                for kk in range(2, 11):
                    fits[kk] = KMeans(n_clusters=kk, n_init=10, random_state=0).fit(x)
                    scores[kk] = silhouette_score(
                        x, fits[kk].labels_, sample_size=min(10_000, len(x)), random_state=0
                    )
                base_k = max(scores, key=lambda kk: scores[kk])
                fig = Figure(figsize=(9, 9), dpi=120)
                ax = fig.add_subplot()
                ax.scatter(x_raw[:, -2], x_raw[:, -1], c=fits[base_k].labels_, s=8)
                FigureCanvasAgg(fig).print_png(io.BytesIO())
            base_times.append(time.perf_counter() - start)
        result["baseline"] = {
            "seconds": statistics.median(base_times),
            "k": base_k,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    print(json.dumps(result))


def measure(
    size: str, repeats: int, features: tuple[str, ...] | None, baseline: bool
) -> dict[str, Any]:
    """Write the file for ``size``, run a worker on it and return its report."""
    from segmentation.sample import sample_csv

    with tempfile.TemporaryDirectory() as folder:
        if size == "mall":
            path = MALL
        else:
            path = Path(folder) / f"sample_{size}.csv"
            path.write_bytes(sample_csv(int(size)))
        command = [sys.executable, __file__, "--worker", str(path), "--repeats", str(repeats)]
        if features:
            command += ["--features", ",".join(features)]
        if not baseline:
            command.append("--no-baseline")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker failed on {size}:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["size"] = "mall file" if size == "mall" else f"{int(size):,}"
    return report


def markdown(reports: list[dict[str, Any]]) -> str:
    """The two result tables."""
    lines = [
        "| rows | MB | k | read | choose k | fit | quality | profiles + personas | scatter "
        "| k chart | profile | end to end | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        m = r["median"]
        lines.append(
            f"| {r['size']} | {r['bytes'] / 2**20:.1f} | {r['k']} | {m['read']:.2f} "
            f"| {m['features'] + m['choose_k']:.2f} | {m['fit']:.2f} | {m['quality']:.2f} "
            f"| {m['profiles'] + m['personas']:.2f} | {m['scatter']:.2f} | {m['k_chart']:.2f} "
            f"| {m['profile']:.2f} | **{m['end_to_end']:.2f}** | {r['peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        "| rows | engine: segment + 3 charts (s) | engine k | notebook-style baseline (s) "
        "| baseline k | speed-up | baseline peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        if "baseline" not in r:
            continue
        m = r["median"]
        ours = m["end_to_end"] - m["read"]
        base = r["baseline"]
        lines.append(
            f"| {r['size']} | {ours:.2f} | {r['k']} | {base['seconds']:.2f} | {base['k']} "
            f"| **{base['seconds'] / ours:.1f}×** | {base['peak_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark (or one worker)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    parser.add_argument("--sizes", help="comma-separated row counts and/or 'mall'")
    parser.add_argument("--repeats", type=int, help="repeats per size (default 5, big sizes 3)")
    parser.add_argument("--features", help="comma-separated features (default: the engine's)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    features = tuple(args.features.split(",")) if args.features else None
    if args.worker:
        run_worker(args.worker, args.repeats or 1, features, not args.no_baseline)
        return 0
    sizes = args.sizes.split(",") if args.sizes else (QUICK_SIZES if args.quick else SIZES)
    reports = []
    for size in sizes:
        big = size != "mall" and int(size) >= 500_000
        repeats = args.repeats or (1 if args.quick else 3 if big else 5)
        print(f"measuring {size} rows ({repeats} repeats)…", file=sys.stderr, flush=True)
        reports.append(measure(size, repeats, features, not args.no_baseline))
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"Engine benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average {load} "
        "at the end; median seconds per stage.\n"
    )
    print(markdown(reports))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
