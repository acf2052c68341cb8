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
from segmentation.words import N_, Text

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
    skips.add(parsed.missing.to_numpy(), "missing", name, N_("empty"))
    skips.add(parsed.bad.to_numpy(), "unparseable", name, N_("not a number"))
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
            N_(
                "Most values of {column} ({outside} of {total}, e.g. {examples}) are outside "
                "{detail}, the range it should hold. Check the column (or the range in its name) "
                "and send the file again."
            ),
            column=column.role.source,
            outside=int(outside.sum()),
            total=len(outside),
            examples=examples,
            detail=Text.of(detail),
        )
    skips.add(outside, "out_of_range", name, detail)


def _allowed_range(
    name: str, values: pd.Series, stated: tuple[float, float] | None
) -> tuple[float, float, str]:
    """The allowed values of a canonical field, and how to describe them."""
    if name == "age":
        return (*_AGE_RANGE, "0–120")
    if name == "income":
        return (0.0, np.inf, N_("0 or more"))
    if stated is not None:
        low, high = sorted(stated)
        return (low, high, f"{_number(low)}–{_number(high)}")
    present = values.dropna()
    if not present.empty and float(present.between(0, 100).mean()) >= 0.9:
        return (0.0, 100.0, "0–100")
    return (-np.inf, np.inf, N_("a number"))


def _number(value: float) -> str:
    """A range bound without a needless ``.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


#: How a field is named in the reasons rows were left out (``score is empty``).
_FIELD_WORDS = {
    "customer_id": N_("customer id"),
    "age": N_("age"),
    "income": N_("income"),
    "score": N_("score"),
}


def too_few_message(used: int, rows: int, records: list[SkippedRows], limits: IngestLimits) -> Text:
    """Why there are too few customers."""
    counts = {"used": str(used), "rows": str(rows), "least": limits.min_customers}
    if not records:
        return Text.of(
            N_(
                "Only {used} of {rows} customers can be used; at least {least} are needed to find "
                "segments. Send the full customer list."
            ),
            **counts,
        )
    worst = max(records, key=lambda r: r.count)
    column = worst.column
    what: str | Text = (
        Text.of(_FIELD_WORDS[column])
        if column in _FIELD_WORDS
        else column.replace("_", " ") or Text.of(N_("row"))
    )
    # A table read back from storage has no line numbers to show.
    where: str | Text = ""
    if worst.examples:
        where = Text.ngettext(
            " (line {lines})",
            " (lines {lines})",
            len(worst.examples),
            lines=", ".join(str(x) for x in worst.examples),
        )
    reasons = {
        "missing": Text.of(N_("{what} is empty"), what=what),
        "unparseable": Text.of(N_("{what} is not a number"), what=what),
        "out_of_range": Text.of(
            N_("{what} is outside the allowed range, {detail}"),
            what=what,
            detail=Text.of(worst.detail),
        ),
        "duplicate_id": Text.of(N_("the customer id is repeated")),
    }
    reason: str | Text = reasons.get(worst.reason, worst.reason)
    return Text.ngettext(
        "Only {used} of {rows} customers can be used; at least {least} are needed to find "
        "segments. {n} row was left out because {reason}{where}; fix those rows and send the "
        "file again.",
        "Only {used} of {rows} customers can be used; at least {least} are needed to find "
        "segments. {n} rows were left out because {reason}{where}; fix those rows and send the "
        "file again.",
        worst.count,
        n=str(worst.count),
        reason=reason,
        where=where,
        **counts,
    )


def no_numeric_message(columns: list[Column]) -> Text:
    """Why nothing can be clustered on."""
    names = [c.role.source for c in columns]
    if len(names) == 1:
        return Text.of(
            N_(
                "Only one column was found ({column}). Separate the columns with commas, "
                "semicolons or tabs, and include at least one number column such as age, "
                "income or spending score."
            ),
            column=names[0][:60],
        )
    shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    return Text.of(
        N_(
            "No column holds numbers to segment on (columns found: {columns}). Include at least "
            "one number column such as age, annual income or spending score, and send the file "
            "again."
        ),
        columns=shown,
    )
