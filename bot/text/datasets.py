"""The answers of /datasets and /use: this chat's uploads and switching between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.i18n import _
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
    lines = [_("<b>Your uploads</b>, newest first:")]
    for number, filename, rows, uploaded_at, active in items:
        # Two short lines each: a phone shows about 40 characters across.
        when = fmt_time(uploaded_at, zone)
        mark = " ✅ " + _("active") if active else ""
        lines.append(f"#{number} {bold(truncate_plain(filename, MAX_NAME))}{mark}")
        lines.append(f"    {plural(rows, 'row')} · {esc(when)}")
    lines += ["", _("/use N switches to upload N."), _("/compare A B compares two of them.")]
    return split_message(lines)


def already_active(label: UploadLabel) -> str:
    """Answer /use N for the upload already in use."""
    return _(
        "Upload #{number} ({file}) is already the one in use. /datasets lists the others.",
        number=label.number,
        file=bold(truncate_plain(label.filename, MAX_NAME)),
    )


def use_usage() -> str:
    """Answer /use without a valid number."""
    return _("Which upload? Send /use and its number from /datasets, e.g. /use 1.")


def no_such_upload(number: str) -> str:
    """Answer /use or /compare with an unknown upload number."""
    return _(
        "There is no upload #{number}. /datasets lists them.",
        number=esc(truncate_plain(number, 20)),
    )


def switched(label: UploadLabel, k: int) -> str:
    """Answer /use N."""
    return _(
        "Switched to upload #{number} ({file}), {segments}.",
        number=label.number,
        file=bold(truncate_plain(label.filename, MAX_NAME)),
        segments=plural(k, "segment"),
    )
