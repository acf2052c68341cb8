"""Columns as a reader sees them, in the reader's language: labels, units, level shares.

The file's own headers stay as written; the labels the engine gives the columns it makes (a
purchase log's figures), the canonical fields' short names, the units it writes and the gender
levels are said in the reader's language.
"""

from __future__ import annotations

from segmentation.display import friendly_label
from segmentation.features import level_parts
from segmentation.ingest.purchases import AGGREGATES, FAVOURITE, SCORES
from segmentation.persona_words import localise
from segmentation.result import Persona, Segmentation
from segmentation.words import ENGLISH, N_, Words

#: The labels the engine gives the columns it makes (a purchase log's figures and scores).
ENGINE_LABELS: dict[str, str] = {
    **{column: label for column, (label, _) in AGGREGATES.items()},
    **SCORES,
}
#: The units the engine writes itself (the file's own units, ``k$``, stay as written).
ENGINE_UNITS = frozenset(unit for _, unit in AGGREGATES.values() if unit)
#: The canonical fields, named in the engine's words rather than by the file's header.
_FIELD_LABELS = ("age", "income", "score")
#: Gender levels (as the engine writes them) as a label names them.
GENDERS = {"Female": N_("female"), "Male": N_("male"), "Other": N_("other")}
_FAVOURITE_PREFIX = "favourite "


def shown_labels(seg: Segmentation, words: Words = ENGLISH) -> dict[str, str]:
    """Column -> label, the engine's own labels in ``words``' language, the file's as written."""
    if words.language == "en":
        return seg.labels
    shown = dict(seg.labels)
    for column, label in seg.labels.items():
        if ENGINE_LABELS.get(column) == label:
            shown[column] = words(label)
        elif column.startswith(_FAVOURITE_PREFIX):
            header = column[len(_FAVOURITE_PREFIX) :]
            if label == FAVOURITE.format(column=header.lower()):
                shown[column] = words(FAVOURITE, column=header.lower())
    return shown


def shown_unit(unit: str | None, words: Words = ENGLISH) -> str | None:
    """A unit in ``words``' language when the engine wrote it (``days ago``), else as written."""
    return words(unit) if unit in ENGINE_UNITS else unit


def short_label(seg: Segmentation, feature: str, words: Words = ENGLISH) -> str:
    """A feature's short lower-case label for a title (``income``, ``last purchase``)."""
    if feature in _FIELD_LABELS:
        return words(friendly_label(feature, seg.labels))
    return friendly_label(feature, shown_labels(seg, words))


def level_label(feature: str, words: Words = ENGLISH) -> str:
    """A level feature's label: ``Female share``."""
    column, level = level_parts(feature)
    if column == "gender" and level in GENDERS:
        text = words(N_("{level} share"), level=words(GENDERS[level]))
        return text[:1].upper() + text[1:]
    return words(N_("{level} share"), level=level)


def persona_name(name: str, words: Words = ENGLISH) -> str:
    """A persona's name as stored (English) in ``words``' language."""
    if not name:
        return name
    return localise(Persona(name=name, description="", action=""), words).name
