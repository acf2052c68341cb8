"""Customer values and assignments as fixed-width arrays: exact round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import StoreError
from storage.assignments import decode_assignments, encode_assignments
from storage.columns import decode_encoded, encode_column


def test_text_columns_encode_and_decode() -> None:
    series = pd.Series(["a", None, "", "Zürich", "東京", "x" * 1000], dtype=object)
    encoded = encode_column("city", series)
    assert encoded.kind == "text"
    decoded = decode_encoded(encoded)
    assert isinstance(decoded, pd.Series)
    pd.testing.assert_series_equal(decoded, series.astype("str"))


def test_numeric_columns_keep_nan_and_exact_values() -> None:
    series = pd.Series([0.1 + 0.2, np.nan, -0.0, 1e308, 5e-324])
    encoded = encode_column("x", series)
    assert encoded.kind == "float"
    decoded = decode_encoded(encoded)
    np.testing.assert_array_equal(decoded, series.to_numpy())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=30))
def test_any_text_survives(values: list[str | None]) -> None:
    series = pd.Series(values, dtype=object)
    encoded = encode_column("t", series)
    decoded = decode_encoded(encoded)
    assert isinstance(decoded, pd.Series)
    assert [None if pd.isna(v) else v for v in decoded] == values


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30))
def test_any_float_survives_bit_for_bit(values: list[float]) -> None:
    encoded = encode_column("x", pd.Series(values, dtype=float))
    decoded = decode_encoded(encoded)
    assert np.asarray(decoded).tobytes() == np.asarray(values, dtype=float).tobytes()


def test_assignments_on_a_subset_of_rows_in_any_order() -> None:
    ids = pd.Index(["a", "b", "c", "d"], dtype="str", name="customer_id")
    frame = pd.DataFrame(
        {"segment": [2, 1], "distance": [0.25, np.nan], "runner_up": [1, 2]},
        index=pd.Index(["d", "b"], name="customer_id"),
    )
    decoded = decode_assignments(ids, encode_assignments(ids, frame))
    expected = frame.loc[["b", "d"]]
    expected.index = expected.index.astype("str")
    pd.testing.assert_frame_equal(decoded, expected)


@pytest.mark.parametrize(
    ("segment", "message"),
    [([1.5, 1.0], "whole"), ([np.nan, 1.0], "needs"), (["x", 1], "numbers")],
)
def test_bad_segments_are_refused(segment: list[object], message: str) -> None:
    ids = pd.Index(["a", "b"], dtype="str")
    frame = pd.DataFrame(
        {"segment": segment, "distance": [0.1, 0.2], "runner_up": [1, 1]}, index=ids
    )
    with pytest.raises(StoreError, match=message):
        encode_assignments(ids, frame)
