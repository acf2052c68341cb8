"""Month over month on purchase logs: who stopped buying, and who left the most valuable segment.

Two purchase logs of one chat cover two periods, each from its first to its last purchase date.
The later log may hold only the new period or everything so far; both read the same way,
because a customer's last purchase date is the log's last date minus their recency:

* **Lapsed**: customers of the earlier log whose last purchase in the later log is not after the
  earlier log's last date (or who are absent from it). They bought last period and not since.
  Their spend at stake is what they spent in the earlier log.
* **Downgrades**: customers who were in the earlier run's most valuable segment (the largest
  share of revenue) and now sit in another segment, by their own numbers (see
  :func:`segmentation.movement_compare.compare_segmentations`) or because they lapsed.

Nothing is said when the later log does not end after the earlier one (the same period sent
twice has no "since").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from segmentation.movement_compare import Comparison
from segmentation.result import Segmentation
from segmentation.targeting import revenue_by_segment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurchaseMoves:
    """The headline of two purchase logs compared.

    Attributes:
        since: The earlier log's last purchase date (ISO), the day "since" counts from.
        until: The later log's last purchase date (ISO).
        customers_before: Customers in the earlier log.
        lapsed: How many of them bought nothing after ``since``.
        lapsed_spend: What the lapsed customers spent in the earlier log.
        lapsed_by_segment: Earlier segment number -> lapsed customers from it.
        top_segment: The earlier run's most valuable segment (0 when no spend figures).
        top_size: Its customers.
        top_spend: Their spend in the earlier log.
        downgraded: Of them, how many now sit in another segment (lapsed or not).
        downgraded_spend: What those spent in the earlier log.
        downgraded_to: Current segment number -> how many went there by their numbers; those
            who bought nothing since and did not move (or are absent from the later log) are
            counted under 0.
    """

    since: str
    until: str
    customers_before: int
    lapsed: int
    lapsed_spend: float
    lapsed_by_segment: dict[int, int] = field(default_factory=dict)
    top_segment: int = 0
    top_size: int = 0
    top_spend: float = 0.0
    downgraded: int = 0
    downgraded_spend: float = 0.0
    downgraded_to: dict[int, int] = field(default_factory=dict)


def purchase_moves(
    previous: Segmentation,
    current: Segmentation,
    comparison: Comparison,
    previous_values: pd.DataFrame,
    current_values: pd.DataFrame,
    previous_period: Mapping[str, Any],
    current_period: Mapping[str, Any],
) -> PurchaseMoves | None:
    """Lapsed customers and downgrades from the most valuable segment, or ``None``.

    Args:
        previous: The earlier purchase log's run (with assignments).
        current: The later one's.
        comparison: The two runs compared customer by customer.
        previous_values: The earlier log's customer table (``recency``, ``spend``), by id.
        current_values: The later log's.
        previous_period: The earlier receipt's ``purchases`` dict (``last_date``).
        current_period: The later receipt's.

    Returns:
        ``None`` when either upload is not a purchase log, ids are not comparable, or the later
        log does not end after the earlier one.
    """
    need = {"recency", "spend"}
    if not (need <= set(previous_values.columns) and need <= set(current_values.columns)):
        return None
    if not comparison.ids_comparable:
        return None
    try:
        since = pd.Timestamp(str(previous_period["last_date"]))
        until = pd.Timestamp(str(current_period["last_date"]))
    except (KeyError, ValueError):
        return None
    if until <= since:
        return None
    before = previous_values.set_axis(previous_values.index.astype(str))
    now = current_values.set_axis(current_values.index.astype(str))
    # The day after the later log's last date is where its recency counts from.
    last_bought = until + pd.Timedelta(days=1) - pd.to_timedelta(now["recency"], unit="D")
    bought_since = last_bought[last_bought > since].index
    lapsed_mask = ~before.index.isin(bought_since)
    spend_before = pd.to_numeric(before["spend"], errors="coerce").fillna(0.0)
    was = previous.assignments["segment"]
    was = was.set_axis(was.index.astype(str)).reindex(before.index)
    lapsed_ids = before.index[lapsed_mask]
    counts = was[lapsed_mask].value_counts().sort_index()
    lapsed_by_segment = {
        int(k): int(v) for k, v in zip(counts.index, counts.to_numpy(), strict=True)
    }

    revenue = revenue_by_segment(previous)
    top = max(revenue, key=lambda n: revenue[n]) if revenue else 0
    top_size = top_spend = downgraded_spend = 0.0
    downgraded_to: dict[int, int] = {}
    if top:
        in_top = was.index[was.to_numpy() == top]
        top_size = len(in_top)
        top_spend = float(spend_before.reindex(in_top).sum())
        moved = comparison.moved_customers
        away = moved.loc[moved["from_segment"] == top]
        left = {
            str(i): int(t) for i, t in zip(away["customer_id"], away["to_segment"], strict=True)
        }
        for customer in set(in_top) & set(lapsed_ids):
            left.setdefault(customer, 0)  # lapsed: counted where they went, or under 0
        if left:
            downgraded_spend = float(spend_before.reindex(list(left)).sum())
        for target in left.values():
            downgraded_to[target] = downgraded_to.get(target, 0) + 1
    moves = PurchaseMoves(
        since=since.date().isoformat(),
        until=until.date().isoformat(),
        customers_before=len(before),
        lapsed=int(lapsed_mask.sum()),
        lapsed_spend=round(float(spend_before[lapsed_mask].sum()), 2),
        lapsed_by_segment=lapsed_by_segment,
        top_segment=int(top),
        top_size=int(top_size),
        top_spend=round(top_spend, 2),
        downgraded=sum(downgraded_to.values()),
        downgraded_spend=round(downgraded_spend, 2),
        downgraded_to=dict(sorted(downgraded_to.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
    logger.info(
        "purchase moves: %d of %d lapsed, %d left segment %d",
        moves.lapsed,
        moves.customers_before,
        moves.downgraded,
        moves.top_segment,
    )
    return moves
