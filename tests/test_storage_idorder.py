"""Lookups by id through blocks of sorted ids: the same answers a SQL index gave."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlite_utils import Database
from storage_factories import make_customers, make_dataset, make_run

from storage import CustomerStore, StoreError
from storage.idorder import BLOCK, ROW, id_blocks, neighbours
from storage.migrations import migrations

#: Ids whose code point order differs from their numeric, length or case order.
AWKWARD = ["10", "9", "0042", "42", "A7", "a7", "Ä1", "é", "z", "zz", "日本", "-3", " 5", "5 "]


def _saved(store: CustomerStore, ids: list[str]) -> int:
    customers = make_customers(ids)
    return store.save_upload(1, make_dataset(customers), make_run(customers, k=2)).dataset.id


def test_ids_sort_by_code_point_as_sqlite_binary_collation_does() -> None:
    ids = pd.Index(AWKWARD, dtype="str")
    (block,) = id_blocks(ids)
    rows = np.frombuffer(block.rows, dtype=ROW)
    conn = sqlite3.connect(":memory:")
    listed = pd.Series(AWKWARD).to_json(orient="values", force_ascii=False)
    expected = [
        r[0] for r in conn.execute("SELECT value FROM json_each(?) ORDER BY value", (listed,))
    ]
    assert [AWKWARD[r] for r in rows] == expected == sorted(AWKWARD)
    assert block.first_id == expected[0]


def test_ids_that_differ_only_by_a_trailing_nul_stay_apart(store: CustomerStore) -> None:
    _saved(store, ["b", "b\0", "a\0\0", "a"])
    for customer_id in ["b", "b\0", "a\0\0", "a"]:
        record = store.find_customer(1, customer_id)
        assert record is not None and record.customer_id == customer_id
    assert store.find_customer(1, "a\0") is None


def test_a_repeated_id_is_refused() -> None:
    with pytest.raises(StoreError):
        id_blocks(pd.Index(["a", "b", "a"], dtype="str"))


def test_every_id_is_found_and_absent_ones_are_not(store: CustomerStore) -> None:
    _saved(store, AWKWARD)
    for customer_id in AWKWARD:
        record = store.find_customer(1, customer_id)
        assert record is not None and record.customer_id == customer_id
    for absent in ["", "1", "0", "A", "zzz", "日", "5", "Z7", "\uffff"]:
        assert store.find_customer(1, absent) is None


def test_neighbours_are_the_ids_just_after_and_before_in_order(store: CustomerStore) -> None:
    dataset_id = _saved(store, AWKWARD)
    order = sorted(AWKWARD)
    conn = store.db.conn
    for probe in ["42", "5", "a", "", "\uffff", "zz"]:
        after = [i for i in order if i > probe][:3]
        before = [i for i in reversed(order) if i < probe][:3]
        assert neighbours(conn, dataset_id, probe, 3) == after + before


@pytest.mark.parametrize("rows", [1, 2, 3, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5])
def test_sizes_around_the_edges_of_blocks(store: CustomerStore, rows: int) -> None:
    ids = [f"C{i * 7919 % 10007:05d}" for i in range(rows)]
    dataset_id = _saved(store, ids)
    order = sorted(ids)
    edges = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, rows // 2, rows - 1}
    for position in sorted(p for p in edges if p < rows):
        customer_id = order[position]
        record = store.find_customer(1, customer_id)
        assert record is not None and record.customer_id == customer_id
        assert store.find_customer(1, customer_id + "x") is None
        probe = customer_id + "x"
        after = [i for i in order if i > probe][:4]
        before = [i for i in reversed(order) if i < probe][:4]
        assert neighbours(store.db.conn, dataset_id, probe, 4) == after + before
    assert store.find_customer(1, "C") is None and store.find_customer(1, "D") is None


def test_a_version_3_file_gets_its_id_order_from_the_old_index(db_path: Path) -> None:
    db = Database(db_path)
    migrations.apply(db, stop_before="0004_id_blocks")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    ids = ["b", "a", "c"]
    script = [
        "INSERT INTO chats (id, created_at) VALUES (1, 't')",
        "INSERT INTO datasets VALUES (1, 1, 1, 'a.csv', 1, 'h', '{}', 1, 't', 3)",
        "INSERT INTO customers VALUES (1, 'b', 0), (1, 'a', 1), (1, 'c', 2)",
    ]
    for sql in script:
        db.execute(sql)
    db.conn.commit()
    db.close()
    with CustomerStore(db_path) as store:
        conn = store.db.conn
        assert "customers" not in store.db.table_names()
        (blob,) = conn.execute("SELECT rows FROM customer_id_blocks").fetchone()
        assert [ids[r] for r in np.frombuffer(blob, dtype=ROW)] == ["a", "b", "c"]
        assert store.find_customer(1, "c") is None  # no run: found, but nothing assigned
        assert neighbours(conn, 1, "b", 2) == ["c", "a"]
