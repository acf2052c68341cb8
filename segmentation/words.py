"""The engine's fixed words, in the reader's language.

The engine writes in English. Texts a reader sees (error messages, chart titles and axes, report
and workbook headings, persona names, descriptions and actions) are marked where they are written
with :func:`N_`, so the catalog tools find them, and are shown through a :class:`Words`: the
caller passes one that looks texts up in its catalogs, or leaves :data:`ENGLISH`.

    words = Words(gettext=catalog.gettext, ngettext=catalog.ngettext)
    words("Segment {number}", number=3)   # "Сегмент 3" with a Russian catalog

A text made before anyone knows who reads it (an error raised deep in ingestion, a note kept in
a receipt) is kept as a :class:`Text`: its marked English template and the values that fill
it, said in a language later with :meth:`Text.say`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class Number:
    """A number inside a :class:`Text`, written as the reader's language writes numbers.

    Attributes:
        value: The number.
        digits: Digits after the decimal mark (English always writes them; other languages as
            their format says).
        grouped: Whether thousands are grouped (``1,234``); ``False`` writes ``1234.5``.
    """

    value: float
    digits: int = 0
    grouped: bool = True

    def say(self, words: Words = ENGLISH) -> str:
        """The number in ``words``' language."""
        text = words.number(self.value, self.digits)
        if not self.grouped:
            group = words.number(1000)[1:-3]  # the mark between thousands, if any
            text = text.replace(group, "") if group else text
        return text


@dataclass(frozen=True)
class Text:
    """A text the engine wrote, kept as its marked template and values until it is shown.

    ``str(text)`` is the English. Values are said in the reader's language too: an ``int`` or a
    :class:`Number` as that language writes numbers, a nested :class:`Text` in its words, a
    ``str`` as it is (passed through the ``escape`` given to :meth:`say`).

    Attributes:
        template: The English text, marked with :func:`N_` where it is written.
        values: What fills its ``{placeholders}``.
        plural: For a counted text, the English plural form (``template`` is the singular).
        count: For a counted text, the count that picks the form (it fills ``{n}``).
    """

    template: str
    values: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    count: int = 0

    @classmethod
    def of(cls, template: str, /, **values: object) -> Text:
        """``Text.of(N_("Only {n} rows"), n=3)``: a template and its values."""
        return cls(template, values)

    @classmethod
    def counted(cls, singular: str, plural: str, n: int, /, **values: object) -> Text:
        """A counted text: ``Text.ngettext`` without the name the catalog tools look for."""
        return cls(singular, dict(values), plural, int(n))

    # The catalog tools find counted texts by this name: ``Text.ngettext("{n} row", …)``.
    ngettext = counted

    def say(self, words: Words = ENGLISH, escape: Callable[[str], str] = _same) -> str:
        """This text in ``words``' language, every text value passed through ``escape``.

        Args:
            words: The language to say it in.
            escape: Applied to each ``str`` value (say ``html.escape`` for a chat), never to
                the template or to numbers.

        Returns:
            The text with its placeholders filled.
        """
        values = {name: _say(value, words, escape) for name, value in self.values.items()}
        if self.plural is not None:
            values.setdefault("n", words.number(self.count))
            return words.plural_forms(self.template, self.plural, self.count).format(**values)
        # gettext("") is the catalog's header, never a text.
        text = words.gettext(self.template) if self.template else ""
        return text.format(**values) if values else text

    def __str__(self) -> str:
        return self.say()


def _say(value: object, words: Words, escape: Callable[[str], str]) -> str:
    """One value of a :class:`Text` in ``words``' language."""
    if isinstance(value, Text):
        return value.say(words, escape)
    if isinstance(value, Number):
        return value.say(words)
    if isinstance(value, int) and not isinstance(value, bool):
        return words.number(value)
    return escape(str(value))
