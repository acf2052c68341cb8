"""Each column and each run kept in its narrowest form, read back exactly as it was given."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database
from storage_factories import make_dataset, make_run

from storage import CustomerStore, StoreError, writes
from storage.assignments import decode_assignments, encode_assignments
from storage.columns import (
    decode_encoded,
    encode_column,
    encode_frame,
    utf8_records,
)
from storage.migrations import migrations


@pytest.mark.parametrize(
    ("values", "fmt"),
    [
        ([18, 70, np.nan, 33], "<i1"),
        ([-127, 127], "<i1"),
        ([-128, 5], "<i2"),  # the smallest int8 marks a missing value
        ([15, 137, 300], "<i2"),
        ([40_000, np.nan], "<i4"),
        ([3e9, 1], None),
        ([1.5, 2], None),
        ([0.0, -0.0], None),  # -0.0 would come back as 0.0
        ([np.inf, 1], None),
        ([np.nan, np.nan], None),
        ([], None),
    ],
)
def test_whole_numbers_take_the_narrowest_type(values: list[float], fmt: str | None) -> None:
    series = pd.Series(values, dtype=float)
    column = encode_column("x", series)
    assert column.format == fmt
    width = 8 if fmt is None else np.dtype(fmt).itemsize
    assert len(column.data) == width * len(values)
    assert decode_encoded(column).tobytes() == series.to_numpy().tobytes()


def test_a_nan_with_a_payload_keeps_the_float_layout() -> None:
    odd = np.array([0x7FF8000000000001], dtype=np.uint64).view(np.float64)[0]
    values = np.array([1.0, odd, 3.0])
    column = encode_column("x", pd.Series(values))
    assert column.format is None and decode_encoded(column).tobytes() == values.tobytes()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)), max_size=40))
def test_any_whole_numbers_survive(values: list[int | None]) -> None:
    series = pd.Series([np.nan if v is None else float(v) for v in values], dtype=float)
    assert decode_encoded(encode_column("x", series)).tobytes() == series.to_numpy().tobytes()


def test_few_distinct_texts_are_kept_as_codes() -> None:
    series = pd.Series(["Female", "Male", None, "Male"] * 100 + ["Zürich"] * 4, dtype=object)
    column = encode_column("gender", series)
    assert column.format == "codes<u1" and column.codes is not None
    assert len(column.codes) == len(series) and column.missing is None
    assert len(column.data) == len("FemaleMaleZürich".encode())
    pd.testing.assert_series_equal(decode_encoded(column), series.astype("str"))


@pytest.mark.parametrize(("distinct", "fmt"), [(254, "codes<u1"), (255, "codes<u2")])
def test_codes_widen_when_a_byte_is_not_enough(distinct: int, fmt: str) -> None:
    series = pd.Series([f"v{i % distinct}" for i in range(distinct * 4)] + [None], dtype=object)
    column = encode_column("tier", series)
    assert column.format == fmt
    pd.testing.assert_series_equal(decode_encoded(column), series.astype("str"))


def test_the_plain_layout_is_kept_when_asked() -> None:
    assert encode_column("x", pd.Series([1.0, 2.0]), narrow=False).format is None
    text = encode_column("g", pd.Series(["a"] * 8, dtype=object), narrow=False)
    assert text.format is None and text.missing is not None


@pytest.mark.parametrize(
    ("written", "ids", "padded"),
    [
        (["000001", "000042", "123456"], ["1", "42", "123456"], True),
        (["01", "0042", "7"], ["1", "42", "7"], True),  # different widths
        (["000001", "000042", "12345X"], ["1", "42", "7"], False),
        (["000001", "000043", "123456"], ["1", "42", "123456"], False),  # not the row's id
        (["000001", None, "123456"], ["1", "42", "123456"], False),
        (["000001", "٠٠٤٢", "123456"], ["1", "42", "123456"], False),
        (["000", "0042", "7"], ["0", "42", "7"], True),
        (["0042", "0042"], ["42", "42\x00"], False),  # an id ending in NUL
    ],
)
def test_ids_as_written_are_kept_as_their_padding(
    written: list[str | None], ids: list[str], padded: bool
) -> None:
    index = pd.Index(ids, dtype="str")
    frame = pd.DataFrame({"customer_id (as written)": pd.Series(written, dtype=object)})
    (column,) = encode_frame(frame, utf8_records(index.to_numpy(dtype=object)))
    assert (column.format == "id-padded") is padded
    back = decode_encoded(column, index)
    assert [None if pd.isna(v) else v for v in back] == written


def test_segment_numbers_are_one_byte_when_they_fit() -> None:
    ids = pd.Index(["a", "b", "c"], dtype="str")
    frame = pd.DataFrame(
        {"segment": [1, 3, 2], "distance": [0.5, 1.5, np.nan], "runner_up": [2, 1, 3]},
        index=ids,
    )
    narrow = encode_assignments(ids, frame)
    assert narrow.format == "<i1" and len(narrow.segment) == 3
    wide = encode_assignments(ids, frame.assign(segment=[1, 300, 2]))
    assert wide.format is None and len(wide.segment) == 12
    for encoded, segments in ((narrow, [1, 3, 2]), (wide, [1, 300, 2])):
        assert decode_assignments(ids, encoded)["segment"].tolist() == segments


def mall_customers(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    ids = [str(i) for i in range(1, n + 1)]
    return pd.DataFrame(
        {
            "gender": rng.choice(["Female", "Male"], n).astype(object),
            "age": rng.integers(18, 70, n).astype(float),
            "income": rng.integers(15, 140, n).astype(float),
            "score": np.where(np.arange(n) % 7 == 0, np.nan, rng.integers(1, 100, n)),
            "customer_id (as written)": np.array([i.zfill(6) for i in ids], dtype=object),
            "city": np.array([f"city {i}" for i in range(n)], dtype=object),
        },
        index=pd.Index(ids, name="customer_id"),
    )


def test_a_narrow_upload_reads_back_whole_and_one_by_one(tmp_path: Path) -> None:
    customers = mall_customers(500)
    with CustomerStore(tmp_path / "s.db") as store:
        saved = store.save_upload(1, make_dataset(customers), make_run(customers))
        formats = dict(
            store.db.conn.execute("SELECT name, format FROM customer_columns").fetchall()
        )
        assert formats == {
            "gender": "codes<u1",
            "age": "<i1",
            "income": "<i2",
            "score": "<i1",
            "customer_id (as written)": "id-padded",
            "city": None,
        }
        back = store.customers(1, saved.dataset.id)
        expected = customers.astype({"gender": "str", "city": "str"})
        expected["customer_id (as written)"] = expected["customer_id (as written)"].astype("str")
        expected.index = expected.index.astype("str")
        pd.testing.assert_frame_equal(back, expected)
        for customer_id in ("1", "7", "42", "500"):
            record = store.find_customer(1, customer_id)
            assert record is not None
            want = expected.loc[customer_id].to_dict()
            got = record.values
            assert got.keys() == want.keys()
            for name, value in want.items():
                assert (pd.isna(value) and pd.isna(got[name])) or got[name] == value, name


def test_a_version_4_file_keeps_its_wide_columns_and_drops_the_id_list(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    db = Database(path)
    migrations.apply(db, stop_before="0005_narrow_formats")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4
    db.close()
    # Written by the layout of version 4: wide columns, int32 segments, the id list.
    conn = sqlite3.connect(path)
    customers = mall_customers(30)
    ids = pd.Index(customers.index, dtype="str", name="customer_id")
    conn.executescript(
        "INSERT INTO chats (id, created_at, next_dataset_number) VALUES (1, 't', 2);"
        "INSERT INTO datasets VALUES (1, 1, 1, 'a.csv', 1, 'h', '{}', 1, 't', 30);"
        "INSERT INTO runs VALUES (1, 1, 't', '{}', 2, '{}', NULL);"
        "INSERT INTO segments VALUES (1, 1, 'A', 'd', 'a', '{}', '{}');"
        "INSERT INTO segments VALUES (1, 2, 'B', 'd', 'a', '{}', '{}');"
    )
    listed = encode_column("customer_id", pd.Series(ids.to_numpy()), narrow=False)
    conn.execute("INSERT INTO customer_ids VALUES (1, ?, ?)", (listed.data, listed.offsets))
    from storage.idorder import id_blocks, insert_blocks

    insert_blocks(conn, 1, id_blocks(ids))
    for position, name in enumerate(customers.columns):
        column = encode_column(name, customers[name], narrow=False)
        conn.execute(
            "INSERT INTO customer_columns (dataset_id, position, name, kind, data, offsets,"
            " missing) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (position, name, column.kind, column.data, column.offsets, column.missing),
        )
    frame = pd.DataFrame(
        {"segment": [1, 2] * 15, "distance": np.linspace(0, 1, 30), "runner_up": [2, 1] * 15},
        index=ids,
    )
    arrays = encode_assignments(ids, frame, narrow=False)
    conn.execute(
        "INSERT INTO run_assignments VALUES (1, ?, ?, ?, ?)",
        (arrays.assigned, arrays.segment, arrays.distance, arrays.runner_up),
    )
    conn.execute("INSERT INTO chat_state VALUES (1, 1, 1)")
    conn.commit()
    conn.close()

    with CustomerStore(path) as store:
        assert store.schema_version == 5
        assert "customer_ids" not in store.db.table_names()
        back = store.customers(1, 1)
        assert back.index.tolist() == ids.tolist()
        assert back["age"].tolist() == customers["age"].tolist()
        assert back["customer_id (as written)"].tolist() == [i.zfill(6) for i in ids]
        assigned = store.assignments(1, 1)
        assert assigned["segment"].tolist() == [1, 2] * 15
        record = store.find_customer(1, "7")
        assert record is not None and record.segment == 1 and record.runner_up == 2
        assert record.values["gender"] == customers.loc["7", "gender"]
        # A new upload beside the old one is kept narrow.
        fresh = mall_customers(40)
        store.save_upload(1, make_dataset(fresh, "b"), make_run(fresh))
        assert store.find_customer(1, "40") is not None


def test_a_large_upload_with_a_repeated_id_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large upload the ids are sorted beside the encoding: a repeat still stops the
    save, and nothing is kept."""
    monkeypatch.setattr(writes, "SORT_BESIDE_ROWS", 1_000)
    ids = [str(i) for i in range(2_001)]
    ids[-1] = "7"
    customers = pd.DataFrame(
        {"age": np.full(len(ids), 30.0)}, index=pd.Index(ids, name="customer_id")
    )
    with CustomerStore(tmp_path / "s.db") as store:
        with pytest.raises(StoreError, match="unique"):
            store.save_upload(1, make_dataset(customers), make_run(customers))
        assert store.datasets(1) == []


