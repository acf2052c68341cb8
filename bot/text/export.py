"""The captions and hints of /export and /export moved."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _, ngettext
from bot.text.format import MAX_NAME, code, esc, plural, truncate_plain


def export_caption(rows: int) -> str:
    """Caption of the exported CSV."""
    return ngettext(
        "{n} customer with their segment and persona, plus your original columns. Safe to "
        "open in Excel; /export xlsx for a workbook with a sheet per segment.",
        "{n} customers with their segment and persona, plus your original columns. Safe to "
        "open in Excel; /export xlsx for a workbook with a sheet per segment.",
        rows,
    )


def xlsx_caption(rows: int, k: int) -> str:
    """Caption of the exported workbook."""
    return _(
        "{customers} in an overview sheet and {sheets}, one per segment, with your original "
        "columns and ids as you wrote them.",
        customers=plural(rows, "customer"),
        sheets=ngettext("{n} sheet", "{n} sheets", k),
    )


def segment_caption(rows: int, number: int, audience: str, contacts: Sequence[str]) -> str:
    """Caption of one segment's audience file."""
    columns = ", ".join(code(c) for c in ("customer_id", "audience", *contacts))
    text = _(
        "Segment {number}: {customers} as an audience named {audience}. Columns: {columns}.",
        number=number,
        customers=plural(rows, "customer"),
        audience=code(truncate_plain(audience, MAX_NAME)),
        columns=columns,
    )
    if not contacts:
        text += " " + _("Your file has no e-mail or phone column, so ad platforms match on the id.")
    return text


def segment_export_usage(numbers: Sequence[int]) -> str:
    """Answer /export segment without a segment that exists."""
    listed = ", ".join(str(n) for n in numbers)
    return _(
        "Send /export segment N with N one of {numbers}; add a name for the audience if you "
        "like: /export segment 2 spring-offer.",
        numbers=esc(listed),
    )


def zipped_note() -> str:
    """Explain why a file arrives zipped."""
    return _("Zipped to fit Telegram's 50 MB limit; open the .zip to get the CSV.")


def moved_caption(moved: int) -> str:
    """Caption of the CSV of customers who changed segment."""
    return ngettext(
        "{n} customer who changed segment since the previous upload.",
        "{n} customers who changed segment since the previous upload.",
        moved,
    )


def nothing_moved() -> str:
    """Answer /export moved when nobody moved."""
    return _("Nobody changed segment between the two uploads, so there is nothing to export.")


def export_usage() -> str:
    """Answer /export with an unknown argument."""
    return _(
        "Send /export for every customer as CSV, /export xlsx for a workbook with a sheet per "
        "segment, /export segment N for one segment's audience, or /export moved for those "
        "who changed segment."
    )
