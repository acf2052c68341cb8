"""The Telegram adapter: python-telegram-bot wiring around the conversation.

Handlers are thin: an access gate runs first, then each handler hands the message to
:class:`Conversation` and sends back what it returns. Handlers do not block the update queue,
so one chat's big upload never holds up another chat; the conversation keeps one chat's
uploads and re-segments in order.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import BotCommand, LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Conflict, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseRateLimiter,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.commands import MENU
from bot.config import Config
from bot.conversation import Conversation
from bot.i18n import LANGUAGES, _, language, normalise_language, use_language
from bot.isolation import stop_children
from bot.language import enter_language
from bot.replies import Reply
from bot.telegram_send import RetryingRateLimiter, StatusMessage, chat_action, send_replies
from bot.text import access as access_text
from bot.text import help as help_text
from bot.text.format import plain_text
from bot.workers import Workers

logger = logging.getLogger(__name__)

#: A refused user hears "this bot is private" at most once per chat in this many seconds.
REFUSAL_EVERY = 600.0
#: Quick answers (and refused files) need no "typing…"; longer work shows it after this long.
ACTION_DELAY = 0.3
#: Seconds allowed to upload one photo or document: an /export of a million rows is ~50 MB.
MEDIA_WRITE_TIMEOUT = 120.0
#: The update types the bot asks Telegram for.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
#: A repeated trouble (no network, another poller) is logged at most once in this many seconds.
NOTE_EVERY = 60.0
#: After SIGTERM, seconds allowed for a running upload to finish before it is abandoned; the
#: save is one SQLite transaction, so an abandoned upload leaves the previous data active.
SHUTDOWN_GRACE = 8.0

Work = Callable[[Conversation, StatusMessage], Awaitable[list[Reply]]]


@dataclass
class Runtime:
    """What the handlers share, kept in ``bot_data``: settings, workers, the conversation."""

    config: Config
    workers: Workers
    conversation_factory: Callable[[Config, Workers], Conversation] = Conversation
    conversation: Conversation | None = None
    refused_at: dict[int, float] = field(default_factory=dict)
    notes: RateLimitedNotes = field(default_factory=lambda: RateLimitedNotes(NOTE_EVERY))


class RateLimitedNotes:
    """Log one line per kind of repeated trouble, at most once per ``every`` seconds."""

    def __init__(self, every: float) -> None:
        self.every = every
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def note(self, kind: str, message: str, *args: object) -> bool:
        """Log ``message`` as a warning unless ``kind`` was noted less than ``every`` ago."""
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(kind, -self.every) < self.every:
                return False
            self._last[kind] = now
        logger.warning(message, *args)
        return True


def runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The shared runtime of the application."""
    value = context.bot_data["runtime"]
    assert isinstance(value, Runtime)
    return value


def conversation(context: ContextTypes.DEFAULT_TYPE) -> Conversation:
    """The conversation, created in ``post_init``."""
    value = runtime(context).conversation
    if value is None:
        raise RuntimeError("the conversation is created in post_init; it was not run")
    return value


async def answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, work: Work, action: str
) -> None:
    """Run ``work`` with a status message and chat action, then send its replies."""
    chat = update.effective_chat
    assert chat is not None
    status = StatusMessage(context.bot, chat.id)
    try:
        async with chat_action(context.bot, chat.id, action, delay=ACTION_DELAY):
            replies = await work(conversation(context), status)
    finally:
        await status.flush()
    # In a group, the answer replies to the message that asked, so it is clear whose it is.
    asked = update.message if chat.type != ChatType.PRIVATE else None
    await send_replies(context.bot, chat.id, replies, asked.message_id if asked else None)
    if replies:
        # The answer says what the status said ("Done in 0.4 s"): the status goes.
        await status.delete()


def command_text(message: Message, bot_username: str) -> str | None:
    """The command as the conversation reads it: ``/cmd@thisbot args`` becomes ``/cmd args``.

    Returns None for a command addressed to another bot in a group.
    """
    text = message.text or ""
    command = message.parse_entity(message.entities[0])
    name, _, target = command.partition("@")
    if target and target.lower() != bot_username.lower():
        return None
    return name + text[len(command) :]


# --- handlers, in the order they are registered -------------------------------------------------


