"""Low-level helpers for chat text: HTML escaping, number formats and Telegram's limits."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from pathlib import PurePath

from segmentation import (
    Segment,
    Segmentation,
    friendly_label,
    is_level_feature,
    level_feature_parts,
    one_day,
    unit_affixes,
)

#: The zone stored times are in.
UTC_ZONE = UTC

#: Telegram's limit on a message's text, in characters.
MESSAGE_LIMIT = 4096
#: Telegram's limit on a photo's or document's caption, in characters.
CAPTION_LIMIT = 1024
#: Telegram's limit on an inline button's callback data, in bytes (UTF-8).
CALLBACK_LIMIT = 64
#: Telegram's limit on a document a bot sends, in bytes (50 MB; kept a little under).
DOCUMENT_LIMIT = 49 * 1024 * 1024
#: Longest file value (header, id, file name) shown before it is shortened.
MAX_NAME = 40
#: Most items (columns, attributes) listed in one answer before "and N more".
MAX_LIST = 12
#: Most numbers listed for one customer or segment before the rest is left to /export.
MAX_NUMBERS = 6

_TAG = re.compile(r"<[^>]+>")


def esc(value: object) -> str:
    """Return ``value`` as text safe inside Telegram HTML."""
    return html.escape(str(value), quote=False)


def bold(value: object) -> str:
    """Return ``value`` escaped and in bold."""
    return f"<b>{esc(value)}</b>"


def code(value: object) -> str:
    """Return ``value`` escaped and in monospace."""
    return f"<code>{esc(value)}</code>"


def plain_text(html_text: str) -> str:
    """Return Telegram HTML as plain text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", html_text))


#: Characters a terminal would obey rather than show: C0 and C1 controls (escape sequences
#: that retitle the window or clear the screen start with them) and bidirectional overrides
#: that reorder what is shown. Newline and tab stay.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def terminal_text(text: str) -> str:
    """Return ``text`` safe to print on a terminal: control and bidi characters removed."""
    return _TERMINAL_UNSAFE.sub("", text)


def fmt_int(value: float) -> str:
    """Return a whole number with thousands separators (``1,234``)."""
    return f"{round(value):,}"


def fmt_num(value: float, digits: int = 1) -> str:
    """Return a number with thousands separators and no needless decimals (``55``, ``5.5``)."""
    if value != value:  # NaN
        return "–"
    rounded = round(value, digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}"


def fmt_pct(share: float, digits: int = 0) -> str:
    """Return a 0..1 share as a percentage (``0.405`` -> ``41%``)."""
    return f"{share * 100:.{digits}f}%"


def fmt_pp(delta: float) -> str:
    """Return a change in share (0..1 units) as signed percentage points (``+3.5 pp``)."""
    points = round(delta * 100, 1)
    if points == 0:
        return "0 pp"
    sign = "+" if points > 0 else "−"
    return f"{sign}{abs(points):.1f} pp"


def fmt_signed(value: float) -> str:
    """Return a whole number with its sign (``+12``, ``−3``, ``0``)."""
    number = round(value)
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"−{-number:,}"
    return "0"


def fmt_value(value: float, unit: str | None) -> str:
    """Return a value with its unit as a reader expects it (``$55k``, ``82/100``, ``31``).

    Values of 10 and more are shown whole, from 1 to 10 with one decimal, below 1 with two
    (shares and frequencies such as ``0.45``).
    """
    if value != value:
        return "–"
    digits = 0 if abs(value) >= 10 else 1 if abs(value) >= 1 else 2
    number = fmt_num(value, digits)
    prefix, suffix = unit_affixes(unit)
    number, suffix = one_day(number, suffix)
    if prefix and number.startswith("-"):
        return f"−{prefix}{number[1:]}{suffix}"
    return f"{prefix}{number}{suffix}"


def fmt_date(iso: str) -> str:
    """``2026-10-31`` as ``31 Oct 2026`` (a day and month no reader can swap)."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def fmt_time(iso: str, zone: tzinfo) -> str:
    """An ISO time in UTC (``2026-10-31T09:05:00+00:00``) as ``31 Oct 2026 10:05`` in
    ``zone``; text that is not a time comes back as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC_ZONE)
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y %H:%M}"