def test_ids_as_written_beside_a_value_that_is_not_text_stay_a_text_column() -> None:
    frame = pd.DataFrame({"written": pd.Series(["0001", 42, "0003"], dtype=object)})
    ids = pd.Index(["1", "42", "3"], dtype="str")
    (column,) = encode_frame(frame, utf8_records(ids.to_numpy(dtype=object)))
    assert column.format is None
    assert decode_encoded(column).tolist() == ["0001", "42", "0003"]


def test_ids_as_written_given_as_widths_are_kept_and_read_back_as_text(tmp_path: Path) -> None:
    from dataclasses import replace

    customers = mall_customers(30).drop(columns="customer_id (as written)")
    ids = customers.index.tolist()
    widths = np.array([6] * 29 + [len(ids[-1])])
    dataset = replace(make_dataset(customers), padded_ids=("customer_id (as written)", widths))
    with CustomerStore(tmp_path / "padded.db") as store:
        store.save_upload(1, dataset, make_run(customers))
        back = store.customers(1, 1)
        written = [i.zfill(6) for i in ids[:29]] + [ids[-1]]
        assert back.columns.tolist() == [*customers.columns, "customer_id (as written)"]
        assert back["customer_id (as written)"].tolist() == written
        record = store.find_customer(1, "7")
        assert record is not None and record.values["customer_id (as written)"] == "000007"
    # Encoded beforehand (as a fit process does): the same column.
    encoded = writes.encode_customers(customers, dataset.padded_ids)
    assert encoded.columns[-1].format == "id-padded"
    with CustomerStore(tmp_path / "encoded.db") as store:
        store.save_prepared(1, writes.prepare_upload(dataset, make_run(customers), encoded))
        assert store.customers(1, 1)["customer_id (as written)"].tolist() == written
    # Without the widths, those columns are not this upload's.
    with pytest.raises(StoreError, match="not this upload's"):
        writes.prepare_upload(make_dataset(customers, "b"), make_run(customers), encoded)