async def check_access(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update from someone not allowed, with one polite refusal per chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop  # channel posts and the like: not for this bot
    conv = conversation(context)
    # Updates are checked one after another in one context: until the chat's language is
    # known (and if reading it fails), this update speaks its sender's, not the last one's.
    use_language(normalise_language(user.language_code, conv.config.bot.default_language))
    if conv.is_allowed(chat.id, user.id):
        # Everything this update answers is in the chat's language.
        await enter_language(conv.chats, chat.id, user.language_code)
        return
    logger.info("refused user %s in chat %s", user.id, chat.id)
    # A stranger is answered in their app's language; nothing of theirs is read or stored.
    refusal = access_text.not_allowed(user.id, runtime(context).config.bot.contact)
    if update.callback_query is not None:
        context.application.create_task(
            update.callback_query.answer(plain_text(refusal)[:200]),
            update=update,
        )
    refused_at = runtime(context).refused_at
    now = time.monotonic()
    if now - refused_at.get(chat.id, -REFUSAL_EVERY) >= REFUSAL_EVERY:
        refused_at[chat.id] = now
        context.application.create_task(context.bot.send_message(chat.id, refusal), update=update)
    raise ApplicationHandlerStop


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read an uploaded file: the conversation checks its size before ``fetch`` downloads it."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.document is not None and user is not None
    document = message.document

    async def fetch() -> bytes:
        file = await document.get_file()
        return bytes(await file.download_as_bytearray())

    await answer(
        update,
        context,
        lambda conv, status: conv.on_document(
            message.chat_id,
            user.id,
            document.file_name or "upload",
            document.file_size,
            fetch,
            status,
        ),
        ChatAction.UPLOAD_PHOTO,  # the answer to an upload is an overview plot
    )


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain that a picture of a table cannot be read."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    replies = await conversation(context).on_photo(message.chat_id, user.id)
    await send_replies(context.bot, message.chat_id, replies)


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Hand a command or question to the conversation and send what it answers."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    await answer(
        update,
        context,
        lambda conv, status: conv.on_text(chat.id, user.id, text, status),
        ChatAction.TYPING,
    )


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a command (``/whois 42``, ``/k@segbot 3`` in a group)."""
    message = update.effective_message
    assert message is not None
    text = command_text(message, context.bot.username)
    if text is not None:
        await answer_text(update, context, text)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a plain-English question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await answer_text(update, context, message.text)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline button: acknowledge it at once, then reply like to a command."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    data = query.data or ""
    # A press by someone other than the asker, or on an outdated prompt, gets a toast and
    # changes nothing (the prompt keeps its buttons for the person who asked).
    refusal = await conversation(context).check_press(chat.id, user.id, data)
    try:
        await query.answer(refusal or None)
    except BadRequest as err:  # pressed long ago, while the bot was down: answer anyway
        logger.info("could not acknowledge a button in chat %s: %s", chat.id, err)
    if refusal:
        logger.info("chat %s: a stale or foreign press changed nothing", chat.id)
        return
    shown = query.message
    open_prompt = isinstance(shown, Message) and shown.reply_markup is not None
    if open_prompt and conversation(context).closes_prompt(data):
        # A one-time prompt (delete everything?) loses its buttons once answered.
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as err:
            logger.info("could not close a prompt in chat %s: %s", chat.id, err)
    await answer(
        update,
        context,
        lambda conv, status: conv.on_button(chat.id, user.id, data, status),
        ChatAction.TYPING,
    )


async def on_anything_else(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer stickers, voice notes, locations and the like with what the bot understands."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, help_text.fallback_hint())


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with a short reference id first, then tell the user that id."""
    error = context.error
    notes = runtime(context).notes
    if update is None and isinstance(error, Conflict):
        notes.note(
            "conflict",
            "another copy of this bot is polling with the same token; stop it "
            "(Telegram serves one poller per bot)",
        )
        return
    if update is None and isinstance(error, NetworkError):
        notes.note("network", "cannot reach Telegram (%s); still trying", error)
        return
    ref = secrets.token_hex(4)
    chat = update.effective_chat if isinstance(update, Update) else None
    logger.error("error %s in chat %s", ref, chat.id if chat else "-", exc_info=error)
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, access_text.internal_error(ref))
    except TelegramError as err:
        logger.warning("could not report error %s to chat %s: %s", ref, chat.id, err)


# --- lifecycle --------------------------------------------------------------------------------


async def set_menus(application: Application) -> None:
    """Set the command menu in every language segbot speaks; the default one in the
    configured default language, for apps in any other language."""
    default = runtime_of(application).config.bot.default_language
    for lang in LANGUAGES:
        with language(lang):
            menu = [BotCommand(name, _(description)) for name, description in MENU]
        if lang == default:
            await application.bot.set_my_commands(menu)
        # Telegram keys menus by the two-letter language of the app ("pt" for pt-BR).
        await application.bot.set_my_commands(menu, language_code=lang.split("_")[0])


