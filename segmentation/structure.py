"""Is there real group structure? A check against reference tables without groups.

A silhouette of 0.3 or even 0.5 proves nothing by itself: k-means cuts any cloud of points into
pieces, and skewed or evenly spread columns score high silhouettes with no groups in them at
all. So the chosen partition's mean silhouette is compared with the silhouette k-means reaches,
at the same k and on as many rows, on reference tables that have no groups by construction
(the idea of the gap statistic: Tibshirani, Walther and Hastie, "Estimating the number of
clusters in a data set via the gap statistic", 2001, and of SigClust: Liu, Hayes, Nobel and
Marron, 2008):

- *even spread*: customers spread evenly over the box the table's principal components span
  (between their 1st and 99th percentiles), the gap statistic's reference: evenly spread
  customers reach the same silhouette as their reference;
- *one cloud*: a single Gaussian cloud with the table's covariance: the same correlations, no
  groups (one elongated, correlated blob reaches the same silhouette as its Gaussian twin).

- *shuffled*, only when a column takes few values (at most :data:`DISCRETE_VALUES`: a 1–5
  rating, family size, Low/Average/High): every column shuffled on its own. Such columns put
  customers on a grid of value combinations that k-means separates easily whether or not the
  combinations mean anything; the shuffle keeps the grid and breaks any joint structure.

Shuffling is not used for continuous columns: a column with two or three separate peaks *is*
group structure, and its shuffle keeps the peaks, so it would hide the clearest groups there
are. Heavy skew, the other thing shuffling guards against, is taken out before by the log
transform (:mod:`segmentation.features`).

The *excess* is the data's silhouette minus the higher of the two references' means. The
*stability* is the mean adjusted Rand index between the partition and k-means refitted on
bootstrap resamples of the rows (drawn with replacement, as many as the rows it is measured on:
all of them up to :data:`STABILITY_ROWS`). One verdict follows (:func:`verdict`):

========  ==============================================  =================================
verdict   rule                                            said to the manager
========  ==============================================  =================================
clear     excess ≥ 0.15 and stability ≥ 0.8               clear and stable groups
moderate  excess ≥ 0.09 and stability ≥ 0.6               real groups that overlap
weak      excess ≥ 0.04                                   weak groups: read them as tendencies
none      otherwise                                       no distinct groups: bands, not types
========  ==============================================  =================================

The thresholds were set on tables with a planted truth (``segmentation.planted``) and the
public datasets: evenly spread and single-cloud tables score −0.02 to +0.02; the wholesale
file +0.05, the mall file's income × score +0.20.

The same excess chooses the default features (:func:`select_features`): a candidate column
whose removal raises the excess by :data:`DROP_MARGIN` or more adds no group structure (it
only blurs or slices the groups the other columns make) and is left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from segmentation.choose_k import sample_rows, silhouettes

logger = logging.getLogger(__name__)

#: A column with at most this many distinct values puts customers on a grid (see above).
DISCRETE_VALUES = 20
#: Reference tables of each kind (even spread, one cloud, shuffled) per check.
REFERENCE_RUNS = 2
#: Bootstrap refits for the stability, and the most rows they are drawn from and scored on.
STABILITY_RUNS = 4
STABILITY_ROWS = 4_000
STABILITY_N_INIT = 2
#: Excess and stability thresholds of the verdicts (see the module docstring).
CLEAR_EXCESS = 0.15
MODERATE_EXCESS = 0.09
WEAK_EXCESS = 0.04
CLEAR_STABILITY = 0.8
MODERATE_STABILITY = 0.6
#: Feature selection: rows it runs on, the k it tries, and the gain that drops a column.
SELECT_ROWS = 800
SELECT_K_MAX = 8
SELECT_N_INIT = 2
SELECT_REFERENCE_RUNS = 1
DROP_MARGIN = 0.02
#: Feature selection runs on at most this many candidate columns (it costs one check each).
SELECT_MAX_COLUMNS = 10

Verdict = str  # "clear" | "moderate" | "weak" | "none"


@dataclass(frozen=True)
class Excess:
    """The data's silhouette against the references' at one k."""

    k: int
    silhouette: float
    even: float
    one_cloud: float
    shuffled: float = float("-inf")

    @property
    def reference(self) -> float:
        """The highest of the references."""
        return max(self.even, self.one_cloud, self.shuffled)

    @property
    def value(self) -> float:
        """Silhouette minus reference: how much more structure than no groups at all."""
        return self.silhouette - self.reference


def reference_tables(x: np.ndarray, runs: int, seed: int) -> list[tuple[str, np.ndarray]]:
    """``runs`` tables of each reference kind shaped like ``x`` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, np.ndarray]] = []
    mean = x.mean(axis=0)
    _, _, axes = np.linalg.svd(x - mean, full_matrices=False)
    projected = (x - mean) @ axes.T
    low, high = np.quantile(projected, [0.01, 0.99], axis=0)
    for _ in range(runs):
        spread = rng.uniform(low, high, size=(len(x), len(low)))
        out.append(("even", spread @ axes + mean))
    if any(len(np.unique(x[:, j])) <= DISCRETE_VALUES for j in range(x.shape[1])):
        for _ in range(runs):
            shuffled = np.column_stack([rng.permutation(x[:, j]) for j in range(x.shape[1])])
            out.append(("shuffled", shuffled))
    cov = np.atleast_2d(np.cov(x, rowvar=False))
    for _ in range(runs):
        out.append(("one_cloud", rng.multivariate_normal(mean, cov, size=len(x))))
    return out


