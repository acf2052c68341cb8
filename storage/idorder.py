"""Finding a customer row by id: blocks of sorted ids, not a SQL index row per customer.

A dataset's ids, sorted, are cut into blocks of :data:`BLOCK` ids. Each block is one row of
``customer_id_blocks``: its first id (the key), the ids (int32 end offsets, then their UTF-8
back to back) and their customer rows (int32). Saving is one argsort and a row per block
(about 900 rows for 900k customers), where an index row per customer cost most of a large
save. A lookup is one indexed query for the block whose first id is the greatest not above
the id sought, then a binary search of about ten records within it.

Ids sort by UTF-8 bytes, which is code point order: the order SQLite's ``BINARY`` collation
gave, so neighbours in order (for "did you mean") are the same as before.
"""

from __future__ import annotations

import itertools
import sqlite3
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.columns import OFFSET, decode_texts, records_data, utf8_records
from storage.records import StoreError

#: Ids per block.
BLOCK = 1024

ROW = np.dtype("<i4")
ROW_WIDTH = ROW.itemsize
_ROW = struct.Struct("<i")

#: Longest id (UTF-8 bytes) sorted as fixed-width records; longer ones sort in Python.
_FIXED_WIDTH = 64

_BLOCKS = "customer_id_blocks"


@dataclass(frozen=True)
class IdBlock:
    """One block of sorted ids, ready for ``customer_id_blocks``."""

    first_id: str
    ids: bytes
    rows: bytes


def id_blocks(ids: pd.Index) -> list[IdBlock]:
    """Cut ``ids`` (unique text, in row order) into blocks of sorted ids.

    Raises:
        StoreError: An id is repeated.
    """
    return sorted_blocks(*utf8_records(np.asarray(ids.to_numpy(dtype=object))))


def sorted_blocks(fixed: np.ndarray, lengths: np.ndarray) -> list[IdBlock]:
    """Blocks of sorted ids from the ids as UTF-8 records (see storage.columns.utf8_records).

    Raises:
        StoreError: An id is repeated.
    """
    if len(fixed) == 0:
        return []
    if fixed.itemsize <= _FIXED_WIDTH and bool((lengths == np.char.str_len(fixed)).all()):
        keys = _byte_keys(fixed)
        # One key: any sort will do (unique ids give unique keys, and repeats, refused below,
        # are next to each other whatever their order). Several: np.lexsort takes its primary
        # key last.
        order = np.argsort(keys[:, 0]) if keys.shape[1] == 1 else np.lexsort(keys.T[::-1])
        sorted_keys = keys[order]
        repeated = (sorted_keys[1:] == sorted_keys[:-1]).all(axis=1)
    else:  # long ids, or ids ending in NUL (which padding would hide)
        raw, width = fixed.tobytes(), fixed.dtype.itemsize  # tolist() would drop NULs
        texts = [raw[i * width : i * width + n] for i, n in enumerate(lengths.tolist())]
        order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
        ordered_texts = [texts[i] for i in order.tolist()]
        repeated = np.array([a == b for a, b in itertools.pairwise(ordered_texts)])
    if bool(repeated.any()):
        raise StoreError("customer ids must be unique")
    data, offsets = records_data(fixed[order], lengths[order])  # every id, in order
    rows = order.astype(ROW)
    blocks: list[IdBlock] = []
    for start in range(0, len(order), BLOCK):
        stop = min(start + BLOCK, len(order))
        first, last = int(offsets[start]), int(offsets[stop])
        ends = (offsets[start + 1 : stop + 1] - first).astype(ROW)
        blocks.append(
            IdBlock(
                first_id=data[first : int(offsets[start + 1])].decode("utf-8", "surrogatepass"),
                ids=ends.tobytes() + data[first:last],
                rows=rows[start:stop].tobytes(),
            )
        )
    return blocks


