"""The answers of /columns: what each header was taken to be, and the manager's meanings.

Pure functions returning Telegram HTML; every header and word the manager typed or the file
holds is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import _, ngettext, words
from bot.text.format import (
    FIELD_NAMES,
    MAX_NAME,
    bold,
    code,
    esc,
    fmt_list,
    meaning_name,
    split_message,
    truncate_plain,
)
from bot.text.upload import meaning_note_lines
from segmentation import CANONICAL_NUMERIC, MEANINGS, ColumnRole, Receipt, receipt_note

#: Most headers listed by /columns before "and N more".
MAX_HEADERS = 60

EXAMPLE = "/columns AI_k=income SS_1_100=score"


def _words() -> str:
    """The meaning words, for a hint."""
    return fmt_list([code(word) for word in MEANINGS], "or")


def _header(header: str) -> str:
    """A header, shortened and escaped."""
    return esc(truncate_plain(header, MAX_NAME))


def meanings_list(meanings: Mapping[str, str]) -> str:
    """``AI_k is income and SS_1_100 is spending score`` (escaped)."""
    return fmt_list(
        [
            _("{header} is {meaning}", header=_header(h), meaning=esc(meaning_name(w)))
            for h, w in meanings.items()
        ]
    )


def how_to() -> str:
    """How to give, undo and forget meanings."""
    return _(
        "Say what a column means: {example} (meanings: {words}). Header=auto undoes one; "
        "/columns clear forgets them all.",
        example=EXAMPLE,
        words=_words(),
    )


def _field_name(field: str) -> str:
    """A canonical field as the chat names it."""
    return _("customer id") if field == "customer_id" else _(FIELD_NAMES[field])


def _role(role: ColumnRole) -> str:
    """What segbot took one column to be (escaped)."""
    note = f" ({esc(receipt_note(role.note, words()))})" if role.note else ""
    if role.kind in ("id", "gender"):
        what = _field_name(role.field)
    elif role.kind == "numeric" and role.field in CANONICAL_NUMERIC:
        what = _(FIELD_NAMES[role.field]) + note
    elif role.kind == "numeric":
        what = _("a number, not segmented on{note}", note=note) if role.note else _("a number")
    elif role.kind == "attribute":
        what = _("text, to describe segments") + note
    else:
        what = _("not used") + note
    return _("{what}, as you said", what=what) if role.by_meaning else what


def listing(
    meanings: Mapping[str, str], filename: str | None, receipt: Receipt | None
) -> list[str]:
    """Answer /columns alone: the chat's meanings and how the active upload was read.

    Args:
        meanings: The chat's column meanings, header -> word.
        filename: The active upload's file name, or ``None`` before any upload.
        receipt: How the active upload was read, or ``None``.

    Returns:
        Messages within Telegram's limit.
    """
    if meanings:
        lines = [_("<b>Your column meanings</b>: {meanings}.", meanings=meanings_list(meanings))]
    else:
        lines = [
            _(
                "<b>Your column meanings</b>: none yet. I take each column to be what its "
                "header says."
            )
        ]
    if receipt is not None and filename is not None:
        name = bold(truncate_plain(filename, MAX_NAME))
        lines += ["", _("{file}, as I read it:", file=name)]
        shown = receipt.columns[:MAX_HEADERS]
        lines += [f"• {_header(role.source)} — {_role(role)}" for role in shown]
        if len(receipt.columns) > MAX_HEADERS:
            more = len(receipt.columns) - MAX_HEADERS
            lines.append("… " + ngettext("and {n} more column", "and {n} more columns", more))
        lines += meaning_note_lines(receipt.meaning_notes)
    else:
        lines += ["", _("No upload yet: send a file and I will read it with these meanings.")]
    lines += ["", how_to()]
    return split_message(lines)


def bad_pair(fragment: str) -> str:
    """Answer /columns with text that is not header=meaning pairs."""
    return _(
        "I could not read {fragment} as a column and its meaning. Write each as "
        "header=meaning, for example {example}.\n"
        "For headers with spaces, separate the pairs with commas: "
        "/columns Annual Inc=income, Spend Idx=score",
        fragment=code(truncate_plain(fragment, MAX_NAME)),
        example=EXAMPLE,
    )


def unknown_meaning(header: str, word: str) -> str:
    """Answer /columns with a meaning word segbot does not know."""
    return _(
        "{word} is not a meaning I know (for {header}). Use {words}, or auto to undo one; for "
        "example {example}.",
        word=code(truncate_plain(word, MAX_NAME)),
        header=code(truncate_plain(header, MAX_NAME)),
        words=_words(),
        example=EXAMPLE,
    )


def given_twice(header: str) -> str:
    """Answer /columns that gives one header two meanings."""
    name = code(truncate_plain(header, MAX_NAME))
    return _(
        "You gave {header} two meanings; give it one, for example {example}.",
        header=name,
        example=EXAMPLE,
    )


def refused(message: str) -> str:
    """Answer meanings the engine cannot read the data with (plain text from the engine)."""
    return "⚠️ " + _("Your column meanings stay as they were.") + f"\n{esc(message)}"


def unchanged() -> str:
    """Answer /columns that asks for the meanings already in use."""
    return _("Those are already your column meanings; nothing to change.")


def nothing_to_forget() -> str:
    """Answer /columns clear when there is nothing to forget."""
    return _("You have no column meanings to forget; I read columns by their headers.")


def kept_for_next(meanings: Mapping[str, str], active_reads_them: bool) -> str:
    """Answer meanings kept for the next uploads without re-reading anything."""
    if not meanings:
        text = _("Forgot your column meanings; I will read your next uploads by their headers.")
    else:
        text = _(
            "Noted: {meanings}. I will read your next uploads with these meanings.",
            meanings=meanings_list(meanings),
        )
    if active_reads_them:
        text += " " + _("The active upload is already read this way.")
    return text


def read_again(filename: str, receipt: Receipt) -> str:
    """Introduce the segments of the active upload read again with the new meanings."""
    name = bold(truncate_plain(filename, MAX_NAME))
    given = {role.source: role.field for role in receipt.columns if role.by_meaning}
    if given:
        said = fmt_list(
            [
                _("{header} as {meaning}", header=_header(h), meaning=esc(_field_name(f)))
                for h, f in given.items()
            ]
        )
        lines = [_("Read {file} again as you said: {said}.", file=name, said=said)]
    elif receipt.meanings:
        lines = [
            _(
                "Read {file} again; none of your column meanings names one of its columns.",
                file=name,
            )
        ]
    else:
        lines = [_("Forgot your column meanings and read {file} again by its headers.", file=name)]
    lines += meaning_note_lines(receipt.meaning_notes)
    lines.append(_("I will read your next uploads the same way."))
    return split_message(lines)[0]


def not_kept() -> str:
    """Say that meanings were not kept because the upload could not be segmented with them."""
    return _("Your column meanings stay as they were.")
