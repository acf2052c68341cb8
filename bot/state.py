"""What a chat has stored, rebuilt as engine values, plus the per-request context."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from bot.config import Config
from bot.i18n import chart_key
from bot.workers import Workers
from segmentation import CustomerTable, Segmentation, rebuild_table
from storage import (
    CustomerRecord,
    CustomerStore,
    DatasetInfo,
    EncodedCustomers,
    NewDataset,
    NewRun,
    RunInfo,
    SavedUpload,
    StoreError,
    prepare_upload,
)

logger = logging.getLogger(__name__)

#: Shows or edits one status message (HTML) while a long request runs.
Progress = Callable[[str], Awaitable[None]]

#: Customer tables kept in memory for fast /export, /k and /features after an upload.
TABLE_CACHE_SIZE = 2

#: While uploads keep overlapping, the write-ahead log is still copied into the file after at
#: least this many saves (it would otherwise grow for as long as the bot is never idle).
CHECKPOINT_AT_LEAST_EVERY = 8

#: The chat setting that holds its column meanings (header -> meaning word).
MEANINGS_SETTING = "columns"


#: The run summary key holding where the customers of vanished segments went.
GONE_KEY = "gone_to"


def run_gone(run: RunInfo) -> dict[int, list[tuple[int, int]]]:
    """Previous segment number -> (current number, customers) pairs, for segments that
    disappeared when this run was made (empty for runs made before this was kept)."""
    kept = run.summary.get(GONE_KEY)
    if not isinstance(kept, dict):
        return {}
    return {int(n): [(int(a), int(b)) for a, b in pairs] for n, pairs in kept.items()}


async def no_progress(text: str) -> None:
    """A progress callback that shows nothing."""


@dataclass(frozen=True)
class Request:
    """Who asked, where, and how to show progress."""

    chat_id: int
    user_id: int
    progress: Progress = no_progress


@dataclass(frozen=True)
class Active:
    """A chat's active upload and run, with the run rebuilt as a segmentation."""

    dataset: DatasetInfo
    run: RunInfo
    seg: Segmentation


def empty_assignments() -> pd.DataFrame:
    """Return an assignments frame with no rows (for segmentations rebuilt from storage)."""
    frame = pd.DataFrame(
        {
            "segment": pd.Series(dtype="int64"),
            "distance": pd.Series(dtype="float64"),
            "runner_up": pd.Series(dtype="int64"),
        }
    )
    frame.index.name = "customer_id"
    return frame


def run_meanings(run: RunInfo) -> dict[str, str] | None:
    """The column meanings a run's table was read with; ``None`` for runs made before meanings
    existed (their upload's receipt says how it was read)."""
    kept = run.summary.get("meanings")
    return {str(h): str(w) for h, w in kept.items()} if isinstance(kept, dict) else None


def _table_key(
    chat_id: int, dataset: DatasetInfo, meanings: Mapping[str, str] | None
) -> tuple[int, int, str, tuple[tuple[str, str], ...]]:
    """The cache key of an upload's table read with ``meanings`` (``None``: as stored)."""
    if meanings is None:
        meanings = dataset.receipt.get("meanings") or {}
    return (chat_id, dataset.id, dataset.sha256, tuple(sorted(meanings.items())))


def segmentation_of(run: RunInfo, assignments: pd.DataFrame | None = None) -> Segmentation:
    """Rebuild a run's segmentation (without assignments unless given)."""
    frame = empty_assignments() if assignments is None else assignments
    return Segmentation.from_parts(run.summary, run.segments, frame)


@dataclass(frozen=True)
class PendingConfirmation:
    """What a confirmation button was issued for."""

    chat_id: int
    user_id: int
    data_version: int | None
    deadline: float


