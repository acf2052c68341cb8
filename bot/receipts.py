"""What the bot says while reading an upload: progress, and the receipt of what was read.

Pure functions returning Telegram HTML; headers, file names and notes are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.describe import FIELD_NAMES, feature_name
from bot.formatting import (
    MAX_LIST,
    MAX_NAME,
    bold,
    esc,
    fmt_bytes,
    fmt_int,
    fmt_list,
    fmt_pct,
    fmt_seconds,
    plural,
    split_message,
    truncate_plain,
)
from segmentation.table import Receipt


def progress_reading(filename: str, size: int) -> str:
    """Status while reading a file."""
    return f"Reading {bold(truncate_plain(filename, MAX_NAME))} ({fmt_bytes(size)})…"


def progress_segmenting(rows: int, auto: bool) -> str:
    """Status after reading, while segmenting."""
    step = "Choosing k…" if auto else "Segmenting…"
    return f"Read {fmt_int(rows)} rows. {step}"


def progress_plotting(rows: int, k: int) -> str:
    """Status while drawing the plots."""
    return f"Read {fmt_int(rows)} rows. {plural(k, 'segment')}. Drawing the plots…"


def progress_saving(rows: int, k: int) -> str:
    """Status while storing the results."""
    return f"Read {fmt_int(rows)} rows. {plural(k, 'segment')}. Saving…"


def progress_done(rows: int, seconds: float) -> str:
    """Final status."""
    return f"Read {fmt_int(rows)} rows. Done in {fmt_seconds(seconds)}."


def _role_target(field: str, kind: str, labels: dict[str, str]) -> str:
    """Return what a column became, in words."""
    if kind == "id":
        return "id"
    if kind == "gender":
        return "gender"
    if field in FIELD_NAMES:
        return FIELD_NAMES[field]
    if kind == "attribute":
        return "profile"
    return "number"


_SKIP_REASONS = {
    "missing": "missing {column}",
    "out_of_range": "{column} out of range",
    "duplicate_id": "duplicate id",
    "unparseable": "{column} not readable",
}


def receipt(
    rec: Receipt,
    *,
    matched: int | None = None,
    previous_k: int | None = None,
    similarity: float | None = None,
    new_segments: int = 0,
    vanished_segments: int = 0,
) -> str:
    """Describe what was read from an upload.

    Args:
        rec: The ingestion receipt.
        matched: For a second or later upload, segments matched to the previous run.
        previous_k: Segments in the previous run.
        similarity: 0..1, how similar the structure is to the previous run.
        new_segments: Segments with no match last time.
        vanished_segments: Previous segments with no match now.

    Returns:
        One message (within 4096 characters).
    """
    name = truncate_plain(rec.filename, MAX_NAME)
    lines = [f"📄 {bold(name)}: {fmt_int(rec.rows_read)} rows read, {fmt_int(rec.rows_used)} used."]
    used = [c for c in rec.columns if c.kind != "ignored"]
    parts = [
        f"{esc(truncate_plain(c.source, MAX_NAME))} → {_role_target(c.field, c.kind, {})}"
        for c in used[:MAX_LIST]
    ]
    if len(used) > MAX_LIST:
        parts.append(f"and {len(used) - MAX_LIST} more")
    if parts:
        lines.append("Columns: " + " · ".join(parts))
    ignored = [c for c in rec.columns if c.kind == "ignored"]
    if ignored:
        shown = [
            esc(truncate_plain(c.source, MAX_NAME)) + (f" ({esc(c.note)})" if c.note else "")
            for c in ignored[:MAX_LIST]
        ]
        if len(ignored) > MAX_LIST:
            shown.append(f"{len(ignored) - MAX_LIST} more")
        lines.append("Not used: " + ", ".join(shown))
    for skip in rec.skipped:
        template = _SKIP_REASONS.get(skip.reason, skip.reason.replace("_", " ") + " {column}")
        reason = template.format(column=feature_name(skip.column) if skip.column else "value")
        detail = f" ({esc(skip.detail)})" if skip.detail else ""
        where = ""
        if skip.examples:
            word = "line" if len(skip.examples) == 1 else "lines"
            where = f", {word} " + ", ".join(str(n) for n in skip.examples)
        lines.append(f"Skipped {plural(skip.count, 'row')}: {esc(reason.strip())}{detail}{where}.")
    if rec.ids_generated:
        lines.append("No customer id column: I numbered the rows 1, 2, 3… as ids.")
    if rec.decimal_comma:
        lines.append("Numbers use a decimal comma; read as such.")
    if matched is not None and previous_k is not None:
        line = f"Since last upload: {matched} of {previous_k} segments matched"
        if similarity is not None:
            line += f", structure {fmt_pct(similarity)} similar"
        extras = []
        if new_segments:
            extras.append(f"{plural(new_segments, 'new segment')}")
        if vanished_segments:
            extras.append(f"{vanished_segments} gone")
        if extras:
            line += " (" + ", ".join(extras) + ")"
        lines.append(line + ". /compare shows who moved.")
    return split_message(lines)[0]


def kept_features(names: Sequence[str]) -> str:
    """Say that a new upload was segmented on the columns the chat chose before."""
    columns = fmt_list([esc(name) for name in names])
    return f"Segmented on {columns}, as you chose before (/features auto goes back)."
