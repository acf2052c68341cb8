"""Does segbot tell the truth? Planted-structure tables and the public datasets, scored.

For every table: the adjusted Rand index (ARI) of segbot's segments to the truth, where there is
one (the planted groups of ``segmentation.planted``; the classic five groups of the mall file;
the wholesale file's own ``Channel``), the k chosen, the structure verdict with its excess over
the no-groups references, and the median time to read and segment the file. Every table goes
through the product's own path: CSV bytes -> ``load_customers`` -> ``segment_customers`` with
default options (features named only where the row says so).

    python bench/bench_quality.py              # every table, 3 repeats, Markdown table
    python bench/bench_quality.py --repeats 1  # one timing each

Targets: mall income × score ARI ≥ 0.99 to the classic groups; wholesale vs Channel ≥ 0.45;
skewed tiers with whales ≥ 0.7; structure + noise ≥ 0.9 on the structured rows; uniform noise and
one blob → "none"; every public dataset in under 2 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from segmentation import SegmentOptions, load_customers, segment_customers  # noqa: E402
from segmentation.planted import PLANTED  # noqa: E402
from segmentation.sample import CLASSIC_CENTRES  # noqa: E402
from segmentation.threads import limit_blas_for_process  # noqa: E402

DATASETS = REPO.parent / "shared" / "datasets"

Truth = Callable[[pd.DataFrame], np.ndarray] | None


def classic_mall(frame: pd.DataFrame) -> np.ndarray:
    """The classic five mall groups: each customer's nearest classic centre."""
    points = frame[["Annual Income (k$)", "Spending Score (1-100)"]].to_numpy(dtype=float)
    centres = np.array(list(CLASSIC_CENTRES.values()))
    return np.argmin(((points[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)


def channel(frame: pd.DataFrame) -> np.ndarray:
    """The wholesale file's own Channel (Horeca or Retail)."""
    return frame["Channel"].to_numpy()


def shuffled(data: bytes) -> bytes:
    """The wholesale file with every spend column shuffled on its own (no joint structure)."""
    frame = pd.read_csv(io.BytesIO(data))
    rng = np.random.default_rng(0)
    for column in frame.columns[2:]:
        frame[column] = rng.permutation(frame[column].to_numpy())
    return frame.to_csv(index=False).encode()


def score(
    name: str,
    data: bytes,
    filename: str,
    truth: np.ndarray | None,
    ids: np.ndarray | None,
    features: tuple[str, ...] | None,
    repeats: int,
) -> dict[str, object]:
    """Segment one table ``repeats`` times; ARI, k, verdict and the median time."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        table = load_customers(data, filename)
        seg = segment_customers(table, SegmentOptions(features=features))
        times.append(time.perf_counter() - start)
    ari = float("nan")
    if truth is not None:
        assigned = seg.assignments["segment"]
        if ids is not None:
            labels = assigned.reindex(ids.astype(str)).to_numpy(dtype=float)
        else:
            labels = assigned.to_numpy(dtype=float)
        keep = ~np.isnan(labels) & (truth >= 0)
        ari = adjusted_rand_score(truth[keep], labels[keep])
    return {
        "table": name,
        "ari": ari,
        "k": seg.k,
        "verdict": seg.quality.verdict,
        "excess": seg.quality.excess,
        "features": ", ".join(seg.features),
        "left_out": ", ".join(seg.left_out),
        "seconds": statistics.median(times),
    }


def cases() -> list[tuple[str, bytes, str, np.ndarray | None, np.ndarray | None, tuple | None]]:
    """Every table: name, bytes, file name, truth, ids the truth is indexed by, features."""
    out = []
    for name, make in PLANTED.items():
        frame, truth = make()
        data = frame.to_csv(index=False).encode()
        ids = frame.iloc[:, 0].astype(str).to_numpy()
        out.append((name, data, "planted.csv", truth, ids, None))
        if name == "categorical structure":
            features = ("Membership tier", "Annual spend")
            out.append((f"{name}, tier named", data, "planted.csv", truth, ids, features))
    if not DATASETS.is_dir():
        print(f"({DATASETS} is absent: the public datasets are skipped)", file=sys.stderr)
        return out
    mall = (DATASETS / "mall_customers.csv").read_bytes()
    classic = classic_mall(pd.read_csv(DATASETS / "mall_customers.csv"))
    # Every mall row is read, in file order: the truth lines up by position.
    out.append(("mall (default features)", mall, "mall.csv", classic, None, None))
    out.append(("mall income × score", mall, "mall.csv", classic, None, ("income", "score")))
    wholesale = (DATASETS / "wholesale_customers.csv").read_bytes()
    truth = channel(pd.read_csv(DATASETS / "wholesale_customers.csv"))
    out.append(("wholesale vs Channel", wholesale, "wholesale.csv", truth, None, None))
    out.append(("wholesale, columns shuffled", shuffled(wholesale), "w.csv", None, None, None))
    for filename in (
        "marketing_campaign.csv",
        "cc_general.csv",
        "customer_segmentation_train.csv",
    ):
        data = (DATASETS / filename).read_bytes()
        out.append((filename, data, filename, None, None, None))
    return out


def main() -> int:
    """Score every table and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    limit_blas_for_process()
    rows = [score(*case, repeats=args.repeats) for case in cases()]
    print("| table | ARI to truth | k | verdict | excess | left out | median s |")
    print("|---|---:|---:|---|---:|---|---:|")
    for row in rows:
        ari = "–" if np.isnan(row["ari"]) else f"{row['ari']:.2f}"
        print(
            f"| {row['table']} | {ari} | {row['k']} | {row['verdict']} | "
            f"{row['excess']:+.2f} | {row['left_out'] or '–'} | {row['seconds']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
