"""Turning reply values into Bot API calls: messages, photos, documents, status and chat actions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from typing import Any

import httpx
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

from bot.replies import Album, Button, Photo, Reply, Text

logger = logging.getLogger(__name__)

#: Seconds a chat action shows on the user's screen is 5; refresh a little before.
CHAT_ACTION_EVERY = 4.5
#: Retries of a request that failed to reach Telegram (connection refused, reset, ...).
NETWORK_RETRIES = 3
#: First pause before retrying a failed connection; doubled on each retry.
NETWORK_BACKOFF = 0.5
#: Calls sent at once, outside the flood limits: a "typing…" held back behind a group's
#: 20 messages a minute would show after the answer it announces.
UNTHROTTLED = frozenset({"sendChatAction"})


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard for button rows (None when there are none)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


async def send_reply(bot: Bot, chat_id: int, reply: Reply, reply_to: int | None = None) -> None:
    """Send one reply value as the matching Bot API call (answering message ``reply_to``)."""
    to = (
        ReplyParameters(reply_to, allow_sending_without_reply=True)
        if reply_to is not None
        else None
    )
    if isinstance(reply, Text):
        await bot.send_message(
            chat_id, reply.html, reply_markup=keyboard(reply.buttons), reply_parameters=to
        )
    elif isinstance(reply, Photo):
        await bot.send_photo(
            chat_id,
            InputFile(reply.png, filename=reply.filename),
            caption=reply.caption or None,
            reply_markup=keyboard(reply.buttons),
            reply_parameters=to,
        )
    elif isinstance(reply, Album):
        await bot.send_media_group(
            chat_id,
            [
                InputMediaPhoto(
                    photo.png,
                    filename=photo.filename,
                    caption=photo.caption or None,
                    parse_mode=ParseMode.HTML,
                )
                for photo in reply.photos
            ],
            reply_parameters=to,
        )
    else:
        await bot.send_document(
            chat_id,
            InputFile(reply.data, filename=reply.filename),
            caption=reply.caption or None,
            reply_parameters=to,
        )


async def send_replies(
    bot: Bot, chat_id: int, replies: Sequence[Reply], reply_to: int | None = None
) -> None:
    """Send replies in order (the rate limiter paces them); the first answers ``reply_to``."""
    for index, reply in enumerate(replies):
        if isinstance(reply, Photo | Album):
            await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
        await send_reply(bot, chat_id, reply, reply_to if index == 0 else None)


class StatusMessage:
    """The one status message of a request: sent on first use, then edited in place.

    It is the conversation's ``Progress`` callable. Showing a status never holds the work up:
    the call returns at once and a background task sends or edits the message, skipping
    statuses overtaken while a request was in flight. :meth:`flush` waits until the latest
    status is shown, so the answers come after it. A status that cannot be shown is logged
    and the work goes on.
    """

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.message_id: int | None = None
        self._wanted = ""
        self._shown = ""
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, html: str) -> None:
        """Show ``html`` as the request's status (soon)."""
        self._wanted = html
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._show(), name=f"status-{self.chat_id}")

    async def flush(self) -> None:
        """Wait until the latest status is shown (or failed to be)."""
        if self._task is not None:
            await self._task

    async def delete(self) -> None:
        """Remove the status message once the answer is sent (it said nothing new)."""
        if self.message_id is None:
            return
        try:
            await self.bot.delete_message(self.chat_id, self.message_id)
        except TelegramError as err:
            logger.info("could not remove the status in chat %s: %s", self.chat_id, err)

    async def _show(self) -> None:
        """Send or edit until the message shows the latest wanted status."""
        while self._wanted != self._shown:  # an edit that changes nothing is refused
            html = self._wanted
            try:
                if self.message_id is None:
                    message = await self.bot.send_message(self.chat_id, html)
                    self.message_id = message.message_id
                else:
                    await self.bot.edit_message_text(
                        html, chat_id=self.chat_id, message_id=self.message_id
                    )
            except TelegramError as err:
                logger.warning("could not show status in chat %s: %s", self.chat_id, err)
                return
            self._shown = html


@contextlib.asynccontextmanager
async def chat_action(
    bot: Bot, chat_id: int, action: str = ChatAction.TYPING, *, delay: float = 0.0
) -> AsyncIterator[None]:
    """Keep showing ``action`` ("typing…") in the chat while the block runs.

    The first action is sent after ``delay`` seconds, so quick answers cost no extra call.
    """

    async def repeat() -> None:
        await asyncio.sleep(delay)
        while True:
            try:
                await bot.send_chat_action(chat_id, action)
            except TelegramError as err:
                logger.debug("chat action failed in chat %s: %s", chat_id, err)
            await asyncio.sleep(CHAT_ACTION_EVERY)

    task = asyncio.create_task(repeat(), name=f"chat-action-{chat_id}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


#: Calls python-telegram-bot retries by itself for ever (start-up and polling); retrying them
#: here too would only log every lost connection twice.
SELF_RETRIED = frozenset({"getMe", "getUpdates", "deleteWebhook", "setWebhook"})


def is_transient(err: NetworkError) -> bool:
    """True when Telegram never answered (connection refused or dropped) or answered 502."""
    if isinstance(err, BadRequest | TimedOut):
        return False
    return isinstance(err.__cause__, httpx.TransportError) or "Bad Gateway" in err.message


class RetryingRateLimiter(AIORateLimiter):
    """PTB's rate limiter (flood limits, ``retry_after``) that also retries lost connections.

    Only failures where Telegram never answered are retried (see :func:`is_transient`): not a
    refusal (``BadRequest``, 413 for a file too large), nor a request that timed out after it
    was sent, which may have been delivered: retrying it could send a message twice. Chat
    actions skip the limiter: they are best effort and only useful at once.
    """

    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = NETWORK_RETRIES,
        backoff: float = NETWORK_BACKOFF,
    ) -> None:
        super().__init__(max_retries=max_retries)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send through the rate limiter; retry connection failures with a growing pause."""
        if endpoint in UNTHROTTLED:
            return await callback(*args, **kwargs)
        if endpoint in SELF_RETRIED:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        pause = self.backoff
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except NetworkError as err:
                if attempt == self.network_retries or not is_transient(err):
                    raise
                logger.warning("%s failed (%s); retrying in %.1f s", endpoint, err, pause)
                await asyncio.sleep(pause)
                pause *= 2
        raise AssertionError("unreachable")  # pragma: no cover