class Confirmations:
    """One-time confirmations, each bound to its chat, the person who asked, the chat's data
    at that moment and a time limit. Kept in memory: after a restart every old button is stale.

    Args:
        seconds: How long a confirmation stays valid.
        clock: Monotonic seconds (a seam for tests).
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._pending: dict[str, PendingConfirmation] = {}

    def issue(self, chat_id: int, user_id: int, data_version: int | None) -> str:
        """Return a token (12 characters, fit for callback data) for a new confirmation."""
        now = self.clock()
        self._pending = {t: p for t, p in self._pending.items() if p.deadline >= now}
        token = secrets.token_hex(6)
        self._pending[token] = PendingConfirmation(
            chat_id, user_id, data_version, now + self.seconds
        )
        return token

    def check(
        self, token: str, chat_id: int, user_id: int, data_version: int | None
    ) -> Literal["ok", "foreign", "stale"]:
        """Whether a press would be honoured, without using the confirmation: ``foreign`` when
        someone other than the asker pressed, ``stale`` when it expired, was used, or the
        chat's data changed since."""
        pending = self._pending.get(token)
        if pending is None or pending.chat_id != chat_id:
            return "stale"
        if pending.user_id != user_id:
            return "foreign"
        if pending.data_version != data_version or self.clock() > pending.deadline:
            return "stale"
        return "ok"

    def redeem(self, token: str, chat_id: int, user_id: int, data_version: int | None) -> bool:
        """Use a confirmation once: true only for its asker, in its chat, on the same data, in
        time. A press by someone else leaves it for the asker."""
        pending = self._pending.get(token)
        if pending is None or (pending.chat_id, pending.user_id) != (chat_id, user_id):
            return False
        del self._pending[token]
        return pending.data_version == data_version and self.clock() <= pending.deadline


