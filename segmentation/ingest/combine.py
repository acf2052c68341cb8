"""One upload from two: a member list and a purchase log of the same customers.

The member list brings who the customers are (gender, age, income, city …), the purchase log
what they do (recency, frequency, spend). :func:`combine` keeps every customer of the purchase
log (the behaviour is what a combined upload segments on) and adds the member columns of those
whose id is in the member list; the receipt counts how many matched.
"""

from __future__ import annotations

from dataclasses import replace

from segmentation.errors import IngestError
from segmentation.ingest.table import PURCHASE_FEATURES, CustomerTable
from segmentation.words import N_

#: Fewest customers both files must share for a combination to mean anything.
MIN_MATCHED = 10


def matched_ids(first: CustomerTable, second: CustomerTable) -> int:
    """How many customer ids two tables share."""
    return int(first.customers.index.isin(second.customers.index).sum())


def combinable(first: CustomerTable, second: CustomerTable) -> int:
    """The ids two tables share when one is a purchase log and the other a member list and
    they share at least :data:`MIN_MATCHED`; else 0 (they cannot be combined)."""
    kinds = {first.receipt.purchases is not None, second.receipt.purchases is not None}
    if kinds != {True, False}:
        return 0
    matched = matched_ids(first, second)
    return matched if matched >= MIN_MATCHED else 0


def combine(first: CustomerTable, second: CustomerTable) -> CustomerTable:
    """The purchase log's customers with the member list's columns beside their figures.

    Args:
        first: One of the two tables (either order).
        second: The other.

    Returns:
        A purchase-log table (segmented on recency, frequency and spend by default) whose
        receipt's ``purchases`` records ``combined_with`` (the member file's name),
        ``matched`` and ``members`` (rows of the member list).

    Raises:
        IngestError: Not one purchase log and one member list, or too few ids in common.
    """
    matched = combinable(first, second)
    if not matched:
        raise IngestError(
            N_(
                "These two uploads cannot be combined: it takes one member list and one "
                "purchase log with at least {least} customer ids in common."
            ),
            least=MIN_MATCHED,
        )
    log, members = (first, second) if first.receipt.purchases is not None else (second, first)
    member_rows = members.with_written_ids()
    extra = [c for c in member_rows.columns if c not in log.customers.columns]
    joined = log.customers.join(member_rows[extra], how="left")
    roles = tuple(r for r in members.receipt.columns if r.field in extra and r.kind != "id")
    info = dict(log.receipt.purchases or {})
    info.update(
        {
            "combined_with": members.receipt.filename,
            "matched": matched,
            "members": len(members.customers),
        }
    )
    receipt = replace(
        log.receipt,
        filename=f"{log.receipt.filename} + {members.receipt.filename}",
        columns=(*log.receipt.columns, *roles),
        purchases=info,
    )
    numeric = (*log.numeric, *(c for c in members.numeric if c in extra))
    attributes = (*log.attributes, *(c for c in members.attributes if c in extra))
    labels = {**members.labels, **log.labels}
    units = {**members.units, **log.units}
    return CustomerTable(
        customers=joined,
        receipt=receipt,
        numeric=numeric,
        attributes=tuple(sorted(attributes, key=lambda c: c != "gender")),
        labels={k: v for k, v in labels.items() if k in joined.columns},
        units={k: v for k, v in units.items() if k in joined.columns},
        default_features=PURCHASE_FEATURES,
    )
