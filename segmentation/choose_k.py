"""Choose the number of segments.

Criterion: the mean silhouette, computed for every k in ``k_min..k_max`` on one fixed-seed
sample of at most :data:`SILHOUETTE_ROWS` customers, each k fitted with k-means (k-means++,
:data:`SEARCH_N_INIT` starts, :data:`LARGE_SEARCH_N_INIT` on a sample of
:data:`LARGE_SEARCH_ROWS` or more) on a fixed-seed sample of at most :data:`SEARCH_ROWS` customers.
The k with the highest silhouette wins; a tie goes to the smaller k. A k whose partition has a
segment of fewer than :data:`MIN_SEGMENT_SHARE` of the customers is not a candidate: a handful
of extreme customers is not a segment. Every other k whose silhouette is within
:data:`NEAR_MARGIN` of the winner's is reported as scoring about the same (``KChoice.near``),
and a winner at the top of the range is flagged (``KChoice.at_edge``): more segments might
have separated better still. The runner-up is the k with
the second-highest silhouette, and the reason it lost is read from how its partition relates
to the chosen one on the same sample: if (almost) every runner-up segment lies inside one chosen
segment, the runner-up ``splits_a_group``; if (almost) every chosen segment lies inside one
runner-up segment, it ``merges_groups``; otherwise it simply separates less well
(``weaker_separation``).

Keeping last month's k: when the caller passes ``prefer_k`` (the k of the chat's previous
upload) and it was tried, it is kept unless the best k's silhouette beats it by more than
:data:`KEEP_MARGIN`. On a barely changed file the silhouettes of the candidate k move by about a
hundredth from one month to the next, enough to flip the best k and with it every segment's
identity; a genuinely new group (one segment splitting in two) usually lifts it by more.
The kept k's runner-up is then the best k, and ``KChoice.kept_previous`` records the decision.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics.pairwise import euclidean_distances

from segmentation.errors import SegmentationError
from segmentation.result import KChoice
from segmentation.words import N_, Text

logger = logging.getLogger(__name__)

#: Customers the k-means fits of the search run on.
SEARCH_ROWS = 10_000
#: Customers the silhouette is computed on (it costs O(rows²)).
SILHOUETTE_ROWS = 3_000
#: Rows of the distance matrix made at a time for the silhouettes (about 6 MB at 3,000 rows).
DISTANCE_BLOCK = 256
#: k-means++ starts per k during the search: more on small samples, where a poor start is
#: likelier and a start costs little; fewer on big ones, where k-means++ rarely starts badly.
SEARCH_N_INIT = 10
LARGE_SEARCH_N_INIT = 4
#: A search sample of at least this many rows counts as big.
LARGE_SEARCH_ROWS = 5_000
#: Smallest segment, as a share of the customers, a candidate k may produce.
MIN_SEGMENT_SHARE = 0.02
#: Silhouettes this close to the best one count as "about the same".
NEAR_MARGIN = 0.02
#: Share of a segment that must fall inside one other segment to call it nested.
NESTED_SHARE = 0.9
#: How much higher (absolute mean silhouette) the best k must score to replace a preferred k.
#: Measured on 60 random 90% resamples per public file: where the best k moved away from the
#: full file's (mall 19 times, customer_segmentation_train 28), it scored at most 0.013 higher,
#: so 0.015 keeps k in all of them (one cc_general resample in 60 jumped by 0.047, to 10).
#: A mall-like middle group split in two (±15 in spending score, as in the movement tests)
#: gains 0.002-0.03: 0.015 still lets 12 of 20 such splits through, 0.02 only 8, 0.03 none.
KEEP_MARGIN = 0.015


@dataclass(frozen=True)
class KSearch:
    """The outcome of the search.

    Attributes:
        choice: The chosen k with its scores and runner-up.
        centers: Standardised centres of the chosen k fitted on the search sample.
        centers_by_k: The same for every k tried.
    """

    choice: KChoice
    centers: np.ndarray
    centers_by_k: dict[int, np.ndarray] = field(default_factory=dict)


def sample_rows(n: int, size: int, random_state: int) -> np.ndarray:
    """Return sorted row indices of a fixed-seed sample (all rows when ``n <= size``)."""
    if n <= size:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n, size=size, replace=False))


def fit_kmeans(x: np.ndarray, k: int, random_state: int, n_init: int = SEARCH_N_INIT) -> KMeans:
    """Fit k-means++ with ``n_init`` starts."""
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state)
    return model.fit(x)


def distinct_rows(x: np.ndarray) -> int:
    """Number of distinct rows of ``x``."""
    return int(np.unique(x, axis=0).shape[0])


def choose_k(
    x: np.ndarray, k_min: int, k_max: int, random_state: int, prefer_k: int | None = None
) -> KSearch:
    """Pick k in ``k_min..k_max`` by the silhouette (see the module docstring).

    Args:
        x: Standardised features, shape (n, p).
        k_min: Smallest k to try (at least 2).
        k_max: Largest k to try.
        random_state: Seed for the samples and the fits.
        prefer_k: A k to keep unless the best scores more than :data:`KEEP_MARGIN` higher;
            ignored when it was not tried.

    Returns:
        The choice and the chosen k's centres on the search sample.

    Raises:
        SegmentationError: Too few distinct customers for even ``k_min`` segments.
    """
    k_min = max(2, k_min)
    search = x[sample_rows(len(x), SEARCH_ROWS, random_state)]
    sil_index = sample_rows(len(search), SILHOUETTE_ROWS, random_state + 1)
    sil_x = search[sil_index]
    k_top = min(k_max, distinct_rows(search), len(sil_x) - 1)
    if k_top < k_min:
        raise SegmentationError(
            Text.ngettext(
                "There are too few different customers to form {n} segment.",
                "There are too few different customers to form {n} segments.",
                k_min,
            )
        )
    smallest = max(3, int(np.ceil(MIN_SEGMENT_SHARE * len(search))))
    models: dict[int, KMeans] = {}
    sil_labels: dict[int, np.ndarray] = {}
    n_init = LARGE_SEARCH_N_INIT if len(search) >= LARGE_SEARCH_ROWS else SEARCH_N_INIT
    for k in range(k_min, k_top + 1):
        model = fit_kmeans(search, k, random_state, n_init)
        labels = model.labels_[sil_index]
        if len(np.unique(labels)) < 2 or np.bincount(model.labels_).min() < smallest:
            continue
        models[k] = model
        sil_labels[k] = labels
    scores = dict(zip(sil_labels, silhouettes(sil_x, list(sil_labels.values())), strict=True))
    if not scores:
        raise SegmentationError(
            N_(
                "The customers are too alike to split into segments: every split leaves a "
                "segment of only a handful of customers."
            )
        )
    ranked = sorted(scores, key=lambda k: (-round(scores[k], 6), k))
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    kept = kept_k(scores, best, prefer_k)
    if kept is not None:
        best, runner_up = kept, best
    reason = ""
    if runner_up is not None:
        reason = runner_up_reason(sil_labels[best], sil_labels[runner_up], best, runner_up)
    logger.info(
        "k search: chose %d (runner-up %s, kept previous: %s) on %d rows",
        best,
        runner_up,
        kept is not None,
        len(search),
    )
    choice = KChoice(
        k=best,
        auto=True,
        criterion="silhouette",
        scores=scores,
        runner_up=runner_up,
        runner_up_reason=reason,
        sample_size=len(sil_x),
        kept_previous=kept is not None,
        near=tuple(
            k for k in sorted(scores) if k != best and scores[best] - scores[k] <= NEAR_MARGIN
        ),
        at_edge=best == k_max and best > k_min,
    )
    return KSearch(
        choice=choice,
        centers=models[best].cluster_centers_,
        centers_by_k={k: m.cluster_centers_ for k, m in models.items()},
    )


def kept_k(scores: dict[int, float], best: int, prefer_k: int | None) -> int | None:
    """Return ``prefer_k`` when it replaces ``best`` (tried, within :data:`KEEP_MARGIN`), else None.

    Scores are compared rounded to six decimals, as the ranking does, so the decision does not
    hang on the last bits of a float.
    """
    if prefer_k is None or prefer_k == best or prefer_k not in scores:
        return None
    if round(scores[best] - scores[prefer_k], 6) > KEEP_MARGIN:
        return None
    return prefer_k


def silhouettes(x: np.ndarray, labelings: list[np.ndarray]) -> list[float]:
    """The mean silhouette of each labelling of the rows of ``x`` (as scikit-learn defines it,
    on Euclidean distances), with one pass over the distances for all of them.

    The distances are made :data:`DISTANCE_BLOCK` rows at a time and each block is multiplied
    at once by the one-hot columns of every labelling: the same sums as a full distance matrix
    per labelling (the same values as ``pairwise_distances(x)``, zero diagonal included), but
    no n × n matrix is held or read again for each k, so the search stays in the cache.
    """
    if not labelings:
        return []
    coded = [_codes(labels) for labels in labelings]
    starts = np.cumsum([0] + [k for _, k in coded])
    hot = np.hstack([_one_hot(codes, k) for codes, k in coded])
    sums = np.empty_like(hot)
    for first in range(0, len(x), DISTANCE_BLOCK):
        block = euclidean_distances(x[first : first + DISTANCE_BLOCK], x)
        rows = np.arange(len(block))
        block[rows, first + rows] = 0.0  # as pairwise_distances(x) sets its diagonal
        sums[first : first + len(block)] = block @ hot
    return [
        _silhouette_from_sums(sums[:, start : start + k], codes)
        for (codes, k), start in zip(coded, starts.tolist(), strict=False)
    ]


def _codes(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Labels as codes 0..k-1, and k."""
    _, codes = np.unique(labels, return_inverse=True)
    return codes, int(codes.max()) + 1


