"""Fitting plain text onto a page: characters the font can draw, wrapping, cutting.

Widths are estimated from the font size (an average glyph of DejaVu Sans is a little over half
an em wide), which keeps layout cheap and deterministic; the estimate errs wide, so a wrapped
line never runs off the page.
"""

from __future__ import annotations

import functools
import textwrap
import unicodedata

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

#: The font every page is set in (bundled with matplotlib, so no system font is needed).
FONT_FAMILY = "DejaVu Sans"
#: Average advance of a glyph, in ems, used to turn a width into characters (errs wide).
AVERAGE_EM = 0.53
#: Points per inch.
POINTS = 72.0
ELLIPSIS = "…"


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the report's font has a glyph for."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY))
    return frozenset(FT2Font(path).get_charmap())


def printable(text: str) -> str:
    """``text`` with controls made spaces and characters the font lacks made ``?``.

    A glyph the font lacks would be drawn as an empty box (and warned about); a control
    character would break a line where the layout did not expect one.
    """
    drawable = _drawable()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "\t\r\n" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" ")
        elif ord(ch) in drawable or ch == " ":
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def chars_for(width_inches: float, size_points: float) -> int:
    """How many average characters of ``size_points`` fit in ``width_inches``."""
    return max(4, int(width_inches * POINTS / (size_points * AVERAGE_EM)))


def cut(text: str, limit: int) -> str:
    """``text`` on one line of at most ``limit`` characters, an ellipsis marking a cut."""
    text = " ".join(printable(text).split())
    if len(text) <= limit:
        return text
    return text[: max(1, limit - 1)].rstrip() + ELLIPSIS


def wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """``text`` wrapped to lines of at most ``width`` characters.

    Words longer than a line are broken; past ``max_lines`` the last line ends in an ellipsis.
    """
    lines = textwrap.wrap(
        " ".join(printable(text).split()),
        width=width,
        break_long_words=True,
        break_on_hyphens=True,
    )
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = kept[-1][: width - 1].rstrip() + ELLIPSIS
        return kept
    return lines
