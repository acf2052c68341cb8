"""Two runs compared customer by customer: sizes, who moved where, who is new or gone.

A customer *moved* when their own numbers changed enough to put them in another segment: with
both months' values at hand, this month's row is placed against last month's segments (last
month's centres, scaling and transform) and compared with last month's segment. A customer
whose numbers did not change is therefore never "moved". Where this month's refit draws the
boundaries differently, customers with unchanged segment by that test but a different segment in
this month's run are counted apart (``Comparison.shifted``): the segments moved, not they.
Without the values (older callers), a change of segment number is a move.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from segmentation.column_words import persona_name
from segmentation.export import neutralise
from segmentation.features import is_level, level_parts
from segmentation.model import assign_to_centres
from segmentation.result import Segmentation
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

#: A centre that moved by this many spreads of its feature moved notably.
DRIFT_SD = 0.25
#: Share of matched segments that must move the same way for a store-wide change.
STORE_WIDE_SHARE = 0.8

#: Customers in common, at least, for their values to tell whether they are the same people.
SAME_PEOPLE_MIN = 10
#: Customers in common below this share of the smaller upload may be a coincidence of ids.
SAME_PEOPLE_SHARE = 0.5
#: A column's rank correlation between the two uploads, over the customers in common, under
#: which it says they are not the same people.
SAME_PEOPLE_RHO = 0.2

#: Columns of ``Comparison.moved_customers``.
MOVED_COLUMNS: tuple[str, ...] = ("customer_id", "from_segment", "to_segment")
#: Header of :func:`moved_csv`.
MOVED_CSV_HEADER: tuple[str, ...] = (
    "customer_id",
    N_("from_segment"),
    N_("from_persona"),
    N_("to_segment"),
    N_("to_persona"),
)
#: The suffixes of a moved customer's values last month and now (``spend before``).
_THEN, _NOW = " before", " now"


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
            column, so ids are row numbers), ``"no_common_ids"`` or ``"not_same_people"``
            (the ids in common name other customers in each file: see :func:`same_people`).
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
        moved_customers: Columns ``customer_id``, ``from_segment``, ``to_segment`` (then each
            feature's value ``before`` and ``now`` when the values were given); sorted by from,
            then to, then the current file's order, except that with a ``spend`` feature (a
            purchase log) the customers whose spend fell most come first: money at stake.
        stayed_by_segment: Segment number -> common customers who stayed in it.
        shifted: Common customers counted as stayed whose segment in this month's run differs
            all the same, because the refit drew the boundaries elsewhere (0 without values).
        by_values: True when moves were decided from the customers' own values.
        drift: Current segment number -> feature -> ``(then, now)`` centre in original units,
            for the segments that continue one of last month's and the features both share.
        store_wide: Feature -> the median change of the matched segments' centres, for the
            features on which at least :data:`STORE_WIDE_SHARE` of them moved the same way by
            :data:`DRIFT_SD` of the feature's spread or more: a change of the whole store,
            not of a few customers.
        spreads: Feature -> its spread last month (interquartile range / 1.349), the unit in
            which a drift counts as notable.
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
    shifted: int = 0
    by_values: bool = False
    drift: dict[int, dict[str, tuple[float, float]]] = field(default_factory=dict)
    store_wide: dict[str, float] = field(default_factory=dict)
    spreads: dict[str, float] = field(default_factory=dict)

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
    previous_values: pd.DataFrame | None = None,
    current_values: pd.DataFrame | None = None,
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
        previous_values: Last month's customer columns (index: customer id), for the
            before/after values of the moved customers.
        current_values: This month's customer columns; with them, a move is decided from the
            customer's own numbers (see the module docstring).

    Returns:
        The comparison; with ``ids_comparable`` False, movement fields are empty and zero.
    """
    common = tuple(f for f in current.features if f in previous.features)
    drift, store_wide, spreads = _drift(previous, current, common, lineage)
    base: dict[str, Any] = {
        "drift": drift,
        "store_wide": store_wide,
        "spreads": spreads,
        "previous_sizes": {s.number: int(s.size) for s in previous.segments},
        "current_sizes": {s.number: int(s.size) for s in current.segments},
        "previous_names": {s.number: s.persona.name for s in previous.segments},
        "current_names": {s.number: s.persona.name for s in current.segments},
        "common_features": common,
        "features_differ": set(previous.features) != set(current.features),
    }
    unfollowed = why_not_followed(
        previous_values,
        current_values,
        previous_ids_generated=previous_ids_generated,
        current_ids_generated=current_ids_generated,
    )
    if unfollowed:
        return _sizes_only(base, unfollowed)
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
    placed = _placed(previous, current_values, pairs["customer_id"])
    shifted = 0
    if placed is not None:
        in_lineage = pairs["to_segment"].map(lambda b: continues.get(int(b), -1)).to_numpy()
        unchanged = placed == pairs["from_segment"].to_numpy()
        shifted = int((unchanged & (in_lineage != pairs["from_segment"].to_numpy())).sum())
        # Where the customer's own numbers put them, named by the segment that continues it
        # now (a segment that is gone keeps the customer where this month's run put them).
        back = {previous_number: number for number, previous_number in continues.items()}
        where = np.where(unchanged, pairs["from_segment"].to_numpy(), placed)
        pairs["to_segment"] = [
            back.get(int(w), int(b)) for w, b in zip(where, pairs["to_segment"], strict=True)
        ]
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
    if placed is not None:
        moved_mask = placed != pairs["from_segment"].to_numpy()
    moved_customers = (
        pairs[moved_mask]
        .sort_values(["from_segment", "to_segment"], kind="stable")
        .reset_index(drop=True)
    )
    moved_customers = _with_values(moved_customers, previous, previous_values, current_values)
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
        shifted=shifted,
        by_values=placed is not None,
    )