@pytest.mark.parametrize(
    ("ids", "widths", "problem"),
    [
        (["1", "22"], [3], "one per id"),
        (["1", "22"], [3, 1], "wider than it was written"),
        (["1", "22"], [3.0, 4.0], "one per id"),
    ],
)
def test_widths_that_do_not_fit_the_ids_are_refused(
    ids: list[str], widths: list[float], problem: str
) -> None:
    frame = pd.DataFrame({"age": [30.0] * len(ids)}, index=pd.Index(ids, name="customer_id"))
    with pytest.raises(StoreError, match=problem):
        writes.encode_customers(frame, ("as written", np.array(widths)))
    with pytest.raises(StoreError, match="unique names"):
        writes.encode_customers(frame, ("age", np.array([1, 2])))


def test_widths_of_ids_that_are_not_digits_or_too_wide_are_kept_as_text() -> None:
    for ids, widths in ((["A1", "22"], [4, 2]), (["1", "22"], [300, 2])):
        frame = pd.DataFrame({"age": [30.0, 40.0]}, index=pd.Index(ids, name="customer_id"))
        column = writes.encode_customers(frame, ("as written", np.array(widths))).columns[-1]
        assert column.format != "id-padded"
        back = decode_encoded(column, pd.Index(ids, dtype="str"))
        assert list(back) == [i.zfill(w) for i, w in zip(ids, widths, strict=True)]