def _one_hot(codes: np.ndarray, k: int) -> np.ndarray:
    """An n × k matrix with a 1 in each row's column."""
    onehot = np.zeros((len(codes), k))
    onehot[np.arange(len(codes)), codes] = 1.0
    return onehot


def _silhouette_from_sums(sums: np.ndarray, codes: np.ndarray) -> float:
    """Mean silhouette from each row's summed distances to every segment's rows."""
    n = len(codes)
    counts = np.bincount(codes, minlength=sums.shape[1]).astype(np.float64)
    own = counts[codes]
    rows = np.arange(n)
    a = sums[rows, codes] / np.maximum(own - 1, 1)
    means = sums / counts
    means[rows, codes] = np.inf
    b = means.min(axis=1)
    denom = np.maximum(a, b)
    values = np.where((own > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(values.mean())


def runner_up_reason(chosen: np.ndarray, other: np.ndarray, k: int, k_other: int) -> str:
    """Say how the runner-up partition relates to the chosen one."""
    if k_other > k and _nested(other, chosen):
        return "splits_a_group"
    if k_other < k and _nested(chosen, other):
        return "merges_groups"
    return "weaker_separation"


def _nested(fine: np.ndarray, coarse: np.ndarray) -> bool:
    """Whether almost every ``fine`` segment lies inside one ``coarse`` segment."""
    inside = 0
    for label in np.unique(fine):
        members = coarse[fine == label]
        inside += int(np.bincount(members).max())
    return inside >= NESTED_SHARE * len(fine)
