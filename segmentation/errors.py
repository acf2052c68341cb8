"""The engine's errors: each one's message is written for the manager who sent the file.

A message is kept as a :class:`~segmentation.words.Text` (its marked English template and the
values that fill it), so the caller can say it in the reader's language with :meth:`say`;
``str(e)`` is the English.

    raise IngestError(N_("The file has {rows} rows; the limit is {limit}."), rows=n, limit=m)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from segmentation.words import ENGLISH, Text, Words


def _same(text: str, /) -> str:
    return text


class EngineError(Exception):
    """An error whose message a manager reads, in any language.

    Args:
        template: The English message, marked with ``N_`` where it is written, or a
            :class:`Text` made beforehand.
        values: What fills the template's ``{placeholders}`` (numbers as numbers).
    """

    def __init__(self, template: str | Text, /, **values: object) -> None:
        self.text = template if isinstance(template, Text) else Text(template, values)
        super().__init__(self.text.say())

    @property
    def template(self) -> str:
        """The English template of the message."""
        return self.text.template

    @property
    def values(self) -> Mapping[str, object]:
        """The values that fill the template."""
        return self.text.values

    def say(self, words: Words = ENGLISH, escape: Callable[[str], str] = _same) -> str:
        """The message in ``words``' language, every text value passed through ``escape``."""
        return self.text.say(words, escape)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled (to and from worker processes) with its template, not only its English.
        return (type(self), (self.text,))


class IngestError(EngineError):
    """The upload cannot be read as a customer table; the message tells the manager why."""


class SegmentationError(EngineError):
    """The table cannot be segmented as asked; the message says why and what to do."""
