"""The store stays whole: failures midway, a killed writer, threads and concurrent readers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from storage_factories import TABLES, make_customers, make_dataset, make_run, numbered_ids
from storage_killer import SPILLED_BYTES

from storage import CustomerStore, NewRun, SavedUpload, StoreError

KILLER = Path(__file__).resolve().parent / "storage_killer.py"


def snapshot(store: CustomerStore) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to compare before and after."""
    conn = store.db.conn
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in TABLES
    }


def save_first(store: CustomerStore, chat_id: int = 1) -> tuple[SavedUpload, pd.DataFrame]:
    """The good upload that must survive whatever happens next."""
    customers = make_customers(numbered_ids(40), seed=1)
    saved = store.save_upload(chat_id, make_dataset(customers, "good"), make_run(customers))
    return saved, customers


def assert_previous_state(store: CustomerStore, good: SavedUpload, customers: pd.DataFrame) -> None:
    """The good upload is still the active one, whole."""
    assert store.active_dataset(1) == good.dataset
    assert store.active_run(1) == good.run
    assert [d.id for d in store.datasets(1)] == [good.dataset.id]
    pd.testing.assert_frame_equal(store.customers(1, good.dataset.id), customers)
    assert len(store.assignments(1, good.run.id)) == len(customers)
    assert store.find_customer(1, "7") is not None


# -- an exception midway ---------------------------------------------------------------------


def _nan_segment_at_the_end(customers: pd.DataFrame) -> NewRun:
    """Assignments whose last row breaks NOT NULL: fails after the others were inserted."""
    run = make_run(customers)
    broken = run.assignments.astype({"segment": float})
    broken.loc[broken.index[-1], "segment"] = np.nan
    return make_run(customers, assignments=broken)


def _segment_without_persona(customers: pd.DataFrame) -> NewRun:
    """A segment dict without its persona: fails after the dataset and customers went in."""
    run = make_run(customers)
    return make_run(customers, segments=[*run.segments, {"number": 9}])


def _plot_that_is_not_bytes(customers: pd.DataFrame) -> NewRun:
    """A plot that is text: fails last, after every assignment was inserted."""
    return make_run(customers, plots={"scatter": b"ok", "k": "not bytes"})


def _summary_that_is_not_json(customers: pd.DataFrame) -> NewRun:
    """A summary that cannot be serialised: fails right after the dataset went in."""
    return make_run(customers, summary={"bad": object()})


@pytest.mark.parametrize(
    "broken_run",
    [
        _nan_segment_at_the_end,
        _segment_without_persona,
        _plot_that_is_not_bytes,
        _summary_that_is_not_json,
    ],
)
def test_failed_save_leaves_nothing_and_keeps_previous_active(
    store: CustomerStore, broken_run: object
) -> None:
    good, customers = save_first(store)
    before = snapshot(store)
    bigger = make_customers(numbered_ids(500), seed=2)

    with pytest.raises(StoreError):
        store.save_upload(1, make_dataset(bigger, "bad"), broken_run(bigger))  # type: ignore[operator]

    assert snapshot(store) == before
    assert_previous_state(store, good, customers)
    assert store.find_dataset_by_sha256(1, make_dataset(bigger, "bad").sha256) is None
    # The store is still usable, and the next dataset gets the next number.
    again = store.save_upload(1, make_dataset(bigger, "bad"), make_run(bigger))
    assert again.dataset.number == 2


def test_failed_add_run_keeps_the_previous_run_active(store: CustomerStore) -> None:
    good, customers = save_first(store)
    before = snapshot(store)
    with pytest.raises(StoreError):
        store.add_run(1, good.dataset.id, _nan_segment_at_the_end(customers))
    assert snapshot(store) == before
    assert_previous_state(store, good, customers)


# -- a writer killed mid-save ----------------------------------------------------------------


