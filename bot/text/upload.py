"""What the bot says while reading an upload: progress, and the receipt of what was read.

Pure functions returning Telegram HTML; headers, file names and notes are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.i18n import N_, _, current_language, ngettext, words
from bot.text.format import (
    FIELD_NAMES,
    MAX_LIST,
    MAX_NAME,
    bold,
    esc,
    feature_name,
    fmt_bytes,
    fmt_date,
    fmt_int,
    fmt_list,
    fmt_num,
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
    receipt_note,
)


def progress_reading(filename: str, size: int) -> str:
    """Status while reading a file."""
    return _(
        "Reading {file} ({size})…",
        file=bold(truncate_plain(filename, MAX_NAME)),
        size=fmt_bytes(size),
    )


def progress_segmenting(rows: int, auto: bool) -> str:
    """Status after reading, while segmenting."""
    if auto:
        return _("Read {rows} rows. Choosing k…", rows=fmt_int(rows))
    return _("Read {rows} rows. Segmenting…", rows=fmt_int(rows))


def progress_plotting(rows: int, k: int) -> str:
    """Status while drawing the plots."""
    return _(
        "Read {rows} rows. {segments}. Drawing the plots…",
        rows=fmt_int(rows),
        segments=plural(k, "segment"),
    )


def progress_saving(rows: int, k: int) -> str:
    """Status while storing the results."""
    return _(
        "Read {rows} rows. {segments}. Saving…", rows=fmt_int(rows), segments=plural(k, "segment")
    )


def progress_done(rows: int, seconds: float) -> str:
    """Final status."""
    return _(
        "Read {rows} rows. Done in {seconds}.", rows=fmt_int(rows), seconds=fmt_seconds(seconds)
    )


def _shown(source: str, field: str, note: str = "", by_meaning: bool = False) -> str:
    """A header as read, with the field it became when the header does not say it (or the
    manager did), and how its cells were read when that needs saying."""
    name = esc(truncate_plain(source, MAX_NAME))
    meaning = FIELD_NAMES.get(field)
    if by_meaning:
        said = (
            [_("as you said")]
            if field == "customer_id"
            else [_("{meaning}, as you said", meaning=_(meaning or field))]
        )
    elif meaning and meaning.split()[-1] not in source.lower():
        said = [_("as {meaning}", meaning=_(meaning))]
    else:
        said = []
    said += [esc(receipt_note(note, words()))] if note else []
    return f"{name} ({'; '.join(said)})" if said else name


def _listed(sources: list[str]) -> str:
    """Up to MAX_LIST escaped names, then "and N more"."""
    text = ", ".join(sources[:MAX_LIST])
    if len(sources) > MAX_LIST:
        text = _("{items} and {count} more", items=text, count=len(sources) - MAX_LIST)
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
        lines.append(_("Customer id: {columns}", columns=_listed(ids)))
    if numbers:
        lines.append(_("Numbers: {columns}", columns=_listed(numbers)))
    if texts:
        lines.append(_("Also profiled: {columns}", columns=_listed(texts)))
    return lines


def purchase_lines(rec: Receipt) -> list[str]:
    """The head of a purchase log's receipt: what was read and what each customer got."""
    info = rec.purchases or {}
    name = truncate_plain(rec.filename, MAX_NAME)
    lines = [
        "📄 "
        + ngettext(
            "{file}: a purchase log, {n} purchase by {customers} customers, {first} – {last}.",
            "{file}: a purchase log, {n} purchases by {customers} customers, {first} – {last}.",
            int(info["purchases"]),
            file=bold(name),
            customers=fmt_int(int(info["customers"])),
            first=esc(fmt_date(str(info["first_date"]))),
            last=esc(fmt_date(str(info["last_date"]))),
        )
    ]
    columns = info.get("columns", {})
    read = [
        f"{_(word)} {esc(truncate_plain(columns[key], MAX_NAME))}"
        for key, word in _LOG_COLUMNS
        if columns.get(key)
    ]
    if read:
        lines.append(_("Read: {columns}", columns=" · ".join(read)))
    lines.append(
        _(
            "Per customer: days since the last purchase, orders, total spend, average order and "
            "days since the first purchase; R, F and M scores 1–5."
        )
    )
    texts = [_shown(c.source, c.field) for c in rec.columns if c.kind in ("gender", "attribute")]
    if info.get("combined_with"):
        other = esc(truncate_plain(str(info["combined_with"]), MAX_NAME))
        lines.append(
            _(
                "Combined with {other}: {matched} of these customers are in its {members} members.",
                other=other,
                matched=fmt_int(int(info.get("matched", 0))),
                members=fmt_int(int(info.get("members", 0))),
            )
        )
        numbers = [
            _shown(c.source, c.field)
            for c in rec.columns
            if c.kind == "numeric" and c.field not in PURCHASE_COLUMNS
        ]
        if numbers:
            lines.append(_("Member numbers: {columns}", columns=_listed(numbers)))
    if texts:
        lines.append(_("Also profiled: {columns}", columns=_listed(texts)))
    if info.get("returns"):
        amount = fmt_int(round(float(info.get("returns_amount", 0.0))))
        lines.append(
            ngettext(
                "{n} return and cancellations netted ({amount} in all).",
                "{n} returns and cancellations netted ({amount} in all).",
                int(info["returns"]),
                amount=amount,
            )
        )
    if info.get("customers_without_purchases"):
        count = int(info["customers_without_purchases"])
        lines.append(
            ngettext(
                "Left out {n} customer with only returns in this file.",
                "Left out {n} customers with only returns in this file.",
                count,
            )
        )
    if info.get("date_note"):
        lines.append(_("Note: {note}.", note=esc(receipt_note(str(info["date_note"]), words()))))
    return lines


