"""The answers of /forget: the confirmation and what was deleted."""

from __future__ import annotations

from bot.i18n import _


def forget_confirm() -> str:
    """Ask before deleting a chat's data."""
    return _(
        "This deletes every upload, segment and plot this chat stored. It cannot be undone.\n"
        "Are you sure?"
    )


def forget_done() -> str:
    """Confirm deletion."""
    return _("Done: everything this chat stored is deleted. Send a CSV file to start again.")


def forget_stale() -> str:
    """Refuse a confirmation that is too old, belongs to someone else or to other data."""
    return _(
        "That button no longer applies (it expired, the data changed since, or someone "
        "else asked), so nothing was deleted. Send /forget again if you mean it."
    )


def forget_cancelled() -> str:
    """Confirm a cancelled deletion."""
    return _("Nothing deleted.")
