"""Segment a customer table: choose k, fit k-means, number, profile and name the segments.

The path: build the features (skewed money and count columns on a log scale, see
:mod:`segmentation.features`); with default features, leave out columns that add no group
structure (:func:`segmentation.structure.select_features`); set aside customers far outside the
rest (more than :data:`UNUSUAL_Z` robust standard deviations from the median on some feature,
when they are at most :data:`MAX_UNUSUAL_SHARE` of the customers); choose k and fit on the
others; place every customer, the unusual ones included, in the nearest segment; then check the
partition against reference tables without groups and by bootstrap stability
(:mod:`segmentation.structure`) for a plain verdict.

How it scales: k is searched on fixed-seed samples (see :mod:`segmentation.choose_k`); the final
model is fitted on every customer. Up to :data:`FULL_FIT_ROWS` customers that is k-means++ with
:data:`FINAL_N_INIT` starts; above it, one Lloyd run on all rows started from the centres found
on the search sample (cheap, and as good as many restarts when the sample already found the
structure). Quality scores that cost O(rows²) use samples too.

Numbering rule: segments are numbered by size, largest first; equal sizes are ordered by their
standardised centre (feature by feature, smallest first). Everything random goes through
``options.random_state``, so the same table and options give the same segments, numbers and
names.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

from segmentation.choose_k import (
    SEARCH_ROWS,
    choose_k,
    distinct_rows,
    fit_kmeans,
    sample_rows,
)
from segmentation.errors import SegmentationError
from segmentation.features import (
    SHAPE_ROWS,
    build_matrix,
    feature_columns,
    is_level,
    resolve_features,
)
from segmentation.ingest.table import CustomerTable
from segmentation.personas import make_personas
from segmentation.profiles import population_quantiles, segment_profiles
from segmentation.result import (
    KChoice,
    Quality,
    Segmentation,
    SegmentOptions,
)
from segmentation.structure import excess_at, select_features, stability, verdict
from segmentation.threads import compute_limits
from segmentation.words import N_, Text

__all__ = ["SegmentationError", "segment_customers"]

logger = logging.getLogger(__name__)

#: Options used when the caller gives none.
DEFAULT_OPTIONS = SegmentOptions()
#: Fewest customers worth segmenting.
MIN_CUSTOMERS = 10
#: Fewest and most segments a caller may ask for (the config's k range is checked against them).
MIN_K = 2
MAX_K = 20
#: Up to this many customers the final model is a multi-start k-means++ on all rows.
FULL_FIT_ROWS = 20_000
#: k-means++ starts of the final fit on small tables.
FINAL_N_INIT = 10
#: Rows Davies–Bouldin and Calinski–Harabasz are computed on.
INDEX_ROWS = 100_000
#: Rows the structure check compares with its reference tables.
REFERENCE_ROWS = 1_500
#: A customer this many robust standard deviations (IQR / 1.349) from the median on a feature
#: is unusual, and set aside while fitting when such customers are few.
UNUSUAL_Z = 5.0
MAX_UNUSUAL_SHARE = 0.02
#: With no distinct groups, the automatic choice shows this many bands (within the k range).
BANDS = 3
#: Rows per chunk when computing distances to the centres.
CHUNK_ROWS = 200_000


def segment_customers(
    table: CustomerTable,
    options: SegmentOptions = DEFAULT_OPTIONS,
    *,
    timings: dict[str, float] | None = None,
) -> Segmentation:
    """Segment ``table`` as ``options`` ask.

    Args:
        table: Customers from ingestion.
        options: Features, k (or the range to choose it in) and the seed.
        timings: If given, filled with seconds per stage (``features``, ``choose_k``, ``fit``,
            ``quality``, ``profiles``, ``personas``), for benchmarks.

    Returns:
        The segmentation, segments numbered canonically, personas attached, assignments indexed
        by customer id.

    Raises:
        SegmentationError: Unknown or unusable feature, k out of range, too few customers.
    """
    clock = _Clock(timings)
    n = len(table.customers)
    if n < MIN_CUSTOMERS:
        raise SegmentationError(
            Text.ngettext(
                "Only {n} customers could be used; at least {least} are needed to segment.",
                "Only {n} customers could be used; at least {least} are needed to segment.",
                n,
                least=MIN_CUSTOMERS,
            )
        )
    _check_options(options)
    columns = resolve_features(table, options.features)
    matrix = build_matrix(table, columns)
    x = matrix.standardised
    fit_x = _complete_rows(x)
    left_out: tuple[str, ...] = ()
    if options.features is None and table.default_features is None:
        with compute_limits():
            kept, left_out = select_features(
                fit_x, matrix.names, options.k_min, options.k_max, options.random_state
            )
        if left_out:
            matrix = matrix.subset(kept)
            x = np.ascontiguousarray(x[:, list(kept)])
            fit_x = _complete_rows(x)
    set_aside, unusual = _unusual(fit_x, matrix.names)
    core_x = fit_x if not set_aside.any() else np.ascontiguousarray(fit_x[~set_aside])
    if options.k is not None:
        # k segments need k + 1 customers that differ, or no separation can be measured.
        distinct = distinct_rows(core_x[:200_000])
        if 3 <= distinct <= options.k:
            raise SegmentationError(
                Text.ngettext(
                    "These customers have only {distinct} different sets of values on the "
                    "chosen columns, so at most {n} segment can be told apart. Ask for fewer "
                    "(/k auto lets me choose).",
                    "These customers have only {distinct} different sets of values on the "
                    "chosen columns, so at most {n} segments can be told apart. Ask for fewer "
                    "(/k auto lets me choose).",
                    max(int(distinct) - 1, 1),
                    distinct=int(distinct),
                )
            )
    clock.lap("features")
    with compute_limits():
        if options.k is None:
            search = choose_k(
                core_x, options.k_min, options.k_max, options.random_state, options.prefer_k
            )
            k_choice, start = search.choice, search.centers
        else:
            k_choice, start = _fixed_k(
                core_x, options.k, options.k_min, options.k_max, options.random_state
            )
        clock.lap("choose_k")
        complete = ~np.isnan(x).any(axis=1)
        fitted = _fit(
            x, core_x, complete, set_aside, k_choice.k, start, options.random_state, clock
        )
        if options.k is None and fitted.quality.verdict == "none" and not k_choice.kept_previous:
            # No distinct groups: any k is arbitrary, and a few bands read better than many.
            bands = min(max(BANDS, options.k_min), options.k_max)
            if bands != k_choice.k and bands in search.centers_by_k:
                k_choice = replace(
                    k_choice, k=bands, runner_up=None, runner_up_reason="", near=(), at_edge=False
                )
                start = search.centers_by_k[bands]
                fitted = _fit(
                    x, core_x, complete, set_aside, bands, start, options.random_state, clock
                )
        segment, distance, runner_up, centers, quality = fitted
    flagged = np.zeros(len(x), dtype=bool)
    flagged[np.flatnonzero(complete)[set_aside]] = True
    ids = table.customers.index
    if ids.dtype != "str" or ids.name != "customer_id":
        ids = pd.Index(ids.astype(str), name="customer_id")
    # The table's own index when it is text already: matching the two is then free.
    assignments = pd.DataFrame(
        {"segment": segment, "distance": distance, "runner_up": runner_up, "unusual": flagged},
        index=ids,
    )
    population = population_quantiles(table)
    segments = segment_profiles(table, matrix, segment, distance, centers)
    clock.lap("profiles")
    personas = make_personas(segments, population, matrix.names, table.labels, table.units)
    segments = [replace(s, persona=p) for s, p in zip(segments, personas, strict=True)]
    clock.lap("personas")
    logger.info("segmented %d customers into %d segments", n, len(segments))
    return Segmentation(
        options=options,
        features=matrix.names,
        scaler_mean=tuple(float(v) for v in matrix.mean),
        scaler_scale=tuple(float(v) for v in matrix.scale),
        centers=tuple(tuple(float(v) for v in c) for c in centers),
        k_choice=k_choice,
        quality=quality,
        segments=tuple(segments),
        assignments=assignments,
        population=population,
        labels=dict(table.labels),
        units=dict(table.units),
        log_offsets=tuple(float(c) for c in matrix.offsets),
        left_out=left_out,
        unusual=unusual,
        unusual_total=int(set_aside.sum()),
    )


class _Fitted(NamedTuple):
    """The final fit: per row its segment, distance and runner-up; centres; quality."""

    segment: np.ndarray
    distance: np.ndarray
    runner_up: np.ndarray
    centers: np.ndarray
    quality: Quality


def _fit(
    x: np.ndarray,
    core_x: np.ndarray,
    complete: np.ndarray,
    set_aside: np.ndarray,
    k: int,
    start: np.ndarray,
    seed: int,
    clock: _Clock,
) -> _Fitted:
    """Fit k segments on ``core_x``, place every row of ``x``, number them, judge the result."""
    model = _final_fit(core_x, k, start, seed)
    centers = model.cluster_centers_
    labels, distance, second = assign_to_centres(x, centers)
    order = _canonical_order(labels, centers)
    number_of = np.empty(len(order), dtype=np.int64)
    number_of[order] = np.arange(1, len(order) + 1)
    segment = number_of[labels]
    centers = centers[order]
    fit_segment = segment[complete]
    core_segment = fit_segment if not set_aside.any() else fit_segment[~set_aside]
    clock.lap("fit")
    quality = _quality(core_x, core_segment, centers, seed)
    clock.lap("quality")
    return _Fitted(segment, distance, number_of[second], centers, quality)


def unusual_rows(table: CustomerTable, seg: Segmentation) -> np.ndarray:
    """Which of ``table``'s customers ``seg`` set aside as unusual (the same rule, rerun).

    The rule depends only on the features' values, so it marks the same customers again
    without storing them: a boolean per row of ``table.customers``.
    """
    flags = np.zeros(len(table.customers), dtype=bool)
    if not seg.unusual:
        return flags
    matrix = build_matrix(table, feature_columns(seg.features))
    x = seg.standardise(matrix.raw)
    complete = ~np.isnan(x).any(axis=1)
    rows, _ = _unusual(np.ascontiguousarray(x[complete]), seg.features)
    flags[np.flatnonzero(complete)[rows]] = True
    return flags


def _unusual(x: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, dict[str, int]]:
    """Rows far outside the rest (see the module docstring), and per feature how many.

    Returns no rows when they are more than :data:`MAX_UNUSUAL_SHARE` of the customers: so
    many are a group of their own, to be judged like any other.
    """
    rows = np.zeros(len(x), dtype=bool)
    counts: dict[str, int] = {}
    for j, name in enumerate(names):
        if is_level(name):
            continue
        column = x[:, j]
        shape = column if len(column) <= SHAPE_ROWS else column[sample_rows(len(x), SHAPE_ROWS, 0)]
        q1, median, q3 = np.quantile(shape, [0.25, 0.5, 0.75])
        spread = (q3 - q1) / 1.349
        if spread <= 0:
            spread = float(column.std()) or 1.0
        far = np.abs(column - median) > UNUSUAL_Z * spread
        if far.any():
            counts[name] = int(far.sum())
            rows |= far
    if not rows.any() or rows.sum() > MAX_UNUSUAL_SHARE * len(x):
        return np.zeros(len(x), dtype=bool), {}
    logger.info("set aside %d unusual customers while fitting", int(rows.sum()))
    return rows, counts


class _Clock:
    """Records seconds per stage into a caller's dict (or nothing)."""

    def __init__(self, into: dict[str, float] | None) -> None:
        self.into = into
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Close ``stage`` and start the next."""
        now = time.perf_counter()
        if self.into is not None:
            self.into[stage] = now - self.last
        self.last = now


def _complete_rows(x: np.ndarray) -> np.ndarray:
    """Rows with every feature present; refuse when too few are left."""
    if not np.isnan(x).any():  # one pass over the flat matrix, not a reduction per row
        return x
    complete = ~np.isnan(x).any(axis=1)
    if complete.sum() < MIN_CUSTOMERS:
        raise SegmentationError(
            Text.ngettext(
                "Only {n} customers have a value in every chosen feature; at least {least} are "
                "needed. Choose features with fewer empty cells.",
                "Only {n} customers have a value in every chosen feature; at least {least} are "
                "needed. Choose features with fewer empty cells.",
                int(complete.sum()),
                least=MIN_CUSTOMERS,
            )
        )
    logger.info("fitting on %d complete rows of %d", complete.sum(), len(x))
    return np.ascontiguousarray(x[complete])


def _check_options(options: SegmentOptions) -> None:
    """Reject impossible k settings."""
    if options.k is not None and not MIN_K <= options.k <= MAX_K:
        raise SegmentationError(
            N_("k must be between {low} and {high}; {k} was asked."),
            low=MIN_K,
            high=MAX_K,
            k=str(options.k),
        )
    if not MIN_K <= options.k_min <= options.k_max <= MAX_K:
        raise SegmentationError(
            N_("The k range must satisfy 2 ≤ k_min ≤ k_max ≤ {high}; got {low}..{top}."),
            high=MAX_K,
            low=str(options.k_min),
            top=str(options.k_max),
        )


def _fixed_k(
    x: np.ndarray, k: int, k_min: int, k_max: int, random_state: int
) -> tuple[KChoice, np.ndarray]:
    """The caller's k, with starting centres from the search sample.

    The automatic search still runs, for reference: the k chart then shows where the
    caller's k stands against the others.
    """
    scores: dict[int, float] = {}
    sample_size = 0
    start = None
    try:
        search = choose_k(x, k_min, k_max, random_state)
    except SegmentationError:
        pass
    else:
        scores, sample_size = search.choice.scores, search.choice.sample_size
        start = search.centers_by_k.get(k)
    if start is None:
        sample = x[sample_rows(len(x), SEARCH_ROWS, random_state)]
        if distinct_rows(sample) < k:
            raise SegmentationError(
                Text.ngettext(
                    "There are too few different customers for {n} segment; try a smaller k.",
                    "There are too few different customers for {n} segments; try a smaller k.",
                    k,
                )
            )
        start = fit_kmeans(sample, k, random_state).cluster_centers_
    return KChoice(k=k, auto=False, scores=scores, sample_size=sample_size), start


def _final_fit(x: np.ndarray, k: int, start: np.ndarray, random_state: int) -> KMeans:
    """Fit the final model on every row (see the module docstring)."""
    if len(x) <= FULL_FIT_ROWS:
        return fit_kmeans(x, k, random_state, n_init=FINAL_N_INIT)
    model = KMeans(n_clusters=k, init=start, n_init=1, random_state=random_state)
    return model.fit(x)


def assign_to_centres(
    x: np.ndarray, centers: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest centre, its distance and the second-nearest centre, chunk by chunk.

    A row with missing features is placed by the features it has (the squared distance over
    those, scaled up to all features).
    """
    n, p = x.shape
    labels = np.empty(n, dtype=np.int64)
    second = np.empty(n, dtype=np.int64)
    distance = np.empty(n, dtype=np.float64)
    c_sq = (centers**2).sum(axis=1)
    for start in range(0, n, CHUNK_ROWS):
        chunk = x[start : start + CHUNK_ROWS]
        present = ~np.isnan(chunk)
        if present.all():
            d2 = (chunk**2).sum(axis=1)[:, None] - 2.0 * chunk @ centers.T + c_sq[None, :]
        else:
            filled = np.where(present, chunk, 0.0)
            d2 = (filled**2).sum(axis=1)[:, None] - 2.0 * filled @ centers.T
            d2 += present.astype(np.float64) @ (centers**2).T
            d2 *= p / np.maximum(present.sum(axis=1), 1)[:, None]
        np.maximum(d2, 0.0, out=d2)
        # The nearest centre, then the nearest of the others (ties: the lower index).
        rows = np.arange(len(chunk))
        best = d2.argmin(axis=1)
        nearest = d2[rows, best]
        d2[rows, best] = np.inf
        labels[start : start + len(chunk)] = best
        second[start : start + len(chunk)] = d2.argmin(axis=1)
        distance[start : start + len(chunk)] = np.sqrt(nearest)
    return labels, distance, second


