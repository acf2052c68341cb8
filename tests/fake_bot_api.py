"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the benchmark.

It speaks enough of the Bot API for python-telegram-bot's ``Application`` to poll it: ``getMe``,
``getUpdates`` (long polling), ``getFile`` and file downloads under the file URL,
``deleteWebhook``, ``setMyCommands``, ``setMyDescription``, ``setMyShortDescription``,
``sendChatAction``, and it records ``sendMessage``, ``sendPhoto``, ``sendMediaGroup``,
``sendDocument``, ``editMessageText``, ``deleteMessage`` and ``answerCallbackQuery``.

It answers ``400 Bad Request`` where Telegram would: text over 4096 or caption over 1024
characters after entity parsing, empty text, invalid HTML, ``callback_data`` over 64 bytes, photos
that are not PNG/JPEG or break the size limits, edits that change nothing, unknown callback query
ids. It is stricter than Telegram in two places: a bare ``&`` is refused, as Telegram's docs ask,
and so is text without ``parse_mode=HTML`` (Telegram would show the tags as typed).

Tests play the user with ``user_says``, ``user_uploads``, ``user_sends_photo`` and
``user_presses``, then wait with ``await fake.wait_for(lambda: ...)`` and read ``sent_to(chat)``.
Nothing here imports the project, so the benchmark can load it by path.
"""

from __future__ import annotations

import asyncio
import html
import io
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

TOKEN = "123456:TEST-token-for-the-fake-bot-api"
BOT_ID = 123456
BOT_USERNAME = "segbot_test_bot"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Tags Telegram's HTML parse mode knows; attributes are checked for the two that need one.
HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


class BotApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional ``retry_after``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(description: str) -> BotApiError:
    """A 400 answer worded like Telegram's."""
    return BotApiError(400, f"Bad Request: {description}")


