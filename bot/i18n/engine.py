"""The engine's texts (errors, charts, personas, report and workbook headings) in the chat's
language: the engine takes a :class:`segmentation.Words` and the bot hands it this one."""

from __future__ import annotations

from functools import cache, partial

from bot.i18n.catalog import translations
from bot.i18n.context import current_language
from bot.i18n.formats import number
from segmentation import Persona, Segment, Words, localise_persona


@cache
def _words(language: str) -> Words:
    catalog = translations(language)
    return Words(
        language=language,
        gettext=catalog.gettext,
        plural_forms=catalog.ngettext,
        number=partial(number, language=language),
        rebuild=_words,
    )


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
