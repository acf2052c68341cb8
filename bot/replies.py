"""Reply values the conversation returns; adapters turn them into Bot API calls or prints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    """An inline button: ``data`` is the callback payload (at most 64 bytes UTF-8)."""

    label: str
    data: str


@dataclass(frozen=True)
class Text:
    """A message in Telegram HTML (already escaped, at most 4096 characters)."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Photo:
    """A PNG picture with an HTML caption of at most 1024 characters."""

    png: bytes
    caption: str = ""
    filename: str = "plot.png"
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Document:
    """A file to send, with an HTML caption of at most 1024 characters."""

    data: bytes
    filename: str
    caption: str = ""
    mime_type: str = "text/csv"


Reply = Text | Photo | Document
