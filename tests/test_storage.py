"""The customer store on real SQLite files: saving, reading, runs, retention, forgetting."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlite_utils import Database
from storage_factories import TABLES, make_customers, make_dataset, make_run, numbered_ids

import storage
from storage import CustomerStore, StoreError
from storage.columns import encode_column
from storage.migrations import SCHEMA_VERSION, migrations


def counts(store: CustomerStore) -> dict[str, int]:
    """Rows per table."""
    conn = store.db.conn
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


# -- opening and migrations -----------------------------------------------------------------


def test_open_creates_schema_with_wal_foreign_keys_and_busy_timeout(store: CustomerStore) -> None:
    conn = store.db.conn
    assert store.schema_version == SCHEMA_VERSION
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.applied_migrations == [
        "0001_create_tables",
        "0002_columnar_assignments",
        "0003_uploads_in_progress",
        "0004_id_blocks",
        "0005_narrow_formats",
    ]
    assert SCHEMA_VERSION == 5
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert set(TABLES) <= set(store.db.table_names())


def test_migrations_twice_are_a_no_op(db_path: Path) -> None:
    with CustomerStore(db_path) as first:
        first.set_setting(1, "k", 4)
        applied = first.db.execute("SELECT * FROM _sqlite_migrations").fetchall()
    with CustomerStore(db_path) as second:
        migrations.apply(second.db)
        assert second.db.execute("SELECT * FROM _sqlite_migrations").fetchall() == applied
        assert second.schema_version == SCHEMA_VERSION
        assert second.settings(1) == {"k": 4}
        assert migrations.pending(second.db) == []


def test_a_version_1_file_is_migrated_with_its_data(db_path: Path) -> None:
    db = Database(db_path)
    migrations.apply(db, stop_before="0002_columnar_assignments")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    customers = make_customers(["7", "8", "9"])
    script = [
        "INSERT INTO chats (id, created_at) VALUES (1, 't')",
        "INSERT INTO datasets VALUES (1, 1, 1, 'a.csv', 1, 'h', '{}', 1, 't', 3)",
        "INSERT INTO customers VALUES (1, '7', 0), (1, '8', 1), (1, '9', 2)",
        "INSERT INTO runs VALUES (1, 1, 't', '{}', 2, '{}', NULL)",
        "INSERT INTO segments VALUES (1, 1, 'A', 'd', 'a', '{}', '{}')",
        # Customer 8 was left unassigned by this run.
        "INSERT INTO assignments VALUES (1, 0, 2, 0.5, 1), (1, 2, 1, NULL, 2)",
        "INSERT INTO chat_state VALUES (1, 1, 1)",
    ]
    for sql in script:
        db.execute(sql)
    for position, name in enumerate(customers.columns):
        column = encode_column(name, customers[name], narrow=False)
        db.execute(
            "INSERT INTO customer_columns (dataset_id, position, name, kind, data, offsets,"
            " missing) VALUES (1, ?, ?, ?, ?, ?, ?)",
            [position, name, column.kind, column.data, column.offsets, column.missing],
        )
    db.conn.commit()
    db.close()

    with CustomerStore(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert "assignments" not in store.db.table_names()
        pd.testing.assert_frame_equal(store.customers(1, 1), customers)
        expected = pd.DataFrame(
            {"segment": [2, 1], "distance": [0.5, np.nan], "runner_up": [1, 2]},
            index=pd.Index(["7", "9"], dtype="str", name="customer_id"),
        )
        pd.testing.assert_frame_equal(store.assignments(1, 1), expected)
        record = store.find_customer(1, "7")
        assert record is not None and (record.segment, record.runner_up) == (2, 1)
        assert store.find_customer(1, "8") is None


def test_keep_datasets_must_be_positive(db_path: Path) -> None:
    with pytest.raises(StoreError):
        CustomerStore(db_path, keep_datasets=0)


def test_a_file_that_is_not_sqlite_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(StoreError):
        CustomerStore(path)


# -- saving and reading an upload ---------------------------------------------------------


def test_save_upload_makes_dataset_and_run_active(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(30))
    run = make_run(customers, k=3, alignment={"similarity": 0.9})
    saved = store.save_upload(5, make_dataset(customers, "jan", by=42), run)

    assert not saved.duplicate
    assert saved.dataset.number == 1
    assert saved.dataset.rows == 30
    assert saved.dataset.uploaded_by == 42
    assert saved.dataset.filename == "jan.csv"
    assert saved.dataset.receipt == {"rows_read": 30, "tag": "jan"}
    assert saved.dataset.columns == ("gender", "age", "income", "score")
    assert saved.dataset.uploaded_at.endswith("+00:00")
    assert saved.dataset.active and saved.run.active
    assert saved.run.dataset_id == saved.dataset.id
    assert saved.run.k == 3
    assert saved.run.options == run.options
    assert saved.run.summary == run.summary
    assert saved.run.segments == run.segments
    assert saved.run.alignment == {"similarity": 0.9}
    assert saved.run.plots == ("scatter",)
    assert store.active_dataset(5) == saved.dataset
    assert store.active_run(5) == saved.run
    assert store.find_dataset_by_sha256(5, saved.dataset.sha256) == saved.dataset


def test_a_chat_without_uploads_has_nothing_active(store: CustomerStore) -> None:
    assert store.active_dataset(1) is None
    assert store.active_run(1) is None
    assert store.datasets(1) == []
    assert store.find_customer(1, "1") is None
    assert store.similar_ids(1, "1") == []
    assert store.settings(1) == {}


def test_customers_round_trip_floats_nan_text_and_missing(store: CustomerStore) -> None:
    frame = pd.DataFrame(
        {
            "gender": ["Female", None, "Male", ""],
            "age": [31.5, np.nan, 0.1 + 0.2, -4.0],
            "visits": [1, 2, 3, 4],
            "member": [True, False, True, False],
            "city": ["Zürich", "東京", None, "=cmd|' /C calc'!A0"],
            "mixed": [1, "two", None, 3.5],
        },
        index=pd.Index(["0042", "C-7", "x y", "ñ"], name="customer_id"),
    )
    saved = store.save_upload(1, make_dataset(frame, "mixed"), make_run(frame, k=2))
    got = store.customers(1, saved.dataset.id)

    expected = frame.astype(
        {
            "gender": "str",
            "visits": float,
            "member": float,
            "city": "str",
            "mixed": "str",
        }
    )
    expected.index = expected.index.astype("str")
    pd.testing.assert_frame_equal(got, expected)
    assert got.loc["ñ", "gender"] == ""  # an empty text is not a missing one
    assert got["age"].iloc[2] == 0.1 + 0.2  # floats are kept bit for bit


def test_customers_with_no_columns_or_no_rows(store: CustomerStore) -> None:
    only_ids = pd.DataFrame(index=pd.Index(["1", "2"], name="customer_id"))
    saved = store.save_upload(1, make_dataset(only_ids, "ids"), make_run(only_ids, k=1))
    assert list(store.customers(1, saved.dataset.id).index) == ["1", "2"]
    empty = make_customers([])
    saved = store.save_upload(1, make_dataset(empty, "empty"), make_run(empty, k=1))
    got = store.customers(1, saved.dataset.id)
    assert got.empty and list(got.columns) == list(empty.columns)
    assert store.assignments(1, saved.run.id).empty


def test_integer_ids_are_kept_as_text(store: CustomerStore) -> None:
    frame = make_customers(numbered_ids(3))
    frame.index = pd.Index([1, 2, 3], name="customer_id")
    saved = store.save_upload(1, make_dataset(frame), make_run(frame))
    assert list(store.customers(1, saved.dataset.id).index) == ["1", "2", "3"]
    assert store.find_customer(1, "2") is not None


def test_assignments_round_trip(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(50))
    run = make_run(customers, k=4)
    run.assignments.loc["4", "distance"] = np.nan
    saved = store.save_upload(1, make_dataset(customers), run)
    got = store.assignments(1, saved.run.id)
    pd.testing.assert_frame_equal(got, run.assignments, check_index_type=False)
    assert got.index.name == "customer_id"


def test_assignments_in_another_order_are_kept_by_customer(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(20))
    run = make_run(customers)
    shuffled = run.assignments.sample(frac=1.0, random_state=3)
    saved = store.save_upload(1, make_dataset(customers), make_run(customers, assignments=shuffled))
    pd.testing.assert_frame_equal(store.assignments(1, saved.run.id), run.assignments)


def test_find_customer_in_active_and_given_run(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(40), seed=1)
    first = store.save_upload(1, make_dataset(customers), make_run(customers, seed=1))
    second = store.add_run(1, first.dataset.id, make_run(customers, k=5, seed=2))

    record = store.find_customer(1, "17")
    assert record is not None
    assert record.customer_id == "17"
    assert record.values == customers.loc["17"].to_dict()
    expected = make_run(customers, k=5, seed=2).assignments.loc["17"]
    assert record.segment == expected["segment"]
    assert record.distance == expected["distance"]
    assert record.runner_up == expected["runner_up"]
    assert second.active

    older = store.find_customer(1, "17", run_id=first.run.id)
    assert older is not None
    assert older.segment == make_run(customers, seed=1).assignments.loc["17", "segment"]
    assert store.find_customer(1, "nope") is None
    assert store.find_customer(1, "17", run_id=999) is None


def test_find_customer_missing_values(store: CustomerStore) -> None:
    frame = pd.DataFrame(
        {"gender": [None, "Male"], "age": [np.nan, 3.0]},
        index=pd.Index(["a", "b"], name="customer_id"),
    )
    store.save_upload(1, make_dataset(frame), make_run(frame, k=1))
    record = store.find_customer(1, "a")
    assert record is not None
    assert record.values["gender"] is None
    assert np.isnan(record.values["age"])  # type: ignore[call-overload]


def test_bad_uploads_are_refused_before_anything_is_written(store: CustomerStore) -> None:
    customers = make_customers(["1", "2", "2"])
    with pytest.raises(StoreError, match="unique"):
        store.save_upload(1, make_dataset(customers), make_run(make_customers(["1"])))
    good = make_customers(["1", "2"])
    stranger = make_run(make_customers(["1", "3"]))
    with pytest.raises(StoreError, match="not in the dataset"):
        store.save_upload(1, make_dataset(good), stranger)
    twice = make_run(good)
    doubled = pd.concat([twice.assignments, twice.assignments.iloc[:1]])
    with pytest.raises(StoreError, match="twice"):
        store.save_upload(1, make_dataset(good), make_run(good, assignments=doubled))
    with pytest.raises(StoreError, match="lack"):
        store.save_upload(
            1, make_dataset(good), make_run(good, assignments=twice.assignments[["segment"]])
        )
    assert set(counts(store).values()) == {0}


# -- datasets, runs, dedup, retention -------------------------------------------------------


def test_datasets_are_numbered_per_chat_newest_first(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(5))
    for tag in ("jan", "feb", "mar"):
        store.save_upload(1, make_dataset(customers, tag), make_run(customers))
    store.save_upload(2, make_dataset(customers, "other"), make_run(customers))
    assert [d.number for d in store.datasets(1)] == [3, 2, 1]
    assert [d.filename for d in store.datasets(1)] == ["mar.csv", "feb.csv", "jan.csv"]
    assert [d.active for d in store.datasets(1)] == [True, False, False]
    assert [d.number for d in store.datasets(2)] == [1]
    feb = store.dataset(1, 2)
    assert feb is not None and feb.filename == "feb.csv"
    assert store.dataset(1, 9) is None


def test_same_bytes_again_are_not_stored_twice(store: CustomerStore) -> None:
    jan = make_customers(numbered_ids(20))
    feb = make_customers(numbered_ids(25), seed=1)
    first = store.save_upload(1, make_dataset(jan, "jan"), make_run(jan))
    resegmented = store.add_run(1, first.dataset.id, make_run(jan, k=5))
    store.save_upload(1, make_dataset(feb, "feb"), make_run(feb))
    before = counts(store)

    again = store.save_upload(1, make_dataset(jan, "jan"), make_run(jan, k=2))

    assert again.duplicate
    assert again.dataset.id == first.dataset.id and again.dataset.active
    assert again.run.id == resegmented.id and again.run.active  # its latest run
    assert counts(store) == before
    assert store.active_run(1) == again.run
    other_chat = store.save_upload(2, make_dataset(jan, "jan"), make_run(jan))
    assert not other_chat.duplicate  # dedup is per chat


def test_use_dataset_switches_to_its_latest_run(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(10))
    jan = store.save_upload(1, make_dataset(customers, "jan"), make_run(customers))
    later = store.add_run(1, jan.dataset.id, make_run(customers, k=4))
    store.save_upload(1, make_dataset(customers, "feb"), make_run(customers))

    dataset, run = store.use_dataset(1, 1)

    assert dataset.id == jan.dataset.id and dataset.active
    assert run.id == later.id and run.active
    assert store.active_dataset(1) == dataset
    assert store.active_run(1) == run
    with pytest.raises(StoreError):
        store.use_dataset(1, 7)


def test_add_run_keeps_earlier_runs_queryable(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(30))
    first_run = make_run(customers, k=3, seed=1)
    saved = store.save_upload(1, make_dataset(customers), first_run)
    second = store.add_run(1, saved.dataset.id, make_run(customers, k=6, seed=2))

    runs = store.runs(1, saved.dataset.id)
    assert [r.id for r in runs] == [second.id, saved.run.id]
    assert [r.active for r in runs] == [True, False]
    assert store.latest_run(1, saved.dataset.id) == second
    assert store.run(1, saved.run.id) == runs[1]
    pd.testing.assert_frame_equal(store.assignments(1, saved.run.id), first_run.assignments)
    assert store.plot(1, saved.run.id, "scatter") == b"\x89PNG scatter"
    with pytest.raises(StoreError):
        store.add_run(1, 999, make_run(customers))


def test_add_run_to_an_older_dataset_makes_it_active(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(10))
    jan = store.save_upload(1, make_dataset(customers, "jan"), make_run(customers))
    store.save_upload(1, make_dataset(customers, "feb"), make_run(customers))
    run = store.add_run(1, jan.dataset.id, make_run(customers, k=2))
    active = store.active_dataset(1)
    assert active is not None and active.id == jan.dataset.id
    assert store.active_run(1) == run


def test_retention_keeps_the_newest_datasets(db_path: Path) -> None:
    with CustomerStore(db_path, keep_datasets=3) as store:
        for month in range(1, 6):
            customers = make_customers(numbered_ids(10 * month))
            store.save_upload(1, make_dataset(customers, f"m{month}"), make_run(customers))
        assert [d.number for d in store.datasets(1)] == [5, 4, 3]
        kept = {d.id for d in store.datasets(1)}
        conn = store.db.conn
        for table in ("customer_id_blocks", "customer_columns", "runs"):
            ids = {row[0] for row in conn.execute(f"SELECT DISTINCT dataset_id FROM {table}")}
            assert ids == kept, table
        run_ids = {row[0] for row in conn.execute("SELECT id FROM runs")}
        for table in ("segments", "run_assignments", "plots"):
            ids = {row[0] for row in conn.execute(f"SELECT DISTINCT run_id FROM {table}")}
            assert ids == run_ids, table
        assert counts(store)["customer_id_blocks"] == 3
        # Numbers are stable: the next upload is 6, not 4.
        customers = make_customers(numbered_ids(3))
        assert store.save_upload(1, make_dataset(customers, "m6"), make_run(customers)).dataset
        assert [d.number for d in store.datasets(1)] == [6, 5, 4]


def test_pruning_never_deletes_the_active_dataset(db_path: Path) -> None:
    with CustomerStore(db_path, keep_datasets=3) as store:
        for month in range(1, 4):
            customers = make_customers(numbered_ids(5))
            store.save_upload(1, make_dataset(customers, f"m{month}"), make_run(customers))
        store.use_dataset(1, 1)
    with CustomerStore(db_path, keep_datasets=1) as store:
        assert store.prune(1) == 1
        assert [d.number for d in store.datasets(1)] == [3, 1]
        active = store.active_dataset(1)
        assert active is not None and active.number == 1
        assert len(store.customers(1, active.id)) == 5


# -- plots, settings, comparisons ------------------------------------------------------------


def test_plots_save_replace_and_read(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(5))
    saved = store.save_upload(1, make_dataset(customers), make_run(customers))
    store.save_plot(1, saved.run.id, "profile", b"one")
    store.save_plot(1, saved.run.id, "profile", b"two")
    assert store.plot(1, saved.run.id, "profile") == b"two"
    assert store.plot(1, saved.run.id, "missing") is None
    run = store.run(1, saved.run.id)
    assert run is not None and run.plots == ("profile", "scatter")
    with pytest.raises(StoreError):
        store.save_plot(1, 999, "x", b"")
    with pytest.raises(StoreError):
        store.save_plot(1, saved.run.id, "x", "not bytes")  # type: ignore[arg-type]


def test_settings_are_json_values_per_chat(store: CustomerStore) -> None:
    store.set_setting(1, "k", 5)
    store.set_setting(1, "features", ["income", "score"])
    store.set_setting(1, "k", 6)
    store.set_setting(2, "k", 3)
    assert store.settings(1) == {"features": ["income", "score"], "k": 6}
    assert store.settings(2) == {"k": 3}
    store.set_setting(1, "k", None)
    assert store.settings(1) == {"features": ["income", "score"]}


def test_forget_deletes_everything_of_the_chat_only(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(15))
    mine = store.save_upload(1, make_dataset(customers, "jan"), make_run(customers))
    store.add_run(1, mine.dataset.id, make_run(customers, k=4))
    store.save_upload(1, make_dataset(customers, "feb"), make_run(customers))
    store.set_setting(1, "k", 4)
    theirs = store.save_upload(2, make_dataset(customers, "jan"), make_run(customers))
    store.set_setting(2, "k", 3)
    before = counts(store)
    their_customers = store.customers(2, theirs.dataset.id)

    deleted = store.forget(1)

    after = counts(store)
    assert deleted == sum(before.values()) - sum(after.values())
    conn = store.db.conn
    assert conn.execute("SELECT count(*) FROM chats WHERE id = 1").fetchone()[0] == 0
    for table in ("datasets", "chat_state", "chat_settings"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE chat_id = 1").fetchone()[0] == 0
    # Only chat 2's rows are left, in every table.
    assert after == {
        "chats": 1,
        "datasets": 1,
        "customer_id_blocks": 1,
        "customer_columns": 4,
        "runs": 1,
        "segments": 3,
        "run_assignments": 1,
        "plots": 1,
        "chat_state": 1,
        "chat_settings": 1,
    }
    assert store.datasets(1) == [] and store.settings(1) == {}
    assert store.active_run(1) is None
    pd.testing.assert_frame_equal(store.customers(2, theirs.dataset.id), their_customers)
    assert store.active_run(2) == theirs.run
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.forget(1) == 0


def test_forget_leaves_no_trace_in_the_file(db_path: Path) -> None:
    marker = "Zq7-forget-me-Zq7"
    mine = make_customers([f"{marker}-{i}" for i in range(50)])
    mine["note"] = pd.array([f"{marker} note {i}" for i in range(50)], dtype="str")
    theirs = make_customers(numbered_ids(50))

    def file_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))

    with CustomerStore(db_path) as store:
        store.save_upload(1, make_dataset(mine, "mine"), make_run(mine))
        store.save_upload(2, make_dataset(theirs, "theirs"), make_run(theirs))
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert marker.encode() in file_bytes()
        # As on a SQLite built without SECURE_DELETE on by default (this one may have it).
        store.db.conn.execute("PRAGMA secure_delete = OFF")
        store.forget(1)
        assert marker.encode() not in file_bytes()
        assert store.db.conn.execute("PRAGMA secure_delete").fetchone()[0] == 0
        assert len(store.customers(2, store.datasets(2)[0].id)) == 50
    assert marker.encode() not in file_bytes()


# -- the package's surface -------------------------------------------------------------------


def test_storage_exports_the_agreed_api() -> None:
    assert set(storage.__all__) >= {
        "CustomerStore",
        "StoreError",
        "NewDataset",
        "NewRun",
        "DatasetInfo",
        "RunInfo",
        "CustomerRecord",
        "SavedUpload",
    }
    for name in storage.__all__:
        assert getattr(storage, name) is not None


def test_storage_imports_neither_telegram_nor_the_engine() -> None:
    package = Path(storage.__file__).parent
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                root = name.split(".")[0]
                assert root not in {"telegram", "segmentation", "bot"}, (source.name, name)


def test_sqlite_errors_from_a_save_become_store_errors(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(3))
    store.db.conn.execute("PRAGMA query_only = ON")
    try:
        with pytest.raises(StoreError):
            store.save_upload(1, make_dataset(customers), make_run(customers))
    finally:
        store.db.conn.execute("PRAGMA query_only = OFF")
    assert isinstance(StoreError("x"), Exception)
    assert not issubclass(StoreError, sqlite3.Error)


def test_an_ingested_and_segmented_upload_round_trips(
    store: CustomerStore, mall_bytes: bytes
) -> None:
    from segmentation.ingest.load import load_customers
    from segmentation.model import segment_customers
    from segmentation.result import Segmentation, SegmentOptions

    table = load_customers(mall_bytes, "mall_customers.csv")
    seg = segment_customers(table, SegmentOptions(k=5))
    saved = store.save_upload(
        1,
        storage.NewDataset(
            filename="mall_customers.csv",
            size_bytes=len(mall_bytes),
            sha256="mall",
            uploaded_by=1,
            receipt=table.receipt.to_dict(),
            customers=table.customers,
        ),
        storage.NewRun(
            options=seg.options.to_dict(),
            k=seg.k,
            summary=seg.summary_dict(),
            segments=[s.to_dict() for s in seg.segments],
            assignments=seg.assignments[["segment", "distance", "runner_up"]],
        ),
    )

    text = [c for c in table.customers.columns if table.customers[c].dtype == object]
    expected = table.customers.astype(dict.fromkeys(text, "str"))
    expected.index = expected.index.astype("str")
    pd.testing.assert_frame_equal(store.customers(1, saved.dataset.id), expected)
    assignments = store.assignments(1, saved.run.id)
    rebuilt = Segmentation.from_parts(saved.run.summary, saved.run.segments, assignments)
    assert rebuilt.segments == seg.segments
    assert rebuilt.summary_dict() == seg.summary_dict()
    pd.testing.assert_frame_equal(
        assignments,
        seg.assignments[["segment", "distance", "runner_up"]],
        check_dtype=False,
        check_index_type=False,
    )


def test_a_store_that_leaves_checkpoints_to_its_owner_keeps_every_save(db_path: Path) -> None:
    customers = make_customers(numbered_ids(5000))
    with CustomerStore(db_path, checkpoint_on_commit=False) as store:
        saved = store.save_upload(1, make_dataset(customers), make_run(customers))
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0
        store.checkpoint()
        with CustomerStore(db_path) as reader:
            assert reader.find_customer(1, "7") is not None
            assert reader.active_dataset(1) == saved.dataset