def silhouette_of_fit(x: np.ndarray, k: int, seed: int, n_init: int) -> float:
    """Mean silhouette of k-means with ``k`` segments on ``x`` (0 when it finds fewer)."""
    labels = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(x).labels_
    if len(np.unique(labels)) < 2:
        return 0.0
    return silhouettes(x, [labels])[0]


def excess_at(
    x: np.ndarray, k: int, silhouette: float, seed: int, runs: int = REFERENCE_RUNS, n_init: int = 3
) -> Excess:
    """Compare ``silhouette`` (the data's, at ``k``, on ``x``) with the references at ``k``."""
    scores: dict[str, list[float]] = {"even": [], "one_cloud": [], "shuffled": []}
    for run, (kind, table) in enumerate(reference_tables(x, runs, seed)):
        scores[kind].append(silhouette_of_fit(table, k, seed + run, n_init))
    return Excess(
        k=k,
        silhouette=float(silhouette),
        even=float(np.mean(scores["even"])),
        one_cloud=float(np.mean(scores["one_cloud"])),
        shuffled=float(np.mean(scores["shuffled"])) if scores["shuffled"] else float("-inf"),
    )


def stability(x: np.ndarray, labels: np.ndarray, k: int, seed: int) -> float:
    """Mean ARI between ``labels`` and k-means refitted on bootstrap resamples of ``x``.

    Measured on up to :data:`STABILITY_ROWS` rows (a fixed-seed sample of ``x`` beyond that);
    each refit draws as many rows with replacement and labels every row of the sample.
    """
    index = sample_rows(len(x), STABILITY_ROWS, seed + 4)
    base, base_labels = x[index], labels[index]
    if len(np.unique(base_labels)) < 2:
        return 0.0
    rng = np.random.default_rng(seed + 5)
    scores = []
    for run in range(STABILITY_RUNS):
        draw = base[rng.integers(0, len(base), len(base))]
        if len(np.unique(draw, axis=0)) < k:
            continue
        refit = KMeans(n_clusters=k, n_init=STABILITY_N_INIT, random_state=seed + 10 + run)
        scores.append(adjusted_rand_score(base_labels, refit.fit(draw).predict(base)))
    return float(np.mean(scores)) if scores else 0.0


def verdict(excess: float, stable: float) -> Verdict:
    """``clear``, ``moderate``, ``weak`` or ``none`` (see the module docstring)."""
    if excess >= CLEAR_EXCESS and stable >= CLEAR_STABILITY:
        return "clear"
    if excess >= MODERATE_EXCESS and stable >= MODERATE_STABILITY:
        return "moderate"
    if excess >= WEAK_EXCESS:
        return "weak"
    return "none"


def quick_excess(x: np.ndarray, k_min: int, k_max: int, seed: int) -> Excess | None:
    """The best k's excess on a small sample: a cheap check used to compare feature sets."""
    sample = x[sample_rows(len(x), SELECT_ROWS, seed + 20)]
    labelings: dict[int, np.ndarray] = {}
    for k in range(k_min, min(k_max, SELECT_K_MAX, len(sample) - 1) + 1):
        labels = KMeans(n_clusters=k, n_init=SELECT_N_INIT, random_state=seed).fit(sample).labels_
        if len(np.unique(labels)) >= 2:
            labelings[k] = labels
    best: tuple[float, int] | None = None
    for k, score in zip(labelings, silhouettes(sample, list(labelings.values())), strict=True):
        if best is None or round(score, 6) > round(best[0], 6):
            best = (score, k)
    if best is None:
        return None
    return excess_at(sample, best[1], best[0], seed + 21, SELECT_REFERENCE_RUNS, SELECT_N_INIT)


def select_features(
    x: np.ndarray, names: tuple[str, ...], k_min: int, k_max: int, seed: int
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Leave out columns that add no group structure (see the module docstring).

    Args:
        x: Standardised candidate features (complete rows).
        names: Their names.
        k_min: Smallest k tried.
        k_max: Largest k tried.
        seed: Fixed seed.

    Returns:
        The indices of the columns kept, and the names of those left out, in the order they
        were left out. At least two columns are always kept; with more than
        :data:`SELECT_MAX_COLUMNS` candidates every column is kept.
    """
    kept = list(range(x.shape[1]))
    dropped: list[str] = []
    if not 3 <= len(kept) <= SELECT_MAX_COLUMNS:
        return tuple(kept), ()
    x = x[sample_rows(len(x), SELECT_ROWS, seed + 20)]  # one sample for every trial
    base = quick_excess(x, k_min, k_max, seed)
    while base is not None and len(kept) > 2:
        trials = []
        for j in kept:
            rest = [i for i in kept if i != j]
            trial = quick_excess(x[:, rest], k_min, k_max, seed)
            if trial is not None:
                trials.append((trial.value, j, trial))
        if not trials:
            break
        value, j, trial = max(trials, key=lambda t: (round(t[0], 6), -t[1]))
        if value < base.value + DROP_MARGIN:
            break
        logger.info(
            "feature %s left out: excess %.3f without it, %.3f with", names[j], value, base.value
        )
        kept.remove(j)
        dropped.append(names[j])
        base = trial
    return tuple(kept), tuple(dropped)
