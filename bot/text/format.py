"""Low-level helpers for chat text: HTML escaping, number formats and Telegram's limits."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from pathlib import PurePath

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent

from bot.i18n import N_, _, current_language, day, ngettext, number, persona, share
from segmentation import (
    ID_AS_WRITTEN,
    PURCHASE_COLUMNS,
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
#: The unit suffix the engine gives a purchase log's recency and tenure (``301 days ago``).
DAYS_AGO = " days ago"

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


def _english() -> bool:
    """Whether the chat reads English (its formats are written out here, byte for byte)."""
    return current_language() == "en"


def _decimal(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals as the chat's language writes numbers."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=current_language())


def fmt_int(value: float) -> str:
    """Return a whole number with thousands separators (``1,234``)."""
    if not _english():
        return number(round(value))
    return f"{round(value):,}"


def fmt_num(value: float, digits: int = 1) -> str:
    """Return a number with thousands separators and no needless decimals (``55``, ``5.5``)."""
    if value != value:  # NaN
        return "–"
    rounded = round(value, digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}" if _english() else number(int(rounded))
    return f"{rounded:,.{digits}f}" if _english() else _decimal(rounded, digits)


def fmt_fixed(value: float, digits: int = 2) -> str:
    """Return a number with exactly ``digits`` decimals (``0.50``), as the language writes it."""
    if not _english():
        return _decimal(value, digits)
    return f"{value:,.{digits}f}"


def fmt_pct(fraction: float, digits: int = 0) -> str:
    """Return a 0..1 share as a percentage (``0.405`` -> ``41%``; ``41 %`` in Russian)."""
    if _english():
        return f"{fraction * 100:.{digits}f}%"
    if digits <= 0:
        return share(fraction)
    # The language's own percent pattern (``#,##0 %`` in Russian), with the decimals asked for.
    pattern = Locale.parse(current_language()).percent_formats[None].pattern
    pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(fraction, format=pattern, locale=current_language())


def fmt_pp(delta: float) -> str:
    """Return a change in share (0..1 units) as signed percentage points (``+3.5 pp``)."""
    points = round(delta * 100, 1)
    if points == 0:
        return _("{points} pp", points="0")
    sign = "+" if points > 0 else "−"
    size = f"{abs(points):.1f}" if _english() else _decimal(abs(points), 1)
    signed = sign + size
    return _("{points} pp", points=signed)


def fmt_signed(value: float) -> str:
    """Return a whole number with its sign (``+12``, ``−3``, ``0``)."""
    number = round(value)
    if number > 0:
        return f"+{fmt_int(number)}"
    if number < 0:
        return f"−{fmt_int(-number)}"
    return "0"


def fmt_value(value: float, unit: str | None) -> str:
    """Return a value with its unit as a reader expects it (``$55k``, ``82/100``, ``31``).

    Values of 10 and more are shown whole, from 1 to 10 with one decimal, below 1 with two
    (shares and frequencies such as ``0.45``).
    """
    if value != value:
        return "–"
    digits = 0 if abs(value) >= 10 else 1 if abs(value) >= 1 else 2
    text = fmt_num(value, digits)
    prefix, suffix = unit_affixes(unit)
    if suffix == DAYS_AGO and not _english():
        # The engine's own unit for a purchase log's recency and tenure, said in the language;
        # a fraction of a day takes the form of a few days (``1,5 дня``).
        count = abs(round(value, digits))
        days = int(count) if count == int(count) else 2
        return ngettext("{value} day ago", "{value} days ago", days, value=text)
    text, suffix = one_day(text, suffix)
    if prefix and text.startswith("-"):
        return f"−{prefix}{text[1:]}{suffix}"
    return f"{prefix}{text}{suffix}"


def fmt_date(iso: str) -> str:
    """``2026-10-31`` as ``31 Oct 2026`` (a day and month no reader can swap)."""
    try:
        when = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    if not _english():
        return day(when)
    return f"{when.day} {when:%b %Y}"


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
    if not _english():
        return format_datetime(local, format="d MMM y HH:mm", locale=current_language())
    return f"{local.day} {local:%b %Y %H:%M}"


def fmt_bytes(size: int) -> str:
    """Return a file size for people (``820 KB``, ``19.6 MB``)."""
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size) if not _english() else f"{size} bytes"
    if size < 1024 * 1024:
        return _("{size} KB", size=fmt_num(size / 1024, 0))
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.1f}" if _english() else _decimal(megabytes, 1)
    return _("{size} MB", size=text)


def fmt_seconds(seconds: float) -> str:
    """Return a duration (``0.8 s``, ``12 s``)."""
    digits = 1 if seconds < 10 else 0
    text = f"{seconds:.{digits}f}" if _english() else _decimal(seconds, digits)
    return _("{seconds} s", seconds=text)


def fmt_list(items: Iterable[str], conjunction: str = "and") -> str:
    """Join already-formatted items as prose (``a, b and c``; ``or`` as the other choice)."""
    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    first, last = ", ".join(values[:-1]), values[-1]
    if conjunction == "or":
        return _("{first} or {last}", first=first, last=last)
    return _("{first} and {last}", first=first, last=last)


#: The nouns the chat counts, each in every form a language needs (Russian has three).
_COUNTED = {
    "segment": lambda n: ngettext("{n} segment", "{n} segments", n),
    "customer": lambda n: ngettext("{n} customer", "{n} customers", n),
    "row": lambda n: ngettext("{n} row", "{n} rows", n),
    "column": lambda n: ngettext("{n} column", "{n} columns", n),
    "other column": lambda n: ngettext("{n} other column", "{n} other columns", n),
    "more column": lambda n: ngettext("{n} more column", "{n} more columns", n),
    "page": lambda n: ngettext("{n} page", "{n} pages", n),
    "purchase": lambda n: ngettext("{n} purchase", "{n} purchases", n),
    "month": lambda n: ngettext("{n} month", "{n} months", n),
    "day": lambda n: ngettext("{n} day", "{n} days", n),
    "upload": lambda n: ngettext("{n} upload", "{n} uploads", n),
    "file": lambda n: ngettext("{n} file", "{n} files", n),
    "value": lambda n: ngettext("{n} value", "{n} values", n),
    "level": lambda n: ngettext("{n} level", "{n} levels", n),
    "time": lambda n: ngettext("{n} time", "{n} times", n),
    "id": lambda n: ngettext("{n} id", "{n} ids", n),
    "duplicate": lambda n: ngettext("{n} duplicate", "{n} duplicates", n),
    "chat": lambda n: ngettext("{n} chat", "{n} chats", n),
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``count`` with the noun in the right number (``1 segment``, ``1,234 rows``),
    in the chat's language for the nouns the chat counts."""
    counted = _COUNTED.get(singular)
    if counted is not None and plural_form is None and not _english():
        return counted(count)
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
    "customer_id": N_("id"),
    "gender": N_("gender"),
    "age": N_("age"),
    "income": N_("income"),
    "score": N_("spending score"),
}

