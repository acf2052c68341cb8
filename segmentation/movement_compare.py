"""Two runs compared customer by customer: sizes, who moved where, who is new or gone."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from segmentation.export import neutralise
from segmentation.result import Segmentation

logger = logging.getLogger(__name__)

#: Columns of ``Comparison.moved_customers``.
MOVED_COLUMNS: tuple[str, ...] = ("customer_id", "from_segment", "to_segment")
#: Header of :func:`moved_csv`.
MOVED_CSV_HEADER: tuple[str, ...] = (
    "customer_id",
    "from_segment",
    "from_persona",
    "to_segment",
    "to_persona",
)


@dataclass(frozen=True)
class Transition:
    """Customers who were in one segment last time and are in another now."""

    from_segment: int
    to_segment: int
    count: int


@dataclass(frozen=True)
class Comparison:
    """Two runs compared: sizes, and movement of the customers present in both.

    Attributes:
        previous_sizes: Previous segment number -> customers, in number order.
        current_sizes: Current segment number -> customers, in number order.
        previous_names: Previous segment number -> persona name.
        current_names: Current segment number -> persona name.
        ids_comparable: True when customers could be matched by id.
        reason: ``""``, or why they could not: ``"ids_generated"`` (either file had no id
            column, so ids are row numbers) or ``"no_common_ids"``.
        common_customers: Customers present in both runs.
        moved: Common customers whose segment number changed.
        stayed: Common customers whose segment number stayed.
        transitions: One per (from, to) flow with ``from != to``, biggest first, ties by
            from and then to number.
        new_by_segment: Customers only in the current run, by current segment (segments with
            none are left out), in number order.
        gone_by_segment: Customers only in the previous run, by previous segment.
        common_features: Features both runs were segmented on, in the current run's order.
        features_differ: True when the two runs were not segmented on the same features.
        moved_customers: Columns ``customer_id``, ``from_segment``, ``to_segment``; sorted by
            from, then to, then the current file's order.
        stayed_by_segment: Segment number -> common customers who stayed in it.
    """

    previous_sizes: dict[int, int]
    current_sizes: dict[int, int]
    previous_names: dict[int, str]
    current_names: dict[int, str]
    ids_comparable: bool
    reason: str
    common_customers: int
    moved: int
    stayed: int
    transitions: tuple[Transition, ...]
    new_by_segment: dict[int, int]
    gone_by_segment: dict[int, int]
    common_features: tuple[str, ...]
    features_differ: bool
    moved_customers: pd.DataFrame
    stayed_by_segment: dict[int, int] = field(default_factory=dict)

    @property
    def new_customers(self) -> int:
        """Customers only in the current run."""
        return sum(self.new_by_segment.values())

    @property
    def gone_customers(self) -> int:
        """Customers only in the previous run."""
        return sum(self.gone_by_segment.values())


# --- Comparison --------------------------------------------------------------------------------


def compare_segmentations(
    previous: Segmentation,
    current: Segmentation,
    *,
    previous_ids_generated: bool = False,
    current_ids_generated: bool = False,
    lineage: Mapping[int, int] | None = None,
) -> Comparison:
    """Compare two runs: sizes, and where the customers present in both went.

    ``current`` should have been aligned to ``previous``'s lineage with :func:`align_segments`,
    so that an unchanged number means the same segment ("stayed"). Customers are matched by
    ``customer_id`` (the assignments' index), so both runs need their assignments; when either
    file's ids were generated from row numbers they identify nobody, and only sizes are
    compared.

    Args:
        previous: The earlier run, with its assignments.
        current: The later run, with its assignments.
        previous_ids_generated: The earlier file had no id column.
        current_ids_generated: The later file had no id column.
        lineage: Current number -> the previous number it continues (from
            :func:`~segmentation.movement.segment_lineage`), for runs not aligned to each
            other; ``None`` when ``current`` was aligned to ``previous`` (a shared number is
            then the same segment). A customer "stayed" only within one lineage.

    Returns:
        The comparison; with ``ids_comparable`` False, movement fields are empty and zero.
    """
    common = tuple(f for f in current.features if f in previous.features)
    base: dict[str, Any] = {
        "previous_sizes": {s.number: int(s.size) for s in previous.segments},
        "current_sizes": {s.number: int(s.size) for s in current.segments},
        "previous_names": {s.number: s.persona.name for s in previous.segments},
        "current_names": {s.number: s.persona.name for s in current.segments},
        "common_features": common,
        "features_differ": set(previous.features) != set(current.features),
    }
    if previous_ids_generated or current_ids_generated:
        return _sizes_only(base, "ids_generated")
    if "segment" not in previous.assignments or "segment" not in current.assignments:
        return _sizes_only(base, "no_common_ids")
    before = previous.assignments["segment"]
    after = current.assignments["segment"]
    before = before.set_axis(before.index.astype(str))
    after = after.set_axis(after.index.astype(str))
    in_before = after.index.isin(before.index)
    if not in_before.any():
        return _sizes_only(base, "no_common_ids")

    to_segment = after[in_before].astype(np.int64)
    from_segment = before.reindex(to_segment.index).astype(np.int64)
    pairs = pd.DataFrame(
        {
            "customer_id": to_segment.index.to_numpy(dtype=object),
            "from_segment": from_segment.to_numpy(),
            "to_segment": to_segment.to_numpy(),
        }
    )
    continues = {s.number: s.number for s in current.segments} if lineage is None else dict(lineage)
    flows = pairs.groupby(["from_segment", "to_segment"], sort=True).size().reset_index()
    transitions: list[Transition] = []
    stayed_by_segment: dict[int, int] = {}
    for a, b, n in flows.itertuples(index=False, name=None):
        if continues.get(int(b)) == int(a):
            stayed_by_segment[int(a)] = stayed_by_segment.get(int(a), 0) + int(n)
        else:
            transitions.append(Transition(int(a), int(b), int(n)))
    transitions.sort(key=lambda t: (-t.count, t.from_segment, t.to_segment))
    same = pairs["to_segment"].map(lambda b: continues.get(int(b), -1))
    moved_mask = same.to_numpy() != pairs["from_segment"].to_numpy()
    moved_customers = (
        pairs[moved_mask]
        .sort_values(["from_segment", "to_segment"], kind="stable")
        .reset_index(drop=True)
    )
    new_ids = ~in_before
    gone = before[~before.index.isin(after.index)]
    return Comparison(
        **base,
        ids_comparable=True,
        reason="",
        common_customers=len(pairs),
        moved=int(moved_mask.sum()),
        stayed=int((~moved_mask).sum()),
        transitions=tuple(transitions),
        new_by_segment=_count_by(after[new_ids]),
        gone_by_segment=_count_by(gone),
        moved_customers=moved_customers,
        stayed_by_segment=stayed_by_segment,
    )


def _sizes_only(base: dict[str, Any], reason: str) -> Comparison:
    """A comparison of sizes alone, saying why customers could not be followed."""
    return Comparison(
        **base,
        ids_comparable=False,
        reason=reason,
        common_customers=0,
        moved=0,
        stayed=0,
        transitions=(),
        new_by_segment={},
        gone_by_segment={},
        moved_customers=_empty_moved(),
    )


def _empty_moved() -> pd.DataFrame:
    """A moved-customers frame with no rows."""
    customer_id, from_segment, to_segment = MOVED_COLUMNS
    return pd.DataFrame(
        {
            customer_id: pd.Series([], dtype=object),
            from_segment: pd.Series([], dtype=np.int64),
            to_segment: pd.Series([], dtype=np.int64),
        }
    )


def _count_by(segments: pd.Series) -> dict[int, int]:
    """Segment number -> how many, in number order, zeros left out."""
    counts = segments.astype(np.int64).value_counts()
    return {int(k): int(counts[k]) for k in sorted(counts.index)}


# --- Export ------------------------------------------------------------------------------------


def moved_csv(comparison: Comparison) -> bytes:
    """The customers who changed segment, as CSV a spreadsheet opens safely.

    Args:
        comparison: From :func:`compare_segmentations`.

    Returns:
        CSV bytes (UTF-8 with a byte-order mark, like the assignments export) with the header
        ``customer_id, from_segment, from_persona, to_segment, to_persona`` and one row per
        moved customer in ``moved_customers`` order (header only when ids were not
        comparable). Ids and names are text: one a spreadsheet would run as a formula
        (starting with ``= + - @``, tab or carriage return) gets a leading apostrophe, written
        the same way as in the assignments export; segment numbers are plain numbers.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MOVED_CSV_HEADER)
    frame = comparison.moved_customers
    for customer_id, before, after in zip(
        frame["customer_id"], frame["from_segment"], frame["to_segment"], strict=True
    ):
        writer.writerow(
            (
                neutralise(str(customer_id)),
                int(before),
                neutralise(comparison.previous_names.get(int(before), "")),
                int(after),
                neutralise(comparison.current_names.get(int(after), "")),
            )
        )
    return out.getvalue().encode("utf-8-sig")
