"""Serving Telegram: long polling or a webhook, a start-up that survives, a token never shown.

:func:`run_bot` is what ``segbot run`` calls. Without network at start it waits and retries for
ever; a refused token becomes one line; the library's per-attempt retry tracebacks become one
log line a minute (:class:`RetryNotes`); the token is redacted from every log line.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from telegram.error import InvalidToken
from telegram.ext import Application

from bot.config import TOKEN_ENV, Config, ConfigError
from bot.telegram_app import ALLOWED_UPDATES, RateLimitedNotes, build_application, runtime_of

logger = logging.getLogger(__name__)

#: The logger python-telegram-bot's retry loop writes to (its module is ``networkloop``); the
#: loop logs every failed attempt, with a traceback when it gives up.
RETRY_LOGGER = "telegram.ext"


class RetryNotes(logging.Filter):
    """Turn python-telegram-bot's per-attempt retry tracebacks into one line a minute.

    While the network is down at start (a reboot before DNS is up) the bot waits and retries
    for ever; the log says so once a minute instead of a traceback per attempt. A rejected
    token is not retried: the caller reports it in one line.
    """

    def __init__(self, notes: RateLimitedNotes) -> None:
        super().__init__()
        self.notes = notes

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the retry loop's records, noting a failed attempt once a minute."""
        if record.module != "networkloop":
            return record.levelno >= self.level
        error = record.exc_info[1] if record.exc_info else None
        if "Failed run" in str(record.msg) and not isinstance(error, InvalidToken):
            self.notes.note("network", "cannot reach Telegram yet; still trying")
        return False

    #: Other records of the logger pass from this level up, as before the filter.
    level = logging.INFO


def tame_retry_log(notes: RateLimitedNotes) -> None:
    """Route the library's retry loop through :class:`RetryNotes` (it logs at DEBUG)."""
    retry = logging.getLogger(RETRY_LOGGER)
    RetryNotes.level = max(logging.INFO, retry.getEffectiveLevel())
    # The library's other loggers sit below this one; they keep their level, never DEBUG
    # (at DEBUG they log every message the bot sends).
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(RETRY_LOGGER + "."):
            child = logging.getLogger(name)
            if child.level == logging.NOTSET:
                child.setLevel(RetryNotes.level)
    retry.setLevel(logging.DEBUG)
    for old in [f for f in retry.filters if isinstance(f, RetryNotes)]:
        retry.removeFilter(old)
    retry.addFilter(RetryNotes(notes))


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would appear in a log line or traceback."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (and traceback) without the token."""
        if not self.token:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


class TokenRejected(ConfigError):
    """Telegram refused the bot token."""


def run_bot(config: Config, *, webhook: bool = False) -> None:
    """Serve Telegram until Ctrl-C or SIGTERM, then shut down cleanly.

    Long polling by default; a webhook when ``webhook`` is true or ``[telegram] webhook_url``
    is set. Without network at start the bot waits and retries for ever (one log line a
    minute), so a service started before the network is up needs no restart.

    Args:
        config: The settings.
        webhook: Serve a webhook even if the config does not ask for one.

    Raises:
        ConfigError: No token, no allow-list without ``allow_everyone``, or a webhook
            without ``webhook_url``.
        TokenRejected: Telegram refused the token.
    """
    config.check_can_serve()
    telegram = config.telegram
    if webhook and not telegram.webhook_url:
        where = config.source or "the configuration"
        raise ConfigError(f"--webhook needs [telegram] webhook_url (https://...) in {where}.")
    redact = RedactToken(telegram.token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    application = build_application(config)
    tame_retry_log(runtime_of(application).notes)
    try:
        if telegram.webhook_url:
            serve_webhook(application, config)
        else:
            logger.info("polling %s for updates", urlsplit(telegram.base_url).hostname)
            application.run_polling(
                poll_interval=telegram.poll_interval,
                timeout=telegram.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
            )
    except InvalidToken:
        raise TokenRejected(
            f"Telegram rejected the bot token ({TOKEN_ENV} or [telegram] token): copy it "
            "again from @BotFather (/mybots, API Token)."
        ) from None


def serve_webhook(application: Application, config: Config) -> None:
    """Serve updates posted by Telegram to ``webhook_url``, checking the secret token."""
    telegram = config.telegram
    secret = telegram.secret_token or secrets.token_urlsafe(32)
    path = urlsplit(telegram.webhook_url).path.strip("/")
    logger.info(
        "serving a webhook on %s:%s/%s for %s",
        telegram.listen,
        telegram.port,
        path,
        urlsplit(telegram.webhook_url).hostname,
    )
    application.run_webhook(
        listen=telegram.listen,
        port=telegram.port,
        url_path=path,
        webhook_url=telegram.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
        bootstrap_retries=-1,
    )
