"""The short notes a receipt keeps about columns and rows, said in the reader's language.

A receipt is stored with its notes in English (``"constant"``, ``"looks like an id"``, a skipped
row's ``"not a number"``, a purchase log's date note): each is marked where ingestion writes it,
and :func:`say_note` says a stored one in another language.
"""

from __future__ import annotations

import re

from segmentation.words import ENGLISH, N_, Text, Words

#: How a column of levels was read: ``levels Low/Average/High read as 25/50/75``.
LEVELS_NOTE = N_("levels {levels} read as {points}")
_LEVELS = re.compile(r"levels (?P<levels>.+) read as (?P<points>[\d./]+)")


def levels_note(levels: str, points: str) -> str:
    """The English note of a column of levels (``levels Low/High read as 25/75``)."""
    return LEVELS_NOTE.format(levels=levels, points=points)


def say_note(note: str, words: Words = ENGLISH) -> str:
    """A receipt's note (a column's, a skipped row's detail, a date note) in ``words``' language.

    Notes the engine does not write (a range such as ``0–120``) come back as they are.
    """
    if not note or words.language == "en":
        return note
    found = _LEVELS.fullmatch(note)
    if found is not None:
        return Text.of(LEVELS_NOTE, levels=found["levels"], points=found["points"]).say(words)
    return words(note)
