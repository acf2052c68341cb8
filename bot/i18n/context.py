"""The language of the update being answered, and the functions that translate texts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from bot.i18n.catalog import LANGUAGES, translations

_language: ContextVar[str] = ContextVar("segbot_language", default="en")


def current_language() -> str:
    """The language texts are rendered in right now."""
    return _language.get()


def use_language(language: str) -> Token[str]:
    """Render texts in ``language`` from now on in this context (reset with the token)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    return _language.set(language)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render texts in ``code`` inside the ``with`` block."""
    token = use_language(code)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{placeholders}`` filled from ``values``."""
    text = translations(_language.get()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form of a counted message the current language uses for ``n`` (``{n}`` is filled)."""
    text = translations(_language.get()).ngettext(singular, plural, n)
    from bot.i18n.formats import number

    return text.format(n=number(n), **values)


def N_(message: str, /) -> str:
    """Mark ``message`` for translation where it is defined; :func:`_` translates it when shown."""
    return message
