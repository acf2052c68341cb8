"""Per-segment statistics in original units, computed on sorted slices so 1M rows stay cheap.

Rows are sorted by segment once; each segment is then a contiguous slice, so means, quartiles
and counts cost one pass per column instead of one boolean mask per segment and column.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from segmentation.features import FeatureMatrix, is_level, present
from segmentation.ingest.table import CustomerTable
from segmentation.quantiles import quantiles
from segmentation.result import QUANTILE_LEVELS, Persona, Segment

logger = logging.getLogger(__name__)

_PLACEHOLDER = Persona(name="", description="", action="")
_QUARTILES = np.array([0.25, 0.5, 0.75])


def population_quantiles(table: CustomerTable) -> dict[str, tuple[float, ...]]:
    """Numeric column -> its 0th..100th percentiles over all customers (missing ignored)."""
    levels = np.array(QUANTILE_LEVELS)
    population: dict[str, tuple[float, ...]] = {}
    for column in table.numeric:
        if column not in table.customers.columns:
            continue
        values = present(_numbers(table.customers[column]))
        if len(values):
            population[column] = tuple(float(v) for v in quantiles(values, levels))
    return population


def segment_profiles(
    table: CustomerTable,
    matrix: FeatureMatrix,
    segment: np.ndarray,
    distance: np.ndarray,
    centers: np.ndarray,
) -> list[Segment]:
    """One :class:`Segment` per centre (numbers 1..k), with a placeholder persona.

    Args:
        table: The customers.
        matrix: The features (for turning centres back into original units).
        segment: Each row's segment number (1-based).
        distance: Each row's distance to its centre.
        centers: Standardised centres in number order.

    Returns:
        Segments with size, share, centroid, mean, median, quartiles, gender mix, top
        attributes and distance quantiles.
    """
    frame = table.customers
    n = len(frame)
    k = len(centers)
    # Segment numbers fit a byte or two: numpy sorts those stably by radix, in one pass.
    small = np.uint8 if k < 256 else np.uint16 if k < 65536 else segment.dtype
    order = np.argsort(segment.astype(small, copy=False), kind="stable")
    sizes = np.bincount(segment, minlength=k + 1)[1:]
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    numeric = [c for c in table.numeric if c in frame.columns]
    stats: dict[str, list[tuple[float, float, float, float]]] = {}
    for column in numeric:
        values = _numbers(frame[column])[order]
        stats[column] = [_summary(values[bounds[j] : bounds[j + 1]]) for j in range(k)]
    sorted_distance = distance[order]
    levels = np.array(QUANTILE_LEVELS)
    gender = _shares(frame["gender"], segment, k) if "gender" in frame.columns else None
    attributes = {
        column: _shares(frame[column], segment, k)
        for column in table.attributes
        if column != "gender" and column in frame.columns
    }
    centre_raw = matrix.to_original(centers)
    shares = [j for j, name in enumerate(matrix.names) if is_level(name)]
    centre_raw[:, shares] = np.clip(centre_raw[:, shares], 0.0, 1.0)  # shares, never below 0
    segments = []
    for j in range(k):
        size = int(sizes[j])
        members = sorted_distance[bounds[j] : bounds[j + 1]]
        segments.append(
            Segment(
                number=j + 1,
                size=size,
                share=size / n,
                persona=_PLACEHOLDER,
                centroid={
                    name: float(v) for name, v in zip(matrix.names, centre_raw[j], strict=True)
                },
                mean={c: stats[c][j][0] for c in numeric},
                median={c: stats[c][j][2] for c in numeric},
                gender_mix=dict(sorted(gender[j].items())) if gender is not None else {},
                top_attributes={
                    column: sorted(shares[j].items(), key=lambda item: (-item[1], item[0]))[:3]
                    for column, shares in attributes.items()
                },
                distance_quantiles=tuple(float(v) for v in np.quantile(members, levels))
                if size
                else (),
                quartiles={c: (stats[c][j][1], stats[c][j][3]) for c in numeric},
            )
        )
    return segments


def _numbers(series: pd.Series) -> np.ndarray:
    """A column as float64, NaN where missing or not a number."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _summary(values: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, 25th, 50th and 75th percentile, ignoring missing values."""
    values = present(values)
    if not len(values):
        nan = float("nan")
        return (nan, nan, nan, nan)
    q25, q50, q75 = quantiles(values, _QUARTILES)
    return (float(values.mean()), float(q25), float(q50), float(q75))


def _shares(series: pd.Series, segment: np.ndarray, k: int) -> list[dict[str, float]]:
    """Per segment, level -> share among members with a value."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), sort=True)
    levels = list(uniques)
    if not all(isinstance(level, str) for level in levels):
        # Numbers among the values: read every value as text, so 1 and "1" are one level.
        codes, as_text = pd.factorize(series.astype("string"), sort=True)
        levels = list(as_text)
    known = codes >= 0
    width = len(levels)
    if not width:
        return [{} for _ in range(k)]
    if not known.all():
        segment, codes = segment[known], codes[known]
    counts = np.bincount((segment - 1) * width + codes, minlength=k * width).reshape(k, width)
    totals = counts.sum(axis=1)
    return [
        {str(levels[i]): float(counts[j, i] / totals[j]) for i in range(width) if counts[j, i]}
        for j in range(k)
    ]