class ChatData:
    """Reads a chat's stored uploads and runs through the workers, with a small table cache."""

    def __init__(self, config: Config, workers: Workers) -> None:
        self.config = config
        self.workers = workers
        self._tables: OrderedDict[
            tuple[int, int, str, tuple[tuple[str, str], ...]], CustomerTable
        ] = OrderedDict()
        self.confirmations = Confirmations(config.access.confirm_seconds)
        self._locks: dict[int, asyncio.Lock] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._uploading = 0  # uploads between begin_upload and end_upload, in every chat
        self._skipped_checkpoints = 0

    def lock(self, chat_id: int) -> asyncio.Lock:
        """Return the lock that serialises one chat's uploads and re-segments."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    async def active(self, chat_id: int) -> Active | None:
        """Return the chat's active upload and run, or ``None`` before any upload."""

        found = await self.workers.read(lambda store: store.active_upload(chat_id))
        if found is None:
            return None
        dataset, run = found
        return Active(dataset, run, segmentation_of(run))

    async def previous_upload(
        self, chat_id: int, dataset: DatasetInfo
    ) -> tuple[DatasetInfo, RunInfo] | None:
        """Return the upload made before ``dataset`` (by number) and its latest run."""

        def read(store: CustomerStore) -> tuple[DatasetInfo, RunInfo] | None:
            older = [d for d in store.datasets(chat_id) if d.number < dataset.number]
            if not older:
                return None
            previous = max(older, key=lambda d: d.number)
            run = store.latest_run(chat_id, previous.id)
            return None if run is None else (previous, run)

        return await self.workers.read(read)

    async def uploads_by_number(
        self, chat_id: int, numbers: list[int]
    ) -> list[tuple[DatasetInfo, RunInfo]] | int:
        """Uploads ``numbers`` with their runs (the active run for the active upload, else the
        latest), in order; or the first number this chat has no upload for."""

        def read(store: CustomerStore) -> list[tuple[DatasetInfo, RunInfo]] | int:
            found: list[tuple[DatasetInfo, RunInfo]] = []
            for number in numbers:
                dataset = store.dataset(chat_id, number)
                run = None
                if dataset is not None:
                    run = store.active_run(chat_id) if dataset.active else None
                    run = run or store.latest_run(chat_id, dataset.id)
                if dataset is None or run is None:
                    return number
                found.append((dataset, run))
            return found

        return await self.workers.read(read)

    async def find_upload_by_bytes(self, chat_id: int, sha256: str) -> DatasetInfo | None:
        """The chat's upload with exactly these bytes, or ``None``."""
        return await self.workers.read(lambda s: s.find_dataset_by_sha256(chat_id, sha256))

    async def uploads(self, chat_id: int) -> list[DatasetInfo]:
        """The chat's uploads, newest first."""
        return await self.workers.read(lambda s: s.datasets(chat_id))

    async def find_customer(
        self, chat_id: int, customer_id: str, run_id: int
    ) -> CustomerRecord | None:
        """One customer's values and segment in one of the chat's runs, or ``None``."""
        return await self.workers.read(
            lambda s: s.find_customer(chat_id, customer_id, run_id=run_id)
        )

    async def similar_ids(self, chat_id: int, customer_id: str, run_id: int) -> list[str]:
        """Up to five known ids close to an unknown one, closest first."""
        return await self.workers.read(
            lambda s: s.similar_ids(chat_id, customer_id, 5, run_id=run_id)
        )

    async def plot(self, chat_id: int, run_id: int, name: str) -> bytes | None:
        """A kept chart of one of the chat's runs, or ``None``."""
        key = chart_key(name)
        return await self.workers.read(lambda s: s.plot(chat_id, run_id, key))

    async def keep_plot(self, chat_id: int, run_id: int, name: str, png: bytes) -> None:
        """Keep a chart drawn for one of the chat's runs."""
        key = chart_key(name)
        await self.workers.db(lambda s: s.save_plot(chat_id, run_id, key, png))

    async def save_upload(
        self,
        chat_id: int,
        dataset: NewDataset,
        run: NewRun,
        customers: EncodedCustomers | None = None,
    ) -> SavedUpload:
        """Save a new upload and its run, and make them the chat's active ones.

        The encoding is CPU work and runs on the CPU pool (the customers' part may come
        encoded already, from the job that segmented them); the database thread only writes,
        so another chat's save or setting is not held up by this one's numpy.
        """
        prepared = await self.workers.cpu(prepare_upload, dataset, run, customers)
        return await self.workers.db(lambda s: s.save_prepared(chat_id, prepared))

    def checkpoint_soon(self) -> None:
        """Queue a copy of the write-ahead log into the file on the database thread, without
        waiting for it: after a large write, once nothing the answer needs is left to do.

        While uploads are under way (in any chat) it waits for the last of them, which asks
        again as it ends: one copy after a burst rather than one between every two saves, and
        at least one every :data:`CHECKPOINT_AT_LEAST_EVERY` requests when uploads never stop.
        """
        if self._uploading and self._skipped_checkpoints + 1 < CHECKPOINT_AT_LEAST_EVERY:
            self._skipped_checkpoints += 1
            return
        self._skipped_checkpoints = 0
        copying = asyncio.create_task(self._checkpoint())
        self._background.add(copying)
        copying.add_done_callback(self._background.discard)

    async def _checkpoint(self) -> None:
        """Copy the write-ahead log into the file; a failure only delays the next copy."""
        if not self.workers.started:
            return
        try:
            await self.workers.db(lambda s: s.checkpoint())
        except (RuntimeError, StoreError):
            logger.warning("checkpoint of the database failed; the next one will retry")

    async def add_run(self, chat_id: int, dataset_id: int, run: NewRun) -> RunInfo:
        """Save a new run of one of the chat's uploads and make it active."""
        return await self.workers.db(lambda s: s.add_run(chat_id, dataset_id, run))

    async def use_upload(
        self, chat_id: int, number: int
    ) -> tuple[DatasetInfo, RunInfo, bytes | None]:
        """Make upload ``number`` active; return it, its run and its scatter chart.

        Raises:
            StoreError: No such upload in this chat.
        """

        key = chart_key("scatter")

        def use(store: CustomerStore) -> tuple[DatasetInfo, RunInfo, bytes | None]:
            dataset, run = store.use_dataset(chat_id, number)
            return dataset, run, store.plot(chat_id, run.id, key)

        return await self.workers.db(use)

    async def begin_upload(self, chat_id: int, filename: str) -> None:
        """Note that an upload is being read, so a restart meanwhile is reported later."""
        self._uploading += 1
        try:
            await self.workers.db(lambda s: s.begin_upload(chat_id, filename))
        except BaseException:
            self._uploading -= 1
            raise

    async def end_upload(self, chat_id: int) -> None:
        """Note that the chat's upload finished, saved or refused."""
        self._uploading -= 1
        await self.workers.db(lambda s: s.end_upload(chat_id))

    async def take_interrupted_uploads(self) -> list[tuple[int, str]]:
        """Uploads a restart cut short, as (chat id, file name), forgotten once taken."""
        return await self.workers.db(lambda s: s.take_interrupted_uploads())

    async def forget(self, chat_id: int) -> int:
        """Delete everything the chat stored; return how many uploads went."""
        removed = await self.workers.db(lambda s: s.forget(chat_id))
        self.forget_tables(chat_id)
        return removed

    async def with_assignments(self, chat_id: int, run: RunInfo) -> Segmentation:
        """Rebuild a run's segmentation with its assignments."""
        frame = await self.workers.read(lambda store: store.assignments(chat_id, run.id))
        return segmentation_of(run, frame)

    async def table(
        self,
        chat_id: int,
        dataset: DatasetInfo,
        run: RunInfo,
        meanings: Mapping[str, str] | None = None,
    ) -> CustomerTable:
        """Return the customer table of an upload (cached for the latest few).

        It is read with the column meanings ``run`` was made with, or with ``meanings`` when
        given (``{}`` for none).

        Raises:
            IngestError: A column cannot be read as the meaning given to it, or too few
                customers remain (only when meanings change how the upload is read).
        """
        wanted = run_meanings(run) if meanings is None else dict(meanings)
        key = _table_key(chat_id, dataset, wanted)
        cached = self._tables.get(key)
        if cached is not None:
            self._tables.move_to_end(key)
            return cached
        customers = await self.workers.read(lambda store: store.customers(chat_id, dataset.id))
        summary = run.summary
        table = await self.workers.cpu(
            rebuild_table,
            customers,
            dataset.receipt,
            summary.get("labels", {}),
            summary.get("units", {}),
            meanings=wanted,
            limits=self.config.limits.for_ingest(),
        )
        self.remember_table(chat_id, dataset, table)
        return table

    def remember_table(self, chat_id: int, dataset: DatasetInfo, table: CustomerTable) -> None:
        """Keep a table in memory for the next request about the same upload."""
        key = _table_key(chat_id, dataset, table.receipt.meanings)
        self._tables[key] = table
        self._tables.move_to_end(key)
        while len(self._tables) > TABLE_CACHE_SIZE:
            self._tables.popitem(last=False)

    async def meanings(self, chat_id: int) -> dict[str, str]:
        """The chat's column meanings, header -> meaning word (empty when none were given)."""
        settings = await self.workers.read(lambda store: store.settings(chat_id))
        kept = settings.get(MEANINGS_SETTING)
        return {str(h): str(w) for h, w in kept.items()} if isinstance(kept, dict) else {}

    async def set_meanings(self, chat_id: int, meanings: Mapping[str, str]) -> None:
        """Keep the chat's column meanings for its next uploads (none: forget them)."""
        value = dict(meanings) or None
        await self.workers.db(lambda store: store.set_setting(chat_id, MEANINGS_SETTING, value))

    def forget_tables(self, chat_id: int) -> None:
        """Drop the cached tables of one chat."""
        for key in [k for k in self._tables if k[0] == chat_id]:
            del self._tables[key]
