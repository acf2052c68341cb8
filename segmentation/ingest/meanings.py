"""What the manager says a column means, for headers segbot cannot read (``AI_k`` is income).

A meaning ties a header, as written in the file, to one of the canonical fields. Headers are
matched as :meth:`CustomerTable.resolve` matches names: without regard to case, spaces and
punctuation (``AI_k``, ``ai k`` and ``AI-K`` are one header). A meaning overrides what
:mod:`segmentation.ingest.roles` would have decided from the header and the cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from segmentation.errors import IngestError
from segmentation.ingest.table import MeaningNote, normalise_name
from segmentation.words import N_

#: The words a meaning may use, and the canonical field each one names.
MEANINGS: dict[str, str] = {
    "age": "age",
    "income": "income",
    "score": "score",
    "gender": "gender",
    "id": "customer_id",
}


@dataclass(frozen=True)
class Meanings:
    """The manager's meanings, checked and ready to match against a file's headers.

    Attributes:
        given: Header -> meaning word, as given (words lower-cased), for the receipt.
        fields: Normalised header -> canonical field.
    """

    given: dict[str, str]
    fields: dict[str, str]

    def field_for(self, header: str) -> str | None:
        """The canonical field the manager gave ``header``, or ``None``."""
        return self.fields.get(normalise_name(header))

    def not_in(self, headers: list[str]) -> tuple[MeaningNote, ...]:
        """The meanings whose header is none of ``headers``, in the order given."""
        present = {normalise_name(h) for h in headers}
        return tuple(
            MeaningNote(header, word, "not_in_file")
            for header, word in self.given.items()
            if normalise_name(header) not in present
        )


NO_MEANINGS = Meanings({}, {})


def check_meanings(meanings: Mapping[str, str] | None) -> Meanings:
    """Check the manager's meanings: known words, one meaning per header.

    One meaning may be given to several headers (files from different months may name the
    same column differently); a file holding two of them is refused when it is read.

    Args:
        meanings: Header -> meaning word (one of :data:`MEANINGS`, any case), or ``None``.

    Returns:
        The checked meanings.

    Raises:
        IngestError: An unknown meaning word, a header with no letters or digits, or one
            header given two different meanings.
    """
    if not meanings:
        return NO_MEANINGS
    given: dict[str, str] = {}
    fields: dict[str, str] = {}
    for header, word in meanings.items():
        meaning = str(word).strip().lower()
        if meaning not in MEANINGS:
            raise IngestError(
                N_(
                    "{word} is not a meaning I know (for the column {column}). Use one of "
                    "{meanings}, for example AI_k=income."
                ),
                word=repr(word),
                column=repr(header),
                meanings=", ".join(MEANINGS),
            )
        key = normalise_name(str(header))
        if not key:
            raise IngestError(
                N_(
                    "{column} is not a column name: it needs a letter or a digit, for example "
                    "AI_k=income."
                ),
                column=repr(header),
            )
        if fields.get(key, MEANINGS[meaning]) != MEANINGS[meaning]:
            raise IngestError(
                N_(
                    "The column {column} is given two meanings; give it one, for example {example}."
                ),
                column=repr(header),
                example=f"{header}={meaning}",
            )
        if key not in fields:
            given[str(header).strip()] = meaning
        fields[key] = MEANINGS[meaning]
    return Meanings(given, fields)


def update_meanings(
    current: Mapping[str, str], changes: Mapping[str, str | None]
) -> dict[str, str]:
    """Lay new meanings over the current ones.

    A header given a meaning replaces any current meaning of that header (``ai k`` replaces
    ``AI_k``, matched as headers are) and any other header with the same meaning: saying
    ``Inc=income`` after ``AI_k=income`` corrects it rather than adding a second income.

    Args:
        current: Header -> meaning word, as kept.
        changes: Header -> its new meaning word, or ``None`` to withdraw its meaning.

    Returns:
        The meanings afterwards (words lower-cased, unchecked: see :func:`check_meanings`).
    """
    result = {str(header).strip(): str(word).strip().lower() for header, word in current.items()}
    words = {str(word).strip().lower() for word in changes.values() if word is not None}
    result = {h: w for h, w in result.items() if w not in words}
    for header, word in changes.items():
        key = normalise_name(header)
        result = {h: w for h, w in result.items() if normalise_name(h) != key}
        if word is not None:
            result[header.strip()] = word.strip().lower()
    return result
