"""Draw a :class:`ReportDocument` as an A4 PDF with matplotlib's PDF backend.

Fonts are embedded as TrueType (``pdf.fonttype`` 42), so the file reads the same on a phone,
in a browser and on paper; the metadata dates come from the document, so the same content
gives the same bytes. Text is drawn with mathtext off: a ``$`` in a file name stays a ``$``.
"""

from __future__ import annotations

import io
import logging

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Rectangle

from segmentation.report.document import Block, ReportDocument, ReportPage
from segmentation.report.layout import AVERAGE_EM, FONT_FAMILY, POINTS, chars_for, cut, wrap
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

#: A4 portrait, in inches.
PAGE_WIDTH, PAGE_HEIGHT = 8.27, 11.69
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 0.75, 0.8, 0.85
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
#: Resolution pictures are embedded at: sharp when printed, small enough for a phone.
CHART_DPI = 150

INK, GREY, ACCENT, RULE, SHADE = "#1f2328", "#656d76", "#0b5cad", "#d0d7de", "#f3f5f7"

#: Font size in points of each kind of text.
SIZES = {"title": 19.0, "subtitle": 10.0, "heading": 12.5, "text": 10.5, "small": 8.5}
TABLE_SIZE = 9.5
IDS_PER_ROW = 5
LEADING = 1.42


#: The key under every ``ranges`` block.
RANGES_KEY = N_(
    "Blue: this segment's middle half, the dot its median. Grey: the whole store's middle half, "
    "the tick its median. The line runs from the 5th to the 95th percentile."
)


def render_report_pdf(document: ReportDocument, *, words: Words = ENGLISH) -> bytes:
    """Return ``document`` as PDF bytes, one A4 page per :class:`ReportPage`.

    Args:
        document: The pages and the fixed creation time.
        words: The language of the words the layout adds itself (page numbers, the key
            under a ``ranges`` block); the blocks' own words are the document's.

    Returns:
        The PDF, with embedded fonts and metadata dates from ``document.created``.
    """
    buffer = io.BytesIO()
    metadata = {
        "Title": cut(document.title, 200),
        "Author": document.author,
        "Creator": "segbot",
        "Producer": "segbot (matplotlib)",
        "CreationDate": document.created,
        "ModDate": document.created,
    }
    total = len(document.pages)
    with (
        matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 9, "text.usetex": False}),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        for number, page in enumerate(document.pages, start=1):
            fig = Figure(figsize=(PAGE_WIDTH, PAGE_HEIGHT))
            page_number = words(N_("{page} / {pages}"), page=number, pages=total)
            _Page(fig, words).draw(page, f"{document.footer}", page_number)
            pdf.savefig(fig, dpi=CHART_DPI)
    data = buffer.getvalue()
    logger.info("report of %d pages, %d bytes", total, len(data))
    return data


