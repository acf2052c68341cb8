"""The conversation: what to answer to a message, a file or a button, independent of Telegram.

Adapters (the Telegram application, the console) call one of the ``on_*`` coroutines and send
the reply values they get back, in order. Text is Telegram HTML, already escaped and within
Telegram's limits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from bot import commands, uploads
from bot.answers import vocabulary_of
from bot.config import Config
from bot.i18n import N_, _
from bot.questions import DID_YOU_MEAN, understand
from bot.replies import Button, Reply, Text
from bot.state import ChatData, Progress, Request, no_progress
from bot.text import access as access_text
from bot.text import help as help_text
from bot.text import upload as upload_text
from bot.workers import Workers
from segmentation import sample_csv

__all__ = ["Conversation", "Progress", "no_progress"]

#: The name the bundled sample is loaded under (/start sample).
SAMPLE_NAME = "sample_mall_customers.csv"

logger = logging.getLogger(__name__)


#: Commands answered even while the chat's upload is being read (they need no data).
_ALWAYS_ANSWERED = frozenset({"start", "help", "thanks"})
#: What the busy answer names when the chat's work is on no upload of its own yet.
YOUR_DATA = N_("your data")


def parse_command(text: str) -> tuple[str, str] | None:
    """Split ``/cmd@botname args`` into ``("cmd", "args")``; ``None`` if not a command."""
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) < 2:
        return None
    head, _, rest = stripped[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = f"{more} {rest}".strip()
    name = head.split("@", 1)[0].lower()
    return name, rest.strip()


def _did_you_mean(command: str, text: str = "") -> Text:
    """Offer a command with a button that runs it."""
    return Text(
        text or help_text.did_you_mean(command),
        buttons=((Button(_("Yes, /{command}", command=command), f"/{command}"),),),
    )


class Conversation:
    """Answers one chat's messages, files and button presses.

    Args:
        config: The settings (access, limits, k range).
        workers: Started executors; the store lives on their database thread.
    """

    def __init__(self, config: Config, workers: Workers) -> None:
        self.config = config
        self.workers = workers
        self.chats = ChatData(config, workers)
        # chat id -> (the file being worked on, or "" for the chat's data; when it started):
        # the honest answer while it runs, worded in the language of whoever asks meanwhile.
        self._busy: dict[int, tuple[str, float]] = {}

    def is_allowed(self, chat_id: int, user_id: int) -> bool:
        """Return whether this user in this chat may use the bot (decide before downloading)."""
        return self.config.access.allows(chat_id, user_id)

    async def interrupted_uploads(self) -> list[tuple[int, list[Reply]]]:
        """At start-up: for each chat whose upload a stop or crash cut short, what to tell it."""
        notices = await uploads.interrupted_notices(self.chats)
        return [(chat_id, [Text(text)]) for chat_id, text in notices]

    def closes_prompt(self, data: str) -> bool:
        """Whether a press answers a one-time prompt, whose buttons should then disappear."""
        button, _ = commands.find_button(data)
        return button is not None and button[1].one_time

    async def check_press(self, chat_id: int, user_id: int, data: str) -> str:
        """Whether a button press may go ahead: ``""`` if so, else the short notice (a toast)
        for a press by someone other than the asker, or on an expired or outdated prompt.
        Nothing is used up: the asker can still press a prompt someone else pressed."""
        button, token = commands.find_button(data)
        if button is None or not button[1].confirmed:
            return ""
        active = await self.chats.active(chat_id)
        verdict = self.chats.confirmations.check(
            commands.confirmation_token(token),
            chat_id,
            user_id,
            active.dataset.id if active else None,
        )
        if verdict == "foreign":
            return access_text.press_foreign()
        if verdict == "stale":
            return access_text.press_stale()
        return ""

    def may_run(self, user_id: int, name: str, args: str) -> bool:
        """Return whether this user may run command ``name`` (owners alone change settings)."""
        if self.config.access.may_administer(user_id):
            return True
        entry = commands.BY_NAME.get(name)
        if entry is None or entry.owners == "all":
            return True
        return entry.owners == "changes" and not args.strip()

    async def on_text(
        self, chat_id: int, user_id: int, text: str, progress: Progress = no_progress
    ) -> list[Reply]:
        """Answer a text message: a command, or a plain-English question."""
        req = Request(chat_id, user_id, progress)
        parsed = parse_command(text)
        if parsed is not None:
            name, args = parsed
            return await self.run_command(req, name, args)
        intent = understand(text, vocabulary_of(await self.chats.active(chat_id)))
        if intent is None:
            return [Text(help_text.fallback_hint())]
        if intent.command == DID_YOU_MEAN:
            return [_did_you_mean(intent.args)]
        return await self.run_command(req, intent.command, intent.args)

    async def run_command(self, req: Request, name: str, args: str) -> list[Reply]:
        """Run command ``name`` with ``args`` for the request."""
        entry = commands.BY_NAME.get(name)
        if entry is None:
            near = understand(name)
            if near is not None and near.command in (DID_YOU_MEAN, *commands.BY_NAME):
                offered = near.args if near.command == DID_YOU_MEAN else near.command
                if offered.split()[0] in commands.BY_NAME and offered.split()[0] != name:
                    return [_did_you_mean(offered, help_text.unknown_command(name, offered))]
            return [Text(help_text.unknown_command(name))]
        if not self.may_run(req.user_id, entry.name, args):
            return [Text(access_text.owners_only(entry.name))]
        busy = self._busy.get(req.chat_id)
        if busy is not None and entry.name not in _ALWAYS_ANSWERED:
            what, started = busy
            elapsed = time.monotonic() - started
            return [Text(upload_text.still_working(what or _(YOUR_DATA), elapsed))]
        if entry.name == "start" and args.strip().lower() == commands.START_SAMPLE:
            return await self.load_sample(req)
        if entry.writes:
            return await self._locked(req, entry.handler, args)
        return await entry.handler(self.chats, req, args)

    async def load_sample(self, req: Request) -> list[Reply]:
        """Load the bundled synthetic member list into the chat, as if it had been sent."""
        data = sample_csv()

        async def fetch() -> bytes:
            return data

        return await self.on_document(
            req.chat_id, req.user_id, SAMPLE_NAME, len(data), fetch, req.progress
        )

    async def on_button(
        self, chat_id: int, user_id: int, data: str, progress: Progress = no_progress
    ) -> list[Reply]:
        """Answer an inline button press (``data`` is the button's callback payload)."""
        req = Request(chat_id, user_id, progress)
        button, token = commands.find_button(data)
        if button is not None:
            entry, action = button
            if action.writes and not self.may_run(user_id, entry.name, data):
                return [Text(access_text.owners_only(entry.name))]
            if action.writes:
                return await self._locked(req, action.handler, token)
            return await action.handler(self.chats, req, token)
        parsed = parse_command(data)
        if parsed is None:
            return [Text(help_text.stale_button())]
        return await self.run_command(req, *parsed)

    async def on_document(
        self,
        chat_id: int,
        user_id: int,
        filename: str,
        size: int | None,
        fetch: Callable[[], Awaitable[bytes]],
        progress: Progress = no_progress,
    ) -> list[Reply]:
        """Answer a file: check its name and declared size, then fetch, read and segment it.

        ``fetch`` is only called when the name and declared size are acceptable, so a refused
        file is never downloaded. Uploads of one chat are processed one at a time.
        """
        name = filename or "upload.csv"
        limit = self.config.limits.max_upload_bytes
        if not uploads.looks_like_table(name):
            return [Text(upload_text.not_a_table(name))]
        if size is not None and size > limit:
            return [Text(upload_text.too_big(size, limit))]
        req = Request(chat_id, user_id, progress)
        lock = self.chats.lock(chat_id)
        if lock.locked():
            await progress(upload_text.queued())
        async with lock:
            self._busy[chat_id] = (name, time.monotonic())
            try:
                data = await fetch()
                if len(data) > limit:
                    return [Text(upload_text.too_big(len(data), limit))]
                return await uploads.handle_upload(self.chats, req, name, data)
            finally:
                self._busy.pop(chat_id, None)

    async def on_photo(self, chat_id: int, user_id: int) -> list[Reply]:
        """Answer a photo (a picture of a table cannot be read)."""
        return [Text(upload_text.photo_received())]

    async def _locked(self, req: Request, handler: commands.Handler, args: str) -> list[Reply]:
        """Run a handler that writes, one at a time per chat; meanwhile the chat's questions
        get the honest busy answer naming the upload being worked on."""
        lock = self.chats.lock(req.chat_id)
        if lock.locked():
            await req.progress(upload_text.queued())
        async with lock:
            active = await self.chats.active(req.chat_id)
            what = active.dataset.filename if active is not None else ""
            self._busy.setdefault(req.chat_id, (what, time.monotonic()))
            try:
                return await handler(self.chats, req, args)
            finally:
                self._busy.pop(req.chat_id, None)