#: The columns of a purchase log the receipt names, with the word it names each by.
_LOG_COLUMNS = (
    ("customer", N_("customer")),
    ("date", N_("date")),
    ("amount", N_("amount")),
    ("price", N_("price")),
    ("quantity", N_("quantity")),
    ("invoice", N_("invoice")),
)


_SKIP_REASONS = {
    "missing": N_("missing {column}"),
    "out_of_range": N_("{column} out of range"),
    "duplicate_id": N_("repeated id (the first row with it is kept)"),
    "unparseable": N_("{column} not readable"),
    "missing_id": N_("no customer id"),
    "bad_date": N_("date not readable"),
    "bad_amount": N_("amount not readable"),
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
            "📄 "
            + _(
                "{file}: {read} rows read, {used} used.",
                file=bold(name),
                read=fmt_int(rec.rows_read),
                used=fmt_int(rec.rows_used),
            )
        ]
        lines += column_lines([c for c in rec.columns if c.kind != "ignored"])
    ignored = [c for c in rec.columns if c.kind == "ignored"]
    if ignored:
        shown = [
            esc(truncate_plain(c.source, MAX_NAME))
            + (f" ({esc(receipt_note(c.note, words()))})" if c.note else "")
            for c in ignored[:MAX_LIST]
        ]
        if len(ignored) > MAX_LIST:
            shown.append(_("{count} more", count=len(ignored) - MAX_LIST))
        lines.append(_("Not used: {columns}", columns=", ".join(shown)))
    lines += [skipped_line(skip) for skip in rec.skipped]
    lines += meaning_note_lines(rec.meaning_notes)
    if rec.ids_generated:
        lines.append(_("No customer id column: I numbered the rows 1, 2, 3… as ids."))
    if rec.decimal_comma:
        lines.append(_("Numbers use a decimal comma; read as such."))
    if matched == 0 and previous_k is not None:
        # A different file, not a new month of the last one: there is nobody to follow.
        lines.append(_("Nothing in common with the last upload's segments, so no one to compare."))
    elif matched is not None and previous_k is not None:
        lines.append(
            since_last_line(matched, previous_k, similarity, new_segments, vanished_segments)
        )
        lines += renamed_lines(renamed)
    return split_message(lines)[0]


class SkippedRows(Protocol):
    """Rows left out for one reason, as a receipt lists them (``Receipt.skipped``)."""

    @property
    def reason(self) -> str: ...
    @property
    def column(self) -> str: ...
    @property
    def count(self) -> int: ...
    @property
    def examples(self) -> tuple[int, ...]: ...
    @property
    def detail(self) -> str: ...