def _byte_keys(fixed: np.ndarray) -> np.ndarray:
    """Fixed-width records as rows of big-endian uint64: comparing the rows as numbers, first
    column first, compares the records byte by byte (NUL padding sorts a prefix first)."""
    width = fixed.dtype.itemsize
    words = -(-width // 8)
    grid = np.zeros((len(fixed), words * 8), dtype=np.uint8)
    grid[:, :width] = np.frombuffer(fixed.tobytes(), dtype=np.uint8).reshape(len(fixed), width)
    return grid.view(">u8").astype(np.uint64)


def insert_blocks(conn: sqlite3.Connection, dataset_id: int, blocks: list[IdBlock]) -> None:
    """Write a dataset's id blocks (inside the caller's transaction)."""
    conn.executemany(
        f"INSERT INTO {_BLOCKS} (dataset_id, first_id, ids, rows) VALUES (?, ?, ?, ?)",
        [(dataset_id, b.first_id, b.ids, b.rows) for b in blocks],
    )


def ids_in_row_order(conn: sqlite3.Connection, dataset_id: int, count: int) -> pd.Index:
    """A dataset's ids in row order, put back together from its blocks.

    Raises:
        StoreError: The blocks do not hold exactly ``count`` ids, one per row.
    """
    texts: list[str] = []
    rows: list[bytes] = []
    for _, ids, block_rows in _rows(
        conn.execute(
            f"SELECT first_id, ids, rows FROM {_BLOCKS} WHERE dataset_id = ? ORDER BY first_id",
            (dataset_id,),
        )
    ):
        size = len(block_rows) // ROW_WIDTH
        ends = np.zeros(size + 1, dtype=OFFSET)
        ends[1:] = np.frombuffer(ids, dtype=ROW, count=size)
        texts += decode_texts(ids[size * ROW_WIDTH :], ends.tobytes())
        rows.append(block_rows)
    order = np.frombuffer(b"".join(rows), dtype=ROW)
    placed = np.full(count, -1, dtype=np.int64)
    if len(order) == count:
        placed[order] = np.arange(count)
    if len(order) != count or bool((placed < 0).any()):
        raise StoreError(f"the ids of dataset {dataset_id} do not match its rows")
    values = np.array(texts, dtype=object)[placed]
    return pd.Index(values, dtype="str", name="customer_id")


class _Block:
    """A block read back: ids and rows by position."""

    def __init__(self, ids: bytes, rows: bytes) -> None:
        self.ids = ids
        self.rows = rows
        self.size = len(rows) // ROW_WIDTH
        self.data_start = self.size * ROW_WIDTH

    def id_at(self, position: int) -> str:
        end = int(_ROW.unpack_from(self.ids, position * ROW_WIDTH)[0])
        start = int(_ROW.unpack_from(self.ids, (position - 1) * ROW_WIDTH)[0]) if position else 0
        at = self.data_start
        return self.ids[at + start : at + end].decode("utf-8", "surrogatepass")

    def row_at(self, position: int) -> int:
        return int(_ROW.unpack_from(self.rows, position * ROW_WIDTH)[0])

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


_AT_OR_BEFORE = (
    f"SELECT first_id, ids, rows FROM {_BLOCKS} WHERE dataset_id = ? AND first_id <= ?"
    " ORDER BY first_id DESC LIMIT 1"
)
_FIRST = f"SELECT first_id, ids, rows FROM {_BLOCKS} WHERE dataset_id = ? ORDER BY first_id LIMIT 1"
_AFTER = (
    f"SELECT first_id, ids, rows FROM {_BLOCKS} WHERE dataset_id = ? AND first_id > ?"
    " ORDER BY first_id"
)
_BEFORE = (
    f"SELECT first_id, ids, rows FROM {_BLOCKS} WHERE dataset_id = ? AND first_id < ?"
    " ORDER BY first_id DESC"
)


def _block_of(conn: sqlite3.Connection, dataset_id: int, customer_id: str) -> tuple[str, _Block]:
    """The block that holds ``customer_id`` if it is an id (else the one it would be in)."""
    found = conn.execute(_AT_OR_BEFORE, (dataset_id, customer_id)).fetchone()
    if found is None:
        found = conn.execute(_FIRST, (dataset_id,)).fetchone()
    if found is None:
        return "", _Block(b"", b"")
    return str(found[0]), _Block(bytes(found[1]), bytes(found[2]))


def find_row(conn: sqlite3.Connection, dataset_id: int, customer_id: str) -> int | None:
    """The row of ``customer_id`` in a dataset, or ``None``."""
    _, block = _block_of(conn, dataset_id, customer_id)
    position = block.first_at_or_after(customer_id)
    if position < block.size and block.id_at(position) == customer_id:
        return block.row_at(position)
    return None


def existing_ids(conn: sqlite3.Connection, dataset_id: int, candidates: list[str]) -> list[str]:
    """Those of ``candidates`` that are ids of the dataset."""
    return [c for c in candidates if find_row(conn, dataset_id, c) is not None]


def neighbours(conn: sqlite3.Connection, dataset_id: int, probe: str, limit: int) -> list[str]:
    """Up to ``limit`` ids just after ``probe`` in id order, then up to ``limit`` just before."""
    first_id, block = _block_of(conn, dataset_id, probe)
    start = block.first_at_or_after(probe)
    after_start = start + 1 if start < block.size and block.id_at(start) == probe else start
    after = [block.id_at(p) for p in range(after_start, min(after_start + limit, block.size))]
    before = [block.id_at(p) for p in range(start - 1, max(start - 1 - limit, -1), -1)]
    if block.size:
        after += _more(conn.execute(_AFTER, (dataset_id, first_id)), limit - len(after), False)
        before += _more(conn.execute(_BEFORE, (dataset_id, first_id)), limit - len(before), True)
    return after + before


def _more(blocks: sqlite3.Cursor, wanted: int, backwards: bool) -> list[str]:
    """Up to ``wanted`` ids from the blocks a cursor yields, each read in the given direction."""
    out: list[str] = []
    for _, ids, rows in _rows(blocks):
        if len(out) >= wanted:
            break
        block = _Block(ids, rows)
        positions = range(block.size - 1, -1, -1) if backwards else range(block.size)
        out.extend(block.id_at(p) for p in positions[: wanted - len(out)])
    blocks.close()
    return out


def _rows(cursor: sqlite3.Cursor) -> Iterator[tuple[str, bytes, bytes]]:
    """A cursor's rows as plain tuples."""
    for row in cursor:
        yield str(row[0]), bytes(row[1]), bytes(row[2])
