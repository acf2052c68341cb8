"""Rank segments for "which segment should we target?".

Each segment gets three positions, each 0..1. A column's position is Φ(z), the standard normal
CDF of how many standard deviations the segment's mean lies from the population mean (both
estimated from ``seg.population``, the stored percentiles), so 0.5 is the average customer:

- **spend** – the spending score's position; without a ``score`` column, the mean position of
  the columns that look like money spent (``spend``, ``purchase``, ``mnt``, ``amount``,
  ``sales``, ``revenue``, ``monetary`` in the name, but not counts of deals, visits or
  transactions, nor cash advances); without any, the mean position of all features, and no
  reason speaks of spending;
- **means** – the income's position; without an ``income`` column, the mean position of
  columns named like ``salary``/``wage``/``earnings``/``income`` (never a balance or a credit
  limit); without any, 0.5 (neutral, and no reason speaks of means);
- **size** – the segment's share over the largest segment's share.

The score (0..1, higher is better)::

    grow      = means × (1 − spend)               # money to spend and room to spend more
    retain    = 0.8 × spend × (0.5 + 0.5 × means) # already spends: keep them (worth a bit less
                                                  # than new spending, as it is not extra
                                                  # revenue; means only temper it, so the
                                                  # biggest spenders on modest incomes still
                                                  # rank above the customers who spend least)
    score     = max(grow, retain) × (0.5 + 0.5 × size)

Without a means column (means 0.5) headroom cannot be told, so spending decides: keeping the
segments that already spend comes before growing the ones that spend little.

Kind: ``monitor`` when spend and means are both within 0.15 of the middle; otherwise
``retain`` when spend ≥ 0.5, ``grow`` when means ≥ 0.4, else ``reactivate``.
Segments are ranked by score (ties: lower segment number first), every ``monitor`` segment after
the others (there is nothing to act on); rank 1 is the top pick.

A close call (:func:`close_call`): no weight may decide the winner unnoticed. When the top two
scores are within :data:`CLOSE_MARGIN` of each other, or the top pick changes when any weight
(``RETAIN_WEIGHT``, the size weight, each RFM urgency) moves by ±25 %, the answer names both.

Purchase logs (segmented on recency, frequency and spend, named by RFM class) are ranked by the
revenue at stake instead: each segment's *revenue* is its share of all spend over the largest
segment's share, and its *urgency* comes from its RFM class (:data:`RFM_URGENCY`: a valuable
segment slipping away first, then the best customers to keep, then those to grow, and last the
lost). ``score = urgency × (0.5 + 0.5 × revenue)``; the kind is ``reactivate`` for At risk and
Can't lose them, ``retain`` for Champions and Loyal customers, ``monitor`` for Hibernating and
Lost, ``grow`` otherwise.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from segmentation.features import is_level
from segmentation.ingest.glossary import english_words
from segmentation.lookup import standing_of
from segmentation.personas import RFM_FEATURES, rfm_class
from segmentation.result import Segment, Segmentation, TargetKind, TargetRank

logger = logging.getLogger(__name__)

RETAIN_WEIGHT = 0.8
SIZE_WEIGHT = 0.5
MIDDLE_BAND = 0.15
#: Scores this close (relative to the top score) make the top pick a close call.
CLOSE_MARGIN = 0.1
#: How far each weight is moved to test whether it alone decides the top pick.
WEIGHT_SHIFT = 0.25
_SPEND_WORDS = re.compile(r"spend|purchas|mnt|amount|sales|revenue|monetary", re.IGNORECASE)
# Counts of deals, visits or transactions, and cash advances, are not money spent.
_NOT_SPEND_WORDS = re.compile(
    r"deal|num|number|count|trx|transaction|frequen|visit|cash.?advance|installment", re.IGNORECASE
)
# A balance or a credit limit is not what a customer earns.
_MEANS_WORDS = re.compile(r"salary|wage|earning|income", re.IGNORECASE)


#: How pressing each RFM class is, 0..1 (see the module docstring).
RFM_URGENCY: dict[str, float] = {
    "Can't lose them": 1.0,
    "At risk": 0.9,
    "Champions": 0.85,
    "Loyal customers": 0.75,
    "Promising": 0.6,
    "New customers": 0.6,
    "Need attention": 0.55,
    "Hibernating": 0.3,
    "Lost": 0.15,
}
_RFM_KINDS: dict[str, TargetKind] = {
    "Can't lose them": "reactivate",
    "At risk": "reactivate",
    "Champions": "retain",
    "Loyal customers": "retain",
    "Hibernating": "monitor",
    "Lost": "monitor",
}


#: Goals ``/target`` can rank for, and the kind of segment each one looks for.
GOALS: dict[str, TargetKind] = {"grow": "grow", "retain": "retain", "win-back": "reactivate"}


def rank_for_goal(seg: Segmentation, goal: str) -> list[TargetRank] | None:
    """The segments that fit one goal, best first; ``None`` when the file cannot tell.

    ``grow`` keeps the segments with room to spend more, ``retain`` those already spending a
    lot, ``win-back`` those slipping away, which only purchase dates can tell (``None``
    without a recency column). Ranks are renumbered 1.. within the goal.
    """
    kind = GOALS[goal]
    if goal == "win-back" and "recency" not in seg.population:
        return None
    fitting = [r for r in rank_targets(seg) if r.kind == kind]
    return [replace(r, rank=i) for i, r in enumerate(fitting, start=1)]


def close_call(seg: Segmentation) -> tuple[int, int] | None:
    """The two segment numbers the top pick hangs between, or ``None`` when it is clear.

    See the module docstring: the top two within :data:`CLOSE_MARGIN`, or a different top
    pick when a weight moves by :data:`WEIGHT_SHIFT` either way.
    """
    ranks = rank_targets(seg)
    if len(ranks) < 2:
        return None
    first, second = ranks[0], ranks[1]
    if first.kind == "monitor" or second.kind == "monitor":
        return None
    if first.score - second.score <= CLOSE_MARGIN * first.score:
        return first.number, second.number
    for retain, size in (
        (RETAIN_WEIGHT * (1 - WEIGHT_SHIFT), SIZE_WEIGHT),
        (RETAIN_WEIGHT * (1 + WEIGHT_SHIFT), SIZE_WEIGHT),
        (RETAIN_WEIGHT, SIZE_WEIGHT * (1 - WEIGHT_SHIFT)),
        (RETAIN_WEIGHT, SIZE_WEIGHT * (1 + WEIGHT_SHIFT)),
    ):
        top = rank_targets(seg, retain_weight=retain, size_weight=size)[0]
        if top.number != first.number and top.kind != "monitor":
            return first.number, top.number
    return None


def rank_targets(
    seg: Segmentation, *, retain_weight: float = RETAIN_WEIGHT, size_weight: float = SIZE_WEIGHT
) -> list[TargetRank]:
    """Rank every segment by the targeting score (formula in the module docstring).

    Args:
        seg: The segmentation (may be rebuilt from storage).

    Returns:
        One entry per segment, best first; ``drivers`` holds ``spend``, ``headroom``,
        ``means`` and ``size`` (each 0..1), ``basis`` the columns spend and means rest on.
    """
    if set(RFM_FEATURES) <= set(seg.features):
        return _rank_by_revenue(seg, size_weight)
    spend_cols, spend_measured = _spend_columns(seg)
    means_cols = _means_columns(seg)
    basis = {"spend": tuple(spend_cols) if spend_measured else (), "means": tuple(means_cols)}
    biggest = max((s.share for s in seg.segments), default=1.0) or 1.0
    scored: list[tuple[float, int, TargetKind, dict[str, float]]] = []
    for segment in seg.segments:
        spend = _position(segment, seg, spend_cols, 0.5)
        means = _position(segment, seg, means_cols, 0.5)
        size = segment.share / biggest
        grow = means * (1 - spend)
        retain = retain_weight * spend * (0.5 + 0.5 * means)
        score = max(grow, retain) * (1 - size_weight + size_weight * size)
        drivers = {
            "spend": round(spend, 4),
            "headroom": round(1 - spend, 4),
            "means": round(means, 4),
            "size": round(size, 4),
        }
        scored.append((score, segment.number, _kind(spend, means), drivers))
    scored.sort(key=lambda item: (item[2] == "monitor", -round(item[0], 9), item[1]))
    return [
        TargetRank(
            rank=i, number=number, score=round(score, 4), kind=kind, drivers=drivers, basis=basis
        )
        for i, (score, number, kind, drivers) in enumerate(scored, start=1)
    ]


def revenue_by_segment(seg: Segmentation) -> dict[int, float]:
    """Segment number -> its revenue (mean ``spend`` × size, never below 0); empty when some
    segment has no spend figure or nobody spent anything."""
    revenue = {s.number: s.mean.get("spend", math.nan) * s.size for s in seg.segments}
    if not revenue or any(math.isnan(v) for v in revenue.values()):
        return {}
    revenue = {number: max(value, 0.0) for number, value in revenue.items()}
    return revenue if sum(revenue.values()) > 0 else {}


def _rank_by_revenue(seg: Segmentation, revenue_weight: float = SIZE_WEIGHT) -> list[TargetRank]:
    """Rank a purchase log's segments by revenue at stake (see the module docstring)."""
    revenue = revenue_by_segment(seg) or {s.number: 0.0 for s in seg.segments}
    top = max(revenue.values(), default=0.0) or 1.0
    total = sum(revenue.values()) or 1.0
    scored: list[tuple[float, int, TargetKind, dict[str, float]]] = []
    for segment in seg.segments:
        name = rfm_class(segment, seg.population)
        urgency = RFM_URGENCY[name]
        share = revenue[segment.number] / top
        drivers = {
            "revenue": round(share, 4),
            "urgency": urgency,
            "revenue_share": round(revenue[segment.number] / total, 4),
        }
        scored.append(
            (
                urgency * (1 - revenue_weight + revenue_weight * share),
                segment.number,
                _RFM_KINDS.get(name, "grow"),
                drivers,
            )
        )
    scored.sort(key=lambda item: (item[2] == "monitor", -round(item[0], 9), item[1]))
    basis = {"spend": ("spend",), "means": (), "recency": ("recency",)}
    return [
        TargetRank(
            rank=i, number=number, score=round(score, 4), kind=kind, drivers=drivers, basis=basis
        )
        for i, (score, number, kind, drivers) in enumerate(scored, start=1)
    ]


