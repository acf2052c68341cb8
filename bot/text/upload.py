"""What the bot says while reading an upload: progress, and the receipt of what was read.

Pure functions returning Telegram HTML; headers, file names and notes are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.format import (
    FIELD_NAMES,
    MAX_LIST,
    MAX_NAME,
    bold,
    esc,
    feature_name,
    fmt_bytes,
    fmt_int,
    fmt_list,
    fmt_pct,
    fmt_seconds,
    meaning_name,
    plural,
    split_message,
    truncate_plain,
)
from bot.text.segments import renamed_lines
from segmentation import (
    CANONICAL_NUMERIC,
    PURCHASE_COLUMNS,
    ColumnRole,
    MeaningNote,
    Receipt,
    purchase_summary,
)


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


def _shown(source: str, field: str, note: str = "", by_meaning: bool = False) -> str:
    """A header as read, with the field it became when the header does not say it (or the
    manager did), and how its cells were read when that needs saying."""
    name = esc(truncate_plain(source, MAX_NAME))
    meaning = FIELD_NAMES.get(field)
    if by_meaning:
        said = ["as you said"] if field == "customer_id" else [f"{meaning}, as you said"]
    elif meaning and meaning.split()[-1] not in source.lower():
        said = [f"as {meaning}"]
    else:
        said = []
    said += [esc(note)] if note else []
    return f"{name} ({'; '.join(said)})" if said else name


def _listed(sources: list[str]) -> str:
    """Up to MAX_LIST escaped names, then "and N more"."""
    text = ", ".join(sources[:MAX_LIST])
    if len(sources) > MAX_LIST:
        text += f" and {len(sources) - MAX_LIST} more"
    return text


def column_lines(used: Sequence[ColumnRole]) -> list[str]:
    """The columns used, one short line per role: id, numbers, text kept for profiles.

    Numbers are what segments can be made of; text columns (gender among them) describe the
    segments afterwards.
    """
    ids = [_shown(c.source, "customer_id", by_meaning=c.by_meaning) for c in used if c.kind == "id"]
    # Only age, income and score carry a note that says how they were read (Low/High levels).
    numbers = [
        _shown(c.source, c.field, c.note if c.field in CANONICAL_NUMERIC else "", c.by_meaning)
        for c in used
        if c.kind == "numeric"
    ]
    texts = [
        _shown(c.source, c.field, by_meaning=c.by_meaning)
        for c in used
        if c.kind in ("gender", "attribute")
    ]
    lines = []
    if ids:
        lines.append(f"Customer id: {_listed(ids)}")
    if numbers:
        lines.append(f"Numbers: {_listed(numbers)}")
    if texts:
        lines.append(f"Also profiled: {_listed(texts)}")
    return lines


def purchase_lines(rec: Receipt) -> list[str]:
    """The head of a purchase log's receipt: what was read and what each customer got."""
    info = rec.purchases or {}
    name = truncate_plain(rec.filename, MAX_NAME)
    lines = [f"📄 {bold(name)}: a purchase log, {esc(purchase_summary(info))}."]
    columns = info.get("columns", {})
    read = [
        f"{word} {esc(truncate_plain(columns[key], MAX_NAME))}"
        for key, word in (
            ("customer", "customer"),
            ("date", "date"),
            ("amount", "amount"),
            ("price", "price"),
            ("quantity", "quantity"),
            ("invoice", "invoice"),
        )
        if columns.get(key)
    ]
    if read:
        lines.append("Read: " + " · ".join(read))
    lines.append(
        "Per customer: days since the last purchase, orders, total spend, average order and "
        "days since the first purchase; R, F and M scores 1–5."
    )
    texts = [_shown(c.source, c.field) for c in rec.columns if c.kind in ("gender", "attribute")]
    if info.get("combined_with"):
        other = esc(truncate_plain(str(info["combined_with"]), MAX_NAME))
        lines.append(
            f"Combined with {other}: {fmt_int(int(info.get('matched', 0)))} of these customers "
            f"are in its {fmt_int(int(info.get('members', 0)))} members."
        )
        numbers = [
            _shown(c.source, c.field)
            for c in rec.columns
            if c.kind == "numeric" and c.field not in PURCHASE_COLUMNS
        ]
        if numbers:
            lines.append(f"Member numbers: {_listed(numbers)}")
    if texts:
        lines.append(f"Also profiled: {_listed(texts)}")
    if info.get("returns"):
        amount = fmt_int(round(float(info.get("returns_amount", 0.0))))
        lines.append(
            f"{plural(int(info['returns']), 'return')} and cancellations netted ({amount} in all)."
        )
    if info.get("customers_without_purchases"):
        count = int(info["customers_without_purchases"])
        lines.append(f"Left out {plural(count, 'customer')} with only returns in this file.")
    if info.get("date_note"):
        lines.append(f"Note: {esc(str(info['date_note']))}.")
    return lines


