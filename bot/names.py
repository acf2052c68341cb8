"""How answers name columns, their values and segments (plain text, or HTML where bold)."""

from __future__ import annotations

import re

from bot.formatting import MAX_NAME, bold, fmt_value, truncate_plain
from segmentation import Segment, Segmentation, friendly_label

#: Short names for the canonical fields.
FIELD_NAMES: dict[str, str] = {
    "customer_id": "id",
    "gender": "gender",
    "age": "age",
    "income": "income",
    "score": "spending score",
}


def feature_name(column: str, labels: dict[str, str] | None = None) -> str:
    """Return a column's short display name (plain text, not escaped)."""
    if column in FIELD_NAMES:
        return FIELD_NAMES[column]
    if column.startswith("gender="):
        return f"{column.split('=', 1)[1].lower()} share"
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
