"""Our upload path stage by stage, beside the least work that produces the same output.

On one synthetic mall-like file (``segmentation.sample.sample_csv``, 900,000 rows, 19.9 MB) each
stage of our path is timed beside its "floor": the plainest pandas / numpy / scikit-learn /
sqlite3 code found that does the same job on the same data (parse the same CSV, check the same
ids, standardise the same columns, the same k search on the same sample sizes, the same
per-segment statistics, three PNGs of the same size, one transaction writing the same arrays;
both write into the write-ahead log and leave copying it into the file for later, as the bot
does after its answer).
Ours and the floor alternate in one process, repeat after repeat, and each figure is the median.

    python bench/bench_floor.py                 # 900,000 rows, 5 repeats
    python bench/bench_floor.py --rows 100000 --repeats 3
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STAGES = (
    ("parse", "decode + parse"),
    ("columns", "column detection, number cleaning, ids"),
    ("standardise", "standardise features"),
    ("fit", "choose k / final fit / quality"),
    ("profiles", "profiles + personas"),
    ("plots", "three plots"),
    ("save", "SQLite save"),
)


class Laps:
    """Seconds per stage of one pass."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._mark = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._mark
        self._mark = now


def ours(data: bytes, folder: Path, number: int) -> dict[str, float]:
    """One pass of the product's path: read, segment, draw, save."""
    from bot.uploads import new_run, render_plots
    from segmentation import IngestLimits, SegmentOptions, segment_customers
    from segmentation.ingest.load import _build_table
    from segmentation.ingest.meanings import check_meanings
    from segmentation.ingest.parsing import read_upload
    from storage import CustomerStore, NewDataset

    limits = IngestLimits(max_bytes=len(data) + 1, max_rows=20_000_000, max_cells=200_000_000)
    laps = Laps()
    parsed = read_upload(data, "members.csv", limits)
    laps.lap("parse")
    table = _build_table(parsed, "members.csv", len(data), limits, check_meanings(None))
    laps.lap("columns")
    timings: dict[str, float] = {}
    options = SegmentOptions()
    seg = segment_customers(table, options, timings=timings)
    laps.seconds["standardise"] = timings["features"]
    laps.seconds["fit"] = timings["choose_k"] + timings["fit"] + timings["quality"]
    laps.seconds["profiles"] = timings["profiles"] + timings["personas"]
    laps.lap("_engine")
    plots = render_plots(table, seg)
    laps.lap("plots")
    # As the bot opens it: the write-ahead log is copied into the file after the answer.
    with CustomerStore(folder / f"ours-{number}.db", checkpoint_on_commit=False) as store:
        laps.lap("_open")
        dataset = NewDataset(
            "members.csv", len(data), f"{number:064x}", 1, {}, table.customers, table.id_padding()
        )
        run = new_run(options, seg, plots, None, table.receipt.meanings)
        store.save_upload(1, dataset, run)
        laps.lap("save")
    return laps.seconds


