"""What the bot says to someone it will not serve, and when something broke on its side."""

from __future__ import annotations

from bot.i18n import _
from bot.text.format import (
    code,
    esc,
)


def not_allowed(user_id: int, contact: str = "") -> str:
    """Answer anyone not on the allow-list, with the id the owner needs to let them in and
    whom to ask (``[bot] contact``)."""
    if contact:
        return _(
            "Sorry, this bot is private. Your Telegram user id is {user_id}: ask {contact} to "
            "add it to allowed_user_ids in segbot's config.",
            user_id=user_id,
            contact=esc(contact),
        )
    return _(
        "Sorry, this bot is private. Your Telegram user id is {user_id}: ask the bot's owner "
        "to add it to allowed_user_ids in segbot's config.",
        user_id=user_id,
    )


def owners_only(command: str) -> str:
    """Answer a settings change or a deletion asked by someone who is not an owner."""
    return _(
        "Only the bot's owners may use /{command} to change settings or delete data. "
        "You can still upload files and ask anything; ask an owner to make this change.",
        command=esc(command),
    )


def internal_error(ref: str) -> str:
    """Answer an unexpected failure, with the reference id the log carries."""
    return _(
        "Something went wrong on my side, sorry. Your data is safe; please try again.\n"
        "If it happens again, give the bot's owner this reference: {ref}",
        ref=code(ref),
    )


def press_foreign() -> str:
    """Toast for a button pressed by someone other than the person who asked (plain text)."""
    return _("This button is for the person who asked. Nothing was changed.")


def press_stale() -> str:
    """Toast for a button that expired or whose data changed since (plain text)."""
    return _("This button has expired or the data changed since. Nothing was changed.")
