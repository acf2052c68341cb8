"""Customer tables with a known, planted structure, to check that the engine tells the truth.

Each generator returns ``(frame, truth)``: a member export as a manager would send it (an id
column first, headers as exports write them) and, per row, the planted group (``-1`` for rows
that belong to no group, such as background noise). They are generated with a fixed seed, so
the quality benchmark (``bench/bench_quality.py``) and the tests see the same tables.

- :func:`skewed_tiers`: three spend tiers on a log scale, with a few very large customers
  ("whales") in every tier: money and visit counts as real exports have them, right-skewed.
- :func:`structure_with_noise`: three groups in income × spending score, 8 % background rows
  spread over the whole range, and an age column that is pure noise.
- :func:`noise_column`: three groups in income × spending score plus an age column that is
  pure noise (uniform 18–70, unrelated to the groups).
- :func:`categorical_groups`: groups that differ by membership tier (a text column) and spend.
- :func:`one_blob`: one correlated Gaussian cloud: no groups at all.
- :func:`uniform_noise`: customers spread evenly over income × score × age: no groups at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Planted = tuple[pd.DataFrame, np.ndarray]


def _ids(n: int) -> list[str]:
    """Customer ids ``C00001`` …"""
    return [f"C{i:05d}" for i in range(1, n + 1)]


def _groups(rng: np.random.Generator, n: int, shares: list[float]) -> np.ndarray:
    """Group of each row, in fixed proportions, shuffled."""
    counts = np.floor(np.array(shares) * n).astype(int)
    counts[0] += n - counts.sum()
    labels = np.repeat(np.arange(len(shares)), counts)
    return rng.permutation(labels)


def skewed_tiers(n: int = 3_000, seed: int = 11) -> Planted:
    """Three spend tiers (light, regular, premium), right-skewed, 1 % whales in every tier.

    Spend per tier is log-normal around 300, 1,500 and 7,500 a year; visits per month are
    log-normal around 1, 3 and 6; a whale spends 20–60 times its tier's typical amount. The
    whales belong to their tier: a segmentation that gives them their own segment, or that
    cuts the bulk of customers in two around them, scores low.
    """
    rng = np.random.default_rng(seed)
    truth = _groups(rng, n, [0.5, 0.35, 0.15])
    spend_centre = np.array([300.0, 1_500.0, 7_500.0])[truth]
    visit_centre = np.array([1.0, 3.0, 6.0])[truth]
    spend = spend_centre * np.exp(rng.normal(0.0, 0.35, n))
    visits = visit_centre * np.exp(rng.normal(0.0, 0.3, n))
    whales = rng.random(n) < 0.01
    spend[whales] *= rng.uniform(20, 60, whales.sum())
    frame = pd.DataFrame(
        {
            "Member ID": _ids(n),
            "Gender": rng.choice(["Female", "Male"], n),
            "Annual spend ($)": np.round(spend, 2),
            "Visits per month": np.round(visits, 1),
        }
    )
    return frame, truth


def structure_with_noise(n: int = 2_000, seed: int = 12) -> Planted:
    """Three income × score groups, 8 % background rows anywhere, age pure noise."""
    rng = np.random.default_rng(seed)
    truth = _groups(rng, n, [0.4, 0.3, 0.3])
    centres = np.array([[30.0, 25.0], [60.0, 75.0], [95.0, 30.0]])
    points = centres[truth] + rng.normal(0.0, 6.0, (n, 2))
    background = rng.random(n) < 0.08
    points[background] = np.column_stack(
        [rng.uniform(15, 110, background.sum()), rng.uniform(1, 100, background.sum())]
    )
    truth = np.where(background, -1, truth)
    frame = pd.DataFrame(
        {
            "CustomerID": _ids(n),
            "Age": rng.integers(18, 71, n),
            "Annual Income (k$)": np.round(points[:, 0], 1),
            "Spending Score (1-100)": np.clip(np.round(points[:, 1]), 1, 100),
        }
    )
    return frame, truth


def noise_column(n: int = 1_500, seed: int = 13) -> Planted:
    """Three income × score groups and an age column unrelated to them."""
    rng = np.random.default_rng(seed)
    truth = _groups(rng, n, [0.34, 0.33, 0.33])
    centres = np.array([[30.0, 30.0], [70.0, 80.0], [100.0, 25.0]])
    points = centres[truth] + rng.normal(0.0, 7.0, (n, 2))
    frame = pd.DataFrame(
        {
            "CustomerID": _ids(n),
            "Gender": rng.choice(["Female", "Male"], n),
            "Age": rng.integers(18, 71, n),
            "Annual Income (k$)": np.round(points[:, 0], 1),
            "Spending Score (1-100)": np.clip(np.round(points[:, 1]), 1, 100),
        }
    )
    return frame, truth


def categorical_groups(n: int = 1_500, seed: int = 14) -> Planted:
    """Three groups told apart by membership tier and spend, with overlapping spend.

    Bronze members spend about 400 a year, silver 900 and gold 1,500, each with a wide spread,
    so spend alone overlaps; the tier column (text) is what separates them cleanly.
    """
    rng = np.random.default_rng(seed)
    truth = _groups(rng, n, [0.5, 0.3, 0.2])
    tiers = np.array(["Bronze", "Silver", "Gold"])[truth]
    spend = np.array([400.0, 900.0, 1_500.0])[truth] + rng.normal(0.0, 250.0, n)
    frame = pd.DataFrame(
        {
            "CustomerID": _ids(n),
            "Membership tier": tiers,
            "Age": rng.integers(18, 71, n),
            "Annual spend": np.round(np.clip(spend, 10, None), 2),
        }
    )
    return frame, truth


def one_blob(n: int = 2_000, seed: int = 15) -> Planted:
    """One Gaussian cloud of income and score, strongly correlated: no groups."""
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, 0.8], [0.8, 1.0]])
    points = rng.multivariate_normal([0.0, 0.0], cov, n)
    frame = pd.DataFrame(
        {
            "CustomerID": _ids(n),
            "Annual Income (k$)": np.round(60 + 18 * points[:, 0], 1),
            "Spending Score (1-100)": np.clip(np.round(50 + 15 * points[:, 1]), 1, 100),
        }
    )
    return frame, np.zeros(n, dtype=int)


def uniform_noise(n: int = 2_000, seed: int = 16) -> Planted:
    """Income, score and age drawn independently and evenly: no groups."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "CustomerID": _ids(n),
            "Age": rng.integers(18, 71, n),
            "Annual Income (k$)": np.round(rng.uniform(15, 140, n), 1),
            "Spending Score (1-100)": rng.integers(1, 101, n),
        }
    )
    return frame, np.zeros(n, dtype=int)


#: Every generator by name, in the benchmark's order.
PLANTED = {
    "skewed tiers with whales": skewed_tiers,
    "structure + background noise": structure_with_noise,
    "noise column": noise_column,
    "categorical structure": categorical_groups,
    "one correlated blob": one_blob,
    "uniform noise": uniform_noise,
}
