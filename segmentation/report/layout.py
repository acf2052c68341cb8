"""Fitting plain text onto a page: characters the font can draw, wrapping, cutting.

Widths are estimated from the font size (an average Latin glyph of DejaVu Sans is a little over
half an em wide), which keeps layout cheap and deterministic; the estimate errs wide, so a wrapped
line never runs off the page. Letters beyond the Latin alphabets (Cyrillic is a tenth wider) count
at their own width, so a Russian line is cut shorter than an English one.
"""

from __future__ import annotations

import functools
import textwrap
import threading
import unicodedata
from typing import Any

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

#: The font every page is set in (bundled with matplotlib, so no system font is needed).
FONT_FAMILY = "DejaVu Sans"
#: Average advance of a glyph, in ems, used to turn a width into characters (errs wide).
AVERAGE_EM = 0.53
#: Points per inch.
POINTS = 72.0
ELLIPSIS = "…"
#: Letters up to here (Latin, Latin-1, Latin Extended) are covered by :data:`AVERAGE_EM`.
_LATIN_END = 0x24F


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


@functools.cache
def _font() -> tuple[FT2Font, dict[int, Any]]:
    """The report's font, read unscaled, and its code point -> glyph map."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY))
    font = FT2Font(path)
    return font, font.get_charmap()


_FONT_LOCK = threading.Lock()


@functools.cache
def _extra_ems(code: int) -> float:
    """How much wider than :data:`AVERAGE_EM` the glyph of a non-Latin letter is, in ems
    (punctuation and Latin letters are what the average was measured on)."""
    if code <= _LATIN_END or not unicodedata.category(chr(code)).startswith("L"):
        return 0.0
    font, charmap = _font()
    glyph = charmap.get(code)
    if glyph is None:
        return 0.0
    with _FONT_LOCK:  # one FreeType face, shared by the threads that draw reports
        ems = font.load_glyph(glyph, LoadFlags.NO_SCALE).horiAdvance / font.units_per_EM
    return max(0.0, ems - AVERAGE_EM)


def fitted(text: str, limit: int) -> int:
    """How many characters of ``text`` fit where ``limit`` average Latin characters do."""
    extra = sum(_extra_ems(ord(ch)) for ch in text)
    if not extra:
        return limit
    ratio = AVERAGE_EM * len(text) / (AVERAGE_EM * len(text) + extra)
    return max(4, int(limit * ratio))


def chars_for(width_inches: float, size_points: float) -> int:
    """How many average characters of ``size_points`` fit in ``width_inches``."""
    return max(4, int(width_inches * POINTS / (size_points * AVERAGE_EM)))


def cut(text: str, limit: int) -> str:
    """``text`` on one line of at most ``limit`` characters, an ellipsis marking a cut."""
    text = " ".join(printable(text).split())
    limit = fitted(text, limit)
    if len(text) <= limit:
        return text
    return text[: max(1, limit - 1)].rstrip() + ELLIPSIS


def wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """``text`` wrapped to lines of at most ``width`` characters.

    Words longer than a line are broken; past ``max_lines`` the last line ends in an ellipsis.
    """
    text = " ".join(printable(text).split())
    width = fitted(text, width)
    lines = textwrap.wrap(
        text,
        width=width,
        break_long_words=True,
        break_on_hyphens=True,
    )
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = kept[-1][: width - 1].rstrip() + ELLIPSIS
        return kept
    return lines