def why_not_followed(
    previous_values: pd.DataFrame | None,
    current_values: pd.DataFrame | None,
    *,
    previous_ids_generated: bool = False,
    current_ids_generated: bool = False,
) -> str:
    """Why the customers of one upload cannot be followed into another by their ids, or
    ``""`` when they can: ``"ids_generated"`` (either file had no id column, so its ids are
    row numbers that name no one) or ``"not_same_people"`` (the ids in common name other
    customers in each file, see :func:`same_people`; checked only with both uploads' values).
    """
    if previous_ids_generated or current_ids_generated:
        return "ids_generated"
    if (
        previous_values is not None
        and current_values is not None
        and not same_people(previous_values, current_values)
    ):
        return "not_same_people"
    return ""


def same_people(before: pd.DataFrame, after: pd.DataFrame) -> bool:
    """Whether the customer ids two uploads share name the same customers in both.

    Yes, unless their values say otherwise. Month over month a customer's income, age or spend
    ranks among the others much as it did: over the public purchase log's customers, a
    quarter's spend against the next one's ranks with a correlation of 0.4 to 0.5, and two
    exports of one member list share most of their ids anyway. Two unrelated files whose ids
    are both small numbers share some of them by chance, and pair random values. So the ids
    in common are taken for other people when they are under :data:`SAME_PEOPLE_SHARE` of the
    smaller upload and the number columns both uploads have do not agree between the two: their
    rank correlations, each over at least :data:`SAME_PEOPLE_MIN` customers in common, average
    under :data:`SAME_PEOPLE_RHO` (an average, not the best of them, so that one column
    agreeing by chance among a few customers does not decide). Without such a column nothing
    says they differ.

    Args:
        before: The earlier upload's customer columns (index: customer id).
        after: The later upload's customer columns.
    """
    then = before.set_axis(before.index.astype(str))
    now = after.set_axis(after.index.astype(str))
    common = then.index.intersection(now.index)
    if not len(common) or len(common) >= SAME_PEOPLE_SHARE * min(len(then), len(now)):
        return True
    correlations = []
    for column in then.columns.intersection(now.columns):
        if not (
            pd.api.types.is_numeric_dtype(then[column])
            and pd.api.types.is_numeric_dtype(now[column])
        ):
            continue
        pair = pd.DataFrame(
            {"then": then[column].reindex(common), "now": now[column].reindex(common)}
        ).dropna()
        if len(pair) >= SAME_PEOPLE_MIN and min(pair.nunique()) >= 3:
            correlations.append(float(pair["then"].rank().corr(pair["now"].rank())))
    return not correlations or float(np.mean(correlations)) >= SAME_PEOPLE_RHO


def _drift(
    previous: Segmentation,
    current: Segmentation,
    common: tuple[str, ...],
    lineage: Mapping[int, int] | None,
) -> tuple[dict[int, dict[str, tuple[float, float]]], dict[str, float], dict[str, float]]:
    """How matched segments' centres moved, and the store-wide changes (see ``Comparison``)."""
    continues = {s.number: s.number for s in current.segments} if lineage is None else lineage
    before = {s.number: s for s in previous.segments}
    drift: dict[int, dict[str, tuple[float, float]]] = {}
    spreads: dict[str, float] = {}
    numeric = [f for f in common if not is_level(f) and f in previous.population]
    for feature in numeric:
        quantiles = previous.population[feature]
        spread = (quantiles[75] - quantiles[25]) / 1.349 if len(quantiles) > 75 else 0.0
        spreads[feature] = float(spread) if spread > 0 else 0.0
    for segment in current.segments:
        old = before.get(continues.get(segment.number, -1))
        if old is None:
            continue
        drift[segment.number] = {
            f: (float(old.centroid[f]), float(segment.centroid[f]))
            for f in numeric
            if f in old.centroid and f in segment.centroid
        }
    store_wide: dict[str, float] = {}
    for feature in numeric:
        changes = [d[feature][1] - d[feature][0] for d in drift.values() if feature in d]
        spread = spreads.get(feature, 0.0)
        if len(changes) < 2 or spread <= 0:
            continue
        median = float(np.median(changes))
        same_way = sum(1 for c in changes if np.sign(c) == np.sign(median) and c != 0)
        if abs(median) >= DRIFT_SD * spread and same_way >= STORE_WIDE_SHARE * len(changes):
            store_wide[feature] = median
    return drift, store_wide, spreads