def skipped_line(skip: SkippedRows) -> str:
    """``Skipped 7 rows: age out of range (0–120), lines 5, 9, 12 and 4 more.``"""
    column = feature_name(skip.column) if skip.column else _("value")
    if skip.reason in _SKIP_REASONS:
        reason = _(_SKIP_REASONS[skip.reason], column=column)
    else:
        reason = f"{skip.reason.replace('_', ' ')} {column}"
    # The reason already says what a repeated id is.
    said = skip.reason == "duplicate_id"
    detail = f" ({esc(receipt_note(skip.detail, words()))})" if skip.detail and not said else ""
    if not skip.examples:
        return ngettext(
            "Skipped {n} row: {reason}{detail}.",
            "Skipped {n} rows: {reason}{detail}.",
            skip.count,
            reason=esc(reason.strip()),
            detail=detail,
        )
    numbers = ", ".join(str(n) for n in skip.examples)
    where = ngettext("line {lines}", "lines {lines}", len(skip.examples), lines=numbers)
    if skip.count > len(skip.examples):
        where = _(
            "{lines} and {count} more",
            lines=where,
            count=fmt_int(skip.count - len(skip.examples)),
        )
    return ngettext(
        "Skipped {n} row: {reason}{detail}, {where}.",
        "Skipped {n} rows: {reason}{detail}, {where}.",
        skip.count,
        reason=esc(reason.strip()),
        detail=detail,
        where=where,
    )


def since_last_line(
    matched: int, previous_k: int, similarity: float | None, new: int, vanished: int
) -> str:
    """How this upload's segments follow the last one's, with the way to see who moved."""
    changes = []
    if new:
        changes.append(ngettext("{n} new segment", "{n} new segments", new))
    if vanished:
        changes.append(ngettext("{n} gone", "{n} gone", vanished))
    if changes and similarity is not None:
        return ngettext(
            "Since last upload: {matched} of {n} segment matched ({changes}), {share} alike. "
            "/compare shows who moved.",
            "Since last upload: {matched} of {n} segments matched ({changes}), {share} alike. "
            "/compare shows who moved.",
            previous_k,
            matched=matched,
            changes=", ".join(changes),
            share=fmt_pct(similarity),
        )
    if changes:
        return ngettext(
            "Since last upload: {matched} of {n} segment matched ({changes}). "
            "/compare shows who moved.",
            "Since last upload: {matched} of {n} segments matched ({changes}). "
            "/compare shows who moved.",
            previous_k,
            matched=matched,
            changes=", ".join(changes),
        )
    if similarity is not None:
        return ngettext(
            "Since last upload: {matched} of {n} segment matched, {share} alike. "
            "/compare shows who moved.",
            "Since last upload: {matched} of {n} segments matched, {share} alike. "
            "/compare shows who moved.",
            previous_k,
            matched=matched,
            share=fmt_pct(similarity),
        )
    return ngettext(
        "Since last upload: {matched} of {n} segment matched. /compare shows who moved.",
        "Since last upload: {matched} of {n} segments matched. /compare shows who moved.",
        previous_k,
        matched=matched,
    )


def meaning_note_lines(notes: Sequence[MeaningNote]) -> list[str]:
    """Say which of the manager's meanings did not apply to this file, and why."""

    def listed(reason: str) -> str:
        pairs = [n for n in notes if n.reason == reason]
        shown = [
            f"{esc(truncate_plain(n.header, MAX_NAME))} ({esc(meaning_name(n.meaning))})"
            for n in pairs[:MAX_LIST]
        ]
        if len(pairs) > MAX_LIST:
            shown.append(_("{count} more", count=len(pairs) - MAX_LIST))
        return ", ".join(shown)

    lines = []
    if absent := listed("not_in_file"):
        lines.append(
            _(
                "Your column meanings not used, no such column in this file: {columns}.",
                columns=absent,
            )
        )
    if kept := listed("ids_kept"):
        lines.append(
            _(
                "Customer ids stay as first read, so this one applies from your next upload: "
                "{columns}.",
                columns=kept,
            )
        )
    return lines


def kept_features(names: Sequence[str]) -> str:
    """Say that a new upload was segmented on the columns the chat chose before."""
    columns = fmt_list([esc(name) for name in names])
    return _(
        "Segmented on {columns}, as you chose before (/features auto goes back).", columns=columns
    )


def still_working(filename: str, seconds: float) -> str:
    """Answer a question asked while the chat's upload is still being read."""
    elapsed = f"{seconds:.0f}" if current_language() == "en" else fmt_num(seconds, 0)
    return _(
        "Still working on {file} (started {seconds} ago). I will send the overview here; ask "
        "again then.",
        file=bold(truncate_plain(filename, MAX_NAME)),
        seconds=_("{seconds} s", seconds=elapsed),
    )


