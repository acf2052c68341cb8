"""What the bot says to someone it will not serve, and when something broke on its side."""

from __future__ import annotations

from bot.text.format import (
    code,
    esc,
)


def not_allowed(user_id: int, contact: str = "") -> str:
    """Answer anyone not on the allow-list, with the id the owner needs to let them in and
    whom to ask (``[bot] contact``)."""
    who = f"ask {esc(contact)}" if contact else "ask the bot's owner"
    return (
        f"Sorry, this bot is private. Your Telegram user id is {user_id}: {who} to add it "
        "to allowed_user_ids in segbot's config."
    )


def owners_only(command: str) -> str:
    """Answer a settings change or a deletion asked by someone who is not an owner."""
    return (
        f"Only the bot's owners may use /{esc(command)} to change settings or delete data. "
        "You can still upload files and ask anything; ask an owner to make this change."
    )


def internal_error(ref: str) -> str:
    """Answer an unexpected failure, with the reference id the log carries."""
    return (
        "Something went wrong on my side, sorry. Your data is safe; please try again.\n"
        f"If it happens again, give the bot's owner this reference: {code(ref)}"
    )


def press_foreign() -> str:
    """Toast for a button pressed by someone other than the person who asked (plain text)."""
    return "This button is for the person who asked. Nothing was changed."


def press_stale() -> str:
    """Toast for a button that expired or whose data changed since (plain text)."""
    return "This button has expired or the data changed since. Nothing was changed."