_SKIP_REASONS = {
    "missing": "missing {column}",
    "out_of_range": "{column} out of range",
    "duplicate_id": "repeated id (the first row with it is kept)",
    "unparseable": "{column} not readable",
    "missing_id": "no customer id",
    "bad_date": "date not readable",
    "bad_amount": "amount not readable",
}


def receipt(
    rec: Receipt,
    *,
    matched: int | None = None,
    previous_k: int | None = None,
    similarity: float | None = None,
    new_segments: int = 0,
    vanished_segments: int = 0,
    renamed: Sequence[tuple[int, str, str]] = (),
) -> str:
    """Describe what was read from an upload.

    Args:
        rec: The ingestion receipt.
        matched: For a second or later upload, segments matched to the previous run.
        previous_k: Segments in the previous run.
        similarity: 0..1, how similar the structure is to the previous run.
        new_segments: Segments with no match last time.
        vanished_segments: Previous segments with no match now.
        renamed: ``(number, old name, new name)`` of matched segments whose customers no
            longer fit their old name.

    Returns:
        One message (within 4096 characters).
    """
    name = truncate_plain(rec.filename, MAX_NAME)
    if rec.purchases:
        lines = purchase_lines(rec)
    else:
        lines = [
            f"📄 {bold(name)}: {fmt_int(rec.rows_read)} rows read, {fmt_int(rec.rows_used)} used."
        ]
        lines += column_lines([c for c in rec.columns if c.kind != "ignored"])
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
        # The reason already says what a repeated id is.
        said = skip.reason == "duplicate_id"
        detail = f" ({esc(skip.detail)})" if skip.detail and not said else ""
        where = ""
        if skip.examples:
            word = "line" if len(skip.examples) == 1 else "lines"
            where = f", {word} " + ", ".join(str(n) for n in skip.examples)
            if skip.count > len(skip.examples):
                where += f" and {fmt_int(skip.count - len(skip.examples))} more"
        lines.append(f"Skipped {plural(skip.count, 'row')}: {esc(reason.strip())}{detail}{where}.")
    lines += meaning_note_lines(rec.meaning_notes)
    if rec.ids_generated:
        lines.append("No customer id column: I numbered the rows 1, 2, 3… as ids.")
    if rec.decimal_comma:
        lines.append("Numbers use a decimal comma; read as such.")
    if matched == 0 and previous_k is not None:
        # A different file, not a new month of the last one: there is nobody to follow.
        lines.append("Nothing in common with the last upload's segments, so no one to compare.")
    elif matched is not None and previous_k is not None:
        line = f"Since last upload: {matched} of {previous_k} segments matched"
        extras = []
        if new_segments:
            extras.append(f"{plural(new_segments, 'new segment')}")
        if vanished_segments:
            extras.append(f"{vanished_segments} gone")
        if extras:
            line += " (" + ", ".join(extras) + ")"
        if similarity is not None:
            line += f", {fmt_pct(similarity)} alike"
        lines.append(line + ". /compare shows who moved.")
        lines += renamed_lines(renamed)
    return split_message(lines)[0]


def meaning_note_lines(notes: Sequence[MeaningNote]) -> list[str]:
    """Say which of the manager's meanings did not apply to this file, and why."""

    def listed(reason: str) -> str:
        pairs = [n for n in notes if n.reason == reason]
        shown = [
            f"{esc(truncate_plain(n.header, MAX_NAME))} ({esc(meaning_name(n.meaning))})"
            for n in pairs[:MAX_LIST]
        ]
        if len(pairs) > MAX_LIST:
            shown.append(f"{len(pairs) - MAX_LIST} more")
        return ", ".join(shown)

    lines = []
    if absent := listed("not_in_file"):
        lines.append(f"Your column meanings not used, no such column in this file: {absent}.")
    if kept := listed("ids_kept"):
        lines.append(
            f"Customer ids stay as first read, so this one applies from your next upload: {kept}."
        )
    return lines


def kept_features(names: Sequence[str]) -> str:
    """Say that a new upload was segmented on the columns the chat chose before."""
    columns = fmt_list([esc(name) for name in names])
    return f"Segmented on {columns}, as you chose before (/features auto goes back)."