def _kind(spend: float, means: float) -> TargetKind:
    """The kind of opportunity (see the module docstring)."""
    if abs(spend - 0.5) < MIDDLE_BAND and abs(means - 0.5) < MIDDLE_BAND:
        return "monitor"
    if spend >= 0.5:
        return "retain"
    if means >= 0.4:
        return "grow"
    return "reactivate"


def _spend_columns(seg: Segmentation) -> tuple[list[str], bool]:
    """Columns that stand for spending, most specific first, and whether they measure it
    (``False`` when no column looks like spending and every feature stands in)."""
    if "score" in seg.population:
        return ["score"], True
    named = [
        c
        for c in seg.population
        if _SPEND_WORDS.search(_name(seg, c)) and not _NOT_SPEND_WORDS.search(_name(seg, c))
    ]
    if named:
        return named, True
    features = [f for f in seg.features if f in seg.population and not is_level(f)]
    return features, False


def _means_columns(seg: Segmentation) -> list[str]:
    """Columns that stand for the means to spend."""
    if "income" in seg.population:
        return ["income"]
    return [c for c in seg.population if _MEANS_WORDS.search(_name(seg, c))]


def _name(seg: Segmentation, column: str) -> str:
    """Column name and label, for matching words (in English for a label in another language)."""
    label = seg.labels.get(column, "")
    return f"{column} {label} {english_words(f'{column} {label}')}"


def _position(segment: Segment, seg: Segmentation, columns: Sequence[str], default: float) -> float:
    """Mean population position (0..1) of the segment's means on ``columns``."""
    values = [
        0.5 * (1 + math.erf(standing_of(segment.mean[c], seg.population[c]) / math.sqrt(2)))
        for c in columns
        if c in segment.mean and c in seg.population
    ]
    values = [v for v in values if not np.isnan(v)]
    return float(np.mean(values)) if values else default
