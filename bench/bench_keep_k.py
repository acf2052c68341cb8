"""How big a silhouette gain should make a new month's upload leave last month's k.

Two sides of one margin (``segmentation.choose_k.KEEP_MARGIN``):

- noise: a random 90% of a file stands for next month's barely changed export. How much better
  does the freshly best k score than the k of the whole file? A margin above that gain keeps
  last month's k, so segment identities survive.
- a real change: in mall-like files of five tight groups, the middle group splits in two
  (spending score ±15 or ±20). How many splits still win over the old k at each margin?

Usage::

    .venv/bin/python bench/bench_keep_k.py            # 30 resamples per file, 20 split files
    .venv/bin/python bench/bench_keep_k.py --quick    # 5 resamples, 5 split files
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from segmentation.choose_k import KEEP_MARGIN
from segmentation.ingest.load import load_customers
from segmentation.ingest.table import CustomerTable
from segmentation.model import segment_customers
from segmentation.result import SegmentOptions
from segmentation.sample import CLASSIC_CENTRES, sample_csv

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
MARGINS = (0.005, 0.01, 0.015, 0.02, 0.03)


def gain(table: CustomerTable, k0: int, options: SegmentOptions) -> float:
    """How much higher the fresh best k's silhouette is than k0's."""
    scores = segment_customers(table, options).k_choice.scores
    return max(scores.values()) - scores.get(k0, -1.0)


def kept(gains: list[float], margin: float) -> int:
    """How many gains a margin absorbs (k kept)."""
    return int((np.round(gains, 6) <= margin).sum())


def noise_rows(resamples: int) -> list[str]:
    """Markdown rows: per file, how often each margin keeps the whole file's k."""
    files = {
        name: load_customers((DATASETS / name).read_bytes(), name)
        for name in sorted(p.name for p in DATASETS.glob("*.csv"))
    }
    files["sample_csv(2000)"] = load_customers(sample_csv(2000), "sample.csv")
    rows, every = [], []
    for name, table in files.items():
        k0 = segment_customers(table).k
        rng = np.random.default_rng(7)
        n = len(table.customers)
        gains = []
        for _ in range(resamples):
            rows_kept = np.sort(rng.choice(n, int(0.9 * n), replace=False))
            sub = replace(table, customers=table.customers.iloc[rows_kept])
            gains.append(gain(sub, k0, SegmentOptions()))
        every += gains
        cells = " | ".join(f"{kept(gains, m)}/{resamples}" for m in MARGINS)
        rows.append(f"| {name} | {k0} | {max(gains):.3f} | {cells} |")
    cells = " | ".join(f"**{kept(every, m)}/{len(every)}**" for m in MARGINS)
    rows.append(f"| all | | {max(every):.3f} | {cells} |")
    return rows


def mall_like(seed: int, per: int = 40, spread: float = 5.0) -> tuple[pd.DataFrame, np.ndarray]:
    """Five tight income × score groups and their names."""
    rng = np.random.default_rng(seed)
    rows, groups = [], []
    for name, (income, score) in CLASSIC_CENTRES.items():
        for _ in range(per):
            rows.append((income + rng.normal(0, spread), score + rng.normal(0, spread)))
            groups.append(name)
    frame = pd.DataFrame(rows, columns=["Annual Income (k$)", "Spending Score (1-100)"])
    frame.index = pd.Index([str(i + 1) for i in range(len(frame))], name="CustomerID")
    return frame, np.array(groups)


def as_table(frame: pd.DataFrame) -> CustomerTable:
    """The frame read as an upload."""
    return load_customers(frame.round(0).astype(int).to_csv().encode(), "mall_like.csv")


def split_rows(files: int) -> list[str]:
    """Markdown rows: per split size, how many splits each margin still lets through."""
    options = SegmentOptions(features=("income", "score"))
    rows = []
    for shift in (15, 20):
        gains = []
        for seed in range(files):
            frame, groups = mall_like(seed)
            k0 = segment_customers(as_table(frame), options).k
            middle = frame.index[groups == "middle"]
            later = frame.copy()
            later.loc[middle[:20], "Spending Score (1-100)"] += shift
            later.loc[middle[20:], "Spending Score (1-100)"] -= shift
            gains.append(gain(as_table(later), k0, options))
        cells = " | ".join(f"{files - kept(gains, m)}/{files}" for m in MARGINS)
        rows.append(f"| middle split ±{shift} | {float(np.median(gains)):.3f} | {cells} |")
    return rows


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer resamples and files")
    args = parser.parse_args()
    resamples, files = (5, 5) if args.quick else (30, 20)
    margins = " | ".join(str(m) for m in MARGINS)
    rule = "|---" * (3 + len(MARGINS)) + "|"
    print(f"KEEP_MARGIN = {KEEP_MARGIN}\n")
    print("Noise (random 90% resamples): how often last month's k is kept\n")
    print(f"| file | k | largest gain | {margins} |\n{rule}")
    print("\n".join(noise_rows(resamples)))
    print("\nReal splits: how many still change k\n")
    print(f"| change | median gain | {margins} |\n{rule[4:]}")
    print("\n".join(split_rows(files)))


if __name__ == "__main__":
    main()
