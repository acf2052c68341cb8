"""Where one customer stands: segment, how typical, runner-up and population percentiles.

Works on a segmentation rebuilt from storage: only ``seg.population`` and each segment's
``distance_quantiles`` are read, never the assignments.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from segmentation.result import CustomerLookup, Segmentation

logger = logging.getLogger(__name__)


def percentile_of(value: float, quantiles: Sequence[float]) -> float:
    """Return the percentile (0..100) of ``value`` given a column's 0th..100th percentiles.

    Values equal to a run of identical quantiles (many zeros, say) get the middle of that run.
    """
    q = np.asarray(quantiles, dtype=np.float64)
    if len(q) < 2 or math.isnan(value):
        return float("nan")
    step = 100.0 / (len(q) - 1)
    if value < q[0]:
        return 0.0
    if value > q[-1]:
        return 100.0
    left = int(np.searchsorted(q, value, side="left"))
    right = int(np.searchsorted(q, value, side="right"))
    if right > left:
        return (left + right - 1) / 2 * step
    low, high = q[left - 1], q[left]
    return float((left - 1 + (value - low) / (high - low)) * step)


def standing_of(value: float, quantiles: Sequence[float]) -> float:
    """How many standard deviations ``value`` lies from a column's mean.

    Mean and standard deviation are estimated from the column's 0th..100th percentiles (the
    outer 1% at each end left out), so this works on a segmentation rebuilt from storage.
    Unlike a percentile it is not fooled by columns that are mostly one value (flags, counts
    full of zeros).
    """
    q = np.asarray(quantiles, dtype=np.float64)
    if len(q) < 2 or math.isnan(value):
        return float("nan")
    mid = (q[:-1] + q[1:]) / 2
    # Leave out the outer 1% at each end, so one absurd value (an income of 666,666) does
    # not make everybody else look average; fall back to all of it for rare flags.
    for part in (mid[1:-1] if len(mid) > 2 else mid, mid):
        mean = float(part.mean())
        spread = float(np.sqrt(max(float((part**2).mean()) - mean**2, 0.0)))
        if spread > 1e-12 * max(1.0, abs(mean)):
            return (value - mean) / spread
    return 0.0


def lookup_customer(
    seg: Segmentation,
    customer_id: str,
    values: Mapping[str, object],
    segment: int,
    distance: float,
    runner_up: int,
) -> CustomerLookup:
    """Explain one customer's place.

    Args:
        seg: The segmentation (may be rebuilt from storage with empty assignments).
        customer_id: The id as stored.
        values: The customer's columns (numbers or text).
        segment: Its segment number.
        distance: Its distance to the segment's centre (standardised space).
        runner_up: The next-nearest segment number.

    Returns:
        The lookup: typicality 0..100 (0 = most typical), percentiles per numeric column.

    Raises:
        KeyError: ``segment`` is not a segment of ``seg``.
    """
    quantiles = seg.segment(segment).distance_quantiles
    typicality = percentile_of(float(distance), quantiles) if quantiles else float("nan")
    numbers: dict[str, float] = {}
    percentiles: dict[str, float] = {}
    attributes: dict[str, str] = {}
    for column, raw in values.items():
        number = _as_number(raw)
        if column in seg.population and number is not None:
            numbers[column] = number
            percentiles[column] = percentile_of(number, seg.population[column])
        elif number is not None:
            numbers[column] = number
        elif raw is not None and not _is_missing(raw):
            attributes[column] = str(raw)
    return CustomerLookup(
        customer_id=customer_id,
        segment=segment,
        runner_up=runner_up,
        typicality=typicality,
        values=numbers,
        percentiles=percentiles,
        attributes=attributes,
    )


def _is_missing(raw: object) -> bool:
    """Whether a cell is empty."""
    try:
        return bool(pd.isna(raw))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _as_number(raw: object) -> float | None:
    """The cell as a finite float, or ``None`` for text and missing values."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float | np.integer | np.floating):
        value = float(raw)
        return value if math.isfinite(value) else None
    return None
