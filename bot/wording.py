"""What the bot says about commands, uploads and mistakes, as pure functions returning HTML.

Values that came from a file or a user are escaped here and nowhere else. Functions that may
produce long text return a list of messages, each within Telegram's 4096-character limit;
captions are kept within 1024.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.formatting import (
    MAX_LIST,
    MAX_NAME,
    bold,
    code,
    esc,
    fmt_bytes,
    plural,
    split_message,
    truncate_plain,
)
from bot.names import feature_name

#: Longest reason from the engine quoted in an answer: it may list a file's headers.
MAX_REASON = 1000

#: The bot's command menu, in the order shown (name, one-line description).
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "What I do and how to start"),
    ("help", "Every command and the CSV I expect"),
    ("segments", "All segments, one line each"),
    ("segment", "One segment in detail: /segment 2"),
    ("whois", "A customer's segment: /whois 42"),
    ("target", "Which segment to target, and why"),
    ("plot", "A chart: /plot scatter, /plot k or /plot profile"),
    ("k", "Re-segment with N segments: /k 5 or /k auto"),
    ("features", "Re-segment on columns: /features income,score"),
    ("export", "The labelled customer list as CSV (/export moved)"),
    ("compare", "What changed since the previous upload"),
    ("datasets", "Your uploads, newest first"),
    ("use", "Switch to another upload: /use 2"),
    ("forget", "Delete everything this chat stored"),
)


@dataclass(frozen=True)
class UploadLabel:
    """How an upload is named in messages: its number in /datasets and its file name."""

    number: int
    filename: str


# --- start, help, hints ------------------------------------------------------------------------


def welcome() -> str:
    """Answer /start."""
    return "\n".join(
        [
            "Hi! I split your mall's customers into segments you can act on.",
            "",
            "📎 Send me your member list as a <b>CSV file</b> (or an Excel .xlsx).",
            "I will tell you what segments there are, who each customer is, and which "
            "segment to target.",
            "",
            "No file at hand? Send /help to see the columns I expect.",
        ]
    )


def welcome_back(filename: str, k: int) -> str:
    """Answer /start or a greeting when the chat already has data."""
    return "\n".join(
        [
            f"Hi! Your customers from {bold(truncate_plain(filename, MAX_NAME))} are "
            f"ready in {plural(k, 'segment')}.",
            "",
            "Try /segments, /target or /whois 42, or just ask.",
            "📎 Send a new CSV file any time; /help lists everything.",
        ]
    )


def help_text() -> str:
    """Answer /help: the expected file, every command and the plain questions understood."""
    lines = [
        "<b>What to send</b>",
        "A CSV export of your members, one row per customer. I recognise columns such as "
        "<i>CustomerID</i>, <i>Gender</i>, <i>Age</i>, <i>Annual Income (k$)</i> and "
        "<i>Spending Score (1-100)</i>, in any order and under common other names. "
        "Other number columns work too.",
        "",
        "<b>Commands</b>",
    ]
    lines += [f"/{name} — {esc(description)}" for name, description in BOT_COMMANDS]
    lines += [
        "",
        "<b>Or just ask</b>",
        "• “which segment should we target?”",
        "• “who is 42”",
        "• “show me the profile”",
        "• “how many segments?”",
        "• “what changed?”",
    ]
    return "\n".join(lines)


def fallback_hint() -> str:
    """Answer a message the bot did not understand."""
    return "\n".join(
        [
            "Sorry, I did not get that. I can answer:",
            "• “which segment should we target?”",
            "• “who is 42” — a customer's segment",
            "• “how many segments?” or “tell me about segment 2”",
            "• “show me the plot”",
            "• “what changed?” — compare with the previous upload",
            "Or send a CSV file, or /help for every command.",
        ]
    )


def nothing_to_show() -> str:
    """Answer in place of a message that came out empty."""
    return "I have nothing to show for that. Send /help to see what I can do."


def thanks() -> str:
    """Answer a thank-you."""
    return "You're welcome! Ask me anything else about your customers, or send /help."


def unknown_command(command: str) -> str:
    """Answer a command the bot does not have."""
    name = esc(truncate_plain(command, MAX_NAME))
    return f"I don't know the command /{name}. Send /help to see what I can do."


def not_allowed(user_id: int) -> str:
    """Answer anyone not on the allow-list, with the id the owner needs to let them in."""
    return (
        f"Sorry, this bot is private. Your Telegram user id is {user_id}: ask the bot's "
        "owner to add it to allowed_user_ids in segbot's config."
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


def console_intro() -> str:
    """First line of ``segbot chat``."""
    return "segbot — type a question or /help; /upload PATH sends a file; /quit ends."


def console_sending_sample(filename: str) -> str:
    """Say that the console uploads the bundled sample."""
    return f"(sending the bundled sample as {esc(filename)})"


def console_upload_usage() -> str:
    """Answer ``/upload`` without a path in the console."""
    return "Usage: /upload PATH — a CSV file on this computer."


def console_no_file(path: str) -> str:
    """Answer ``/upload`` with a path that is not a file."""
    return f"No such file: {esc(path)}"


# --- bad input ---------------------------------------------------------------------------------


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


# --- plots, k, features ------------------------------------------------------------------------


def plot_usage() -> str:
    """Answer /plot with an unknown name."""
    return "Which plot? /plot scatter, /plot k or /plot profile."


def plots_menu() -> str:
    """Offer the plots."""
    return "Which plot would you like?"


def k_usage(k_min: int, k_max: int) -> str:
    """Answer /k with a bad argument."""
    return f"Send /k and a number from {k_min} to {k_max} (e.g. /k 5), or /k auto to let me choose."


def features_usage(available: Sequence[str], labels: dict[str, str] | None = None) -> str:
    """Answer /features with no or unknown columns."""
    names = ", ".join(code(feature_name(c, labels)) for c in available[:MAX_LIST])
    return (
        "Send /features and the columns to segment on, separated by commas, "
        f"e.g. /features income,score.\nColumns you can use: {names or 'none'}"
    )


def unknown_features(
    unknown: Sequence[str], available: Sequence[str], labels: dict[str, str]
) -> str:
    """Answer /features naming columns the data does not have."""
    missing = ", ".join(code(truncate_plain(u, MAX_NAME)) for u in unknown[:MAX_LIST])
    if len(unknown) > MAX_LIST:
        missing += f" and {len(unknown) - MAX_LIST} more"
    return f"I have no column {missing}.\n" + features_usage(available, labels)


def cannot_segment(message: str) -> str:
    """Answer a re-segment the engine refused (plain text from the engine)."""
    reason = esc(truncate_plain(message, MAX_REASON))
    return f"⚠️ I could not segment that way: {reason}\nYour current segments stay active."


def same_options() -> str:
    """Answer a /k or /features that asks for what is already active."""
    return "That is already the active choice; nothing to change."


# --- export, datasets, forget ------------------------------------------------------------------


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


def datasets_list(
    items: Sequence[tuple[int, str, int, str, bool]],
) -> list[str]:
    """Answer /datasets; items are (number, filename, rows, uploaded_at ISO, active)."""
    if not items:
        return [no_data()]
    lines = ["<b>Your uploads</b>, newest first:"]
    for number, filename, rows, uploaded_at, active in items:
        # Two short lines each: a phone shows about 40 characters across.
        when = uploaded_at[:16].replace("T", " ")
        mark = " ✅ active" if active else ""
        lines.append(f"#{number} {bold(truncate_plain(filename, MAX_NAME))}{mark}")
        lines.append(f"    {plural(rows, 'row')} · {esc(when)} UTC")
    lines += ["", "/use N switches to upload N.", "/compare A B compares two of them."]
    return split_message(lines)


def already_active(label: UploadLabel) -> str:
    """Answer /use N for the upload already in use."""
    return (
        f"Upload #{label.number} ({bold(truncate_plain(label.filename, MAX_NAME))}) "
        "is already the one in use. /datasets lists the others."
    )


def use_usage() -> str:
    """Answer /use without a valid number."""
    return "Which upload? Send /use and its number from /datasets, e.g. /use 1."


def no_such_upload(number: str) -> str:
    """Answer /use or /compare with an unknown upload number."""
    return f"There is no upload #{esc(truncate_plain(number, 20))}. /datasets lists them."


def switched(label: UploadLabel, k: int) -> str:
    """Answer /use N."""
    return (
        f"Switched to upload #{label.number} "
        f"({bold(truncate_plain(label.filename, MAX_NAME))}), {plural(k, 'segment')}."
    )


def forget_confirm() -> str:
    """Ask before deleting a chat's data."""
    return (
        "This deletes every upload, segment and plot this chat stored. It cannot be undone.\n"
        "Are you sure?"
    )


def forget_done() -> str:
    """Confirm deletion."""
    return "Done: everything this chat stored is deleted. Send a CSV file to start again."


def forget_cancelled() -> str:
    """Confirm a cancelled deletion."""
    return "Nothing deleted."


def stale_button() -> str:
    """Answer a button the bot no longer understands."""
    return "That button is out of date. Send /help to see what I can do."


# --- compare -----------------------------------------------------------------------------------


def compare_needs_two() -> str:
    """Answer /compare with fewer than two uploads."""
    return (
        "I have no earlier upload to compare this one with.\n"
        "Send this month's CSV after last month's, then /compare; "
        "or /compare A B with two numbers from /datasets."
    )


def compare_usage() -> str:
    """Answer /compare with bad arguments."""
    return "Send /compare for the latest two uploads, or /compare A B with numbers from /datasets."
