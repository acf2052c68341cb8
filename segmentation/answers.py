"""Answers to managers' questions about one segmented table: counts, statistics, top customers.

Pure functions over the customer table and the segment of each customer; they return
numbers and frames, never prose.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from segmentation.result import Segmentation
from segmentation.targeting import _means_columns, _spend_columns
from segmentation.words import ENGLISH, N_, Words

#: What a statistics question may ask for.
StatKind = Literal["mean", "median", "total"]


@dataclass(frozen=True)
class Count:
    """How many customers match, out of how many.

    Attributes:
        matched: Customers matching the condition (all of ``total`` without one).
        total: Customers asked about (one segment's, or everyone's).
        segment: The segment asked about, or ``None`` for all customers.
    """

    matched: int
    total: int
    segment: int | None = None


@dataclass(frozen=True)
class Statistic:
    """A column's mean, median or total over some customers.

    Attributes:
        value: The figure (NaN when no customer has a value).
        customers: Customers with a value in that column.
        segment: The segment asked about, or ``None`` for all customers.
    """

    value: float
    customers: int
    segment: int | None = None


def _segments_of(seg: Segmentation, customers: pd.DataFrame) -> pd.Series:
    """Each customer's segment number, aligned with ``customers``' index."""
    return seg.assignments["segment"].reindex(customers.index)


def _rows(customers: pd.DataFrame, seg: Segmentation, segment: int | None) -> pd.DataFrame:
    """The customers of one segment, or all of them."""
    if segment is None:
        return customers
    return customers[_segments_of(seg, customers) == segment]


def _matches(values: pd.Series, level: str) -> pd.Series:
    """Which values equal ``level``, compared without regard to case and spaces."""
    wanted = level.strip().casefold()
    return values.astype("string").str.strip().str.casefold() == wanted


def count_customers(
    customers: pd.DataFrame,
    seg: Segmentation,
    segment: int | None = None,
    where: tuple[str, str] | None = None,
    between: tuple[str, str, float] | None = None,
) -> Count:
    """Count customers, optionally in one segment, with ``column == value`` and with a number
    above or below a bound.

    Args:
        customers: The table's customers (``CustomerTable.customers``).
        seg: The segmentation with its assignments.
        segment: A segment number, or ``None`` for every customer.
        where: ``(column, value)`` a customer must have, or ``None``.
        between: ``(column, ">" or "<", bound)``: strictly above or below the bound.

    Raises:
        KeyError: ``where`` or ``between`` names a column the table does not have.
    """
    rows = _rows(customers, seg, segment)
    keep = pd.Series(True, index=rows.index)
    if where is not None:
        column, level = where
        keep &= _matches(rows[column], level).fillna(False).astype(bool)
    if between is not None:
        column, op, bound = between
        values = pd.to_numeric(rows[column], errors="coerce")
        keep &= (values > bound) if op == ">" else (values < bound)
    return Count(int(keep.sum()), len(rows), segment)


def column_statistic(
    customers: pd.DataFrame,
    seg: Segmentation,
    column: str,
    statistic: StatKind,
    segment: int | None = None,
) -> Statistic:
    """A numeric column's mean, median or total, over one segment or every customer.

    Raises:
        KeyError: The table has no such column.
    """
    values = pd.to_numeric(_rows(customers, seg, segment)[column], errors="coerce").dropna()
    if values.empty:
        return Statistic(math.nan, 0, segment)
    if statistic == "mean":
        figure = values.mean()
    elif statistic == "median":
        figure = values.median()
    else:
        figure = values.sum()
    return Statistic(float(figure), len(values), segment)


def top_customers(
    customers: pd.DataFrame,
    seg: Segmentation,
    column: str,
    n: int,
    highest: bool = True,
    segment: int | None = None,
) -> pd.DataFrame:
    """The ``n`` customers with the highest (or lowest) value in ``column``.

    Ties keep the table's order, so the answer is the same every time.

    Returns:
        Indexed by ``customer_id``; columns ``value`` and ``segment``, best first.

    Raises:
        KeyError: The table has no such column.
    """
    rows = _rows(customers, seg, segment)
    values = pd.to_numeric(rows[column], errors="coerce").dropna()
    ordered = values.sort_values(ascending=not highest, kind="stable").head(max(n, 0))
    frame = pd.DataFrame(
        {"value": ordered, "segment": _segments_of(seg, customers).reindex(ordered.index)}
    )
    frame.index.name = "customer_id"
    return frame


def top_customers_csv(frame: pd.DataFrame, header: str, *, words: Words = ENGLISH) -> bytes:
    """A top list as CSV (UTF-8 with BOM, so Excel reads it): rank, id, value, segment.

    ``header`` names the value column as given; ``rank`` and ``segment`` are said in
    ``words``' language, ``customer_id`` (the key a CRM matches on) is the same in every one.
    """
    out = pd.DataFrame(
        {
            words(N_("rank")): range(1, len(frame) + 1),
            "customer_id": frame.index.astype(str),
            header: frame["value"].to_numpy(),
            words(N_("segment")): frame["segment"].astype("Int64").to_numpy(),
        }
    )
    return out.to_csv(index=False).encode("utf-8-sig")


def spend_column(seg: Segmentation) -> str | None:
    """The column "best customers" are ranked by: the one the targeting reads as spending,
    or ``None`` when no column measures spending."""
    columns, measured = _spend_columns(seg)
    return columns[0] if measured and columns else None


def income_column(seg: Segmentation) -> str | None:
    """The column the targeting reads as customers' means, or ``None``."""
    columns = _means_columns(seg)
    return columns[0] if columns else None


def attribute_levels(seg: Segmentation) -> dict[str, list[str]]:
    """Text column -> the values the segments' profiles name (gender first)."""
    levels: dict[str, list[str]] = {}
    for segment in seg.segments:
        for value in segment.gender_mix:
            levels.setdefault("gender", [])
            if value not in levels["gender"]:
                levels["gender"].append(value)
        for column, pairs in segment.top_attributes.items():
            kept = levels.setdefault(column, [])
            kept.extend(level for level, _ in pairs if level not in kept)
    return levels


def numeric_columns(seg: Segmentation) -> Sequence[str]:
    """The numeric columns a question may ask about (every column with percentiles)."""
    return tuple(seg.population)


def where_they_went(
    before: pd.DataFrame, after: pd.DataFrame, numbers: Sequence[int]
) -> dict[int, list[tuple[int, int]]]:
    """For segments that disappeared, where their customers are now.

    Args:
        before: The earlier run's assignments (indexed by customer id, column ``segment``).
        after: The new run's assignments.
        numbers: The earlier segment numbers that have no match now.

    Returns:
        Earlier number -> ``(current number, customers)`` pairs, most customers first (ties by
        number); customers absent from ``after`` are not counted.
    """
    shared = before.index.intersection(after.index)
    was = before.loc[shared, "segment"]
    now = after.loc[shared, "segment"]
    went: dict[int, list[tuple[int, int]]] = {}
    for number in numbers:
        counts = now[was == number].value_counts()
        pairs = [(int(segment), int(count)) for segment, count in counts.items()]
        went[int(number)] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return went
