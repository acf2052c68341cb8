"""The export as an Excel workbook: an overview sheet, then one sheet per segment.

Cells are typed: ids and text as text (so ``0042`` stays ``0042``), numbers as numbers. Every
text cell is neutralised as in the CSV (:func:`segmentation.export.neutralise`), and openpyxl
is never handed a string starting with ``=``, which it would store as a formula.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from segmentation.column_words import shown_labels
from segmentation.export import SEGMENT_HEADER, labelled_frame, neutralise
from segmentation.features import is_level
from segmentation.ingest.table import CustomerTable
from segmentation.persona_words import localise
from segmentation.result import Segmentation
from segmentation.targeting import rank_targets, revenue_by_segment
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

#: Excel's longest sheet name.
SHEET_NAME_LIMIT = 31
#: Characters Excel refuses in a sheet name.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
#: The overview sheet's name.
OVERVIEW_SHEET = N_("Overview")
#: Most median columns on the overview sheet.
MAX_OVERVIEW_NUMBERS = 12


def _clean(label: str) -> str:
    """``label`` without the characters Excel refuses in a sheet name, or runs of spaces."""
    return " ".join(_SHEET_FORBIDDEN.sub(" ", label).split()).strip("'")


def overview_sheet(words: Words = ENGLISH) -> str:
    """The overview sheet's name in ``words``' language (a valid sheet name)."""
    name = _clean(words(OVERVIEW_SHEET))[:SHEET_NAME_LIMIT].rstrip(" '")
    return name or OVERVIEW_SHEET


def sheet_names(seg: Segmentation, bands: bool = False, words: Words = ENGLISH) -> dict[int, str]:
    """Segment number -> a unique, valid sheet name (``3 Careful high earners``).

    At most 31 characters, none of ``[]:*?/\\``, no apostrophe at either end; the leading
    number keeps names unique after cutting. Persona names are in ``words``' language.
    """
    names: dict[int, str] = {}
    taken = {overview_sheet(words).casefold()}
    for segment in seg.segments:
        label = words(N_("band")) if bands else localise(segment.persona, words).name
        clean = _clean(label)
        name = f"{segment.number} {clean}"[:SHEET_NAME_LIMIT].rstrip(" '")
        while name.casefold() in taken or not name:
            name = f"{segment.number}"[:SHEET_NAME_LIMIT] + f" ({len(taken)})"
        taken.add(name.casefold())
        names[segment.number] = name
    return names


def assignments_xlsx(table: CustomerTable, seg: Segmentation, *, words: Words = ENGLISH) -> bytes:
    """The workbook: an overview, then each segment's customers with the original columns.

    Args:
        table: The customers the segmentation was fitted on.
        seg: The segmentation, with its assignments.
        words: The language of the sheet names, the headers the engine writes and the
            persona names and actions (the file's own headers stay as written).

    Returns:
        ``.xlsx`` bytes with ``seg.k + 1`` sheets.
    """
    frame = labelled_frame(table, seg, words)
    book = Workbook(write_only=True)
    overview = book.create_sheet(overview_sheet(words))
    bold = Font(bold=True)
    for at, row in enumerate(_overview_rows(seg, words)):
        overview.append(_row(overview, row, bold if at == 0 else None))
    names = sheet_names(seg, bands=seg.quality.verdict == "none", words=words)
    headers = [str(h) for h in frame.columns]
    text_columns = {0} | {
        i for i, c in enumerate(frame.columns) if not pd.api.types.is_numeric_dtype(frame[c])
    }
    segments = frame[neutralise(words(SEGMENT_HEADER))].to_numpy()
    for segment in seg.segments:
        sheet = book.create_sheet(names[segment.number])
        sheet.freeze_panes = "A2"
        sheet.append(_row(sheet, headers, bold))
        members = frame.loc[segments == segment.number]
        for values in members.itertuples(index=False, name=None):
            sheet.append([_cell(v, i in text_columns) for i, v in enumerate(values)])
    buffer = io.BytesIO()
    book.save(buffer)
    logger.info("workbook of %d sheets, %d rows", seg.k + 1, len(frame))
    return buffer.getvalue()


def _overview_rows(seg: Segmentation, words: Words = ENGLISH) -> list[list[Any]]:
    """Segment, persona, customers, share, revenue share, target rank, medians, action."""
    ranks = {r.number: r.rank for r in rank_targets(seg)}
    revenue = revenue_by_segment(seg)
    total = sum(revenue.values()) if revenue else 0.0
    columns = [c for c in seg.features if not is_level(c)]
    for column in ("age", "income", "score"):
        if column not in columns and any(column in s.median for s in seg.segments):
            columns.append(column)
    columns = columns[:MAX_OVERVIEW_NUMBERS]
    labels = shown_labels(seg, words)
    header: list[Any] = [
        words(SEGMENT_HEADER),
        words(N_("persona")),
        words(N_("customers")),
        words(N_("share")),
    ]
    header += [words(N_("revenue share"))] if total else []
    header += [words(N_("target rank"))]
    header += [words(N_("median {column}"), column=labels.get(c, c)) for c in columns]
    header += [words(N_("action"))]
    rows = [header]
    for segment in seg.segments:
        persona = localise(segment.persona, words)
        row: list[Any] = [segment.number, persona.name, segment.size, segment.share]
        row += [revenue.get(segment.number, 0.0) / total] if total else []
        row += [ranks.get(segment.number)]
        row += [segment.median.get(c, segment.mean.get(c)) for c in columns]
        row += [persona.action]
        rows.append(row)
    return rows


def _row(sheet: Any, values: Sequence[Any], font: Font | None) -> list[Any]:
    """A row of cells, text neutralised, in ``font`` when given."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_cell(value, isinstance(value, str)))
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def _cell(value: Any, text: bool) -> Any:
    """One value as openpyxl should store it: ``None`` for missing, text neutralised."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if text or isinstance(value, str):
        return neutralise(str(value))
    if hasattr(value, "item"):
        return value.item()
    return value