def _canonical_order(labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Old label indices in number order: largest first, ties by centre."""
    sizes = np.bincount(labels, minlength=len(centers))
    keys = sorted(
        range(len(centers)),
        key=lambda j: (-int(sizes[j]), tuple(round(float(v), 9) for v in centers[j])),
    )
    return np.array(keys, dtype=np.int64)


def _quality(x: np.ndarray, segment: np.ndarray, centers: np.ndarray, seed: int) -> Quality:
    """Silhouette, Davies–Bouldin, Calinski–Harabasz, stability and the structure verdict.

    The silhouette and the references are computed on the same fixed-seed sample of
    :data:`REFERENCE_ROWS` customers, so they compare like with like.
    """
    k = len(centers)
    sil_index = sample_rows(len(x), REFERENCE_ROWS, seed + 2)
    sil_labels = segment[sil_index]
    if len(np.unique(sil_labels)) < 2:
        return Quality(0.0, 0.0, 0.0, 0.0, reference=0.0, verdict="none")
    silhouette = float(silhouette_score(x[sil_index], sil_labels))
    index = sample_rows(len(x), INDEX_ROWS, seed + 3)
    idx_labels = segment[index]
    if len(np.unique(idx_labels)) > 1:
        davies = float(davies_bouldin_score(x[index], idx_labels))
        calinski = float(calinski_harabasz_score(x[index], idx_labels))
    else:
        davies, calinski = 0.0, 0.0
    excess = excess_at(x[sil_index], k, silhouette, seed + 6)
    stable = stability(x, segment, k, seed)
    return Quality(
        silhouette=silhouette,
        davies_bouldin=davies,
        calinski_harabasz=calinski,
        stability=stable,
        reference=excess.reference,
        verdict=verdict(excess.value, stable),
    )