def _placed(
    previous: Segmentation, values: pd.DataFrame | None, ids: pd.Series
) -> np.ndarray | None:
    """Last month's segment each customer's current row falls in, or ``None`` without values.

    The row is scaled and transformed as last month's run did and given the nearest centre,
    exactly as the engine places rows (a missing value leaves its feature out).
    """
    if values is None or not len(previous.centers):
        return None
    frame = values.set_axis(values.index.astype(str)).reindex(ids.to_numpy())
    columns = []
    for feature in previous.features:
        column, level = level_parts(feature)
        if is_level(feature) and column in frame.columns:
            text = frame[column].astype("string")
            columns.append((text == level).fillna(False).to_numpy(dtype=np.float64))
        elif feature in frame.columns:
            columns.append(pd.to_numeric(frame[feature], errors="coerce").to_numpy(np.float64))
        else:
            return None
    x = np.ascontiguousarray(previous.standardise(np.column_stack(columns)))
    nearest, _, _ = assign_to_centres(x, np.asarray(previous.centers, dtype=np.float64))
    numbers = np.array([s.number for s in previous.segments], dtype=np.int64)
    return numbers[nearest]


def _with_values(
    moved: pd.DataFrame,
    previous: Segmentation,
    before: pd.DataFrame | None,
    after: pd.DataFrame | None,
) -> pd.DataFrame:
    """The moved customers with each numeric feature's value last month and now."""
    if before is None or after is None or moved.empty:
        return moved
    ids = moved["customer_id"].astype(str).to_numpy()
    then = before.set_axis(before.index.astype(str)).reindex(ids)
    now = after.set_axis(after.index.astype(str)).reindex(ids)
    out = moved.copy()
    for feature in previous.features:
        if is_level(feature) or feature not in then.columns or feature not in now.columns:
            continue
        out[f"{feature} before"] = pd.to_numeric(then[feature], errors="coerce").to_numpy()
        out[f"{feature} now"] = pd.to_numeric(now[feature], errors="coerce").to_numpy()
    if "spend before" in out.columns:
        # Money at stake first: the customers whose spend fell most lead the list.
        change = out["spend now"] - out["spend before"]
        order = np.argsort(change.fillna(0.0).to_numpy(), kind="stable")
        out = out.iloc[order].reset_index(drop=True)
    return out


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


def moved_csv(comparison: Comparison, *, words: Words = ENGLISH) -> bytes:
    """The customers who changed segment, as CSV a spreadsheet opens safely.

    Args:
        comparison: From :func:`compare_segmentations`.
        words: The language of the headers (``customer_id`` stays) and persona names.

    Returns:
        CSV bytes (UTF-8 with a byte-order mark, like the assignments export) with the header
        ``customer_id, from_segment, from_persona, to_segment, to_persona`` (then, when the
        comparison had the customers' values, ``<feature> before`` and ``<feature> now`` for
        each numeric feature of last month's run) and one row per
        moved customer in ``moved_customers`` order (header only when ids were not
        comparable). Ids and names are text: one a spreadsheet would run as a formula
        (starting with ``= + - @``, tab or carriage return) gets a leading apostrophe, written
        the same way as in the assignments export; segment numbers are plain numbers.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    frame = comparison.moved_customers
    values = [c for c in frame.columns if c not in MOVED_COLUMNS]
    header = [MOVED_CSV_HEADER[0], *(words(h) for h in MOVED_CSV_HEADER[1:])]
    writer.writerow((*header, *(neutralise(_value_header(c, words)) for c in values)))
    before_names = {n: persona_name(name, words) for n, name in comparison.previous_names.items()}
    now_names = {n: persona_name(name, words) for n, name in comparison.current_names.items()}
    for position, (customer_id, before, after) in enumerate(
        zip(frame["customer_id"], frame["from_segment"], frame["to_segment"], strict=True)
    ):
        writer.writerow(
            (
                neutralise(str(customer_id)),
                int(before),
                neutralise(before_names.get(int(before), "")),
                int(after),
                neutralise(now_names.get(int(after), "")),
                *(_plain(frame[c].iloc[position]) for c in values),
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _value_header(column: str, words: Words) -> str:
    """``spend before`` / ``spend now`` in ``words``' language (the column's name as it is)."""
    if column.endswith(_THEN):
        return words(N_("{column} before"), column=column[: -len(_THEN)])
    if column.endswith(_NOW):
        return words(N_("{column} now"), column=column[: -len(_NOW)])
    return column


def _plain(value: object) -> str:
    """A number as a spreadsheet reads it (whole numbers without ``.0``); empty when missing."""
    number = float(value) if isinstance(value, int | float | np.number) else float("nan")
    if np.isnan(number):
        return ""
    return str(int(number)) if number.is_integer() else f"{number:.6g}"