def parse_html(text: str) -> str:
    """Return the plain text of a Telegram HTML message, or raise a 400 as Telegram would."""
    plain: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise bad_request(f"can't parse entities: unsupported start tag at offset {i}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in HTML_TAGS:
                raise bad_request(f'can\'t parse entities: unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise bad_request(
                        f"can't parse entities: can't find start tag for end tag \"{name}\""
                    )
                stack.pop()
            else:
                if name == "a" and "href=" not in attrs:
                    raise bad_request("can't parse entities: <a> without href")
                if name == "span" and "tg-spoiler" not in attrs:
                    raise bad_request("can't parse entities: <span> without class tg-spoiler")
                stack.append(name)
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise bad_request(f"can't parse entities: bare '&' at offset {i}")
            plain.append(html.unescape(match.group(0)))
            i = match.end()
        else:
            plain.append(ch)
            i += 1
    if stack:
        raise bad_request(
            f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(plain)


def checked_html(call: Call, field: str) -> str:
    """Return a call's ``text`` or ``caption`` after checking it as Telegram would."""
    value = call.param(field) or ""
    is_text = field == "text"
    check_text(
        value,
        limit=MAX_TEXT if is_text else MAX_CAPTION,
        what="message text" if is_text else "caption",
        allow_empty=not is_text,
        parse_mode=call.param("parse_mode"),
    )
    return value


def check_text(
    text: str | None, *, limit: int, what: str, allow_empty: bool, parse_mode: str | None
) -> str:
    """Validate an HTML text or caption and return its plain text."""
    if text and parse_mode != "HTML":
        # Telegram would show the tags as typed; every message of this bot is HTML.
        raise bad_request(f"{what} sent without parse_mode=HTML (the fake requires it)")
    plain = parse_html(text or "")
    if not plain.strip() and not allow_empty:
        raise bad_request(f"{what} must be non-empty")
    if len(plain) > limit:
        raise bad_request(f"{what} is too long ({len(plain)} > {limit} characters)")
    return plain


def check_reply_markup(raw: str | None) -> list[list[tuple[str, str]]]:
    """Validate an inline keyboard and return its rows of (label, callback_data)."""
    if not raw:
        return []
    markup = json.loads(raw)
    rows: list[list[tuple[str, str]]] = []
    for row in markup.get("inline_keyboard", []):
        buttons: list[tuple[str, str]] = []
        for button in row:
            label = button.get("text", "")
            if not label.strip():
                raise bad_request("inline keyboard button text must be non-empty")
            data = button.get("callback_data")
            if data is None:
                if "url" not in button:
                    raise bad_request("can't parse inline keyboard button: no action")
                data = ""
            elif not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
            buttons.append((label, data))
        rows.append(buttons)
    return rows


def check_photo(data: bytes) -> tuple[int, int]:
    """Validate a photo upload as Telegram does and return (width, height)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID (photo over 10 MB)")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise bad_request("IMAGE_PROCESS_FAILED (not a PNG or JPEG)")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise bad_request(f"IMAGE_PROCESS_FAILED ({err})") from err
    if width + height > MAX_PHOTO_SIDES:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    if max(width, height) > MAX_PHOTO_RATIO * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height


def strip_html(text: str) -> str:
    """Plain text of already-validated HTML (for assertions)."""
    return html.unescape(_TAG.sub("", text))


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    """One request the bot made, with the fake's answer."""

    seq: int
    method: str
    params: dict[str, str]
    files: dict[str, Upload]
    status: int = 200
    description: str = ""
    expected: bool = False  # an error the test arranged (fault injection, expired query)
    at: float = field(default_factory=time.monotonic)

    def param(self, name: str) -> str | None:
        """A parameter as sent (form value)."""
        return self.params.get(name)

    @property
    def chat_id(self) -> int | None:
        """The ``chat_id`` parameter, if any."""
        raw = self.params.get("chat_id")
        return int(raw) if raw is not None else None


@dataclass
class Outgoing:
    """A message the bot sent: text, photo or document, with its edits and buttons."""

    seq: int
    chat_id: int
    message_id: int
    kind: str  # "text" | "photo" | "document"
    html: str
    buttons: list[list[tuple[str, str]]]
    file: bytes | None = None
    filename: str | None = None
    width: int = 0
    height: int = 0
    edits: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.monotonic)
    reply_to: int | None = None  # the message it answers (reply_parameters)
    album: str | None = None  # the media group it was sent in
    deleted: bool = False  # removed by deleteMessage (kept here for assertions)

    @property
    def text(self) -> str:
        """The current text or caption without HTML."""
        return strip_html(self.html)

    @property
    def labels(self) -> list[str]:
        """Every button label, row by row."""
        return [label for row in self.buttons for label, _ in row]

    def data_for(self, label: str) -> str:
        """The callback data of the button with this label."""
        for row in self.buttons:
            for text, data in row:
                if text == label:
                    return data
        raise KeyError(f"no button {label!r} on message {self.message_id}: {self.labels}")


@dataclass
class _StoredFile:
    file_id: str
    path: str
    data: bytes
    size: int


class FakeBotApi:
    """A Bot API stand-in on 127.0.0.1 with an ephemeral port, run in a background thread.

    Use as a context manager (sync or async), or call ``start()``/``close()``.
    """

    def __init__(self, *, token: str = TOKEN, max_download_bytes: int = MAX_DOWNLOAD_BYTES) -> None:
        self.token = token
        self.max_download_bytes = max_download_bytes
        self.calls: list[Call] = []
        # setMyDescription / setMyShortDescription: "description", "description:ru" …
        self.descriptions: dict[str, str] = {}
        # user id -> the language_code their app sends (none: the field is left out)
        self.user_languages: dict[int, str] = {}
        self.downloads: list[str] = []
        self._cond = threading.Condition()
        self._seq = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._messages: dict[tuple[int, int], Outgoing] = {}
        self._message_ids: dict[int, Iterator[int]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._open_queries: set[str] = set()
        self._expired_queries: set[str] = set()
        self._faults: dict[str, list[BotApiError | None]] = {}
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        """Bind to 127.0.0.1 on a free port and serve in a daemon thread."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; pending long polls return at once."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> FakeBotApi:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.close)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give python-telegram-bot as ``base_url`` (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give python-telegram-bot as ``base_file_url``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- the user's side -----------------------------------------------------------------------

    def user_says(
        self, chat_id: int, user_id: int, text: str, *, first_name: str = "Manager"
    ) -> int:
        """Enqueue a text message (commands get their ``bot_command`` entity); return its id."""
        return self._enqueue(self.text_update(chat_id, user_id, text, first_name=first_name))

    def text_update(
        self, chat_id: int, user_id: int, text: str, *, first_name: str = "Manager"
    ) -> dict[str, Any]:
        """An update carrying a text message, not queued (e.g. to post to a webhook)."""
        message = self._message(chat_id, user_id, first_name)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": message, "update_id": next(self._update_ids)}

    def user_uploads(
        self,
        chat_id: int,
        user_id: int,
        data: bytes,
        file_name: str = "customers.csv",
        *,
        mime_type: str = "text/csv",
        file_size: int | None = None,
        caption: str | None = None,
    ) -> str:
        """Enqueue a document message; ``file_size`` may claim another size. Return the file id."""
        stored = self.add_file(data, f"documents/{file_name}")
        message = self._message(chat_id, user_id, "Manager")
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": f"u{stored.file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data) if file_size is None else file_size,
        }
        if caption is not None:
            message["caption"] = caption
        self._enqueue({"message": message})
        return stored.file_id

    def user_sends_photo(self, chat_id: int, user_id: int, data: bytes = b"\xff\xd8\xff") -> str:
        """Enqueue a photo message (one size); return the file id."""
        stored = self.add_file(data, "photos/photo.jpg")
        message = self._message(chat_id, user_id, "Manager")
        message["photo"] = [
            {
                "file_id": stored.file_id,
                "file_unique_id": f"u{stored.file_id}",
                "width": 90,
                "height": 60,
                "file_size": len(data),
            }
        ]
        self._enqueue({"message": message})
        return stored.file_id

    def user_sends(self, chat_id: int, user_id: int, **content: Any) -> int:
        """Enqueue a message with arbitrary content (e.g. ``sticker=...``, ``location=...``)."""
        message = self._message(chat_id, user_id, "Manager")
        message.update(content)
        return self._enqueue({"message": message})

    def user_presses(
        self, chat_id: int, user_id: int, label: str, *, message: Outgoing | None = None
    ) -> str:
        """Press the button ``label`` on ``message`` (default: the latest one that has it)."""
        if message is None:
            candidates = [m for m in self.sent_to(chat_id) if label in m.labels]
            if not candidates:
                raise AssertionError(f"no message in chat {chat_id} has a button {label!r}")
            message = candidates[-1]
        return self.user_presses_data(chat_id, user_id, message.data_for(label), message)

    def user_presses_data(
        self,
        chat_id: int,
        user_id: int,
        data: str,
        message: Outgoing | None = None,
        *,
        expired: bool = False,
    ) -> str:
        """Enqueue a callback query with raw ``data``; return the query id.

        ``expired`` plays a press Telegram no longer lets the bot acknowledge (made while the
        bot was down): answering it gets a 400 that ``errors`` does not count.
        """
        query_id = f"q{next(self._ids)}"
        chat = self._chat(chat_id)
        query: dict[str, Any] = {
            "id": query_id,
            "from": self._user(user_id, "Manager"),
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        query["message"] = {
            "message_id": message.message_id if message else 1,
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(BOT_ID, "segbot", is_bot=True),
            "text": message.text if message and message.kind == "text" else "…",
        }
        if message is not None and message.buttons:
            keyboard = [
                [{"text": label, "callback_data": data} for label, data in row]
                for row in message.buttons
            ]
            query["message"]["reply_markup"] = {"inline_keyboard": keyboard}
        with self._cond:
            (self._expired_queries if expired else self._open_queries).add(query_id)
        self._enqueue({"callback_query": query})
        return query_id

    def add_file(self, data: bytes, path: str) -> _StoredFile:
        """Store a file the bot may fetch with getFile and a download."""
        file_id = f"f{next(self._ids)}"
        stored = _StoredFile(file_id, f"{file_id}/{path}", data, len(data))
        with self._cond:
            self._files[file_id] = stored
        return stored

    # -- what the bot did ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = 1,
        description: str = "Too Many Requests: retry later",
    ) -> None:
        """Answer the next call of ``method`` with an error (429 flood wait by default)."""
        error = BotApiError(status, description, retry_after)
        with self._cond:
            self._faults.setdefault(method, []).append(error)

    def drop_next(self, method: str) -> None:
        """Close the connection without an answer on the next call of ``method``."""
        with self._cond:
            self._faults.setdefault(method, []).append(None)

    def calls_of(self, method: str) -> list[Call]:
        """Every recorded call of ``method``, in order."""
        with self._cond:
            return [c for c in self.calls if c.method == method]

    @property
    def errors(self) -> list[Call]:
        """Calls answered with an error status the test did not arrange."""
        with self._cond:
            return [c for c in self.calls if c.status >= 400 and not c.expected]

    def sent_to(self, chat_id: int) -> list[Outgoing]:
        """The messages the bot sent to ``chat_id``, oldest first (edits applied)."""
        with self._cond:
            sent = [m for (chat, _), m in self._messages.items() if chat == chat_id]
        return sorted(sent, key=lambda m: m.seq)

    def texts_to(self, chat_id: int) -> list[str]:
        """Plain text of every message and caption sent to ``chat_id``."""
        return [m.text for m in self.sent_to(chat_id)]

    def mark(self) -> int:
        """A position in the call history; pass to ``since`` to see what came after."""
        with self._cond:
            return self.calls[-1].seq if self.calls else 0

    def since(self, mark: int, chat_id: int) -> list[Outgoing]:
        """Messages sent to ``chat_id`` after ``mark``."""
        return [m for m in self.sent_to(chat_id) if m.seq > mark]

    async def wait_for(
        self, predicate: Callable[[], object], timeout: float = 10.0, *, what: str = ""
    ) -> None:
        """Poll ``predicate`` until it is true; on timeout fail with the recent calls."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return
            if time.monotonic() > deadline:
                calls = [c for c in self.calls if c.method != "getUpdates"]
                recent = "\n".join(
                    f"  {c.method} {c.status} {c.description} {_short(c.params)}"
                    for c in calls[-15:]
                )
                raise AssertionError(f"timed out waiting for {what or predicate}:\n{recent}")
            await asyncio.sleep(0.01)

    async def wait_for_message(
        self,
        chat_id: int,
        after: int,
        match: Callable[[Outgoing], bool] = lambda m: True,
        timeout: float = 10.0,
    ) -> Outgoing:
        """Wait for a message to ``chat_id`` after mark ``after`` that satisfies ``match``."""
        found: list[Outgoing] = []

        def check() -> bool:
            found[:] = [m for m in self.since(after, chat_id) if match(m)]
            return bool(found)

        await self.wait_for(check, timeout, what=f"a message to chat {chat_id}")
        return found[0]

    # -- internals ---------------------------------------------------------------------------

    def _user(self, user_id: int, first_name: str, *, is_bot: bool = False) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if user_id in self.user_languages:
            user["language_code"] = self.user_languages[user_id]
        return user

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {-chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": "Manager"}

    def _message(self, chat_id: int, user_id: int, first_name: str) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._user(user_id, first_name),
        }

    def _enqueue(self, update: dict[str, Any]) -> int:
        with self._cond:
            if "update_id" not in update:
                update["update_id"] = next(self._update_ids)
            self._updates.append(update)
            self._cond.notify_all()
        message = update.get("message")
        return int(message["message_id"]) if message else 0

    def _record(self, method: str, params: dict[str, str], files: dict[str, Upload]) -> Call:
        with self._cond:
            call = Call(next(self._seq), method, params, files)
            self.calls.append(call)
            return call

    def _take_fault(self, method: str) -> tuple[bool, BotApiError | None]:
        with self._cond:
            faults = self._faults.get(method)
            if faults:
                return True, faults.pop(0)
            return False, None

    def _new_message(self, call: Call, kind: str, text: str, **extra: Any) -> dict[str, Any]:
        chat_id = call.chat_id
        if chat_id is None:
            raise bad_request("chat_id is empty")
        buttons = check_reply_markup(call.param("reply_markup"))
        reply = json.loads(call.param("reply_parameters") or "{}")
        if reply and not isinstance(reply.get("message_id"), int):
            raise bad_request("reply parameters need a message_id")
        with self._cond:
            ids = self._message_ids.setdefault(chat_id, itertools.count(10_001))
            message_id = next(ids)
            self._messages[(chat_id, message_id)] = Outgoing(
                call.seq,
                chat_id,
                message_id,
                kind,
                text,
                buttons,
                reply_to=reply.get("message_id"),
                **extra,
            )
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._user(BOT_ID, "segbot", is_bot=True),
        }

    def handle(self, method: str, call: Call) -> Any:
        """Answer one Bot API method; raise BotApiError for an error answer."""
        if method == "getMe":
            return {
                **self._user(BOT_ID, "segbot", is_bot=True),
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            return self._get_updates(call)
        if method in (
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "setMyDescription",
            "setMyShortDescription",
            "sendChatAction",
        ):
            return self._check_simple(method, call)
        if method == "sendMediaGroup":
            return self._media_group(call)
        if method == "deleteMessage":
            with self._cond:
                key = (call.chat_id or 0, int(call.param("message_id") or 0))
                message = self._messages.get(key)
                if message is None or message.deleted:
                    raise bad_request("message to delete not found")
                message.deleted = True
            return True
        if method == "sendMessage":
            text = checked_html(call, "text")
            result = self._new_message(call, "text", text)
            return {**result, "text": strip_html(text)}
        if method == "sendPhoto":
            caption = checked_html(call, "caption")
            upload = call.files.get("photo")
            if upload is None:
                raise bad_request("there is no photo in the request")
            width, height = check_photo(upload.data)
            result = self._new_message(
                call, "photo", caption, file=upload.data, width=width, height=height
            )
            photo = {"file_id": "p", "file_unique_id": "p", "width": width, "height": height}
            return {**result, "photo": [photo]}
        if method == "sendDocument":
            caption = checked_html(call, "caption")
            upload = call.files.get("document")
            if upload is None:
                raise bad_request("there is no document in the request")
            if not upload.data:
                raise bad_request("file must be non-empty")
            if len(upload.data) > MAX_DOCUMENT_BYTES:
                raise BotApiError(413, "Request Entity Too Large")
            result = self._new_message(
                call, "document", caption, file=upload.data, filename=upload.filename
            )
            document = {"file_id": "d", "file_unique_id": "d", "file_name": upload.filename}
            return {**result, "document": document}
        if method == "editMessageText":
            return self._edit(call)
        if method == "editMessageReplyMarkup":
            return self._edit_buttons(call)
        if method == "answerCallbackQuery":
            with self._cond:
                query_id = call.param("callback_query_id") or ""
                if query_id not in self._open_queries:
                    call.expected = query_id in self._expired_queries
                    raise bad_request("query is too old and response timeout expired")
                self._open_queries.discard(query_id)
            if len(call.param("text") or "") > 200:  # plain text, shown as a toast
                raise bad_request("callback answer text is too long")
            return True
        if method == "getFile":
            with self._cond:
                stored = self._files.get(call.param("file_id") or "")
            if stored is None:
                raise bad_request("invalid file_id")
            if stored.size > self.max_download_bytes:
                raise bad_request("file is too big")
            return {
                "file_id": stored.file_id,
                "file_unique_id": f"u{stored.file_id}",
                "file_size": stored.size,
                "file_path": stored.path,
            }
        raise BotApiError(404, "Not Found: method not found")

    def _check_simple(self, method: str, call: Call) -> bool:
        if method == "setWebhook":
            url = call.param("url") or ""
            secret = call.param("secret_token")
            if url and not url.startswith("https://"):
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
                raise bad_request("bad webhook: secret token contains unallowed characters")
        if method == "sendChatAction":
            if call.param("action") not in CHAT_ACTIONS:
                raise bad_request("wrong parameter action in request")
            if call.chat_id is None:
                raise bad_request("chat_id is empty")
        if method == "setMyDescription":
            description = call.param("description") or ""
            if len(description) > MAX_DESCRIPTION:
                raise bad_request("BOT_DESCRIPTION_INVALID")
            code = call.param("language_code") or ""
            self.descriptions["description" + (f":{code}" if code else "")] = description
        if method == "setMyShortDescription":
            short = call.param("short_description") or ""
            if len(short) > MAX_SHORT_DESCRIPTION:
                raise bad_request("BOT_SHORT_DESCRIPTION_INVALID")
            code = call.param("language_code") or ""
            self.descriptions["short_description" + (f":{code}" if code else "")] = short
        if method == "setMyCommands":
            commands = json.loads(call.param("commands") or "[]")
            if not 0 < len(commands) <= 100:
                raise bad_request("BOT_COMMANDS_TOO_MUCH")
            for command in commands:
                if not _COMMAND_NAME.fullmatch(command.get("command", "")):
                    raise bad_request("BOT_COMMAND_INVALID")
                if not 1 <= len(command.get("description", "")) <= 256:
                    raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    def _media_group(self, call: Call) -> list[dict[str, Any]]:
        """Check an album as Telegram does (2-10 photos, each caption within 1024) and record
        each photo as a message of the group."""
        media = json.loads(call.param("media") or "[]")
        if not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the album (2-10)")
        album = f"album{call.seq}"
        sent: list[dict[str, Any]] = []
        for item in media:
            if item.get("type") != "photo":
                raise bad_request("only photos are expected in this album")
            name = str(item.get("media", "")).removeprefix("attach://")
            upload = call.files.get(name)
            if upload is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            caption = item.get("caption") or ""
            check_text(
                caption,
                limit=MAX_CAPTION,
                what="caption",
                allow_empty=True,
                parse_mode=item.get("parse_mode"),
            )
            if item.get("reply_markup"):
                raise bad_request("albums cannot carry buttons")
            width, height = check_photo(upload.data)
            result = self._new_message(
                call, "photo", caption, file=upload.data, width=width, height=height, album=album
            )
            photo = {"file_id": "p", "file_unique_id": "p", "width": width, "height": height}
            sent.append({**result, "photo": [photo], "media_group_id": album})
        return sent

    def _edit_buttons(self, call: Call) -> dict[str, Any]:
        buttons = check_reply_markup(call.param("reply_markup"))
        chat_id, message_id = call.chat_id, int(call.param("message_id") or 0)
        with self._cond:
            message = self._messages.get((chat_id or 0, message_id))
            if message is None:
                raise bad_request("message to edit not found")
            if message.buttons == buttons:
                raise bad_request("message is not modified")
            message.buttons = buttons
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(message.chat_id),
            "text": message.text,
        }

    def _edit(self, call: Call) -> dict[str, Any]:
        text = checked_html(call, "text")
        buttons = check_reply_markup(call.param("reply_markup"))
        chat_id, message_id = call.chat_id, int(call.param("message_id") or 0)
        with self._cond:
            message = self._messages.get((chat_id or 0, message_id))
            if message is None:
                raise bad_request("message to edit not found")
            if message.kind != "text":
                raise bad_request("there is no text in the message to edit")
            if message.html == text and message.buttons == buttons:
                raise bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            message.edits.append(text)
            message.html = text
            message.buttons = buttons
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(message.chat_id),
            "text": strip_html(text),
        }

    def _get_updates(self, call: Call) -> list[dict[str, Any]]:
        offset = int(call.param("offset") or 0)
        limit = int(call.param("limit") or 100)
        timeout = float(call.param("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return list(self._updates[:limit])

    def download(self, path: str) -> bytes | None:
        """The bytes behind a file path given out by getFile, or None."""
        with self._cond:
            for stored in self._files.values():
                if stored.path == path:
                    self.downloads.append(stored.file_id)
                    return stored.data
        return None


def _short(params: dict[str, str]) -> str:
    """A one-line summary of request parameters for failure messages."""
    text = ", ".join(f"{k}={v[:60]!r}" for k, v in params.items())
    return text[:300]


def parse_body(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    """Decode a urlencoded or multipart form body into fields and uploaded files."""
    params: dict[str, str] = {}
    files: dict[str, Upload] = {}
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = Upload(filename, part.get_content_type(), data)
            else:
                params[str(name)] = data.decode("utf-8")
    elif content_type.startswith("application/json"):
        decoded = json.loads(body or b"{}")
        params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in decoded.items()}
    else:
        params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params, files


class _Handler(BaseHTTPRequestHandler):
    """Routes ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""

    fake: FakeBotApi
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle's algorithm the second waits for the
    # client's delayed ACK (40 ms on Linux), which would dwarf everything measured here.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the calls are recorded instead."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        path = unquote(urlsplit(self.path).path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            # The client went away mid-request (a chat action cancelled as the bot stopped):
            # Telegram would never see the call.
            self.close_connection = True
            return
        file_prefix = f"/file/bot{self.fake.token}/"
        api_prefix = f"/bot{self.fake.token}/"
        if path.startswith(file_prefix):
            data = self.fake.download(path[len(file_prefix) :])
            if data is None:
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            else:
                self._send(200, data, "application/octet-stream")
            return
        if not path.startswith(api_prefix):
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(api_prefix) :]
        params, files = parse_body(self.headers.get("Content-Type", ""), body)
        params = {**dict(parse_qsl(urlsplit(self.path).query)), **params}
        call = self.fake._record(method, params, files)
        faulted, fault = self.fake._take_fault(method)
        if faulted and fault is None:
            call.status, call.description = 0, "connection dropped"
            self.close_connection = True
            self.connection.close()
            return
        try:
            if fault is not None:
                call.expected = True
                raise fault
            result = self.fake.handle(method, call)
        except BotApiError as err:
            call.status, call.description = err.status, err.description
            answer: dict[str, Any] = {
                "ok": False,
                "error_code": err.status,
                "description": err.description,
            }
            if err.retry_after is not None:
                answer["parameters"] = {"retry_after": err.retry_after}
            self._reply(err.status, answer)
            return
        self._reply(200, {"ok": True, "result": result})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
