"""Suggesting ids close to an unknown one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_factories import make_customers, make_dataset, make_run, numbered_ids

from storage import CustomerStore
from storage.similar import edit_distance, rank, variants


@pytest.fixture
def store(db_path: Path) -> Iterator[CustomerStore]:
    """A store whose active dataset has padded, prefixed and plain ids."""
    ids = [f"C{i:04d}" for i in range(1, 301)] + numbered_ids(300) + ["alpha-7", "Beta"]
    customers = make_customers(ids)
    with CustomerStore(db_path) as opened:
        opened.save_upload(1, make_dataset(customers), make_run(customers))
        yield opened


@pytest.mark.parametrize(
    ("asked", "first"),
    [
        ("c0042", "C0042"),  # case
        ("C42", "C0042"),  # padding
        ("C 0042", "C0042"),  # a space
        ("C00042", "C0042"),
        ("0042", "42"),  # leading zeros
        ("BETA", "Beta"),
        ("alpha7", "alpha-7"),  # a separator left out
    ],
)
def test_similar_ids_put_the_same_id_written_differently_first(
    store: CustomerStore, asked: str, first: str
) -> None:
    found = store.similar_ids(1, asked)
    assert found[:1] == [first]
    assert len(found) <= 5


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("C042", {"C0042"}),  # a digit short
        ("C0301", {"C0300"}),  # just past the end
        ("421", {"42", "420"} & {str(i) for i in range(301)}),  # one digit too many
        ("301", {"300"}),  # numeric neighbour
        ("C0O42", {"C0042"}),  # letter O for zero
        ("C0420", {"C0240"}),  # swapped digits
    ],
)
def test_similar_ids_find_near_misses(store: CustomerStore, asked: str, expected: set[str]) -> None:
    found = store.similar_ids(1, asked)
    assert expected <= set(found), found


def test_similar_ids_respect_the_limit_and_skip_strangers(store: CustomerStore) -> None:
    assert len(store.similar_ids(1, "C0400", limit=3)) <= 3
    assert store.similar_ids(1, "C0042", limit=0) == []
    assert store.similar_ids(1, "zzzzzzzzzz") == []
    assert store.similar_ids(1, "  ") == []
    assert "42" not in store.similar_ids(1, "42")  # an existing id is not its own suggestion


def test_similar_ids_of_a_given_run(store: CustomerStore) -> None:
    other = make_customers(["X1", "X2"])
    saved = store.save_upload(1, make_dataset(other, "other"), make_run(other, k=1))
    first = store.dataset(1, 1)
    assert first is not None
    older = store.latest_run(1, first.id)
    assert older is not None
    assert store.similar_ids(1, "X3") == ["X2", "X1"]
    assert not {"X1", "X2"} & set(store.similar_ids(1, "X3", run_id=older.id))
    assert store.similar_ids(1, "C42", run_id=older.id)[0] == "C0042"
    assert saved.run.active


def test_variants_and_ranking() -> None:
    assert "C0041" in variants("C0042") and "C0043" in variants("C0042")
    assert "C42" in variants("C0042")
    assert "C0042" not in variants("C0042")
    assert rank("C0042", ["C0043", "C0041", "C0042", "Q9"], 5) == ["C0041", "C0043"]
    assert edit_distance("abcd", "abdc") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