def still_working(filename: str, seconds: float) -> str:
    """Answer a question asked while the chat's upload is still being read."""
    return (
        f"Still working on {bold(truncate_plain(filename, MAX_NAME))} (started "
        f"{seconds:.0f} s ago). I will send the overview here; ask again then."
    )


def read_too_slow(seconds: float) -> str:
    """Refuse a workbook that took too long to read."""
    return (
        f"⚠️ That file took too long to read (over {seconds:g} seconds), so I stopped. "
        "Save the customer sheet as CSV UTF-8 (File › Save As) and send that; it reads in "
        "seconds. Your earlier data is as it was."
    )


def read_too_large(megabytes: float) -> str:
    """Refuse a workbook that needed too much memory to read."""
    return (
        f"⚠️ That file needed more than {megabytes:,.0f} MB of memory to read, so I stopped. "
        "Save the customer sheet as CSV UTF-8 (File › Save As) and send that. Your earlier "
        "data is as it was."
    )


def upload_interrupted(filename: str) -> str:
    """Tell a chat that a restart cut its upload short (nothing of it was kept)."""
    return (
        f"⚠️ Your upload of {bold(truncate_plain(filename, MAX_NAME))} was interrupted when I "
        "restarted, before it was saved. Your earlier data is as it was; please send the file "
        "again."
    )


def dropped_features(names: Sequence[str]) -> str:
    """Say that the columns chosen before are not all in the new file, naming the missing."""
    columns = fmt_list([esc(name) for name in names])
    return (
        f"⚠️ Your /features choice used {columns}, which this file does not have, so I "
        "segmented on the default columns. Send /features to choose again."
    )


#: Longest reason from the engine quoted in an answer: it may list a file's headers.
MAX_REASON = 1000


def no_data() -> str:
    """Answer a question that needs data before any upload."""
    return (
        "I have no customer data for this chat yet.\n"
        "📎 Send me your member list as a CSV file first (/help shows the columns I expect)."
    )


def not_a_table(filename: str) -> str:
    """Answer a document that is not a CSV or workbook."""
    return (
        f"{bold(truncate_plain(filename, MAX_NAME))} does not look like a CSV file.\n"
        "Please send the member list as .csv (in Excel: File → Save As → CSV UTF-8)."
    )


def photo_received() -> str:
    """Answer a photo."""
    return (
        "I can't read pictures of tables. Please send the member list as a CSV file "
        "(as a document, not a photo)."
    )


def too_big(size: int, limit: int) -> str:
    """Answer a file over the size limit, decided before downloading it."""
    return (
        f"That file is {fmt_bytes(size)}; I accept up to {fmt_bytes(limit)}.\n"
        "Send fewer columns (id, gender, age, income, score are enough), or split the file. "
        "Your current data stays as it is."
    )


def refused(message: str) -> str:
    """Answer a file the engine refused, with its reason (plain text from the engine)."""
    reason = esc(truncate_plain(message, MAX_REASON))
    return f"⚠️ I could not use that file.\n{reason}\n\nYour current data stays as it is."


def queued() -> str:
    """Tell the user an upload waits for the previous one in this chat."""
    return "Still working on your previous request; this one is next."


def duplicate_upload(label: UploadLabel) -> str:
    """Answer a file already uploaded to this chat (same bytes)."""
    return (
        f"I already have this exact file as upload #{label.number} "
        f"({bold(truncate_plain(label.filename, MAX_NAME))}); switched to it."
    )


def cannot_segment(message: str) -> str:
    """Answer a re-segment the engine refused (plain text from the engine)."""
    reason = esc(truncate_plain(message, MAX_REASON))
    return f"⚠️ I could not segment that way: {reason}\nYour current segments stay active."


@dataclass(frozen=True)
class UploadLabel:
    """How an upload is named in messages: its number in /datasets and its file name."""

    number: int
    filename: str


def combine_offer(filename: str, number: int, matched: int, customers: int) -> str:
    """Offer to combine a member list and a purchase log that share customers."""
    name = esc(truncate_plain(filename, MAX_NAME))
    return (
        f"{fmt_int(matched)} of these {fmt_int(customers)} customers are also in upload "
        f"#{number} ({name}). Combine the two into one upload: purchase behaviour with the "
        "member details beside it?"
    )


def combine_stale() -> str:
    """A combine button pressed too late, by someone else, or after the data changed."""
    return (
        "That offer to combine uploads has expired (or the data changed since). Send the file "
        "again to get a fresh one; nothing was changed."
    )
