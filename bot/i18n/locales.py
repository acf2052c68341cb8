"""Which languages segbot speaks, and how a Telegram ``language_code`` maps onto them."""

from __future__ import annotations

#: Language -> its own name, in the order ``/language`` lists them. English is the source.
NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Русский",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "id": "Bahasa Indonesia",
}
# Telegram sends IETF tags ("pt-br", "es-419", "ru"); these map a bare language onto the variant
# segbot speaks. "in" is the old ISO code for Indonesian that some clients still send.
_BY_LANGUAGE = {"en": "en", "ru": "ru", "es": "es", "pt": "pt_BR", "id": "id", "in": "id"}


def normalise_language(code: str | None, default: str = "en") -> str:
    """The supported language for a ``language_code`` (``pt-br`` -> ``pt_BR``), else ``default``.

    Args:
        code: What Telegram or the user gave: ``"ru"``, ``"pt-BR"``, ``"es_419"``, or nothing.
        default: The language for anything segbot does not speak.
    """
    if not code:
        return default
    parts = code.strip().replace("-", "_").split("_")
    return _BY_LANGUAGE.get(parts[0].lower(), default)


def language_name(language: str) -> str:
    """A supported language's name in that language (``ru`` -> ``Русский``)."""
    return NAMES[language]
