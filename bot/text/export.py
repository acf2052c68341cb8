"""The captions and hints of /export and /export moved."""

from __future__ import annotations

from bot.text.format import (
    plural,
)


def export_caption(rows: int) -> str:
    """Caption of the exported CSV."""
    return (
        f"{plural(rows, 'customer')} with their segment and persona, "
        f"plus your original columns. Safe to open in Excel."
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
    return "Send /export for every customer, or /export moved for those who changed segment."
