"""Settings, read in one place: a TOML file plus ``SEGBOT_TOKEN`` from the environment.

Every setting has a default, so no file at all is a valid configuration (a local SQLite file
``segbot.db`` in the current folder). Every setting appears, commented, in
``config.example.toml``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import LANGUAGES
from segmentation import MAX_K, MIN_K, IngestLimits

logger = logging.getLogger(__name__)

#: The environment variable that holds the bot token; it wins over the file's ``token``.
TOKEN_ENV = "SEGBOT_TOKEN"

#: What Telegram accepts as a webhook's secret token.
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """The configuration file is unreadable, has an unknown key or a value of the wrong type."""


@dataclass(frozen=True)
class TelegramConfig:
    """How to reach the Bot API.

    Attributes:
        token: The bot token from @BotFather (``SEGBOT_TOKEN`` in the environment wins).
        base_url: Bot API endpoint; point it at a self-hosted Bot API server to lift the
            20 MB download limit.
        base_file_url: File download endpoint matching ``base_url``.
        poll_interval: Seconds to wait between two getUpdates calls.
        poll_timeout: Long-polling timeout in seconds.
        webhook_url: The public HTTPS address Telegram posts updates to; setting it (or
            ``segbot run --webhook``) serves a webhook instead of long polling.
        listen: The address the webhook server binds to (behind a reverse proxy: 127.0.0.1).
        port: The port the webhook server listens on.
        secret_token: Sent by Telegram with every update and checked; empty means a fresh
            random one at every start.
    """

    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    poll_interval: float = 0.0
    poll_timeout: int = 10
    webhook_url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str = ""


@dataclass(frozen=True)
class AccessConfig:
    """Who may use the bot.

    Attributes:
        allowed_user_ids: Telegram user ids allowed in any chat.
        allowed_chat_ids: Chat ids (e.g. a team's group) whose every member is allowed.
        allow_everyone: Serve anyone; required to start with both lists empty.
        admin_user_ids: Owners: only they may delete data and change settings (/forget, /k,
            /features, /use). Empty: every allowed user may.
        confirm_seconds: How long a confirmation button (/forget's) stays valid; it is also
            bound to the person who asked and to the chat's data at that moment.
    """

    allowed_user_ids: tuple[int, ...] = ()
    allowed_chat_ids: tuple[int, ...] = ()
    allow_everyone: bool = False
    admin_user_ids: tuple[int, ...] = ()
    confirm_seconds: float = 300

    def allows(self, chat_id: int, user_id: int) -> bool:
        """Return whether ``user_id`` writing in ``chat_id`` may use the bot."""
        return (
            self.allow_everyone
            or user_id in self.allowed_user_ids
            or chat_id in self.allowed_chat_ids
        )

    def may_administer(self, user_id: int) -> bool:
        """Return whether ``user_id`` may delete data and change settings."""
        return not self.admin_user_ids or user_id in self.admin_user_ids

    @property
    def has_allow_list(self) -> bool:
        """True when at least one user or chat id is listed."""
        return bool(self.allowed_user_ids or self.allowed_chat_ids)


@dataclass(frozen=True)
class StorageConfig:
    """Where the data lives.

    Attributes:
        path: The SQLite file (relative paths are taken from the current folder).
        keep_datasets: Uploads kept per chat; older ones are deleted.
    """

    path: str = "segbot.db"
    keep_datasets: int = 12


#: Memory from which the automatic row and cell limits are the large ones.
LARGE_MEMORY_BYTES = 8 * 1024**3
#: (rows, cells) accepted by default on a machine with at least LARGE_MEMORY_BYTES, and below.
LARGE_LIMITS = (10_000_000, 100_000_000)
SMALL_LIMITS = (1_000_000, 20_000_000)


def machine_memory_bytes() -> int:
    """The machine's physical memory (0 when the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 0


def automatic_limits(memory_bytes: int) -> tuple[int, int]:
    """Rows and cells accepted when ``[limits]`` leaves them at 0 (automatic).

    About 400 MB per million rows are needed at the peak of an upload (see README, Speed), so
    10 million rows need a machine of 8 GB or more; smaller machines keep 1 million.
    """
    return LARGE_LIMITS if memory_bytes >= LARGE_MEMORY_BYTES else SMALL_LIMITS


@dataclass(frozen=True)
class LimitsConfig:
    """Limits applied to uploads.

    Attributes:
        max_upload_mb: Largest file accepted, in megabytes (20 is the Bot API download limit).
        max_rows: Largest number of data rows accepted; 0 (the default) chooses by the
            machine's memory (:func:`automatic_limits`).
        max_columns: Largest number of columns accepted.
        max_cells: Largest number of cells (rows × columns) accepted, checked before parsing;
            0 (the default) chooses by the machine's memory.
        max_unpacked_mb: Largest size of an ``.xlsx`` workbook, or of the file inside a ``.zip``
            or ``.gz``, once unpacked, in megabytes.
        read_seconds: Longest a workbook may take to read (it is read in a process of its own
            that is stopped past this).
        read_memory_mb: Most memory that process may use, in megabytes.
    """

    max_upload_mb: float = 20
    max_rows: int = 0
    max_columns: int = 2_000
    max_cells: int = 0
    max_unpacked_mb: float = 500
    read_seconds: float = 60
    read_memory_mb: float = 2048

    def for_ingest(self) -> IngestLimits:
        """The limits as the engine's reader takes them."""
        rows, cells = self.row_and_cell_limits()
        return IngestLimits(
            max_bytes=self.max_upload_bytes,
            max_rows=rows,
            max_columns=self.max_columns,
            max_cells=cells,
            max_unpacked_bytes=int(self.max_unpacked_mb * 1024 * 1024),
        )

    def row_and_cell_limits(self, memory_bytes: int | None = None) -> tuple[int, int]:
        """The rows and cells accepted: as configured, or automatic where left at 0."""
        auto_rows, auto_cells = automatic_limits(
            machine_memory_bytes() if memory_bytes is None else memory_bytes
        )
        return self.max_rows or auto_rows, self.max_cells or auto_cells

    @property
    def max_upload_bytes(self) -> int:
        """The size limit in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)


@dataclass(frozen=True)
class SegmentationConfig:
    """The automatic choice of the number of segments.

    Attributes:
        k_min: Fewest segments tried.
        k_max: Most segments tried (and the largest ``/k N`` accepted).
    """

    k_min: int = 2
    k_max: int = 10


@dataclass(frozen=True)
class WorkersConfig:
    """Threads doing the heavy work off the event loop.

    Attributes:
        cpu_threads: Threads reading, segmenting and plotting uploads.
        fit_processes: Processes that segment, draw and encode uploads for the store (each
            about 250 MB once started, plus the upload it works on); 0 keeps that work on the
            threads. Threads share one interpreter, so uploads at once wait for each other
            more; one upload alone takes about as long either way.
    """

    cpu_threads: int = 2
    fit_processes: int = 0


@dataclass(frozen=True)
class BotConfig:
    """How the bot presents itself.

    Attributes:
        timezone: The IANA time zone dates and times are shown in (``"Europe/Berlin"``);
            empty means the server's own.
        contact: Whom a refused user should ask for access (``"@mall_it"``, an e-mail
            address); the refusal names it with the user's own id.
        default_language: The language for people whose Telegram app speaks none that
            segbot does (``en``, ``ru``, ``es``, ``pt_BR`` or ``id``).
    """

    timezone: str = ""
    contact: str = ""
    default_language: str = "en"

    def zone(self) -> tzinfo:
        """The configured time zone (the server's when none is set)."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


@dataclass(frozen=True)
class LoggingConfig:
    """Logging.

    Attributes:
        level: ``DEBUG``, ``INFO``, ``WARNING``, ``ERROR`` or ``CRITICAL``.
    """

    level: str = "INFO"


@dataclass(frozen=True)
class Config:
    """Every setting, one section per attribute (TOML table of the same name)."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    segmentation: SegmentationConfig = field(default_factory=SegmentationConfig)
    workers: WorkersConfig = field(default_factory=WorkersConfig)
    bot: BotConfig = field(default_factory=BotConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    source: str = field(default="", compare=False)

    def check_can_serve(self) -> None:
        """Check what ``segbot run`` needs beyond valid values.

        Raises:
            ConfigError: No token, or no allow-list and ``allow_everyone`` is false.
        """
        where = self.source or "the configuration"
        if not self.telegram.token:
            raise ConfigError(
                f"No bot token: set {TOKEN_ENV} in the environment or [telegram] token in {where}."
            )
        if not self.access.has_allow_list and not self.access.allow_everyone:
            raise ConfigError(
                f"No allow-list in {where}: list [access] allowed_user_ids (or "
                "allowed_chat_ids), or set allow_everyone = true to serve anyone."
            )


def section_types() -> dict[str, type[Any]]:
    """Return TOML table name -> dataclass, in file order."""
    hints = get_type_hints(Config)
    return {f.name: hints[f.name] for f in fields(Config) if f.name != "source"}


def load_config(path: Path | str | None = None, *, env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration.

    Args:
        path: A TOML file, or ``None`` for the defaults.
        env: The environment to read ``SEGBOT_TOKEN`` from (``os.environ`` by default).

    Returns:
        The settings, with the environment's token when set.

    Raises:
        ConfigError: The file is missing or unreadable, is not TOML, has an unknown section or
            key, a value of the wrong type, or an impossible value. The message names the key
            and the file.
    """
    environ = os.environ if env is None else env
    raw: dict[str, Any] = {}
    where = ""
    if path is not None:
        where = str(path)
        try:
            with open(path, "rb") as handle:
                raw = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"Config file not found: {where}") from None
        except OSError as exc:
            raise ConfigError(f"Cannot read config file {where}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{where} is not valid TOML: {exc}") from None
    sections: dict[str, Any] = {}
    types = section_types()
    for name, value in raw.items():
        if name not in types:
            raise ConfigError(
                f"Unknown section [{name}] in {where}; known: {', '.join(sorted(types))}."
            )
        if not isinstance(value, dict):
            raise ConfigError(f"[{name}] in {where} must be a table.")
        sections[name] = _build_section(name, types[name], value, where)
    config = Config(**sections, source=where)
    token = environ.get(TOKEN_ENV, "").strip()
    if token:
        config = dataclasses.replace(
            config, telegram=dataclasses.replace(config.telegram, token=token)
        )
    _check_values(config, where or "the defaults")
    return config


def _build_section(name: str, cls: type[Any], values: dict[str, Any], where: str) -> Any:
    """Build one section's dataclass from its TOML table, checking keys and types."""
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"Unknown key {name}.{key} in {where}; known: {', '.join(sorted(known))}."
            )
        kwargs[key] = _coerce(f"{name}.{key}", hints[key], value, where)
    return cls(**kwargs)


def _coerce(key: str, hint: Any, value: Any, where: str) -> Any:
    """Return ``value`` if it fits the annotated type (tuples from lists), else raise."""
    if hint is bool:
        if isinstance(value, bool):
            return value
        expected = "true or false"
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        expected = "a whole number"
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        expected = "a number"
    elif hint is str:
        if isinstance(value, str):
            return value
        expected = "a string in quotes"
    elif hint == tuple[int, ...]:
        if isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return tuple(value)
        expected = "a list of whole numbers, e.g. [123456789]"
    else:  # pragma: no cover - every annotation above is handled
        raise TypeError(hint)
    raise ConfigError(f"{key} in {where} must be {expected}, not {value!r}.")


def _check_values(config: Config, where: str) -> None:
    """Reject values of the right type but impossible (k_min above k_max, zero limits)."""
    seg = config.segmentation
    if seg.k_min < MIN_K:
        raise ConfigError(f"segmentation.k_min in {where} must be at least {MIN_K}.")
    if seg.k_max < seg.k_min:
        raise ConfigError(f"segmentation.k_max in {where} must be at least k_min ({seg.k_min}).")
    if seg.k_max > MAX_K:
        raise ConfigError(f"segmentation.k_max in {where} must be at most {MAX_K}.")
    if config.limits.max_upload_mb <= 0:
        raise ConfigError(f"limits.max_upload_mb in {where} must be above 0.")
    if config.limits.max_rows != 0 and config.limits.max_rows < 10:
        raise ConfigError(f"limits.max_rows in {where} must be 0 (automatic) or at least 10.")
    cells = config.limits.max_cells
    if config.limits.max_columns < 2 or (cells != 0 and cells < 20):
        raise ConfigError(f"limits.max_columns and max_cells in {where} are too small.")
    if config.access.confirm_seconds <= 0:
        raise ConfigError(f"access.confirm_seconds in {where} must be above 0.")
    if config.limits.read_seconds <= 0 or config.limits.read_memory_mb < 256:
        raise ConfigError(
            f"limits.read_seconds in {where} must be above 0 and read_memory_mb at least 256."
        )
    if config.limits.max_unpacked_mb <= 0:
        raise ConfigError(f"limits.max_unpacked_mb in {where} must be above 0.")
    if config.storage.keep_datasets < 1:
        raise ConfigError(f"storage.keep_datasets in {where} must be at least 1.")
    if not config.storage.path:
        raise ConfigError(f"storage.path in {where} must not be empty.")
    if config.workers.fit_processes < 0:
        raise ConfigError(f"workers.fit_processes in {where} must not be negative.")
    if config.workers.cpu_threads < 1:
        raise ConfigError(f"workers.cpu_threads in {where} must be at least 1.")
    telegram = config.telegram
    if telegram.webhook_url and not telegram.webhook_url.startswith("https://"):
        raise ConfigError(f"telegram.webhook_url in {where} must start with https://.")
    if not 0 < telegram.port < 65536:
        raise ConfigError(f"telegram.port in {where} must be between 1 and 65535.")
    if telegram.secret_token and not SECRET_TOKEN.fullmatch(telegram.secret_token):
        raise ConfigError(
            f"telegram.secret_token in {where} must be 1-256 letters, digits, _ or -."
        )
    if config.telegram.poll_timeout < 0 or config.telegram.poll_interval < 0:
        raise ConfigError(f"telegram poll settings in {where} must not be negative.")
    if config.bot.default_language not in LANGUAGES:
        raise ConfigError(
            f"bot.default_language in {where} must be one of {', '.join(LANGUAGES)}, "
            f"not {config.bot.default_language!r}."
        )
    if config.bot.timezone:
        try:
            ZoneInfo(config.bot.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"bot.timezone in {where} must be a time zone name such as "
                f'"Europe/Berlin", not {config.bot.timezone!r}.'
            ) from None
    if config.logging.level.upper() not in LOG_LEVELS:
        raise ConfigError(
            f"logging.level in {where} must be one of {', '.join(LOG_LEVELS)}, "
            f"not {config.logging.level!r}."
        )
