"""What a chat has stored, rebuilt as engine values, plus the per-request context."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pandas as pd

from bot.config import Config
from bot.workers import Workers
from segmentation import CustomerTable, Segmentation, rebuild_table
from storage import CustomerStore, DatasetInfo, RunInfo

logger = logging.getLogger(__name__)

#: Shows or edits one status message (HTML) while a long request runs.
Progress = Callable[[str], Awaitable[None]]

#: Customer tables kept in memory for fast /export, /k and /features after an upload.
TABLE_CACHE_SIZE = 2


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


def segmentation_of(run: RunInfo, assignments: pd.DataFrame | None = None) -> Segmentation:
    """Rebuild a run's segmentation (without assignments unless given)."""
    frame = empty_assignments() if assignments is None else assignments
    return Segmentation.from_parts(run.summary, run.segments, frame)


class ChatData:
    """Reads a chat's stored uploads and runs through the workers, with a small table cache."""

    def __init__(self, config: Config, workers: Workers) -> None:
        self.config = config
        self.workers = workers
        self._tables: OrderedDict[tuple[int, int, str], CustomerTable] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = {}

    def lock(self, chat_id: int) -> asyncio.Lock:
        """Return the lock that serialises one chat's uploads and re-segments."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    async def active(self, chat_id: int) -> Active | None:
        """Return the chat's active upload and run, or ``None`` before any upload."""

        def read(store: CustomerStore) -> tuple[DatasetInfo, RunInfo] | None:
            # Two reads: an upload committed between them would pair the wrong run and
            # dataset, so read again until they belong together.
            found: tuple[DatasetInfo, RunInfo] | None = None
            for _ in range(3):
                run = store.active_run(chat_id)
                dataset = store.active_dataset(chat_id)
                if run is None or dataset is None:
                    return None
                found = (dataset, run)
                if run.dataset_id == dataset.id:
                    break
            return found

        found = await self.workers.read(read)
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

    async def with_assignments(self, chat_id: int, run: RunInfo) -> Segmentation:
        """Rebuild a run's segmentation with its assignments."""
        frame = await self.workers.read(lambda store: store.assignments(chat_id, run.id))
        return segmentation_of(run, frame)

    async def table(self, chat_id: int, dataset: DatasetInfo, run: RunInfo) -> CustomerTable:
        """Return the customer table of an upload (cached for the latest few)."""
        key = (chat_id, dataset.id, dataset.sha256)
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
        )
        self.remember_table(chat_id, dataset, table)
        return table

    def remember_table(self, chat_id: int, dataset: DatasetInfo, table: CustomerTable) -> None:
        """Keep a table in memory for the next request about the same upload."""
        key = (chat_id, dataset.id, dataset.sha256)
        self._tables[key] = table
        self._tables.move_to_end(key)
        while len(self._tables) > TABLE_CACHE_SIZE:
            self._tables.popitem(last=False)

    def forget_tables(self, chat_id: int) -> None:
        """Drop the cached tables of one chat."""
        for key in [k for k in self._tables if k[0] == chat_id]:
            del self._tables[key]
