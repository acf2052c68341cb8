"""Reply values the conversation returns; adapters turn them into Bot API calls or prints."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from bot.text import export as export_text
from bot.text import help as help_text
from bot.text.format import DOCUMENT_LIMIT, plain_text


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


@dataclass(frozen=True)
class Album:
    """Two to ten photos sent as one album; each caption at most 1024 characters."""

    photos: tuple[Photo, ...]


Reply = Text | Photo | Document | Album


def texts(messages: list[str], buttons: tuple[tuple[Button, ...], ...] = ()) -> list[Reply]:
    """Wrap messages as Text replies, with ``buttons`` under the last one.

    Blank messages are dropped: Telegram refuses an empty text (and python-telegram-bot would
    send it as ``[]``). When nothing is left, one short message says so.
    """
    kept = [m for m in messages if plain_text(m).strip()] or [help_text.nothing_to_show()]
    replies: list[Reply] = [Text(m) for m in kept[:-1]]
    replies.append(Text(kept[-1], buttons=buttons))
    return replies


def document(data: bytes, filename: str, caption: str, mime_type: str = "text/csv") -> Document:
    """A document (CSV unless said), zipped when it is too big for Telegram to accept as is."""
    if len(data) <= DOCUMENT_LIMIT:
        return Document(data, filename, caption, mime_type)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(filename, data)
    zipped = f"{PurePath(filename).stem}.zip"
    return Document(
        buffer.getvalue(), zipped, caption + "\n" + export_text.zipped_note(), "application/zip"
    )
