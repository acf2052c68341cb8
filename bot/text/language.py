"""What the bot says about the language it answers in (/language)."""

from __future__ import annotations

from bot.i18n import LANGUAGES, _, language_name, ngettext
from bot.text.format import code, esc, truncate_plain


def choices(current: str, chosen: bool) -> str:
    """Answer /language: the language in use, how it was chosen, and the ones on offer."""
    lines = [
        _("I answer in {language} in this chat.", language=language_name(current)),
        (
            _("Someone chose it here with /language.")
            if chosen
            else _("It follows the language of your Telegram app.")
        ),
        "",
        ngettext(
            "Choose the {n} language I speak, or type for example {example}:",
            "Choose one of the {n} languages I speak, or type for example {example}:",
            len(LANGUAGES),
            example=code("/language es"),
        ),
    ]
    lines += [f"{code(lang)} — {esc(language_name(lang))}" for lang in LANGUAGES]
    return "\n".join(lines)


def switched() -> str:
    """Answer a language change, in the new language."""
    return _(
        "From now on I answer in English in this chat. /language changes it again; "
        "/language auto follows each person's Telegram app."
    )


def following_app() -> str:
    """Answer ``/language auto``, in the asker's app language."""
    return _("From now on I answer each person in the language of their Telegram app.")


def unknown(asked: str) -> str:
    """Answer a language segbot does not speak."""
    offered = ", ".join(f"{code(lang)} ({esc(language_name(lang))})" for lang in LANGUAGES)
    return _(
        "I do not speak {asked} yet. I speak {offered}. Try {example}.",
        asked=code(truncate_plain(asked, 20)),
        offered=offered,
        example=code("/language es"),
    )
