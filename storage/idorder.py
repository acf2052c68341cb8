"""Finding a customer row by id with a binary search over one blob, not a SQL index.

A dataset keeps its ids in row order (``customer_ids``: UTF-8 text back to back with int64
offsets) and, beside them, its rows sorted by id (``customer_id_order``: int32 row numbers).
Saving the order is one argsort and one blob; the SQL index it replaces cost a B-tree row per
customer and most of a 900k-customer save. A lookup opens the three blobs once and compares
about 20 ids read by offset (``Connection.blobopen``), a few microseconds each.

Ids sort by code point, which for UTF-8 is byte order: the order SQLite's ``BINARY``
collation gave, so neighbours in order (for "did you mean") are the same as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.columns import OFFSET, OFFSET_WIDTH

ROW = np.dtype("<i4")
ROW_WIDTH = ROW.itemsize

_IDS = "customer_ids"
_ORDER = "customer_id_order"


def sort_rows(ids: pd.Index) -> bytes:
    """The row numbers of ``ids`` in id order (code point order), as int32 bytes."""
    values = ids.to_numpy(dtype=object)
    try:
        # Fixed-width text sorts in C (object arrays would compare Python strings); ASCII ids
        # take a byte each, others four. Ids are unique and never end in NUL, so the padding
        # of fixed-width text cannot reorder them.
        try:
            fixed = values.astype("S")
        except UnicodeEncodeError:
            fixed = values.astype("U")
        order = np.argsort(fixed, kind="stable")
    except (UnicodeEncodeError, ValueError):  # lone surrogates cannot become numpy text
        order = np.array(sorted(range(len(values)), key=values.__getitem__), dtype=np.int64)
    return order.astype(ROW).tobytes()


@dataclass
class IdReader:
    """Open blobs of one dataset's ids and id order, read by position."""

    size: int
    rows: sqlite3.Blob
    offsets: sqlite3.Blob
    data: sqlite3.Blob

    def row_at(self, position: int) -> int:
        """The customer row at ``position`` in id order."""
        self.rows.seek(position * ROW_WIDTH)
        return int.from_bytes(self.rows.read(ROW_WIDTH), "little", signed=True)

    def id_of_row(self, row: int) -> str:
        """The id of customer row ``row``."""
        self.offsets.seek(row * OFFSET_WIDTH)
        start, end = np.frombuffer(self.offsets.read(2 * OFFSET_WIDTH), dtype=OFFSET).tolist()
        self.data.seek(int(start))
        return self.data.read(int(end - start)).decode("utf-8", "surrogatepass")

    def id_at(self, position: int) -> str:
        """The id at ``position`` in id order."""
        return self.id_of_row(self.row_at(position))

    def first_at_or_after(self, customer_id: str) -> int:
        """The first position whose id is not below ``customer_id`` (``size`` if none)."""
        low, high = 0, self.size
        while low < high:
            middle = (low + high) // 2
            if self.id_at(middle) < customer_id:
                low = middle + 1
            else:
                high = middle
        return low

    def find_row(self, customer_id: str) -> int | None:
        """The row of ``customer_id``, or ``None``."""
        position = self.first_at_or_after(customer_id)
        if position < self.size:
            row = self.row_at(position)
            if self.id_of_row(row) == customer_id:
                return row
        return None


@contextmanager
def id_reader(conn: sqlite3.Connection, dataset_id: int) -> Iterator[IdReader | None]:
    """An :class:`IdReader` on a dataset (``None`` when it has no ids kept)."""
    found = conn.execute(
        f"SELECT length(rows) FROM {_ORDER} WHERE dataset_id = ?", (dataset_id,)
    ).fetchone()
    if found is None:
        yield None
        return
    with ExitStack() as stack:
        rows = stack.enter_context(conn.blobopen(_ORDER, "rows", dataset_id, readonly=True))
        offsets = stack.enter_context(conn.blobopen(_IDS, "offsets", dataset_id, readonly=True))
        data = stack.enter_context(conn.blobopen(_IDS, "data", dataset_id, readonly=True))
        yield IdReader(int(found[0]) // ROW_WIDTH, rows, offsets, data)


def find_row(conn: sqlite3.Connection, dataset_id: int, customer_id: str) -> int | None:
    """The row of ``customer_id`` in a dataset, or ``None``."""
    with id_reader(conn, dataset_id) as reader:
        return None if reader is None else reader.find_row(customer_id)


def existing_ids(conn: sqlite3.Connection, dataset_id: int, candidates: list[str]) -> list[str]:
    """Those of ``candidates`` that are ids of the dataset."""
    with id_reader(conn, dataset_id) as reader:
        if reader is None:
            return []
        return [c for c in candidates if reader.find_row(c) is not None]


def neighbours(conn: sqlite3.Connection, dataset_id: int, probe: str, limit: int) -> list[str]:
    """Up to ``limit`` ids just after ``probe`` in id order and up to ``limit`` just before."""
    with id_reader(conn, dataset_id) as reader:
        if reader is None:
            return []
        start = reader.first_at_or_after(probe)
        after = start + 1 if start < reader.size and reader.id_at(start) == probe else start
        positions = [*range(after, min(after + limit, reader.size))]
        positions += range(start - 1, max(start - 1 - limit, -1), -1)
        return [reader.id_at(p) for p in positions]
