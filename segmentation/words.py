"""The engine's fixed words, in the reader's language.

The engine writes in English. Texts a reader sees (error messages, chart titles and axes, report
and workbook headings, persona names, descriptions and actions) are marked where they are written
with :func:`N_`, so the catalog tools find them, and are shown through a :class:`Words`: the
caller passes one that looks texts up in its catalogs, or leaves :data:`ENGLISH`.

    words = Words(gettext=catalog.gettext, ngettext=catalog.ngettext)
    words("Segment {number}", number=3)   # "Сегмент 3" with a Russian catalog
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def N_(message: str, /) -> str:
    """Mark ``message`` for translation where it is written; a :class:`Words` shows it."""
    return message


def _same(message: str, /) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int, /) -> str:
    return singular if n == 1 else plural


def _english_number(value: float, digits: int = 0, /) -> str:
    return f"{value:,.{digits}f}"


@dataclass(frozen=True)
class Words:
    """Texts in one language: a gettext lookup, its plural rule and its number format.

    Attributes:
        language: The language code the texts are in (``en``, ``ru``, ``pt_BR`` …).
        gettext: A marked English text -> the same text in this language.
        plural_forms: ``(singular, plural, n)`` -> the form this language uses for ``n``.
        number: ``(value, digits)`` -> the value written as this language writes numbers.
    """

    language: str = "en"
    gettext: Callable[[str], str] = _same
    plural_forms: Callable[[str, str, int], str] = _english_plural
    number: Callable[..., str] = _english_number
    #: Builds the same Words from the language code in another process (a catalog's plural
    #: rule cannot be pickled, the language code can).
    rebuild: Callable[[str], Words] | None = None

    def __reduce__(self) -> tuple[object, ...]:
        if self.rebuild is not None:
            return (self.rebuild, (self.language,))
        return (Words, (self.language,))

    def __call__(self, message: str, /, **values: object) -> str:
        """``message`` in this language, its ``{placeholders}`` filled from ``values``."""
        text = self.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a counted text this language uses for ``n`` (``{n}`` is filled)."""
        return self.plural_forms(singular, plural, n).format(n=self.number(n), **values)


#: The engine's texts as written.
ENGLISH = Words()
