"""The content of a printed report as plain values: pages of headings, text, tables, a chart.

Whoever writes the words (the bot's text modules) fills these in; :mod:`segmentation.report.pdf`
lays them out. Every string is plain text: no markup is interpreted anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

BlockKind = Literal["heading", "text", "bullet", "small", "table", "chart", "ids", "ranges"]


@dataclass(frozen=True)
class Block:
    """One piece of a page, drawn top to bottom.

    Attributes:
        kind: ``heading`` (a section title), ``text`` (a wrapped paragraph), ``bullet`` (a
            wrapped paragraph with a bullet), ``small`` (grey fine print), ``table`` (rows of
            cells, the first row its header), ``chart`` (a PNG scaled to the page width and
            the height left, at most ``max_height`` inches), ``ids`` (short texts in columns)
            or ``ranges`` (one line per row of ``rows``: where a group's middle half and median
            stand against everyone's, drawn from ``values``).
        text: The words of a heading, paragraph or bullet.
        rows: The cells of a table, or the texts of an ``ids`` block (one per row).
        png: The picture of a chart.
        max_height: The tallest a chart may be drawn, in inches.
        values: For ``ranges``, per row: everyone's 5th, 25th, 50th, 75th and 95th
            percentiles, then the group's 25th, 50th and 75th, in original units.
    """

    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    png: bytes = b""
    max_height: float = 5.0
    values: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class ReportPage:
    """One A4 page: a title, a line under it and its blocks."""

    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class ReportDocument:
    """A whole report.

    Attributes:
        title: The document's title (in the PDF's metadata too).
        pages: Its pages, in order; each is exactly one sheet (what does not fit is cut with
            an ellipsis, so the page count is known before drawing).
        created: The time written as the file's creation and modification date; the same
            content and time give the same bytes.
        footer: A line at the foot of every page, before the page number.
        author: The PDF's author field.
    """

    title: str
    pages: tuple[ReportPage, ...]
    created: datetime
    footer: str = ""
    author: str = "segbot"
