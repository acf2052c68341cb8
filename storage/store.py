"""The customer store: every chat's uploads, runs and results in one SQLite file.

Every method takes the chat id and every query is scoped by it (through
``datasets.chat_id``), so no call can return another chat's rows. Writes run in one
``BEGIN IMMEDIATE`` transaction each, so a failure midway, even a killed process, leaves the
previous state as it was.

The store is synchronous. It may be created on one thread and used from another
(``check_same_thread=False``; calls are serialised by a lock), but async code should hand it
plain functions to run on the one thread that owns it, never touch it from the event loop.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage import reads, writes
from storage.assignments import EncodedAssignments, encode_assignments
from storage.codec import from_json, to_json
from storage.lookups import CustomerReads, UploadReads
from storage.migrations import migrations
from storage.records import (
    DatasetInfo,
    NewDataset,
    NewRun,
    RunInfo,
    SavedUpload,
    StoreError,
)
from storage.writes import PreparedUpload

logger = logging.getLogger(__name__)

#: Datasets kept per chat unless configured otherwise.
DEFAULT_KEEP_DATASETS = 12
#: How long a write waits for another connection's write to finish.
DEFAULT_BUSY_TIMEOUT_MS = 5000
#: Page cache per connection (KiB); big index inserts spill far less with it.
_CACHE_KIB = 65536
#: Page cache while saving an upload (KiB); see CustomerStore._small_cache.
_WRITE_CACHE_KIB = 2048


class CustomerStore(UploadReads, CustomerReads):
    """Datasets, runs, assignments, plots and settings of every chat, in one SQLite file.

    Attributes:
        path: The database file.
        keep_datasets: Datasets kept per chat; older ones are pruned after each new upload
            (never the active one).
        db: The sqlite-utils database, for tools and tests. Use it from the store's thread.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        keep_datasets: int = DEFAULT_KEEP_DATASETS,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        checkpoint_on_commit: bool = True,
    ) -> None:
        """Open (creating if needed) the file and apply pending migrations.

        Args:
            path: The SQLite file; its folder must exist.
            keep_datasets: Datasets kept per chat, at least 1.
            busy_timeout_ms: How long to wait for another writer.
            checkpoint_on_commit: Let a commit copy the write-ahead log into the file when
                the log is long (SQLite's default). ``False`` leaves that to
                :meth:`checkpoint`, so a large save returns before the copy is made.

        Raises:
            StoreError: ``keep_datasets`` below 1, or the file cannot be opened as a store.
        """
        if keep_datasets < 1:
            raise StoreError("keep_datasets must be at least 1")
        self.path = Path(path)
        self.keep_datasets = keep_datasets
        self._lock = threading.RLock()
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=busy_timeout_ms / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL survives a killed process intact; only a power
            # cut can lose the last commits, never consistency.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            conn.execute("PRAGMA journal_size_limit = 67108864")
            if not checkpoint_on_commit:
                conn.execute("PRAGMA wal_autocheckpoint = 0")
            self.db = Database(conn, execute_plugins=False)
            if migrations.pending(self.db):
                with self._write():
                    migrations.apply(self.db)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot open {self.path} as a store: {exc}") from exc
        logger.debug("opened store %s at schema version %d", self.path, self.schema_version)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The schema version (``PRAGMA user_version``): how many migrations have run."""
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in order."""
        with self._lock:
            return [m.name for m in migrations.applied(self.db)]

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CustomerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file, as far as readers allow (never waits).

        Raises:
            StoreError: The database failed.
        """
        with self._lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:
                raise StoreError(f"could not checkpoint: {exc}") from exc

    # -- uploads and runs ------------------------------------------------------------------

    def save_upload(self, chat_id: int, dataset: NewDataset, run: NewRun) -> SavedUpload:
        """Keep an upload with its first run and make both active, all or nothing.

        The same bytes (sha256) already kept in this chat are not stored again: that dataset
        and its latest run become active and ``duplicate`` is True (``run`` is not kept).
        After a new upload, datasets beyond ``keep_datasets`` are pruned.

        Args:
            chat_id: The chat that owns the upload.
            dataset: The upload and its customers.
            run: Its first segmentation.

        Returns:
            The dataset and run now active.

        Raises:
            StoreError: Bad data (duplicate or missing ids, assignments for unknown ids,
                values that cannot be stored) or a database failure; nothing was changed.
        """
        return self.save_prepared(chat_id, writes.prepare_upload(dataset, run))

    def save_prepared(self, chat_id: int, prepared: PreparedUpload) -> SavedUpload:
        """:meth:`save_upload` for an upload encoded beforehand by :func:`prepare_upload`
        (on any thread): only the writing is left to the store's thread.

        Raises:
            StoreError: A database failure; nothing was changed.
        """
        dataset, run = prepared.dataset, prepared.run
        with self._lock, self._small_cache():
            try:
                with self._write() as conn:
                    # Inside the write transaction, so two savers of one file cannot both add it.
                    again = conn.execute(
                        "SELECT id FROM datasets WHERE chat_id = ? AND sha256 = ?",
                        (chat_id, dataset.sha256),
                    ).fetchone()
                    if again is not None:
                        duplicate = True
                        dataset_id = again["id"]
                        run_id = reads.latest_run_id(self._conn, dataset_id) or writes.insert_run(
                            self._conn, dataset_id, run, self._placed(dataset_id, run)
                        )
                    else:
                        duplicate = False
                        dataset_id = writes.insert_dataset(self._conn, chat_id, prepared)
                        run_id = writes.insert_run(
                            self._conn, dataset_id, run, prepared.assignments
                        )
                    writes.set_active(self._conn, chat_id, dataset_id, run_id)
            except (sqlite3.Error, TypeError, ValueError) as exc:
                raise StoreError(f"could not save the upload: {exc}") from exc
            logger.info(
                "chat %d: saved dataset %d (%d customers) with run %d",
                chat_id,
                dataset_id,
                len(prepared.ids),
                run_id,
            )
            if not duplicate:
                self._prune_quietly(chat_id)
            return SavedUpload(
                self._dataset_by_id(chat_id, dataset_id),
                self._run_by_id(chat_id, run_id),
                duplicate,
            )

    def add_run(self, chat_id: int, dataset_id: int, run: NewRun) -> RunInfo:
        """Keep another segmentation of a dataset and make it (and its dataset) active.

        Earlier runs of the dataset stay as they were.

        Raises:
            StoreError: No such dataset in this chat, bad assignments, or a database failure.
        """
        with self._lock:
            reads.require_dataset(self._conn, chat_id, dataset_id)
            try:
                with self._write():
                    run_id = writes.insert_run(
                        self._conn, dataset_id, run, self._placed(dataset_id, run)
                    )
                    writes.set_active(self._conn, chat_id, dataset_id, run_id)
            except (sqlite3.Error, TypeError, ValueError) as exc:
                raise StoreError(f"could not save the run: {exc}") from exc
            logger.info("chat %d: added run %d to dataset %d", chat_id, run_id, dataset_id)
            return self._run_by_id(chat_id, run_id)

    def _placed(self, dataset_id: int, run: NewRun) -> EncodedAssignments:
        """A run's assignments placed on a stored dataset's rows (checked first)."""
        return encode_assignments(reads.ids_by_row(self._conn, dataset_id), run.assignments)

    def use_dataset(self, chat_id: int, number: int) -> tuple[DatasetInfo, RunInfo]:
        """Make dataset ``number`` of this chat and its latest run active.

        Raises:
            StoreError: The chat has no dataset with that number (or it has no run).
        """
        with self._lock:
            with self._write() as conn:
                found = conn.execute(
                    "SELECT id FROM datasets WHERE chat_id = ? AND number = ?", (chat_id, number)
                ).fetchone()
                if found is None:
                    raise StoreError(f"no dataset {number} in this chat")
                dataset_id = int(found[0])
                run_id = reads.latest_run_id(self._conn, dataset_id)
                if run_id is None:
                    raise StoreError(f"dataset {number} has no segmentation")
                writes.set_active(self._conn, chat_id, dataset_id, run_id)
            return self._dataset_by_id(chat_id, dataset_id), self._run_by_id(chat_id, run_id)

    def save_plot(self, chat_id: int, run_id: int, name: str, png: bytes) -> None:
        """Keep (or replace) a plot of a run.

        Raises:
            StoreError: No such run in this chat, or ``png`` is not bytes.
        """
        if not isinstance(png, bytes | bytearray | memoryview):
            raise StoreError(f"plot {name!r} must be bytes")
        with self._lock:
            reads.require_run(self._conn, chat_id, run_id)
            with self._write() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO plots (run_id, name, png) VALUES (?, ?, ?)",
                    (run_id, name, bytes(png)),
                )

    # -- settings and forgetting -----------------------------------------------------------

    def settings(self, chat_id: int) -> dict[str, object]:
        """The chat's settings, key -> value as set."""
        with self._lock:
            return {
                row["key"]: from_json(row["value"])
                for row in self._conn.execute(
                    "SELECT key, value FROM chat_settings WHERE chat_id = ? ORDER BY key",
                    (chat_id,),
                )
            }

    def set_setting(self, chat_id: int, key: str, value: object) -> None:
        """Set one of the chat's settings to a JSON-able value; ``None`` removes it."""
        with self._lock, self._write() as conn:
            if value is None:
                conn.execute(
                    "DELETE FROM chat_settings WHERE chat_id = ? AND key = ?", (chat_id, key)
                )
                return
            writes.ensure_chat(self._conn, chat_id)
            conn.execute(
                "INSERT OR REPLACE INTO chat_settings (chat_id, key, value) VALUES (?, ?, ?)",
                (chat_id, key, to_json(value)),
            )

    # -- uploads in progress ---------------------------------------------------------------

    def begin_upload(self, chat_id: int, filename: str) -> None:
        """Note that the chat's upload of ``filename`` is being read and segmented."""
        started = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO uploads_in_progress (chat_id, filename, started_at)"
                " VALUES (?, ?, ?)",
                (chat_id, filename, started),
            )

    def end_upload(self, chat_id: int) -> None:
        """Note that the chat's upload finished (saved or refused)."""
        with self._lock, self._write() as conn:
            conn.execute("DELETE FROM uploads_in_progress WHERE chat_id = ?", (chat_id,))

    def take_interrupted_uploads(self) -> list[tuple[int, str]]:
        """Uploads a stop or a crash cut short, as (chat id, file name); forgets them.

        Called once at start-up, when no upload can be running.
        """
        with self._lock, self._write() as conn:
            rows = conn.execute(
                "SELECT chat_id, filename FROM uploads_in_progress ORDER BY started_at"
            ).fetchall()
            conn.execute("DELETE FROM uploads_in_progress")
        return [(int(row[0]), str(row[1])) for row in rows]

    def forget(self, chat_id: int) -> int:
        """Delete everything the chat ever stored: datasets, runs, plots, state, settings.

        The freed space is overwritten with zeros and the write-ahead log is emptied when no
        other connection is reading, so the chat's data does not linger in the file either.

        Returns:
            Rows deleted, across all tables.
        """
        with self._lock:
            conn = self._conn
            before = conn.total_changes
            secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
            conn.execute("PRAGMA secure_delete = ON")
            try:
                with self._write():
                    # chat_state first: it pins the active dataset and run against deletion.
                    conn.execute("DELETE FROM chat_state WHERE chat_id = ?", (chat_id,))
                    conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,))
                    conn.execute("DELETE FROM uploads_in_progress WHERE chat_id = ?", (chat_id,))
            finally:
                conn.execute(f"PRAGMA secure_delete = {int(secure)}")
            deleted = conn.total_changes - before
            if deleted:
                # Best effort: a reader holding an old snapshot keeps the log for now.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            logger.info("chat %d: forgotten (%d rows)", chat_id, deleted)
            return deleted

    def prune(self, chat_id: int) -> int:
        """Delete the chat's datasets beyond the newest ``keep_datasets`` (never the active).

        Returns:
            Datasets deleted.
        """
        with self._lock:
            with self._write() as conn:
                old = [
                    row["id"]
                    for row in conn.execute(
                        "SELECT d.id FROM datasets d LEFT JOIN chat_state s"
                        " ON s.chat_id = d.chat_id AND s.dataset_id = d.id"
                        " WHERE d.chat_id = ? AND s.chat_id IS NULL"
                        " AND d.number < (SELECT min(number) FROM (SELECT number FROM datasets"
                        " WHERE chat_id = ? ORDER BY number DESC LIMIT ?))",
                        (chat_id, chat_id, self.keep_datasets),
                    )
                ]
                conn.executemany("DELETE FROM datasets WHERE id = ?", [(i,) for i in old])
            if old:
                logger.info("chat %d: pruned %d old datasets", chat_id, len(old))
            return len(old)

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _small_cache(self) -> Iterator[None]:
        """A small page cache for one large write: SQLite spills a full cache by walking all
        of it, so a write of hundreds of megabytes through a large cache slows down with each
        spill (a 400 MB blob took 3.7 s through 64 MB, 1.3 s through 2 MB)."""
        self._conn.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
        try:
            yield
        finally:
            self._conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so it never has to upgrade a read lock."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for a read made of several queries."""
        conn = self._conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _prune_quietly(self, chat_id: int) -> None:
        """Prune after a save; a failure here must not turn a kept upload into an error."""
        try:
            self.prune(chat_id)
        except sqlite3.Error:
            logger.exception("chat %d: pruning old datasets failed", chat_id)
