"""The store's schema, as named migrations applied in order at open.

Each migration runs in its own transaction together with the record that it ran (kept by
sqlite-utils in ``_sqlite_migrations``), and sets ``PRAGMA user_version`` to its position so
the schema version is visible to any SQLite tool. Never edit a migration that has shipped:
add a new one.

Layout in short: a chat owns datasets; a dataset owns its customers (blocks of sorted ids in
``customer_id_blocks`` for lookups by id and for the ids in row order, the values column by
column in ``customer_columns``) and its runs; a run owns its segments, its
assignments (arrays aligned with the customer rows, in ``run_assignments``) and its plots.
``ON DELETE CASCADE`` runs from the chat down, so deleting a chat or a dataset removes
everything under it.
"""

from __future__ import annotations

import pandas as pd
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.assignments import encode_assignments
from storage.columns import encode_column
from storage.idorder import id_blocks as make_blocks
from storage.idorder import insert_blocks

MIGRATION_SET = "segbot.storage"

migrations = Migrations(MIGRATION_SET)


def _set_version(db: Database, version: int) -> None:
    """Record the schema version in the file header."""
    db.execute(f"PRAGMA user_version = {int(version)}")


def _execute_all(db: Database, statements: tuple[str, ...], version: int) -> None:
    """Run a migration made of SQL statements only, then record its version."""
    for statement in statements:
        db.execute(statement)
    _set_version(db, version)


@migrations(name="0001_create_tables")
def create_tables(db: Database) -> None:
    """Chats, datasets and their customers, runs and their results, per-chat state."""
    _execute_all(db, _CREATE_TABLES, 1)


