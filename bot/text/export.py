"""The captions and hints of /export and /export moved."""

from __future__ import annotations

from collections.abc import Sequence

from bot.text.format import MAX_NAME, code, esc, plural, truncate_plain


def export_caption(rows: int) -> str:
    """Caption of the exported CSV."""
    return (
        f"{plural(rows, 'customer')} with their segment and persona, "
        f"plus your original columns. Safe to open in Excel; /export xlsx for a workbook "
        "with a sheet per segment."
    )


def xlsx_caption(rows: int, k: int) -> str:
    """Caption of the exported workbook."""
    return (
        f"{plural(rows, 'customer')} in an overview sheet and {plural(k, 'sheet')}, one per "
        "segment, with your original columns and ids as you wrote them."
    )


def segment_caption(rows: int, number: int, audience: str, contacts: Sequence[str]) -> str:
    """Caption of one segment's audience file."""
    columns = ", ".join(code(c) for c in ("customer_id", "audience", *contacts))
    text = (
        f"Segment {number}: {plural(rows, 'customer')} as an audience named "
        f"{code(truncate_plain(audience, MAX_NAME))}. Columns: {columns}."
    )
    if not contacts:
        text += " Your file has no e-mail or phone column, so ad platforms match on the id."
    return text


def segment_export_usage(numbers: Sequence[int]) -> str:
    """Answer /export segment without a segment that exists."""
    listed = ", ".join(str(n) for n in numbers)
    return (
        f"Send /export segment N with N one of {esc(listed)}; add a name for the audience if "
        "you like: /export segment 2 spring-offer."
    )


def zipped_note() -> str:
    """Explain why a file arrives zipped."""
    return "Zipped to fit Telegram's 50 MB limit; open the .zip to get the CSV."


def moved_caption(moved: int) -> str:
    """Caption of the CSV of customers who changed segment."""
    return f"{plural(moved, 'customer')} who changed segment since the previous upload."


def nothing_moved() -> str:
    """Answer /export moved when nobody moved."""
    return "Nobody changed segment between the two uploads, so there is nothing to export."


def export_usage() -> str:
    """Answer /export with an unknown argument."""
    return (
        "Send /export for every customer as CSV, /export xlsx for a workbook with a sheet per "
        "segment, /export segment N for one segment's audience, or /export moved for those "
        "who changed segment."
    )
