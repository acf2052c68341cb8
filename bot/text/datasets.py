"""The answers of /datasets and /use: this chat's uploads and switching between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.text.format import (
    MAX_NAME,
    UTC_ZONE,
    bold,
    esc,
    fmt_time,
    plural,
    split_message,
    truncate_plain,
)
from bot.text.upload import UploadLabel, no_data


def datasets_list(
    items: Sequence[tuple[int, str, int, str, bool]],
    zone: tzinfo = UTC_ZONE,
) -> list[str]:
    """Answer /datasets; items are (number, filename, rows, uploaded_at ISO, active); times
    are shown in ``zone``."""
    if not items:
        return [no_data()]
    lines = ["<b>Your uploads</b>, newest first:"]
    for number, filename, rows, uploaded_at, active in items:
        # Two short lines each: a phone shows about 40 characters across.
        when = fmt_time(uploaded_at, zone)
        mark = " ✅ active" if active else ""
        lines.append(f"#{number} {bold(truncate_plain(filename, MAX_NAME))}{mark}")
        lines.append(f"    {plural(rows, 'row')} · {esc(when)}")
    lines += ["", "/use N switches to upload N.", "/compare A B compares two of them."]
    return split_message(lines)


def already_active(label: UploadLabel) -> str:
    """Answer /use N for the upload already in use."""
    return (
        f"Upload #{label.number} ({bold(truncate_plain(label.filename, MAX_NAME))}) "
        "is already the one in use. /datasets lists the others."
    )


def use_usage() -> str:
    """Answer /use without a valid number."""
    return "Which upload? Send /use and its number from /datasets, e.g. /use 1."


def no_such_upload(number: str) -> str:
    """Answer /use or /compare with an unknown upload number."""
    return f"There is no upload #{esc(truncate_plain(number, 20))}. /datasets lists them."


def switched(label: UploadLabel, k: int) -> str:
    """Answer /use N."""
    return (
        f"Switched to upload #{label.number} "
        f"({bold(truncate_plain(label.filename, MAX_NAME))}), {plural(k, 'segment')}."
    )