class _Page:
    """Draws blocks top to bottom on one figure, cutting what does not fit."""

    def __init__(self, fig: Figure, words: Words = ENGLISH) -> None:
        self.fig = fig
        self.words = words
        self.y = PAGE_HEIGHT - MARGIN_TOP  # inches from the bottom of the sheet
        self.full = False

    def _text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        color: str = INK,
        weight: str = "normal",
        ha: str = "left",
    ) -> None:
        """Put one line of plain text with its baseline at ``(x, y)`` inches."""
        self.fig.text(
            x / PAGE_WIDTH,
            y / PAGE_HEIGHT,
            text,
            fontsize=size,
            family=FONT_FAMILY,
            color=color,
            weight=weight,
            ha=ha,
            va="baseline",
            parse_math=False,
        )

    def _room(self, height: float) -> bool:
        """Whether ``height`` inches fit above the bottom margin; marks the page full if not."""
        if self.full:
            return False
        if self.y - height < MARGIN_BOTTOM:
            self.full = True
            self._text(MARGIN_X, self.y - SIZES["text"] * LEADING / POINTS, "…", SIZES["text"])
            return False
        return True

    def _lines(self, lines: list[str], size: float, *, indent: float = 0.0, **style: str) -> None:
        """Draw lines of one size, each on its own baseline."""
        step = size * LEADING / POINTS
        for line in lines:
            if not self._room(step):
                return
            self.y -= step
            self._text(MARGIN_X + indent, self.y, line, size, **style)

    def draw(self, page: ReportPage, footer: str, number: str) -> None:
        """Draw a whole page: title, subtitle, blocks, footer."""
        width = chars_for(TEXT_WIDTH, SIZES["title"])
        self._lines(wrap(page.title, width, max_lines=2), SIZES["title"], weight="bold")
        if page.subtitle:
            self.y -= 0.04
            subtitle = wrap(page.subtitle, chars_for(TEXT_WIDTH, SIZES["subtitle"]), max_lines=2)
            self._lines(subtitle, SIZES["subtitle"], color=GREY)
        self.y -= 0.12
        self.fig.add_artist(
            Rectangle(
                (MARGIN_X / PAGE_WIDTH, self.y / PAGE_HEIGHT),
                TEXT_WIDTH / PAGE_WIDTH,
                0.02 / PAGE_HEIGHT,
                color=ACCENT,
                transform=self.fig.transFigure,
            )
        )
        self.y -= 0.08
        for block in page.blocks:
            if self.full:
                break
            self._block(block)
        self._text(MARGIN_X, 0.45, cut(footer, chars_for(TEXT_WIDTH - 1.0, 8)), 8, color=GREY)
        self._text(PAGE_WIDTH - MARGIN_X, 0.45, number, 8, color=GREY, ha="right")

    def _block(self, block: Block) -> None:
        """Draw one block."""
        if block.kind == "heading":
            self.y -= 0.14
            width = chars_for(TEXT_WIDTH, SIZES["heading"])
            self._lines(wrap(block.text, width, 2), SIZES["heading"], color=ACCENT, weight="bold")
            self.y -= 0.03
        elif block.kind in ("text", "small"):
            size = SIZES[block.kind]
            color = GREY if block.kind == "small" else INK
            self._lines(wrap(block.text, chars_for(TEXT_WIDTH, size), 8), size, color=color)
            self.y -= 0.05
        elif block.kind == "bullet":
            size = SIZES["text"]
            lines = wrap(block.text, chars_for(TEXT_WIDTH - 0.22, size), 6)
            if lines and self._room(size * LEADING / POINTS):
                self._text(MARGIN_X + 0.04, self.y - size * LEADING / POINTS, "•", size)
            self._lines(lines, size, indent=0.22)
            self.y -= 0.03
        elif block.kind == "table":
            self._table(block.rows)
        elif block.kind == "ids":
            self._ids([row[0] for row in block.rows if row])
        elif block.kind == "chart":
            self._chart(block.png, block.max_height)
        elif block.kind == "ranges":
            self._ranges([row[0] for row in block.rows], block.values)

    def _table(self, rows: tuple[tuple[str, ...], ...]) -> None:
        """Draw rows of cells in columns sized to their contents; the first row is bold."""
        if not rows:
            return
        columns = max(len(r) for r in rows)
        longest = [max(len(r[c]) if c < len(r) else 0 for r in rows) + 3 for c in range(columns)]
        # Columns get their share of the width, the first (names) at most what it needs.
        total_chars = chars_for(TEXT_WIDTH, TABLE_SIZE)
        widths = _share_width(longest, total_chars)
        step = TABLE_SIZE * LEADING / POINTS
        self.y -= 0.04
        for at, row in enumerate(rows):
            if not self._room(step + 0.04):
                return
            top = self.y
            self.y -= step
            if at == 0 or at % 2 == 0:
                self.fig.add_artist(
                    Rectangle(
                        (MARGIN_X / PAGE_WIDTH, (self.y - 0.06) / PAGE_HEIGHT),
                        TEXT_WIDTH / PAGE_WIDTH,
                        (top - self.y) / PAGE_HEIGHT,
                        color=RULE if at == 0 else SHADE,
                        transform=self.fig.transFigure,
                        zorder=-1,
                    )
                )
            x = MARGIN_X + 0.06
            for column, cell in enumerate(row):
                text = cut(cell, widths[column] - 1)
                self._text(x, self.y, text, TABLE_SIZE, weight="bold" if at == 0 else "normal")
                x += widths[column] * TABLE_SIZE * AVERAGE_EM / POINTS
        self.y -= 0.12

    def _ids(self, ids: list[str]) -> None:
        """Draw short texts five to a row."""
        size = SIZES["text"]
        step = size * LEADING / POINTS
        column_width = TEXT_WIDTH / IDS_PER_ROW
        limit = chars_for(column_width - 0.1, size)
        for start in range(0, len(ids), IDS_PER_ROW):
            if not self._room(step):
                return
            self.y -= step
            for offset, text in enumerate(ids[start : start + IDS_PER_ROW]):
                self._text(MARGIN_X + offset * column_width, self.y, cut(text, limit), size)
        self.y -= 0.05

    def _ranges(self, labels: list[str], values: tuple[tuple[float, ...], ...]) -> None:
        """One line per column: everyone's middle half in grey, the group's in colour.

        Each line runs from everyone's 5th to 95th percentile, so a group that stands apart
        shows at a glance; a median outside that span is drawn at the end of the line.
        """
        rows = [(label, v) for label, v in zip(labels, values, strict=False) if len(v) == 8]
        step = 0.36
        label_width = 1.9
        if not rows or not self._room(step * len(rows) + 0.5):
            return
        left = MARGIN_X + label_width
        width = TEXT_WIDTH - label_width - 0.1
        height = step * len(rows)
        self.y -= 0.1 + height
        ax = self.fig.add_axes(
            (left / PAGE_WIDTH, self.y / PAGE_HEIGHT, width / PAGE_WIDTH, height / PAGE_HEIGHT)
        )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_axis_off()
        for at, (label, (p5, p25, p50, p75, p95, s25, s50, s75)) in enumerate(rows):
            span = p95 - p5 if p95 > p5 else 1.0

            def place(value: float, low: float = p5, span: float = span) -> float:
                return min(1.0, max(0.0, (value - low) / span))

            ax.plot([0, 1], [at, at], color=RULE, linewidth=1.0, solid_capstyle="butt")
            ax.plot(
                [place(p25), place(p75)],
                [at, at],
                color="#9aa4ae",
                linewidth=7,
                solid_capstyle="butt",
            )
            ax.plot([place(p50)] * 2, [at - 0.28, at + 0.28], color=INK, linewidth=1.2)
            ax.plot(
                [place(s25), place(s75)],
                [at - 0.12, at - 0.12],
                color=ACCENT,
                linewidth=3.5,
                solid_capstyle="round",
            )
            ax.plot([place(s50)], [at - 0.12], "o", color=ACCENT, markersize=7)
            y = self.y + height - (at + 0.62) * step
            self._text(MARGIN_X, y, cut(label, chars_for(label_width - 0.1, 9.5)), 9.5)
        self.y -= 0.04
        key = self.words(RANGES_KEY)
        self._lines(wrap(key, chars_for(TEXT_WIDTH, 7.5), 3), 7.5, color=GREY)
        self.y -= 0.1

    def _chart(self, png: bytes, max_height: float) -> None:
        """Draw a picture at the page's width, or smaller to fit the height left."""
        if not png:
            return
        picture = imread(io.BytesIO(png), format="png")
        aspect = picture.shape[0] / picture.shape[1]
        room = self.y - MARGIN_BOTTOM - 0.1
        height = min(TEXT_WIDTH * aspect, max_height, room)
        if height < 1.0:
            return
        width = height / aspect
        self.y -= height + 0.08
        left = MARGIN_X + (TEXT_WIDTH - width) / 2
        ax = self.fig.add_axes(
            (left / PAGE_WIDTH, self.y / PAGE_HEIGHT, width / PAGE_WIDTH, height / PAGE_HEIGHT)
        )
        ax.imshow(picture, interpolation="antialiased")
        ax.set_axis_off()


def _share_width(longest: list[int], total: int) -> list[int]:
    """Split ``total`` characters over columns that want ``longest`` characters each.

    Half the spare room goes to the widest column (the names), the rest is spread evenly; when
    there is not enough, the widest column gives way, down to a third of the line.
    """
    wide = max(range(len(longest)), key=lambda i: longest[i])
    wanted = sum(longest)
    if wanted <= total:
        spare = total - wanted
        each = spare // (2 * len(longest))
        extra = spare - each * (len(longest) - 1)
        return [w + (extra if i == wide else each) for i, w in enumerate(longest)]
    rest = wanted - longest[wide]
    room = max(total // 3, total - rest)
    widths = list(longest)
    widths[wide] = room
    if rest + room > total:
        scale = (total - room) / rest
        widths = [room if i == wide else max(4, int(w * scale)) for i, w in enumerate(longest)]
    return widths
