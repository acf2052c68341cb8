"""Writes of the store: plain functions of a connection, run inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.assignments import EncodedAssignments, encode_assignments
from storage.codec import now_iso, segment_row, to_json
from storage.columns import EncodedColumn, encode_frame, padding_column, utf8_records
from storage.idorder import IdBlock, insert_blocks, sorted_blocks
from storage.records import NewDataset, NewRun, StoreError

#: Customers from which the ids are sorted on a thread of their own while the columns encode
#: (measured: 0.6 s saved at 10 million; below a million or two the threads only take turns).
SORT_BESIDE_ROWS = 2_000_000


@dataclass(frozen=True)
class EncodedCustomers:
    """An upload's customers encoded for the store: their id blocks and their columns.

    Made by :func:`encode_customers` from the customers alone, before any run exists (in a
    fit process, say, while the segments are found), and pickled cheaply: a few hundred
    blobs, no Python object per customer.
    """

    rows: int
    blocks: list[IdBlock]
    columns: list[EncodedColumn]


@dataclass(frozen=True)
class PreparedUpload:
    """An upload and its first run encoded for the store, ready to write.

    Made by :func:`prepare_upload` on any thread, so the thread that owns the connection
    spends its time writing rather than encoding.
    """

    dataset: NewDataset
    run: NewRun
    ids: pd.Index
    blocks: list[IdBlock]
    columns: list[EncodedColumn]
    assignments: EncodedAssignments


def encode_customers(
    customers: pd.DataFrame, padded_ids: tuple[str, np.ndarray] | None = None
) -> EncodedCustomers:
    """Check and encode an upload's customers (no database and no run needed); with
    ``padded_ids`` (see :class:`NewDataset`), a last column of the ids as written.

    Raises:
        StoreError: Missing or repeated ids, duplicate column names, or padding widths that
            do not fit the ids.
    """
    return _encode_customers(customers, customer_ids(customers.index), padded_ids)


def _encode_customers(
    customers: pd.DataFrame, ids: pd.Index, padded_ids: tuple[str, np.ndarray] | None = None
) -> EncodedCustomers:
    """:func:`encode_customers` with the ids already checked by :func:`customer_ids`."""
    if padded_ids is not None and padded_ids[0] in customers.columns:
        raise StoreError("customer columns must have unique names")
    fixed, lengths = utf8_records(np.asarray(ids.to_numpy(dtype=object)))
    with ThreadPoolExecutor(1, thread_name_prefix="segbot-ids") as beside:
        # Sorting the ids is numpy work that lets go of the interpreter: on a large upload
        # it runs beside the encoding of the columns.
        blocks = (
            beside.submit(sorted_blocks, fixed, lengths) if len(ids) >= SORT_BESIDE_ROWS else None
        )
        columns = encode_frame(customers, (fixed, lengths))
        if padded_ids is not None:
            columns.append(padding_column(*padded_ids, ids, (fixed, lengths)))
        # The sort refuses repeated ids.
        sorted_ids = sorted_blocks(fixed, lengths) if blocks is None else blocks.result()
    return EncodedCustomers(len(ids), sorted_ids, columns)


def prepare_upload(
    dataset: NewDataset, run: NewRun, customers: EncodedCustomers | None = None
) -> PreparedUpload:
    """Check and encode an upload and its first run (no database needed).

    Args:
        dataset: The upload.
        run: Its first run.
        customers: ``encode_customers(dataset.customers)``, when it was made beforehand.

    Raises:
        StoreError: Missing or repeated ids, duplicate column names, assignments that do not
            fit the customers, or ``customers`` made from another table.
    """
    ids = customer_ids(dataset.customers.index)
    if customers is None:
        customers = _encode_customers(dataset.customers, ids, dataset.padded_ids)
    else:
        columns = dataset.customers.shape[1] + (dataset.padded_ids is not None)
        if customers.rows != len(ids) or len(customers.columns) != columns:
            raise StoreError("the encoded customers are not this upload's")
    return PreparedUpload(
        dataset=dataset,
        run=run,
        ids=ids,
        blocks=customers.blocks,
        columns=customers.columns,
        assignments=encode_assignments(ids, run.assignments),
    )


def customer_ids(index: pd.Index) -> pd.Index:
    """The frame's ids as text, checked present."""
    if index.hasnans:
        raise StoreError("every customer needs an id")
    # Repeats are found where the ids are sorted anyway (storage.idorder.id_blocks).
    if index.dtype == "str" and index.name == "customer_id":
        return index  # the same index as the run's assignments: matching them is free
    return pd.Index(index.astype("str"), dtype="str", name="customer_id")


