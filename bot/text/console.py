"""What the terminal adapter (``segbot chat``) says around the conversation."""

from __future__ import annotations

from bot.i18n import _
from bot.text.format import (
    esc,
)


def console_intro() -> str:
    """First line of ``segbot chat``."""
    return _("segbot — type a question or /help; /upload PATH sends a file; /quit ends.")


def console_sending_sample(filename: str) -> str:
    """Say that the console uploads the bundled sample."""
    return _("(sending the bundled sample as {file})", file=esc(filename))


def console_upload_usage() -> str:
    """Answer ``/upload`` without a path in the console."""
    return _("Usage: /upload PATH — a CSV file on this computer.")


def console_no_file(path: str) -> str:
    """Answer ``/upload`` with a path that is not a file."""
    return _("No such file: {path}", path=esc(path))
