"""The conversation in a terminal: typed lines are messages, files go to a folder.

``/upload PATH`` sends a file; buttons are shown as numbered choices (type the number);
photos and documents are written to the output folder and their paths printed. Works with
piped input, so a whole session can be scripted.
"""

from __future__ import annotations

import logging
import re
import secrets
import shlex
from pathlib import Path
from typing import TextIO

from bot.config import Config
from bot.conversation import Conversation
from bot.i18n import _
from bot.language import enter_language
from bot.replies import Album, Button, Document, Photo, Reply, Text
from bot.text import access as access_text
from bot.text import console as console_text
from bot.text.format import plain_text, terminal_text
from bot.workers import Workers
from segmentation import purchase_log_csv, sample_csv

logger = logging.getLogger(__name__)

#: The chat and user ids the console speaks as (no Telegram id is 0).
CONSOLE_CHAT_ID = 0
CONSOLE_USER_ID = 0

#: Where photos and documents go by default.
DEFAULT_OUT = Path("segbot-out")

SAMPLE_NAME = "sample_mall_customers.csv"
PURCHASES_NAME = "sample_purchases.csv"

_QUIT = frozenset({"/quit", "/exit", "quit", "exit"})


class ConsoleChat:
    """Feeds typed lines to a :class:`Conversation` and prints its replies.

    Args:
        conversation: The conversation to talk to.
        out_dir: Folder for photos and documents.
        stdout: Where to print.
    """

    def __init__(self, conversation: Conversation, out_dir: Path, stdout: TextIO) -> None:
        self.conversation = conversation
        self.out_dir = out_dir
        self.stdout = stdout
        self.choices: dict[str, Button] = {}
        self._files = 0

    def say(self, text: str = "") -> None:
        """Print a line (anything a file put in it cannot steer the terminal)."""
        print(terminal_text(text), file=self.stdout, flush=True)

    async def progress(self, html_text: str) -> None:
        """Show a status update."""
        self.say(f"… {plain_text(html_text)}")

    async def handle_line(self, line: str) -> bool:
        """Handle one typed line; return False to stop."""
        text = line.strip()
        if not text:
            return True
        if text.lower() in _QUIT:
            return False
        try:
            replies = await self.answer(text)
        except Exception:
            # As in the Telegram adapter: log the traceback with a reference, keep going.
            ref = secrets.token_hex(4)
            logger.exception("error %s while answering a console line", ref)
            replies = [Text(access_text.internal_error(ref))]
        self.show(replies)
        return True

    async def enter_language(self) -> None:
        """Speak the chat's language from now on: its /language choice, else the default
        (the terminal has no app language)."""
        await enter_language(self.conversation.chats, CONSOLE_CHAT_ID, None)

    async def answer(self, text: str) -> list[Reply]:
        """Return the conversation's replies to one typed line."""
        conv = self.conversation
        await self.enter_language()  # a line may have been /language
        if text in self.choices:
            button = self.choices[text]
            replies = await conv.on_button(
                CONSOLE_CHAT_ID, CONSOLE_USER_ID, button.data, self.progress
            )
        elif re.match(r"^/upload(?:@\S+)?(?:\s|$)", text):
            replies = await self.upload_command(text)
        else:
            replies = await conv.on_text(CONSOLE_CHAT_ID, CONSOLE_USER_ID, text, self.progress)
        return replies

    async def upload_command(self, text: str) -> list[Reply]:
        """Handle ``/upload PATH``."""
        try:
            parts = shlex.split(text)
        except ValueError:
            parts = text.split(maxsplit=1)
        if len(parts) < 2:
            return [Text(console_text.console_upload_usage())]
        path = Path(" ".join(parts[1:])).expanduser()
        if not path.is_file():
            return [Text(console_text.console_no_file(str(path)))]
        return await self.upload(path.name, path.read_bytes())

    async def upload(self, filename: str, data: bytes) -> list[Reply]:
        """Send a file to the conversation."""

        async def fetch() -> bytes:
            return data

        return await self.conversation.on_document(
            CONSOLE_CHAT_ID, CONSOLE_USER_ID, filename, len(data), fetch, self.progress
        )

    def show(self, replies: list[Reply]) -> None:
        """Print replies; write photos and documents to the output folder."""
        for reply in replies:
            if isinstance(reply, Text):
                self.say(plain_text(reply.html))
                self.show_buttons(reply.buttons)
            elif isinstance(reply, Photo):
                path = self.write(reply.filename, reply.png)
                self.say(_("[picture] {path}", path=path))
                if reply.caption:
                    self.say(plain_text(reply.caption))
                self.show_buttons(reply.buttons)
            elif isinstance(reply, Album):
                for photo in reply.photos:
                    self.say(_("[picture] {path}", path=self.write(photo.filename, photo.png)))
                    if photo.caption:
                        self.say(plain_text(photo.caption))
            elif isinstance(reply, Document):
                path = self.write(reply.filename, reply.data)
                self.say(_("[file] {path}", path=path))
                if reply.caption:
                    self.say(plain_text(reply.caption))
            self.say()

    def show_buttons(self, rows: tuple[tuple[Button, ...], ...]) -> None:
        """Print buttons as numbered choices and remember them."""
        if not rows:
            return
        self.choices = {}
        labels = []
        for button in (b for row in rows for b in row):
            number = str(len(self.choices) + 1)
            self.choices[number] = button
            labels.append(f"[{number}] {button.label}")
        self.say(_("Choose: {buttons}", buttons="  ".join(labels)))

    def write(self, filename: str, data: bytes) -> Path:
        """Write a file to the output folder under a fresh numbered name."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._files += 1
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(filename).name) or "file"
        path = self.out_dir / f"{self._files:02d}-{safe}"
        path.write_bytes(data)
        return path


async def run_console(
    config: Config,
    *,
    stdin: TextIO,
    stdout: TextIO,
    out_dir: Path = DEFAULT_OUT,
    data_file: Path | None = None,
    sample: str | None = None,
) -> int:
    """Run a console session until end of input or ``/quit``.

    Args:
        config: The settings (storage path, limits, k range; access is not checked locally).
        stdin: Lines to read.
        stdout: Where to print.
        out_dir: Folder for photos and documents.
        data_file: A file to upload at start.
        sample: Upload a bundled synthetic sample at start: ``members`` or ``purchases``.

    Returns:
        The exit status.
    """
    workers = Workers.from_config(config)
    await workers.start()
    try:
        chat = ConsoleChat(Conversation(config, workers), out_dir, stdout)
        # The greeting and a file sent at start are answered before any line is typed.
        await chat.enter_language()
        interactive = stdin.isatty()
        chat.say(plain_text(console_text.console_intro()))
        chat.say()
        if sample:
            name, data = (
                (PURCHASES_NAME, purchase_log_csv()) if sample == "purchases" else
                (SAMPLE_NAME, sample_csv())
            )  # fmt: skip
            chat.say(plain_text(console_text.console_sending_sample(name)))
            chat.show(await chat.upload(name, data))
        if data_file is not None:
            chat.show(await chat.upload(data_file.name, data_file.read_bytes()))
        while True:
            if interactive:
                print("> ", end="", file=stdout, flush=True)
            # Nothing runs between two lines, so reading blocks no other work (and Ctrl-C
            # stays immediate, unlike a read parked in a thread).
            line = stdin.readline()
            if not line:
                break
            if not interactive:
                chat.say(f"> {line.rstrip()}")
            if not await chat.handle_line(line):
                break
    finally:
        await workers.close()
    return 0
