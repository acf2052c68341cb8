"""Where a segment's centre stands on each feature, and the level that standing reads as.

A feature's *standing* is how many standard deviations the segment's centre lies from the
population's mean (estimated from the stored percentiles). A standing of +0.5 or more reads
"high", -0.5 or less "low", anything between "average".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from segmentation.features import is_level
from segmentation.lookup import standing_of
from segmentation.result import Segment

HIGH = 0.5
LOW = -0.5

Level = str  # "high" | "low" | "average"


def level_of(position: float) -> Level:
    """``high``, ``low`` or ``average`` for a standing (standard deviations from the mean)."""
    if position >= HIGH:
        return "high"
    if position <= LOW:
        return "low"
    return "average"


def positions(
    segment: Segment, population: Mapping[str, Sequence[float]], features: Sequence[str]
) -> dict[str, float]:
    """Feature -> standing of the segment's centre in the population (numeric features only)."""
    out: dict[str, float] = {}
    for feature in features:
        if is_level(feature) or feature not in population:
            continue
        value = segment.centroid.get(feature, float("nan"))
        position = standing_of(value, population[feature])
        if not math.isnan(position):
            out[feature] = position
    return out