#: The column meanings the chat names (``/columns``, receipts), as it shows them.
MEANING_NAMES: dict[str, str] = {
    "id": N_("customer id"),
    "score": N_("spending score"),
    "gender": N_("gender"),
    "age": N_("age"),
    "income": N_("income"),
    "spend": N_("spend"),
    "recency": N_("recency"),
    "frequency": N_("frequency"),
    "tenure": N_("tenure"),
    "visits": N_("visits"),
    "children": N_("children"),
}


#: Labels the engine gives a purchase log's figures (lower case, as ``friendly_label`` writes
#: them): its own words, not the customer's, so the chat says them in its language.
PURCHASE_LABELS: dict[str, str] = {
    "last purchase": N_("last purchase"),
    "orders": N_("orders"),
    "total spend": N_("total spend"),
    "average order value": N_("average order value"),
    "first purchase": N_("first purchase"),
    "r score": N_("r score"),
    "f score": N_("f score"),
    "m score": N_("m score"),
}


def meaning_name(word: str) -> str:
    """A column meaning word (``id``, ``score`` …) as the chat shows it (plain text)."""
    return _(MEANING_NAMES[word]) if word in MEANING_NAMES else word


def feature_name(column: str, labels: dict[str, str] | None = None) -> str:
    """Return a column's short display name (plain text, not escaped)."""
    if column in FIELD_NAMES:
        return _(FIELD_NAMES[column])
    if column == ID_AS_WRITTEN:
        return _("customer id")
    if column in PURCHASE_COLUMNS:
        label = friendly_label(column, labels or {})
        if label in PURCHASE_LABELS:
            return _(PURCHASE_LABELS[label])
    if is_level_feature(column):
        column_name, level = level_feature_parts(column)
        if column_name == "gender":
            return _("{level} share", level=gender_word(level))
        return truncate_plain(
            _(
                "{column}: {level} share",
                column=friendly_label(column_name, labels or {}),
                level=level,
            ),
            MAX_NAME,
        )
    return truncate_plain(friendly_label(column, labels or {}), MAX_NAME)


def value_text(column: str, value: float, unit: str | None) -> str:
    """Return a column's value for display (plain text); years keep their four digits."""
    if re.search(r"year|birth", column, re.IGNORECASE) and 1000 <= value <= 2200:
        return str(round(value))
    return fmt_value(value, unit)


#: Gender values as the engine writes them, as the chat names them (lower case).
GENDER_WORDS = {"female": N_("female"), "male": N_("male")}


def gender_word(level: object) -> str:
    """A gender value in lower case, in the chat's language when it is Female or Male."""
    word = str(level).lower()
    return _(GENDER_WORDS[word]) if word in GENDER_WORDS else word


def segment_title(segment: Segment) -> str:
    """Return ``2. <b>Affluent big spenders</b>``."""
    return f"{segment.number}. {bold(persona(segment).name)}"


def segment_ref(seg: Segmentation, number: int) -> str:
    """Return ``segment 2 (<b>Name</b>)`` or ``segment 2`` when unknown."""
    try:
        name = bold(persona(seg.segment(number)).name)
    except KeyError:
        return _("segment {number}", number=number)
    return _("segment {number} ({name})", number=number, name=name)


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
