"""Reads of the store: plain functions of a connection, each one indexed query or blob read.

The store calls them under its lock and scopes them by chat; those that take a run or
dataset id without a chat id are only called after the id was checked to be the chat's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pandas as pd

from storage.assignments import DISTANCE_WIDTH, EncodedAssignments, segment_type
from storage.codec import run_info, segment_dict
from storage.columns import (
    CODE_FORMATS,
    ID_PADDED,
    OFFSET_WIDTH,
    decode_code,
    decode_float,
    decode_number,
    decode_offsets,
    value_width,
)
from storage.idorder import ids_in_row_order
from storage.records import RunInfo, StoreError

#: Most parameters sent in one ``IN (...)`` list.
_IN_CHUNK = 500

#: A chat's datasets with an ``active`` flag; append ``AND ...`` conditions.
DATASET_SELECT = """
    SELECT d.*, coalesce(s.dataset_id = d.id, 0) AS active
    FROM datasets d LEFT JOIN chat_state s ON s.chat_id = d.chat_id
    WHERE d.chat_id = ?
"""
_COLUMNS = "customer_columns"
_RUNS = "run_assignments"
#: A chat's runs (through their dataset) with an ``active`` flag; append ``AND ...``.
RUN_SELECT = """
    SELECT r.*, coalesce(s.run_id = r.id, 0) AS active
    FROM runs r
    JOIN datasets d ON d.id = r.dataset_id
    LEFT JOIN chat_state s ON s.chat_id = d.chat_id
    WHERE d.chat_id = ?
"""


def column_names(conn: sqlite3.Connection, dataset_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Dataset id -> its column names in order."""
    names: dict[int, list[str]] = {}
    for chunk in _chunks(dataset_ids):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT dataset_id, name FROM customer_columns"
            f" WHERE dataset_id IN ({marks}) ORDER BY dataset_id, position",
            chunk,
        ):
            names.setdefault(row["dataset_id"], []).append(row["name"])
    return {key: tuple(value) for key, value in names.items()}


def run_info_of(conn: sqlite3.Connection, row: sqlite3.Row) -> RunInfo:
    """A run row with its segments and plot names."""
    segments = [
        segment_dict(r)
        for r in conn.execute(
            "SELECT * FROM segments WHERE run_id = ? ORDER BY number", (row["id"],)
        )
    ]
    plots = tuple(
        r[0]
        for r in conn.execute("SELECT name FROM plots WHERE run_id = ? ORDER BY name", (row["id"],))
    )
    return run_info(row, segments, plots)


def latest_run_id(conn: sqlite3.Connection, dataset_id: int) -> int | None:
    """Newest run of a dataset (caller has checked the chat)."""
    row = conn.execute("SELECT max(id) FROM runs WHERE dataset_id = ?", (dataset_id,)).fetchone()
    return None if row[0] is None else int(row[0])


def require_dataset(conn: sqlite3.Connection, chat_id: int, dataset_id: int) -> None:
    """Raise unless the dataset is the chat's."""
    row = conn.execute(
        "SELECT 1 FROM datasets WHERE id = ? AND chat_id = ?", (dataset_id, chat_id)
    ).fetchone()
    if row is None:
        raise StoreError(f"no dataset {dataset_id} in this chat")


def require_run(conn: sqlite3.Connection, chat_id: int, run_id: int) -> int:
    """Raise unless the run is the chat's; return its dataset id."""
    row = conn.execute(
        "SELECT r.dataset_id FROM runs r JOIN datasets d ON d.id = r.dataset_id"
        " WHERE r.id = ? AND d.chat_id = ?",
        (run_id, chat_id),
    ).fetchone()
    if row is None:
        raise StoreError(f"no run {run_id} in this chat")
    return int(row[0])


