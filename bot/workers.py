"""Executors that keep the event loop free: CPU work on a pool, SQLite on its own thread."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ParamSpec, TypeVar

from storage.store import CustomerStore

from bot.config import Config

logger = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")


class Workers:
    """A CPU thread pool and one SQLite thread that owns the :class:`CustomerStore`.

    Reading, segmenting and plotting run on the pool; every store call runs on the single
    database thread, so the store is only ever touched by one thread at a time and the event
    loop never waits on the disk.

    Args:
        store_path: The SQLite file.
        keep_datasets: Uploads kept per chat.
        cpu_threads: Threads in the CPU pool.
    """

    def __init__(self, store_path: str | Path, *, keep_datasets: int = 12, cpu_threads: int = 2):
        self.store_path = Path(store_path)
        self.keep_datasets = keep_datasets
        self.cpu_threads = cpu_threads
        self._cpu: ThreadPoolExecutor | None = None
        self._db: ThreadPoolExecutor | None = None
        self._store: CustomerStore | None = None

    @property
    def started(self) -> bool:
        """True between :meth:`start` and :meth:`close`."""
        return self._store is not None

    async def start(self) -> None:
        """Create the executors and open the store on the database thread.

        Raises:
            StoreError: The database cannot be opened or migrated.
        """
        if self._store is not None:
            return
        self._cpu = ThreadPoolExecutor(self.cpu_threads, thread_name_prefix="segbot-cpu")
        self._db = ThreadPoolExecutor(1, thread_name_prefix="segbot-db")
        loop = asyncio.get_running_loop()
        try:
            self._store = await loop.run_in_executor(self._db, self._open_store)
        except BaseException:
            self._shutdown_executors()
            raise
        logger.info("store open at %s", self.store_path)

    def _open_store(self) -> CustomerStore:
        """Open the store (runs on the database thread)."""
        if self.store_path.parent != Path():
            self.store_path.parent.mkdir(parents=True, exist_ok=True)
        return CustomerStore(self.store_path, keep_datasets=self.keep_datasets)

    async def close(self) -> None:
        """Close the store on its thread and shut both executors down (idempotent)."""
        store, self._store = self._store, None
        if store is not None and self._db is not None:
            await asyncio.get_running_loop().run_in_executor(self._db, store.close)
        self._shutdown_executors()

    def _shutdown_executors(self) -> None:
        """Stop both executors, letting queued work finish."""
        for executor in (self._cpu, self._db):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=False)
        self._cpu = self._db = None

    async def cpu(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on the CPU pool and return its result."""
        if self._cpu is None:
            raise RuntimeError("Workers.start() was not called")
        call = functools.partial(fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._cpu, call)

    async def db(self, fn: Callable[[CustomerStore], T]) -> T:
        """Run ``fn(store)`` on the database thread and return its result."""
        if self._db is None or self._store is None:
            raise RuntimeError("Workers.start() was not called")
        store = self._store
        return await asyncio.get_running_loop().run_in_executor(self._db, fn, store)

    @classmethod
    def from_config(cls, config: Config) -> Workers:
        """Build workers from the ``[storage]`` and ``[workers]`` settings."""
        return cls(
            config.storage.path,
            keep_datasets=config.storage.keep_datasets,
            cpu_threads=config.workers.cpu_threads,
        )