def fmt_bytes(size: int) -> str:
    """Return a file size for people (``820 KB``, ``19.6 MB``)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def fmt_seconds(seconds: float) -> str:
    """Return a duration (``0.8 s``, ``12 s``)."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    return f"{seconds:.0f} s"


def fmt_list(items: Iterable[str], conjunction: str = "and") -> str:
    """Join already-formatted items as prose (``a, b and c``)."""
    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} {conjunction} {values[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``count`` with the noun in the right number (``1 segment``, ``1,234 rows``)."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {noun}"


def truncate_plain(text: str, limit: int) -> str:
    """Shorten plain text to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def split_message(lines: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack HTML lines into as few messages as fit within ``limit`` characters each.

    Lines are never cut unless one alone is too long; then it is shortened as plain text, so
    no tag is ever left open.
    """
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if len(line) > limit:
            line = esc(truncate_plain(plain_text(line), limit - 10))
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current).strip("\n"))
            current, size = [], 0
            extra = len(line)
        current.append(line)
        size += extra
    if current:
        messages.append("\n".join(current).strip("\n"))
    return [m for m in messages if m.strip()] or [""]


def fit_caption(lines: Iterable[str], limit: int = CAPTION_LIMIT) -> str:
    """Join HTML lines into one caption, dropping trailing lines that do not fit."""
    kept: list[str] = []
    size = 0
    items = list(lines)
    for index, line in enumerate(items):
        extra = len(line) + (1 if kept else 0)
        remaining = len(items) - index - 1
        # Keep room for the "…" line when more lines follow.
        reserve = 2 if remaining else 0
        if size + extra + reserve > limit:
            kept.append("…")
            break
        kept.append(line)
        size += extra
    return "\n".join(kept)


#: Short names for the canonical fields.
FIELD_NAMES: dict[str, str] = {
    "customer_id": "id",
    "gender": "gender",
    "age": "age",
    "income": "income",
    "score": "spending score",
}


def meaning_name(word: str) -> str:
    """A column meaning word (``id``, ``score`` …) as the chat shows it (plain text)."""
    return {"id": "customer id", "score": "spending score"}.get(word, word)


def feature_name(column: str, labels: dict[str, str] | None = None) -> str:
    """Return a column's short display name (plain text, not escaped)."""
    if column in FIELD_NAMES:
        return FIELD_NAMES[column]
    if is_level_feature(column):
        column_name, level = level_feature_parts(column)
        if column_name == "gender":
            return f"{level.lower()} share"
        return truncate_plain(
            f"{friendly_label(column_name, labels or {})}: {level} share", MAX_NAME
        )
    return truncate_plain(friendly_label(column, labels or {}), MAX_NAME)


def value_text(column: str, value: float, unit: str | None) -> str:
    """Return a column's value for display (plain text); years keep their four digits."""
    if re.search(r"year|birth", column, re.IGNORECASE) and 1000 <= value <= 2200:
        return str(round(value))
    return fmt_value(value, unit)


def segment_title(segment: Segment) -> str:
    """Return ``2. <b>Affluent big spenders</b>``."""
    return f"{segment.number}. {bold(segment.persona.name)}"


def segment_ref(seg: Segmentation, number: int) -> str:
    """Return ``segment 2 (<b>Name</b>)`` or ``segment 2`` when unknown."""
    try:
        return f"segment {number} ({bold(seg.segment(number).persona.name)})"
    except KeyError:
        return f"segment {number}"


def whole_number(text: str) -> int | None:
    """Return ``text`` as a whole number when it is one of at most 9 plain digits, else ``None``.

    ``str.isdigit`` also accepts superscripts such as ``²`` that ``int`` refuses, and a longer
    number would not fit an SQLite integer.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


def safe_stem(filename: str) -> str:
    """Return a file name's stem reduced to safe characters, for generated file names."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", PurePath(filename).stem).strip("-")
    return stem[:40] or "customers"