def target_run(
    conn: sqlite3.Connection, chat_id: int, run_id: int | None
) -> tuple[int, int] | None:
    """(run id, dataset id) of the given or active run of the chat, or ``None``."""
    if run_id is None:
        row = conn.execute(
            "SELECT s.run_id, r.dataset_id FROM chat_state s JOIN runs r ON r.id = s.run_id"
            " WHERE s.chat_id = ?",
            (chat_id,),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT r.id, r.dataset_id FROM runs r JOIN datasets d ON d.id = r.dataset_id"
            " WHERE r.id = ? AND d.chat_id = ?",
            (run_id, chat_id),
        ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def ids_by_row(conn: sqlite3.Connection, dataset_id: int) -> pd.Index:
    """A dataset's customer ids in saved row order."""
    row = conn.execute("SELECT rows FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    if row is None:
        raise StoreError(f"no dataset {dataset_id}")
    return ids_in_row_order(conn, dataset_id, int(row["rows"]))


def assignment_arrays(conn: sqlite3.Connection, run_id: int) -> EncodedAssignments:
    """A run's assignment arrays."""
    row = conn.execute(
        "SELECT format, assigned, segment, distance, runner_up FROM run_assignments"
        " WHERE run_id = ?",
        (run_id,),
    ).fetchone()
    if row is None:
        raise StoreError(f"no assignments for run {run_id}")
    return EncodedAssignments(
        row["assigned"], row["segment"], row["distance"], row["runner_up"], row["format"]
    )


def values_at(
    conn: sqlite3.Connection, dataset_id: int, row: int, customer_id: str
) -> dict[str, object]:
    """One customer's values, read by offset from each column (incremental blob I/O)."""
    values: dict[str, object] = {}
    for column in conn.execute(
        "SELECT id, name, kind, format FROM customer_columns WHERE dataset_id = ?"
        " ORDER BY position",
        (dataset_id,),
    ):
        key, kind, fmt = column["id"], column["kind"], column["format"]
        width = value_width(kind, fmt)
        if kind == "float":
            values[column["name"]] = decode_number(
                _blob_read(conn, _COLUMNS, "data", key, row * width, width), fmt
            )
            continue
        if fmt == ID_PADDED:
            padding = _blob_read(conn, _COLUMNS, "data", key, row, width)[0]
            values[column["name"]] = customer_id.zfill(padding)
            continue
        if fmt in CODE_FORMATS:
            code = decode_code(_blob_read(conn, _COLUMNS, "codes", key, row * width, width), fmt)
            values[column["name"]] = None if code is None else _text_at(conn, key, code)
            continue
        if _blob_read(conn, _COLUMNS, "missing", key, row, 1) != b"\x00":
            values[column["name"]] = None
            continue
        values[column["name"]] = _text_at(conn, key, row)
    return values


def _text_at(conn: sqlite3.Connection, key: int, index: int) -> str:
    """Text ``index`` of a text column's data (a row, or a coded column's value)."""
    start, end = decode_offsets(
        _blob_read(conn, _COLUMNS, "offsets", key, index * OFFSET_WIDTH, 2 * OFFSET_WIDTH)
    )
    return _blob_read(conn, _COLUMNS, "data", key, start, end - start).decode(
        "utf-8", "surrogatepass"
    )


def assignment_at(conn: sqlite3.Connection, run_id: int, row: int) -> tuple[int, float, int] | None:
    """(segment, distance, runner_up) of customer row ``row`` in a run, or ``None``."""
    if _blob_read(conn, _RUNS, "assigned", run_id, row, 1) != b"\x01":
        return None
    (fmt,) = conn.execute(
        "SELECT format FROM run_assignments WHERE run_id = ?", (run_id,)
    ).fetchone()
    width = segment_type(fmt).itemsize
    segment, runner_up = (
        int.from_bytes(
            _blob_read(conn, _RUNS, name, run_id, row * width, width),
            "little",
            signed=True,
        )
        for name in ("segment", "runner_up")
    )
    distance = decode_float(
        _blob_read(conn, _RUNS, "distance", run_id, row * DISTANCE_WIDTH, DISTANCE_WIDTH)
    )
    return segment, distance, runner_up


def _blob_read(
    conn: sqlite3.Connection, table: str, column: str, key: int, offset: int, size: int
) -> bytes:
    """Read ``size`` bytes at ``offset`` of one blob, without loading the rest of it."""
    with conn.blobopen(table, column, key, readonly=True) as blob:
        blob.seek(offset)
        return blob.read(size)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    """Split a list for ``IN (...)`` queries."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]
