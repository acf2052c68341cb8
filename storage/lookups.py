"""Reading one chat's data back: its uploads and runs, whole customer tables, one customer,
ids like an unknown one.

:class:`UploadReads` and :class:`CustomerReads` are part of
:class:`~storage.store.CustomerStore`; every query is scoped by chat.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from typing import Any

import pandas as pd

from storage import idorder, reads, similar
from storage.assignments import decode_assignments
from storage.codec import dataset_info
from storage.columns import decode_column
from storage.records import CustomerRecord, DatasetInfo, RunInfo, StoreError


class StoreParts:
    """What the reads need of the store: its connection, its lock, its snapshot reads."""

    _conn: sqlite3.Connection
    _lock: threading.RLock

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        """One consistent snapshot for a read made of several queries (the store's own)."""
        raise NotImplementedError


class UploadReads(StoreParts):
    """The store's reads of a chat's uploads (datasets) and runs (mixed into the store)."""

    def active_upload(self, chat_id: int) -> tuple[DatasetInfo, RunInfo] | None:
        """The chat's active dataset and run, read in one snapshot so they belong together.

        Returns:
            The pair, or ``None`` before the chat's first upload.
        """
        with self._lock, self._read():
            dataset = self.active_dataset(chat_id)
            run = self.active_run(chat_id)
        if dataset is None or run is None:
            return None
        return dataset, run

    def find_dataset_by_sha256(self, chat_id: int, sha256: str) -> DatasetInfo | None:
        """This chat's dataset with these bytes, or ``None``."""
        return self._one_dataset(chat_id, "AND d.sha256 = ?", (sha256,))

    def active_dataset(self, chat_id: int) -> DatasetInfo | None:
        """The chat's active dataset, or ``None`` before its first upload."""
        return self._one_dataset(chat_id, "AND d.id = s.dataset_id", ())

    def active_run(self, chat_id: int) -> RunInfo | None:
        """The chat's active run, or ``None`` before its first upload."""
        return self._one_run(chat_id, "AND r.id = s.run_id", ())

    def datasets(self, chat_id: int) -> list[DatasetInfo]:
        """The chat's datasets, newest first."""
        with self._lock:
            rows = self._conn.execute(
                reads.DATASET_SELECT + " ORDER BY d.number DESC", (chat_id,)
            ).fetchall()
            names = reads.column_names(self._conn, [row["id"] for row in rows])
            return [dataset_info(row, names.get(row["id"], ())) for row in rows]

    def dataset(self, chat_id: int, number: int) -> DatasetInfo | None:
        """The chat's dataset ``number``, or ``None``."""
        return self._one_dataset(chat_id, "AND d.number = ?", (number,))

    def runs(self, chat_id: int, dataset_id: int) -> list[RunInfo]:
        """The runs of one of the chat's datasets, newest first (empty if not the chat's)."""
        with self._lock:
            rows = self._conn.execute(
                reads.RUN_SELECT + " AND r.dataset_id = ? ORDER BY r.id DESC", (chat_id, dataset_id)
            ).fetchall()
            return [reads.run_info_of(self._conn, row) for row in rows]

    def latest_run(self, chat_id: int, dataset_id: int) -> RunInfo | None:
        """The newest run of one of the chat's datasets, or ``None``."""
        with self._lock:
            row = self._conn.execute(
                reads.RUN_SELECT + " AND r.dataset_id = ? ORDER BY r.id DESC LIMIT 1",
                (chat_id, dataset_id),
            ).fetchone()
            return None if row is None else reads.run_info_of(self._conn, row)

    def run(self, chat_id: int, run_id: int) -> RunInfo | None:
        """One of the chat's runs by id, or ``None``."""
        return self._one_run(chat_id, "AND r.id = ?", (run_id,))

    def _one_dataset(
        self, chat_id: int, where: str, params: tuple[object, ...]
    ) -> DatasetInfo | None:
        """The chat's one dataset matching ``where``, or ``None``."""
        with self._lock:
            row = self._conn.execute(reads.DATASET_SELECT + where, (chat_id, *params)).fetchone()
            if row is None:
                return None
            return dataset_info(row, reads.column_names(self._conn, [row["id"]]).get(row["id"], ()))

    def _one_run(self, chat_id: int, where: str, params: tuple[object, ...]) -> RunInfo | None:
        """The chat's one run matching ``where``, or ``None``."""
        with self._lock:
            row = self._conn.execute(reads.RUN_SELECT + where, (chat_id, *params)).fetchone()
            return None if row is None else reads.run_info_of(self._conn, row)

    def _dataset_by_id(self, chat_id: int, dataset_id: int) -> DatasetInfo:
        """The chat's dataset by id; it must exist."""
        found = self._one_dataset(chat_id, "AND d.id = ?", (dataset_id,))
        if found is None:
            raise StoreError(f"no dataset {dataset_id} in this chat")
        return found

    def _run_by_id(self, chat_id: int, run_id: int) -> RunInfo:
        """The chat's run by id; it must exist."""
        found = self.run(chat_id, run_id)
        if found is None:
            raise StoreError(f"no run {run_id} in this chat")
        return found


class CustomerReads(StoreParts):
    """The store's reads of customers, assignments and plots (mixed into the store)."""

    def customers(self, chat_id: int, dataset_id: int) -> pd.DataFrame:
        """A dataset's customers as saved: index ``customer_id`` (text), columns in order.

        Numeric columns come back as float64, text columns as ``str`` with missing values.

        Raises:
            StoreError: No such dataset in this chat.
        """
        with self._lock, self._read():
            reads.require_dataset(self._conn, chat_id, dataset_id)
            ids = reads.ids_by_row(self._conn, dataset_id)
            data: dict[str, Any] = {}
            for row in self._conn.execute(
                "SELECT name, kind, format, data, offsets, missing, codes FROM customer_columns"
                " WHERE dataset_id = ? ORDER BY position",
                (dataset_id,),
            ):
                data[row["name"]] = decode_column(
                    row["kind"],
                    row["data"],
                    row["offsets"],
                    row["missing"],
                    row["format"],
                    row["codes"],
                    ids,
                )
        return pd.DataFrame(
            {
                name: values.set_axis(ids)
                if isinstance(values, pd.Series)
                else pd.Series(values, index=ids)
                for name, values in data.items()
            },
            index=ids,
        )

    def assignments(self, chat_id: int, run_id: int) -> pd.DataFrame:
        """A run's assignments: index ``customer_id``, columns ``segment``, ``distance``,
        ``runner_up``, in the dataset's customer order.

        Raises:
            StoreError: No such run in this chat.
        """
        with self._lock, self._read():
            dataset_id = reads.require_run(self._conn, chat_id, run_id)
            ids = reads.ids_by_row(self._conn, dataset_id)
            arrays = reads.assignment_arrays(self._conn, run_id)
        return decode_assignments(ids, arrays)

    def find_customer(
        self, chat_id: int, customer_id: str, run_id: int | None = None
    ) -> CustomerRecord | None:
        """One customer's values and segment, by exact id, in one indexed lookup.

        Args:
            chat_id: The chat asking.
            customer_id: The id as stored (normalise it as the upload was normalised).
            run_id: The chat's run to look in; ``None`` for the active run.

        Returns:
            The customer, or ``None`` when the run is not the chat's or has no such customer.
        """
        with self._lock, self._read():
            target = reads.target_run(self._conn, chat_id, run_id)
            if target is None:
                return None
            run_id, dataset_id = target
            row = idorder.find_row(self._conn, dataset_id, customer_id)
            if row is None:
                return None
            assigned = reads.assignment_at(self._conn, run_id, row)
            if assigned is None:
                return None
            segment, distance, runner_up = assigned
            return CustomerRecord(
                customer_id=customer_id,
                values=reads.values_at(self._conn, dataset_id, row, customer_id),
                segment=segment,
                distance=distance,
                runner_up=runner_up,
            )

    def similar_ids(
        self, chat_id: int, customer_id: str, limit: int = 5, run_id: int | None = None
    ) -> list[str]:
        """Existing ids close to an unknown one, closest first, for "did you mean".

        Case and zero-padding variants, ids one edit away, numeric neighbours and ids that
        start with the given one are found with indexed lookups only.

        Args:
            chat_id: The chat asking.
            customer_id: The id that was not found.
            limit: Most ids returned.
            run_id: The chat's run whose dataset to search; ``None`` for the active run.
        """
        with self._lock, self._read():
            target = reads.target_run(self._conn, chat_id, run_id)
            if target is None or limit <= 0 or not customer_id.strip():
                return []
            dataset_id = target[1]
            found = set(
                idorder.existing_ids(self._conn, dataset_id, similar.variants(customer_id, limit))
            )
            # Ids next to it in sort order share the longest prefix with it.
            for probe in {customer_id.strip(), customer_id.strip().upper()}:
                found.update(idorder.neighbours(self._conn, dataset_id, probe, limit))
        return similar.rank(customer_id, found, limit)

    def plot(self, chat_id: int, run_id: int, name: str) -> bytes | None:
        """A kept plot of one of the chat's runs, or ``None``."""
        with self._lock:
            row = self._conn.execute(
                "SELECT p.png FROM plots p JOIN runs r ON r.id = p.run_id"
                " JOIN datasets d ON d.id = r.dataset_id"
                " WHERE d.chat_id = ? AND p.run_id = ? AND p.name = ?",
                (chat_id, run_id, name),
            ).fetchone()
            return None if row is None else bytes(row["png"])