_CREATE_TABLES = (
    """
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        next_dataset_number INTEGER NOT NULL DEFAULT 1
    )
    """,
    """
    CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        filename TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        receipt TEXT NOT NULL,
        uploaded_by INTEGER NOT NULL,
        uploaded_at TEXT NOT NULL,
        rows INTEGER NOT NULL,
        UNIQUE (chat_id, number),
        UNIQUE (chat_id, sha256)
    )
    """,
    # One row per customer: the id -> row position index that makes a lookup one B-tree
    # search. The values themselves live column by column in customer_columns.
    """
    CREATE TABLE customers (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        row INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, customer_id)
    ) WITHOUT ROWID
    """,
    # One row per column of a dataset. kind 'float': data = float64 little-endian, one per
    # customer row, NaN when missing. kind 'text': data = UTF-8 of every value back to back,
    # offsets = int64 little-endian (rows + 1) into data, missing = one byte per row (1 =
    # missing). Fixed-width arrays let a lookup read one value with incremental blob I/O and
    # let a 900k-row save write a column in one statement. Blobs last so reading the small
    # columns never touches their overflow pages.
    """
    CREATE TABLE customer_columns (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('float', 'text')),
        data BLOB NOT NULL,
        offsets BLOB,
        missing BLOB,
        UNIQUE (dataset_id, position)
    )
    """,
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        options TEXT NOT NULL,
        k INTEGER NOT NULL,
        summary TEXT NOT NULL,
        alignment TEXT
    )
    """,
    "CREATE INDEX runs_by_dataset ON runs (dataset_id, id)",
    """
    CREATE TABLE segments (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        action TEXT NOT NULL,
        centroid TEXT NOT NULL,
        stats TEXT NOT NULL,
        PRIMARY KEY (run_id, number)
    ) WITHOUT ROWID
    """,
    # By customer row (see customers), not by id text: a 4-byte integer key appended in
    # order is what keeps a 900k-row save inside its time budget.
    """
    CREATE TABLE assignments (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        row INTEGER NOT NULL,
        segment INTEGER NOT NULL,
        distance REAL,
        runner_up INTEGER NOT NULL,
        PRIMARY KEY (run_id, row)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE plots (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        png BLOB NOT NULL,
        PRIMARY KEY (run_id, name)
    )
    """,
    # No cascade from datasets/runs: deleting an active dataset or run fails, so pruning
    # can never take away what a chat is looking at.
    """
    CREATE TABLE chat_state (
        chat_id INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
        dataset_id INTEGER REFERENCES datasets(id),
        run_id INTEGER REFERENCES runs(id)
    )
    """,
    "CREATE INDEX chat_state_by_dataset ON chat_state (dataset_id)",
    "CREATE INDEX chat_state_by_run ON chat_state (run_id)",
    """
    CREATE TABLE chat_settings (
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (chat_id, key)
    ) WITHOUT ROWID
    """,
)


@migrations(name="0002_columnar_assignments")
def columnar_assignments(db: Database) -> None:
    """Keep assignments and the id list as arrays per run / per dataset, not a row each.

    A row per assignment made a 900k-customer save spend most of its time inserting
    assignments and made reading a run back take seconds. Existing runs are converted.
    """
    for statement in _CREATE_ARRAYS:
        db.execute(statement)
    conn = db.conn
    for (dataset_id,) in conn.execute("SELECT id FROM datasets").fetchall():
        pairs = conn.execute(
            "SELECT row, customer_id FROM customers WHERE dataset_id = ? ORDER BY row",
            (dataset_id,),
        ).fetchall()
        ids = pd.Index([customer_id for _, customer_id in pairs], dtype="str")
        encoded = encode_column("customer_id", pd.Series(ids.to_numpy()), narrow=False)
        conn.execute(
            "INSERT INTO customer_ids (dataset_id, data, offsets) VALUES (?, ?, ?)",
            (dataset_id, encoded.data, encoded.offsets),
        )
        for (run_id,) in conn.execute(
            "SELECT id FROM runs WHERE dataset_id = ?", (dataset_id,)
        ).fetchall():
            rows = conn.execute(
                "SELECT row, segment, distance, runner_up FROM assignments WHERE run_id = ?",
                (run_id,),
            ).fetchall()
            frame = pd.DataFrame(
                [tuple(r) for r in rows],
                columns=["row", "segment", "distance", "runner_up"],
                dtype=float,
            )
            frame.index = ids[frame["row"].to_numpy(dtype=int)]
            arrays = encode_assignments(ids, frame, narrow=False)
            conn.execute(
                "INSERT INTO run_assignments (run_id, assigned, segment, distance, runner_up)"
                " VALUES (?, ?, ?, ?, ?)",
                (run_id, arrays.assigned, arrays.segment, arrays.distance, arrays.runner_up),
            )
    db.execute("DROP TABLE assignments")
    _set_version(db, 2)


_CREATE_ARRAYS = (
    # The ids in row order, encoded like a text column: reading a whole dataset or run back
    # needs them in order, which the customers index cannot give cheaply.
    """
    CREATE TABLE customer_ids (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
        data BLOB NOT NULL,
        offsets BLOB NOT NULL
    )
    """,
    # Per run, arrays aligned with the dataset's customer rows (see storage.assignments):
    # assigned uint8, segment int32, distance float64, runner_up int32. run_id is the rowid,
    # so a lookup reads one customer's values with incremental blob I/O.
    """
    CREATE TABLE run_assignments (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        assigned BLOB NOT NULL,
        segment BLOB NOT NULL,
        distance BLOB NOT NULL,
        runner_up BLOB NOT NULL
    )
    """,
)


@migrations(name="0003_uploads_in_progress")
def uploads_in_progress(db: Database) -> None:
    """Remember uploads being read, so one cut short by a restart is reported, never lost."""
    db.execute(
        """
        CREATE TABLE uploads_in_progress (
            chat_id INTEGER PRIMARY KEY,
            filename TEXT NOT NULL,
            started_at TEXT NOT NULL
        )
        """
    )
    _set_version(db, 3)


@migrations(name="0004_id_blocks")
def id_blocks(db: Database) -> None:
    """Find ids in blocks of sorted ids, not through a SQL index row per customer.

    The index cost a B-tree row per customer and most of a large save; the blocks are one
    argsort and a row per thousand customers (see storage.idorder). Existing datasets get
    their blocks from their ids, and the index is dropped.
    """
    db.execute(
        """
        CREATE TABLE customer_id_blocks (
            dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
            first_id TEXT NOT NULL,
            ids BLOB NOT NULL,
            rows BLOB NOT NULL,
            PRIMARY KEY (dataset_id, first_id)
        ) WITHOUT ROWID
        """
    )
    conn = db.conn
    for (dataset_id,) in conn.execute("SELECT id FROM datasets").fetchall():
        pairs = conn.execute(
            "SELECT row, customer_id FROM customers WHERE dataset_id = ? ORDER BY row",
            (dataset_id,),
        ).fetchall()
        ids = pd.Index([customer_id for _, customer_id in pairs], dtype="str")
        insert_blocks(conn, dataset_id, make_blocks(ids))
    db.execute("DROP TABLE customers")
    _set_version(db, 4)


@migrations(name="0005_narrow_formats")
def narrow_formats(db: Database) -> None:
    """Keep each column and each run's segment numbers in their narrowest form, and the ids
    once.

    ``customer_columns`` and ``run_assignments`` gain a ``format`` (NULL: the layout they had)
    and columns gain ``codes`` (see storage.columns and storage.assignments); both tables are
    rebuilt so ``format`` sits before the blobs (a column after a large blob is read by
    walking all of its overflow pages). The ids in row order are read from the id blocks, so
    ``customer_ids`` goes. A 900k-customer upload shrinks from about 90 MB to 30 MB, most of
    a large save's time.
    """
    _execute_all(db, _NARROW, 5)


_NARROW = (
    """
    CREATE TABLE customer_columns_narrow (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('float', 'text')),
        format TEXT,
        data BLOB NOT NULL,
        offsets BLOB,
        missing BLOB,
        codes BLOB,
        UNIQUE (dataset_id, position)
    )
    """,
    """
    INSERT INTO customer_columns_narrow (id, dataset_id, position, name, kind, data, offsets,
        missing)
    SELECT id, dataset_id, position, name, kind, data, offsets, missing FROM customer_columns
    """,
    "DROP TABLE customer_columns",
    "ALTER TABLE customer_columns_narrow RENAME TO customer_columns",
    """
    CREATE TABLE run_assignments_narrow (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        format TEXT,
        assigned BLOB NOT NULL,
        segment BLOB NOT NULL,
        distance BLOB NOT NULL,
        runner_up BLOB NOT NULL
    )
    """,
    """
    INSERT INTO run_assignments_narrow (run_id, assigned, segment, distance, runner_up)
    SELECT run_id, assigned, segment, distance, runner_up FROM run_assignments
    """,
    "DROP TABLE run_assignments",
    "ALTER TABLE run_assignments_narrow RENAME TO run_assignments",
    "DROP TABLE customer_ids",
)


#: Schema version after every migration here has run.
SCHEMA_VERSION = 5
