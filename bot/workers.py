"""Executors that keep the event loop free: CPU work on a pool, SQLite on its own thread."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import ParamSpec, TypeVar

from bot.config import Config
from bot.i18n import current_language, language
from segmentation import limit_blas_for_process
from storage import CustomerStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")


def in_language(code: str, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` with texts rendered in ``code`` (in a process, which starts in
    English whatever chat it works for)."""
    with language(code):
        return fn(*args, **kwargs)


class Workers:
    """A CPU thread pool, one SQLite thread that owns the :class:`CustomerStore`, and readers.

    Reading, segmenting and plotting run on the pool; every write (and any call through
    :meth:`db`) runs on the single database thread, so the store is only ever touched by one
    thread at a time and the event loop never waits on the disk. Read-only questions may go
    through :meth:`read` instead: reader threads with their own connections, which SQLite's
    WAL mode lets run while a large upload is being written, so one chat's save never delays
    another chat's ``/whois``.

    Args:
        store_path: The SQLite file.
        keep_datasets: Uploads kept per chat.
        cpu_threads: Threads in the CPU pool.
        read_threads: Reader threads (each opens its own connection on first use).
        fit_processes: Processes for :meth:`fit` (0: it runs on the CPU pool). They are
            started on first use, with the spawn method, never forked from a process that
            runs threads.
    """

    def __init__(
        self,
        store_path: str | Path,
        *,
        keep_datasets: int = 12,
        cpu_threads: int = 2,
        read_threads: int = 2,
        fit_processes: int = 0,
    ):
        self.store_path = Path(store_path)
        self.keep_datasets = keep_datasets
        self.cpu_threads = cpu_threads
        self.read_threads = read_threads
        self.fit_processes = fit_processes
        self._fits: ProcessPoolExecutor | None = None
        self._cpu: ThreadPoolExecutor | None = None
        self._db: ThreadPoolExecutor | None = None
        self._readers: ThreadPoolExecutor | None = None
        self._store: CustomerStore | None = None
        self._local = threading.local()
        self._reader_stores: list[CustomerStore] = []
        self._reader_lock = threading.Lock()

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
        # Fits overlap on the CPU pool; a BLAS limit per fit would not hold (see
        # segmentation.threads), so the process keeps one BLAS thread from here on.
        limit_blas_for_process()
        self._cpu = ThreadPoolExecutor(self.cpu_threads, thread_name_prefix="segbot-cpu")
        self._db = ThreadPoolExecutor(1, thread_name_prefix="segbot-db")
        self._readers = ThreadPoolExecutor(self.read_threads, thread_name_prefix="segbot-read")
        loop = asyncio.get_running_loop()
        try:
            self._store = await loop.run_in_executor(self._db, self._open_store)
        except BaseException:
            self._shutdown_executors()
            raise
        if self.fit_processes > 0:
            self._fit_pool()
        logger.info("store open at %s", self.store_path)

    def _open_store(self) -> CustomerStore:
        """Open the store (runs on the database thread)."""
        if str(self.store_path) != ":memory:" and self.store_path.parent != Path():
            self.store_path.parent.mkdir(parents=True, exist_ok=True)
        # Checkpoints run after an upload's answer (ChatData.checkpoint_soon), not in its save.
        return CustomerStore(
            self.store_path, keep_datasets=self.keep_datasets, checkpoint_on_commit=False
        )

    def _reader_store(self) -> CustomerStore:
        """Return this reader thread's own store connection, opening it on first use."""
        store: CustomerStore | None = getattr(self._local, "store", None)
        if store is None:
            store = CustomerStore(self.store_path, keep_datasets=self.keep_datasets)
            self._local.store = store
            with self._reader_lock:
                self._reader_stores.append(store)
        return store

    async def close(self) -> None:
        """Close the stores and shut the executors down, letting queued work finish."""
        store, self._store = self._store, None
        if store is not None and self._db is not None:
            await asyncio.get_running_loop().run_in_executor(self._db, store.close)
        self._shutdown_executors()

    def _shutdown_executors(self) -> None:
        """Stop every executor, then close the reader connections."""
        executors: tuple[Executor | None, ...] = (self._cpu, self._readers, self._db, self._fits)
        for executor in executors:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=False)
        self._cpu = self._db = self._readers = self._fits = None
        with self._reader_lock:
            readers, self._reader_stores = self._reader_stores, []
        for reader in readers:
            reader.close()

    async def cpu(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on the CPU pool and return its result (in the caller's
        context, so texts drawn there are in the chat's language)."""
        if self._cpu is None:
            raise RuntimeError("Workers.start() was not called")
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._cpu, call)

    async def fit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` in a fit process (or on the CPU pool when there are
        none) and return its result; ``fn`` and its arguments must pickle.

        A process shares no context with the caller: it is handed the language of the
        update being answered, so texts drawn there are in the chat's language too.
        """
        if self._cpu is None:
            raise RuntimeError("Workers.start() was not called")
        if self.fit_processes < 1:
            return await self.cpu(fn, *args, **kwargs)
        call = functools.partial(in_language, current_language(), fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._fit_pool(), call)

    def _fit_pool(self) -> ProcessPoolExecutor:
        """The fit processes, started (and their imports begun) on first call."""
        if self._fits is None:
            self._fits = ProcessPoolExecutor(
                self.fit_processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=limit_blas_for_process,
            )
            for _ in range(self.fit_processes):  # import the engine before the first upload
                self._fits.submit(limit_blas_for_process)
        return self._fits

    async def db(self, fn: Callable[[CustomerStore], T]) -> T:
        """Run ``fn(store)`` on the database thread and return its result."""
        if self._db is None or self._store is None:
            raise RuntimeError("Workers.start() was not called")
        store = self._store
        return await asyncio.get_running_loop().run_in_executor(self._db, fn, store)

    async def read(self, fn: Callable[[CustomerStore], T]) -> T:
        """Run a read-only ``fn(store)`` on a reader thread and return its result.

        It sees everything committed before it started, and is not held up by a write in
        progress on the database thread. ``fn`` must not write.
        """
        if self._readers is None:
            raise RuntimeError("Workers.start() was not called")
        if str(self.store_path) == ":memory:":  # a second connection would see another db
            return await self.db(fn)

        def call() -> T:
            return fn(self._reader_store())

        return await asyncio.get_running_loop().run_in_executor(self._readers, call)

    @classmethod
    def from_config(cls, config: Config) -> Workers:
        """Build workers from the ``[storage]`` and ``[workers]`` settings."""
        return cls(
            config.storage.path,
            keep_datasets=config.storage.keep_datasets,
            cpu_threads=config.workers.cpu_threads,
            fit_processes=config.workers.fit_processes,
        )