def floor(
    data: bytes, folder: Path, number: int, plots: tuple[str, ...] = ("scatter", "k", "profile")
) -> dict[str, float]:
    """One pass of the least work found for the same stages (drawing ``plots``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from sklearn.cluster import KMeans
    from sklearn.metrics import (
        calinski_harabasz_score,
        davies_bouldin_score,
        silhouette_score,
    )
    from sklearn.metrics.pairwise import euclidean_distances

    from segmentation.threads import compute_limits

    laps = Laps()
    frame = pd.read_csv(io.BytesIO(data), dtype={"CustomerID": "int64", "Gender": "category"})
    laps.lap("parse")
    ids = frame["CustomerID"].to_numpy()
    assert not pd.Series(ids).duplicated().any()
    keep = frame["Age"].between(0, 120) & frame["Spending Score (1-100)"].between(1, 100)
    numbers = frame[["Age", "Annual Income (k$)", "Spending Score (1-100)"]][keep]
    gender = frame["Gender"].cat.rename_categories(lambda v: str(v).strip().lower()[:1] or "other")[
        keep
    ]
    laps.lap("columns")
    raw = numbers.to_numpy(dtype=np.float64)
    x = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    laps.lap("standardise")
    rng = np.random.default_rng(0)
    with compute_limits():
        search = x[rng.choice(len(x), 10_000, replace=False)]
        score_rows = search[:3000]
        distances = euclidean_distances(score_rows)
        scores, centres = {}, {}
        for k in range(2, 11):
            model = KMeans(k, n_init=1, random_state=0).fit(search)
            centres[k] = model.cluster_centers_
            scores[k] = silhouette_score(distances, model.labels_[:3000], metric="precomputed")
        best = max(scores, key=lambda k: scores[k])
        final = KMeans(best, init=centres[best], n_init=1, max_iter=100).fit(x)
        labels = final.labels_
        silhouette_score(x, labels, sample_size=3000, random_state=0)
        davies_bouldin_score(search, final.predict(search))
        calinski_harabasz_score(search, final.predict(search))
    laps.lap("fit")
    grouped = numbers.assign(segment=labels).groupby("segment")
    grouped.mean()
    grouped.quantile([0.25, 0.5, 0.75])
    pd.crosstab(labels, gender.to_numpy(), normalize="index")
    laps.lap("profiles")
    pngs = []
    shown = rng.choice(len(x), 6000, replace=False)
    for kind in plots:
        figure = Figure(figsize=(8, 6), dpi=100)
        axes = figure.add_subplot()
        if kind == "scatter":
            axes.scatter(raw[shown, 1], raw[shown, 2], c=labels[shown], s=6)
        elif kind == "k":
            axes.plot(list(scores), list(scores.values()), marker="o")
        else:
            axes.barh(range(best), np.bincount(labels))
        out = io.BytesIO()
        FigureCanvasAgg(figure).print_png(out)
        pngs.append(out.getvalue())
    laps.lap("plots")
    conn = sqlite3.connect(folder / f"floor-{number}.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # the same as ours: no copy into the file
    conn.execute("CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB)")
    laps.lap("_open")
    order = np.argsort(ids[keep.to_numpy()], kind="stable")
    conn.execute("BEGIN IMMEDIATE")
    rows = [
        ("ids", ids[keep.to_numpy()][order].astype("<i8").tobytes()),
        ("order", order.astype("<i4").tobytes()),
        ("gender", gender.cat.codes.to_numpy().astype("<i1").tobytes()),
        ("segment", labels.astype("<i2").tobytes()),
        ("distance", np.sqrt(((x - final.cluster_centers_[labels]) ** 2).sum(1)).tobytes()),
        *((f"c{i}", numbers.iloc[:, i].to_numpy(np.float64).tobytes()) for i in range(3)),
        *((f"png{i}", png) for i, png in enumerate(pngs)),
    ]
    conn.executemany("INSERT INTO blobs VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    laps.lap("save")
    conn.close()  # the last connection to close copies the log into the file: not counted
    laps.lap("_close")
    return laps.seconds


def load_line() -> str:
    """The load average and CPU count, for the table's caption."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (5 min {five:.1f})"


def table(ours_runs: list[dict[str, float]], floor_runs: list[dict[str, float]]) -> str:
    """The stage table: medians of ours and of the floor, and their ratio."""
    lines = ["| stage | ours | floor | ratio |", "|---|---:|---:|---:|"]

    def median(runs: list[dict[str, float]], stage: str | None) -> float:
        if stage is None:
            return statistics.median(sum(v for k, v in r.items() if k[0] != "_") for r in runs)
        return statistics.median(r[stage] for r in runs)

    for stage, title in (*STAGES, (None, "whole path")):
        a, b = median(ours_runs, stage), median(floor_runs, stage)
        name = f"**{title}**" if stage is None else title
        lines.append(f"| {name} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {a / b:.2f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, alternate ours and the floor, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=900_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    from segmentation import limit_blas_for_process, sample_csv

    limit_blas_for_process()
    data = sample_csv(args.rows)
    ours_runs: list[dict[str, float]] = []
    floor_runs: list[dict[str, float]] = []
    passes: list[tuple[str, Callable[[bytes, Path, int], dict[str, float]], list[Any]]] = [
        ("ours", ours, ours_runs),
        ("floor", floor, floor_runs),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.repeats + 1):  # the first pass warms imports and caches
            for _, fn, runs in passes:
                seconds = fn(data, Path(folder), number)
                if number:
                    runs.append(seconds)
    print(
        f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB, medians of {args.repeats}; "
        f"{platform.python_version()}, {load_line()}"
    )
    print()
    print(table(ours_runs, floor_runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
