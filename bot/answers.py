"""Small helpers that turn wording into reply values."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from bot import wording
from bot.formatting import DOCUMENT_LIMIT, plain_text
from bot.replies import Button, Document, Reply, Text


def texts(messages: list[str], buttons: tuple[tuple[Button, ...], ...] = ()) -> list[Reply]:
    """Wrap messages as Text replies, with ``buttons`` under the last one.

    Blank messages are dropped: Telegram refuses an empty text (and python-telegram-bot would
    send it as ``[]``). When nothing is left, one short message says so.
    """
    kept = [m for m in messages if plain_text(m).strip()] or [wording.nothing_to_show()]
    replies: list[Reply] = [Text(m) for m in kept[:-1]]
    replies.append(Text(kept[-1], buttons=buttons))
    return replies


def whole_number(text: str) -> int | None:
    """Return ``text`` as a whole number when it is one of at most 9 plain digits, else ``None``.

    ``str.isdigit`` also accepts superscripts such as ``²`` that ``int`` refuses, and a longer
    number would not fit an SQLite integer.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


def safe_stem(filename: str) -> str:
    """Return a file name's stem reduced to safe characters, for generated file names."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", PurePath(filename).stem).strip("-")
    return stem[:40] or "customers"


def document(data: bytes, filename: str, caption: str) -> Document:
    """A CSV document, zipped when it is too big for Telegram to accept as is."""
    if len(data) <= DOCUMENT_LIMIT:
        return Document(data, filename, caption)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(filename, data)
    zipped = f"{PurePath(filename).stem}.zip"
    return Document(
        buffer.getvalue(), zipped, caption + "\n" + wording.zipped_note(), "application/zip"
    )
