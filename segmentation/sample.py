"""A synthetic, mall-like customer file for the demo, the tests and the benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The classic mall file's header, column for column.
SAMPLE_COLUMNS: tuple[str, ...] = (
    "CustomerID",
    "Gender",
    "Age",
    "Annual Income (k$)",
    "Spending Score (1-100)",
)

#: Centres of the classic mall file's five groups: (annual income in k$, spending score).
CLASSIC_CENTRES: dict[str, tuple[float, float]] = {
    "middle": (55.0, 50.0),
    "affluent": (87.0, 82.0),
    "careful": (88.0, 17.0),
    "frugal": (26.0, 21.0),
    "young": (26.0, 79.0),
}

# One row per group: share, income mean/sd (k$), score mean/sd, age mean/sd, share of women.
# Shaped like the Kaggle mall file: a big average middle and four corners of income × score.
_GROUPS = np.array(
    [
        # share  inc   sd   score sd   age   sd   female
        [0.40, 55.0, 7.0, 50.0, 6.0, 44.0, 14.0, 0.58],  # average income, average spending
        [0.20, 87.0, 12.0, 82.0, 8.0, 32.0, 4.0, 0.54],  # high income, big spenders
        [0.17, 88.0, 13.0, 17.0, 9.0, 41.0, 11.0, 0.46],  # high income, careful spenders
        [0.115, 26.0, 7.0, 21.0, 11.0, 45.0, 13.0, 0.60],  # low income, low spending
        [0.115, 26.0, 7.0, 79.0, 10.0, 25.0, 5.0, 0.59],  # low income, young big spenders
    ]
)


def sample_frame(n: int = 200, seed: int = 7) -> pd.DataFrame:
    """Return ``n`` synthetic mall customers with the classic five columns.

    Args:
        n: Number of customers (any size; a million rows take well under a second).
        seed: Seed of the random generator; the same seed gives the same customers.

    Returns:
        A frame with columns ``CustomerID`` (zero-padded text such as ``"0001"``), ``Gender``
        (``Female``/``Male``), ``Age``, ``Annual Income (k$)`` and ``Spending Score (1-100)``
        (integers), sorted by income like the published file.

    Raises:
        ValueError: If ``n`` is negative.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rng = np.random.default_rng(seed)
    shares = _GROUPS[:, 0] / _GROUPS[:, 0].sum()
    counts = np.floor(shares * n).astype(np.int64)
    counts[0] += n - int(counts.sum())
    group = rng.permutation(np.repeat(np.arange(len(_GROUPS)), counts))
    params = _GROUPS[group]
    income = np.clip(np.rint(rng.normal(params[:, 1], params[:, 2])), 15, 140)
    score = np.clip(np.rint(rng.normal(params[:, 3], params[:, 4])), 1, 99)
    age = np.clip(np.rint(rng.normal(params[:, 5], params[:, 6])), 18, 70)
    female = rng.random(n) < params[:, 7]
    order = np.argsort(income, kind="stable")
    width = max(4, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width)
    return pd.DataFrame(
        {
            "CustomerID": ids.to_numpy(),
            "Gender": np.where(female[order], "Female", "Male"),
            "Age": age[order].astype(np.int64),
            "Annual Income (k$)": income[order].astype(np.int64),
            "Spending Score (1-100)": score[order].astype(np.int64),
        },
        columns=list(SAMPLE_COLUMNS),
    )


def sample_csv(n: int = 200, seed: int = 7) -> bytes:
    """Return :func:`sample_frame` as UTF-8 CSV bytes (comma, LF line endings, header first).

    Args:
        n: Number of customers.
        seed: Seed of the random generator.

    Returns:
        The CSV file's bytes; about 22 bytes a customer (900,000 customers ≈ 20 MB).
    """
    return sample_frame(n, seed).to_csv(index=False, lineterminator="\n").encode("utf-8")
