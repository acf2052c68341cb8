"""A customer table sent to another process comes back equal, dtypes and all."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from segmentation import load_customers, sample_csv
from segmentation.ingest.packing import PackedFrame, pack_frame, unpack_frame


def round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    return unpack_frame(pickle.loads(pickle.dumps(pack_frame(frame))))


def test_a_read_table_pickles_packed_and_comes_back_equal() -> None:
    table = load_customers(sample_csv(2_000, seed=4), "members.csv")
    back = pickle.loads(pickle.dumps(table))
    pd.testing.assert_frame_equal(back.customers, table.customers)
    assert back.customers.index.dtype == table.customers.index.dtype
    assert (back.receipt, back.numeric, back.attributes, back.labels, back.units) == (
        table.receipt,
        table.numeric,
        table.attributes,
        table.labels,
        table.units,
    )
    packed = pack_frame(table.customers)
    assert isinstance(packed, PackedFrame)
    assert type(packed.index).__name__ == "_Joined"  # the ids went as one string


TEXTS = [
    ["a", "b", "Zürich"],
    ["a", None, "c"],  # a missing cell: sent as it is
    ["a", "b\x00c", "d"],  # a cell holding the separator: sent as it is
    ["", "", ""],
]


@pytest.mark.parametrize(
    ("cells", "dtype"),
    [(cells, dtype) for cells in TEXTS for dtype in (object, "str")]
    + [([1, "x", 2.5], object)],  # not all text
)
def test_text_columns_of_any_kind_come_back_equal(cells: list[object], dtype: object) -> None:
    frame = pd.DataFrame(
        {"t": pd.Series(cells, dtype=dtype), "n": [1.0, np.nan, 3.0]},
        index=pd.Index(["1", "2", "3"], dtype=object, name="customer_id"),
    )
    pd.testing.assert_frame_equal(round_trip(frame), frame)


def test_an_empty_frame_comes_back_empty() -> None:
    frame = pd.DataFrame(
        {"t": pd.Series([], dtype=object)},
        index=pd.Index([], dtype=object, name="customer_id"),
    )
    pd.testing.assert_frame_equal(round_trip(frame), frame)