def ensure_chat(conn: sqlite3.Connection, chat_id: int) -> None:
    """Create the chat's row if this is its first write."""
    conn.execute("INSERT OR IGNORE INTO chats (id, created_at) VALUES (?, ?)", (chat_id, now_iso()))


def insert_dataset(conn: sqlite3.Connection, chat_id: int, prepared: PreparedUpload) -> int:
    """Write a dataset, its ids (in blocks of sorted ids, which also give their row order)
    and its columns; return its id."""
    dataset, ids = prepared.dataset, prepared.ids
    ensure_chat(conn, chat_id)
    number = conn.execute(
        "UPDATE chats SET next_dataset_number = next_dataset_number + 1 WHERE id = ?"
        " RETURNING next_dataset_number - 1",
        (chat_id,),
    ).fetchone()[0]
    cursor = conn.execute(
        "INSERT INTO datasets (chat_id, number, filename, size_bytes, sha256, receipt,"
        " uploaded_by, uploaded_at, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            chat_id,
            number,
            dataset.filename,
            int(dataset.size_bytes),
            dataset.sha256,
            to_json(dataset.receipt),
            int(dataset.uploaded_by),
            now_iso(),
            len(ids),
        ),
    )
    dataset_id = int(cursor.lastrowid or 0)
    insert_blocks(conn, dataset_id, prepared.blocks)
    conn.executemany(
        "INSERT INTO customer_columns (dataset_id, position, name, kind, format, data,"
        " offsets, missing, codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (dataset_id, position, c.name, c.kind, c.format, c.data, c.offsets, c.missing, c.codes)
            for position, c in enumerate(prepared.columns)
        ],
    )
    return dataset_id


def insert_run(
    conn: sqlite3.Connection, dataset_id: int, run: NewRun, arrays: EncodedAssignments
) -> int:
    """Write a run with its segments, assignments (already checked and placed on the
    dataset's rows by :func:`encode_assignments`) and plots; return its id."""
    cursor = conn.execute(
        "INSERT INTO runs (dataset_id, created_at, options, k, summary, alignment)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            dataset_id,
            now_iso(),
            to_json(run.options),
            int(run.k),
            to_json(run.summary),
            None if run.alignment is None else to_json(run.alignment),
        ),
    )
    run_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO segments (run_id, number, name, description, action, centroid, stats)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [segment_row(run_id, segment) for segment in run.segments],
    )
    conn.execute(
        "INSERT INTO run_assignments (run_id, format, assigned, segment, distance, runner_up)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            run_id,
            arrays.format,
            arrays.assigned,
            arrays.segment,
            arrays.distance,
            arrays.runner_up,
        ),
    )
    conn.executemany(
        "INSERT INTO plots (run_id, name, png) VALUES (?, ?, ?)",
        [(run_id, name, bytes(png)) for name, png in run.plots.items()],
    )
    return run_id


def set_active(conn: sqlite3.Connection, chat_id: int, dataset_id: int, run_id: int) -> None:
    """Point the chat at a dataset and run (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO chat_state (chat_id, dataset_id, run_id) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET dataset_id = excluded.dataset_id,"
        " run_id = excluded.run_id",
        (chat_id, dataset_id, run_id),
    )
