"""What the bot says to introduce itself (/start, /help, the menu) or when it is lost."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _
from bot.text.format import (
    MAX_NAME,
    bold,
    esc,
    plural,
    truncate_plain,
)


def welcome() -> str:
    """Answer /start."""
    return "\n".join(
        [
            _("Hi! I split your mall's customers into segments you can act on."),
            "",
            "📎 " + _("Send me your member list as a <b>CSV file</b> (or an Excel .xlsx)."),
            _(
                "I will tell you what segments there are, who each customer is, and which "
                "segment to target."
            ),
            "",
            _(
                "No file at hand? Press “Try it with sample data” below, or send /help to see "
                "the columns I expect."
            ),
        ]
    )


def welcome_back(filename: str, k: int) -> str:
    """Answer /start or a greeting when the chat already has data."""
    return "\n".join(
        [
            _(
                "Hi! Your customers from {file} are ready in {segments}.",
                file=bold(truncate_plain(filename, MAX_NAME)),
                segments=plural(k, "segment"),
            ),
            "",
            _("Try /segments, /target or /whois 42, or just ask."),
            "📎 " + _("Send a new CSV file any time; /help lists everything."),
        ]
    )


def help_text(menu: Sequence[tuple[str, str]]) -> str:
    """Answer /help: the expected file, every command of ``menu`` (name, one line) and the
    plain questions understood."""
    lines = [
        _("<b>What to send</b>"),
        _(
            "A CSV export of your members, one row per customer. I recognise columns such as "
            "<i>CustomerID</i>, <i>Gender</i>, <i>Age</i>, <i>Annual Income (k$)</i> and "
            "<i>Spending Score (1-100)</i>, in any order and under common other names. "
            "Other number columns work too. Headers I cannot read, such as <i>AI_k</i>? Tell me "
            "with /columns AI_k=income."
        ),
        "",
        _("<b>Commands</b>"),
    ]
    lines += [f"/{name} — {esc(_(description))}" for name, description in menu]
    lines += [
        "",
        _("<b>Or just ask</b>"),
        "• " + _("“which segment should we target?”"),
        "• " + _("“how many women in segment 2?”"),
        "• " + _("“average income per segment”"),
        "• " + _("“top 10 by income”"),
        "• " + _("“who is 42”"),
        "• " + _("“why 5 segments?”"),
        "• " + _("“show me the profile”"),
        "• " + _("“what changed?”"),
    ]
    return "\n".join(lines)


def fallback_hint() -> str:
    """Answer a message the bot did not understand."""
    return "\n".join(
        [
            _("Sorry, I did not get that. I can answer:"),
            "• " + _("“which segment should we target?”"),
            "• " + _("“who is 42” — a customer's segment"),
            "• " + _("“how many women in segment 2?”"),
            "• " + _("“average income per segment” or “top 10 by income”"),
            "• " + _("“how many segments?” or “tell me about segment 2”"),
            "• " + _("“show me the plot”"),
            "• " + _("“what changed?” — compare with the previous upload"),
            _("Or send a CSV file, or /help for every command."),
        ]
    )


def nothing_to_show() -> str:
    """Answer in place of a message that came out empty."""
    return _("I have nothing to show for that. Send /help to see what I can do.")


def thanks() -> str:
    """Answer a thank-you."""
    return _("You're welcome! Ask me anything else about your customers, or send /help.")


def unknown_command(command: str, suggestion: str = "") -> str:
    """Answer a command the bot does not have (naming the closest one, if any)."""
    name = esc(truncate_plain(command, MAX_NAME))
    if suggestion:
        return _(
            "I don't know the command /{name}. Did you mean /{suggestion}?",
            name=name,
            suggestion=esc(suggestion),
        )
    return _("I don't know the command /{name}. Send /help to see what I can do.", name=name)


def stale_button() -> str:
    """Answer a button the bot no longer understands."""
    return _("That button is out of date. Send /help to see what I can do.")


def did_you_mean(command: str) -> str:
    """Offer the command a near miss probably meant (the button runs it)."""
    return _("Did you mean /{command}?", command=esc(truncate_plain(command, MAX_NAME)))


def bot_description() -> str:
    """The bot's description, shown in an empty chat before /start (at most 512 characters)."""
    return _(
        "I split your mall's customers into segments you can act on. Send your member list "
        "as a CSV or Excel file and ask in plain words: how many women in segment 2, the top "
        "10 by income, which segment to target. Your data stays on this server; no language "
        "model sees it. Press Start, then “Try it with sample data” to see it work."
    )


def bot_short_description() -> str:
    """The bot's short description, on its profile and in shared links (at most 120)."""
    return _("Customer segments for your mall, from a CSV of members. Ask in plain words.")