def test_writer_killed_mid_save_leaves_previous_state_intact(db_path: Path) -> None:
    with CustomerStore(db_path) as store:
        good, customers = save_first(store)
        store.set_setting(1, "k", 4)

    writer = subprocess.Popen(
        [sys.executable, str(KILLER), str(db_path), "100000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "mid-save"
        # The unfinished transaction really reached the disk before the kill.
        assert Path(f"{db_path}-wal").stat().st_size > SPILLED_BYTES
        os.kill(writer.pid, signal.SIGKILL)
        assert writer.wait(timeout=30) == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()

    with CustomerStore(db_path) as store:
        conn = store.db.conn
        assert [tuple(r) for r in conn.execute("PRAGMA integrity_check")] == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert_previous_state(store, good, customers)
        assert store.settings(1) == {"k": 4}
        assert conn.execute("SELECT count(*) FROM customer_id_blocks").fetchone()[0] == 1
        # And the file takes the same save when nobody interrupts it.
        bigger = make_customers(numbered_ids(1000, "K"))
        assert (
            store.save_upload(1, make_dataset(bigger, "big"), make_run(bigger)).dataset.number == 2
        )


# -- threads and concurrent connections -----------------------------------------------------


def test_store_created_on_one_thread_works_from_another(db_path: Path) -> None:
    store = CustomerStore(db_path)
    customers = make_customers(numbered_ids(30))
    with ThreadPoolExecutor(max_workers=1) as db_thread:
        saved = db_thread.submit(
            store.save_upload, 1, make_dataset(customers), make_run(customers)
        ).result()
        record = db_thread.submit(store.find_customer, 1, "3").result()
        frame = db_thread.submit(store.customers, 1, saved.dataset.id).result()
        db_thread.submit(store.close).result()
    assert record is not None and record.values == customers.loc["3"].to_dict()
    pd.testing.assert_frame_equal(frame, customers)


def test_readers_see_the_last_commit_while_a_writer_writes(db_path: Path) -> None:
    writer = CustomerStore(db_path)
    reader = CustomerStore(db_path)
    good, customers = save_first(writer)
    bigger = make_customers(numbered_ids(2000), seed=3)
    inside = threading.Event()
    release = threading.Event()
    conn = writer.db.conn

    def pause_inside_transaction() -> int:
        if conn.in_transaction and not inside.is_set():
            inside.set()
            release.wait(30)
        return 0

    conn.set_progress_handler(pause_inside_transaction, 1)
    with ThreadPoolExecutor(max_workers=1) as pool:
        saving = pool.submit(writer.save_upload, 1, make_dataset(bigger, "new"), make_run(bigger))
        assert inside.wait(30)
        try:
            # Mid-write, a second connection reads the previous state without waiting,
            # and a third one can open the file.
            with CustomerStore(db_path) as late:
                assert late.active_run(1) == good.run
            assert reader.active_dataset(1) == good.dataset
            assert reader.find_customer(1, "7") is not None
            assert reader.find_customer(1, "1999") is None
            pd.testing.assert_frame_equal(reader.customers(1, good.dataset.id), customers)
        finally:
            release.set()
        saved = saving.result(timeout=30)
    conn.set_progress_handler(None, 0)

    active = reader.active_dataset(1)
    assert active is not None and active.id == saved.dataset.id
    assert reader.find_customer(1, "1999") is not None
    writer.close()
    reader.close()


def test_a_second_writer_waits_for_the_first(db_path: Path) -> None:
    first = CustomerStore(db_path)
    second = CustomerStore(db_path)
    first.db.conn.execute("BEGIN IMMEDIATE")
    done = threading.Event()

    def write() -> None:
        second.set_setting(1, "k", 3)
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.3)  # blocked on the lock, not failed
    first.db.conn.execute("COMMIT")
    thread.join(10)
    assert done.is_set()
    assert first.settings(1) == {"k": 3}
    first.close()
    second.close()


def test_lookups_are_indexed(store: CustomerStore) -> None:
    customers = make_customers(numbered_ids(300, "C"))
    saved = store.save_upload(1, make_dataset(customers), make_run(customers))
    statements: list[str] = []
    conn = store.db.conn
    conn.set_trace_callback(statements.append)
    try:
        assert store.find_customer(1, "C17") is not None
        assert store.similar_ids(1, "C0017")
        assert store.active_run(1) is not None
        assert store.plot(1, saved.run.id, "scatter")
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects
    for sql in selects:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = [step for step in plan if step.startswith("SCAN")]
        assert not scans, (sql, plan)
