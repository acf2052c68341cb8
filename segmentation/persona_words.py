"""Persona names, descriptions and actions in the reader's language.

Personas are made, compared and stored in English (``segmentation.personas``); a reader sees
them through :func:`localise`, which looks the texts up in a :class:`~segmentation.words.Words`.
"""

from __future__ import annotations

from segmentation.result import Persona
from segmentation.words import ENGLISH, Words


def localise(persona: Persona, words: Words = ENGLISH) -> Persona:
    """``persona`` with its name, description and action in ``words``' language."""
    if words.language == "en":
        return persona
    return Persona(
        name=words(persona.name),
        description=words(persona.description),
        action=words(persona.action),
    )
