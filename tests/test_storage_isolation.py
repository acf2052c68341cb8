"""Two chats upload files with the same customer ids: each sees only its own, in every call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from storage_factories import make_customers, make_dataset, make_run, numbered_ids

from storage import CustomerStore, SavedUpload, StoreError

ALICE, BOB = 101, -202  # a private chat and a group (negative ids)


@pytest.fixture
def two_chats(db_path: Path) -> Iterator[tuple[CustomerStore, dict[int, SavedUpload]]]:
    """A store where both chats uploaded the same ids (and the same bytes) with other data."""
    ids = numbered_ids(25)
    with CustomerStore(db_path) as store:
        saved = {}
        for chat_id, seed in ((ALICE, 1), (BOB, 2)):
            customers = make_customers(ids, seed=seed)
            saved[chat_id] = store.save_upload(
                chat_id, make_dataset(customers, "same-bytes"), make_run(customers, seed=seed)
            )
            store.save_plot(chat_id, saved[chat_id].run.id, "profile", f"{chat_id}".encode())
            store.set_setting(chat_id, "owner", chat_id)
        for chat_id in (ALICE, BOB):  # as they are now, with the second plot
            dataset, run = store.active_dataset(chat_id), store.active_run(chat_id)
            assert dataset is not None and run is not None
            saved[chat_id] = SavedUpload(dataset, run, duplicate=False)
        yield store, saved


def test_each_chat_reads_only_its_own_rows(
    two_chats: tuple[CustomerStore, dict[int, SavedUpload]],
) -> None:
    store, saved = two_chats
    for me, other in ((ALICE, BOB), (BOB, ALICE)):
        mine, theirs = saved[me], saved[other]
        seed = 1 if me == ALICE else 2
        customers = make_customers(numbered_ids(25), seed=seed)
        assert mine.dataset.id != theirs.dataset.id
        assert mine.dataset.number == 1  # numbering is per chat

        assert store.active_dataset(me) == mine.dataset
        assert store.active_run(me) == mine.run
        assert store.datasets(me) == [mine.dataset]
        assert store.dataset(me, 1) == mine.dataset
        assert store.find_dataset_by_sha256(me, mine.dataset.sha256) == mine.dataset
        assert store.runs(me, mine.dataset.id) == [mine.run]
        assert store.latest_run(me, mine.dataset.id) == mine.run
        assert store.run(me, mine.run.id) == mine.run
        pd.testing.assert_frame_equal(store.customers(me, mine.dataset.id), customers)
        pd.testing.assert_frame_equal(
            store.assignments(me, mine.run.id), make_run(customers, seed=seed).assignments
        )
        record = store.find_customer(me, "5")
        assert record is not None and record.values == customers.loc["5"].to_dict()
        assert store.plot(me, mine.run.id, "profile") == f"{me}".encode()
        assert store.settings(me) == {"owner": me}
        assert store.use_dataset(me, 1) == (mine.dataset, mine.run)

        # The other chat's ids are unknown here, however they are asked for.
        assert store.runs(me, theirs.dataset.id) == []
        assert store.latest_run(me, theirs.dataset.id) is None
        assert store.run(me, theirs.run.id) is None
        assert store.find_customer(me, "5", run_id=theirs.run.id) is None
        assert store.similar_ids(me, "5x", run_id=theirs.run.id) == []
        assert store.plot(me, theirs.run.id, "profile") is None
        with pytest.raises(StoreError):
            store.customers(me, theirs.dataset.id)
        with pytest.raises(StoreError):
            store.assignments(me, theirs.run.id)
        with pytest.raises(StoreError):
            store.add_run(me, theirs.dataset.id, make_run(customers))
        with pytest.raises(StoreError):
            store.save_plot(me, theirs.run.id, "profile", b"overwrite")
    assert store.plot(ALICE, saved[ALICE].run.id, "profile") == f"{ALICE}".encode()


def test_a_chat_without_uploads_sees_nothing_of_others(
    two_chats: tuple[CustomerStore, dict[int, SavedUpload]],
) -> None:
    store, saved = two_chats
    stranger = 303
    assert store.active_dataset(stranger) is None
    assert store.active_run(stranger) is None
    assert store.datasets(stranger) == []
    assert store.dataset(stranger, 1) is None
    assert store.find_dataset_by_sha256(stranger, saved[ALICE].dataset.sha256) is None
    assert store.find_customer(stranger, "5") is None
    assert store.similar_ids(stranger, "5") == []
    assert store.settings(stranger) == {}
    with pytest.raises(StoreError):
        store.use_dataset(stranger, 1)
    assert store.forget(stranger) == 0
    assert store.active_run(ALICE) == saved[ALICE].run


def test_new_run_and_dedup_in_one_chat_leave_the_other_alone(
    two_chats: tuple[CustomerStore, dict[int, SavedUpload]],
) -> None:
    store, saved = two_chats
    customers = make_customers(numbered_ids(25), seed=1)
    store.add_run(ALICE, saved[ALICE].dataset.id, make_run(customers, k=5))
    again = store.save_upload(BOB, make_dataset(customers, "same-bytes"), make_run(customers))
    assert again.duplicate and again.dataset == saved[BOB].dataset
    assert store.active_run(BOB) == saved[BOB].run
    assert store.runs(BOB, saved[BOB].dataset.id) == [saved[BOB].run]