def read_too_slow(seconds: float) -> str:
    """Refuse a workbook that took too long to read."""
    limit = f"{seconds:g}" if current_language() == "en" else fmt_num(seconds)
    return "⚠️ " + _(
        "That file took too long to read (over {seconds} seconds), so I stopped. Save the "
        "customer sheet as CSV UTF-8 (File › Save As) and send that; it reads in seconds. Your "
        "earlier data is as it was.",
        seconds=limit,
    )


def read_too_large(megabytes: float) -> str:
    """Refuse a workbook that needed too much memory to read."""
    return "⚠️ " + _(
        "That file needed more than {megabytes} MB of memory to read, so I stopped. Save the "
        "customer sheet as CSV UTF-8 (File › Save As) and send that. Your earlier data is as "
        "it was.",
        megabytes=fmt_int(megabytes),
    )


def upload_interrupted(filename: str) -> str:
    """Tell a chat that a restart cut its upload short (nothing of it was kept)."""
    return "⚠️ " + _(
        "Your upload of {file} was interrupted when I restarted, before it was saved. Your "
        "earlier data is as it was; please send the file again.",
        file=bold(truncate_plain(filename, MAX_NAME)),
    )


def dropped_features(names: Sequence[str]) -> str:
    """Say that the columns chosen before are not all in the new file, naming the missing."""
    columns = fmt_list([esc(name) for name in names])
    return "⚠️ " + _(
        "Your /features choice used {columns}, which this file does not have, so I segmented "
        "on the default columns. Send /features to choose again.",
        columns=columns,
    )


#: Longest reason from the engine quoted in an answer: it may list a file's headers.
MAX_REASON = 1000


def no_data() -> str:
    """Answer a question that needs data before any upload."""
    return _(
        "I have no customer data for this chat yet.\n"
        "📎 Send me your member list as a CSV file first (/help shows the columns I expect)."
    )


def not_a_table(filename: str) -> str:
    """Answer a document that is not a CSV or workbook."""
    return _(
        "{file} does not look like a CSV file.\n"
        "Please send the member list as .csv (in Excel: File → Save As → CSV UTF-8).",
        file=bold(truncate_plain(filename, MAX_NAME)),
    )


def photo_received() -> str:
    """Answer a photo."""
    return _(
        "I can't read pictures of tables. Please send the member list as a CSV file "
        "(as a document, not a photo)."
    )


def too_big(size: int, limit: int) -> str:
    """Answer a file over the size limit, decided before downloading it."""
    return _(
        "That file is {size}; I accept up to {limit}.\n"
        "Send fewer columns (id, gender, age, income, score are enough), or split the file. "
        "Your current data stays as it is.",
        size=fmt_bytes(size),
        limit=fmt_bytes(limit),
    )


def refused(message: str) -> str:
    """Answer a file the engine refused, with its reason (plain text from the engine)."""
    reason = esc(truncate_plain(message, MAX_REASON))
    return "⚠️ " + _(
        "I could not use that file.\n{reason}\n\nYour current data stays as it is.", reason=reason
    )


def queued() -> str:
    """Tell the user an upload waits for the previous one in this chat."""
    return _("Still working on your previous request; this one is next.")


def duplicate_upload(label: UploadLabel) -> str:
    """Answer a file already uploaded to this chat (same bytes)."""
    return _(
        "I already have this exact file as upload #{number} ({file}); switched to it.",
        number=label.number,
        file=bold(truncate_plain(label.filename, MAX_NAME)),
    )


def cannot_segment(message: str) -> str:
    """Answer a re-segment the engine refused (plain text from the engine)."""
    reason = esc(truncate_plain(message, MAX_REASON))
    return "⚠️ " + _(
        "I could not segment that way: {reason}\nYour current segments stay active.", reason=reason
    )


@dataclass(frozen=True)
class UploadLabel:
    """How an upload is named in messages: its number in /datasets and its file name."""

    number: int
    filename: str


def combine_offer(filename: str, number: int, matched: int, customers: int) -> str:
    """Offer to combine a member list and a purchase log that share customers."""
    name = esc(truncate_plain(filename, MAX_NAME))
    return _(
        "{matched} of these {customers} customers are also in upload #{number} ({file}). "
        "Combine the two into one upload: purchase behaviour with the member details beside it?",
        matched=fmt_int(matched),
        customers=fmt_int(customers),
        number=number,
        file=name,
    )


def combine_stale() -> str:
    """A combine button pressed too late, by someone else, or after the data changed."""
    return _(
        "That offer to combine uploads has expired (or the data changed since). Send the file "
        "again to get a fresh one; nothing was changed."
    )