async def set_descriptions(application: Application) -> None:
    """Describe the bot in every language segbot speaks, the default one as for the menu."""
    default = runtime_of(application).config.bot.default_language
    for lang in LANGUAGES:
        with language(lang):
            long, short = help_text.bot_description(), help_text.bot_short_description()
        if lang == default:
            await application.bot.set_my_description(long)
            await application.bot.set_my_short_description(short)
        code = lang.split("_")[0]
        await application.bot.set_my_description(long, language_code=code)
        await application.bot.set_my_short_description(short, language_code=code)


async def post_init(application: Application) -> None:
    """Start the workers, create the conversation and publish the command menu."""
    state: Runtime = application.bot_data["runtime"]
    await state.workers.start()
    state.conversation = state.conversation_factory(state.config, state.workers)
    await set_menus(application)
    try:
        await set_descriptions(application)
    except TelegramError as err:  # cosmetic: the bot serves without them
        logger.warning("could not set the bot's description: %s", err)
    for chat_id, replies in await state.conversation.interrupted_uploads():
        try:
            await send_replies(application.bot, chat_id, replies)
        except TelegramError as err:  # the chat may be gone; the start must go on
            logger.warning("could not tell chat %s about its interrupted upload: %s", chat_id, err)
    watch_stop_signals(application)
    logger.info("bot @%s ready", application.bot.username)


def watch_stop_signals(application: Application) -> None:
    """On SIGTERM or SIGINT stop gracefully, but never take longer than ``SHUTDOWN_GRACE``.

    python-telegram-bot waits for every running handler before it stops; an upload that is
    still being read or segmented is abandoned after the grace period instead. Its save is
    one SQLite transaction, so the chat's previous data stays active.
    """
    loop = asyncio.get_running_loop()

    def stop() -> None:
        logger.info("stop signal received; finishing running work (at most %.0f s)", SHUTDOWN_GRACE)
        timer = threading.Timer(SHUTDOWN_GRACE, abandon_running_work)
        timer.daemon = True
        timer.start()
        application.stop_running()

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            return


def abandon_running_work() -> None:
    """Leave at once when running work outlasts the grace period after a stop signal."""
    logger.warning(
        "work still running %.0f s after the stop signal was abandoned; its chat keeps the "
        "data it had before",
        SHUTDOWN_GRACE,
    )
    stop_children()
    logging.shutdown()
    os._exit(0)


async def post_shutdown(application: Application) -> None:
    """Close the workers (lets queued database writes finish)."""
    state: Runtime = application.bot_data["runtime"]
    if not state.workers.started:  # never got past start-up (e.g. the token was refused)
        return
    await state.workers.close()
    logger.info("bot stopped; store closed")


def quiet_libraries() -> None:
    """Keep the token and chat contents out of the log, whatever the configured level.

    httpx logs every request URL at INFO, and the URL contains the token; at DEBUG,
    python-telegram-bot logs its API URL and every message it sends.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    library = logging.getLogger("telegram")
    if library.getEffectiveLevel() < logging.INFO:
        library.setLevel(logging.INFO)


def build_application(
    config: Config,
    *,
    rate_limiter: BaseRateLimiter | None = None,
    conversation_factory: Callable[[Config, Workers], Conversation] = Conversation,
) -> Application:
    """Build the bot: Bot API endpoints, HTML by default, retries, handlers.

    Args:
        config: The settings; ``telegram.token`` must be set.
        rate_limiter: Override the default (PTB's limiter plus connection retries).
        conversation_factory: Makes the conversation in ``post_init`` (a seam for tests).

    Returns:
        The application; ``run_polling`` (or initialize, ``post_init``, start) runs it.
    """
    quiet_libraries()
    telegram = config.telegram
    application = (
        ApplicationBuilder()
        .token(telegram.token)
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter or RetryingRateLimiter())
        .media_write_timeout(MEDIA_WRITE_TIMEOUT)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["runtime"] = Runtime(
        config, Workers.from_config(config), conversation_factory
    )

    # The access gate runs first and blocks (it may stop the update); every answer after it
    # runs as its own task, so a slow upload or a retried send never holds up other chats.
    messages = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, check_access), group=-1)
    application.add_handlers(
        [
            MessageHandler(messages & filters.Document.ALL, on_document, block=False),
            MessageHandler(messages & filters.PHOTO, on_photo, block=False),
            MessageHandler(messages & filters.COMMAND, on_command, block=False),
            MessageHandler(messages & filters.TEXT, on_text, block=False),
            CallbackQueryHandler(on_button, block=False),
            MessageHandler(messages, on_anything_else, block=False),
        ]
    )
    application.add_error_handler(on_error)
    return application


def runtime_of(application: Application) -> Runtime:
    """The shared runtime kept in the application's ``bot_data``."""
    value = application.bot_data["runtime"]
    assert isinstance(value, Runtime)
    return value
