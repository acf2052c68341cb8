"""Which rows of a customer table are left out, and why: the checks on age, income and score.

Shared by ingestion (:mod:`segmentation.ingest.load`) and by a table read back with other
meanings (:mod:`segmentation.ingest.rebuild`), so a row is left out for the same reasons both
ways.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segmentation.errors import IngestError
from segmentation.ingest.roles import Column
from segmentation.ingest.table import IngestLimits, SkippedRows

_EXAMPLES = 5
_AGE_RANGE = (0.0, 120.0)


class Skips:
    """Collects rows to leave out, each counted under the first reason it meets."""

    def __init__(self, rows: int, lines: np.ndarray | None = None) -> None:
        # Without line numbers (a table read back from storage) no examples are given.
        self.lines = lines
        self.dropped = np.zeros(rows, dtype=bool)
        self.records: list[SkippedRows] = []

    def add(self, mask: np.ndarray, reason: str, column: str, detail: str) -> None:
        """Leave out the rows in ``mask`` not already left out."""
        new = mask & ~self.dropped
        count = int(new.sum())
        if count:
            shown = () if self.lines is None else self.lines[new][:_EXAMPLES]
            examples = tuple(int(x) for x in shown)
            self.records.append(SkippedRows(reason, column, count, examples, detail))
            self.dropped |= new


def check_range(column: Column, skips: Skips) -> None:
    """Leave out rows whose age, income or score is missing, not a number or impossible."""
    parsed = column.parsed
    assert parsed is not None
    name = column.role.field
    values = column.values
    skips.add(parsed.missing.to_numpy(), "missing", name, "empty")
    skips.add(parsed.bad.to_numpy(), "unparseable", name, "not a number")
    low, high, detail = _allowed_range(name, values, column.value_range)
    array = values.to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        outside = ~np.isfinite(array) | (array < low) | (array > high)
    outside &= ~values.isna().to_numpy() | ~np.isfinite(array)
    outside &= ~(parsed.missing.to_numpy() | parsed.bad.to_numpy())
    if outside.sum() * 2 > len(outside):
        # Most customers outside the stated range: the range (or the column) is wrong, and
        # dropping them would segment a remnant as if it were the whole file.
        examples = ", ".join(_number(v) for v in array[outside][:3])
        raise IngestError(
            f"Most values of {column.role.source} ({int(outside.sum()):,} of {len(outside):,}, "
            f"e.g. {examples}) are outside {detail}, the range it should hold. Check the column "
            "(or the range in its name) and send the file again."
        )
    skips.add(outside, "out_of_range", name, detail)


def _allowed_range(
    name: str, values: pd.Series, stated: tuple[float, float] | None
) -> tuple[float, float, str]:
    """The allowed values of a canonical field, and how to describe them."""
    if name == "age":
        return (*_AGE_RANGE, "0–120")
    if name == "income":
        return (0.0, np.inf, "0 or more")
    if stated is not None:
        low, high = sorted(stated)
        return (low, high, f"{_number(low)}–{_number(high)}")
    present = values.dropna()
    if not present.empty and float(present.between(0, 100).mean()) >= 0.9:
        return (0.0, 100.0, "0–100")
    return (-np.inf, np.inf, "a number")


def _number(value: float) -> str:
    """A range bound without a needless ``.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def too_few_message(used: int, rows: int, records: list[SkippedRows], limits: IngestLimits) -> str:
    """Why there are too few customers."""
    base = (
        f"Only {used} of {rows} customers can be used; at least {limits.min_customers} are "
        "needed to find segments."
    )
    if not records:
        return base + " Send the full customer list."
    worst = max(records, key=lambda r: r.count)
    what = worst.column.replace("_", " ") or "row"
    lines = ("line " if len(worst.examples) == 1 else "lines ") + ", ".join(
        str(x) for x in worst.examples
    )
    # A table read back from storage has no line numbers to show.
    where = f" ({lines})" if worst.examples else ""
    reason = {
        "missing": f"{what} is empty",
        "unparseable": f"{what} is not a number",
        "out_of_range": f"{what} is outside the allowed range, {worst.detail}",
        "duplicate_id": "the customer id is repeated",
    }.get(worst.reason, worst.reason)
    rows_word = "row was" if worst.count == 1 else "rows were"
    return (
        base + f" {worst.count} {rows_word} left out because {reason}{where}; "
        "fix those rows and send the file again."
    )


def no_numeric_message(columns: list[Column]) -> str:
    """Why nothing can be clustered on."""
    names = [c.role.source for c in columns]
    if len(names) == 1:
        return (
            f"Only one column was found ({names[0][:60]}). Separate the columns with commas, "
            "semicolons or tabs, and include at least one number column such as age, income "
            "or spending score."
        )
    shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    return (
        f"No column holds numbers to segment on (columns found: {shown}). Include at least one "
        "number column such as age, annual income or spending score, and send the file again."
    )
