"""The engine's texts (errors, charts, personas, report and workbook headings) in the chat's
language: the engine takes a :class:`segmentation.Words` and the bot hands it this one."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel.numbers import format_decimal

from bot.i18n.catalog import translations
from bot.i18n.context import current_language
from segmentation import Persona, Segment, Words, localise_persona


@cache
def _words(language: str) -> Words:
    catalog = translations(language)
    return Words(
        language=language,
        gettext=catalog.gettext,
        plural_forms=catalog.ngettext,
        number=_number_in(language),
        rebuild=_words,
    )


def _number_in(language: str) -> Callable[..., str]:
    """Numbers written as ``language`` writes them, whatever the current context's language."""

    def write(value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
        return format_decimal(value, format=pattern, locale=language)

    return write


def words() -> Words:
    """The engine's words in the language of the update being answered."""
    return _words(current_language())


def persona(segment: Segment) -> Persona:
    """A segment's persona (name, description, action) in the chat's language."""
    return localise_persona(segment.persona, words())


def chart_key(name: str) -> str:
    """The name a chart is kept under: charts carry words, so each language keeps its own."""
    language = current_language()
    return name if language == "en" else f"{name}.{language}"


def persona_name(name: str) -> str:
    """A persona's name as stored (English) in the chat's language."""
    return localise_persona(Persona(name=name, description="", action=""), words()).name
