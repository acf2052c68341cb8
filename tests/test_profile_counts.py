"""Quantiles from counts equal numpy's, bit for bit, so profiles and personas do not change."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segmentation.quantiles import MAX_RANGE, quantiles
from segmentation.result import QUANTILE_LEVELS

LEVELS = np.array(QUANTILE_LEVELS)
QUARTILES = np.array([0.25, 0.5, 0.75])


def same(values: np.ndarray, levels: np.ndarray) -> None:
    expected = np.quantile(values, levels)
    found = quantiles(values, levels)
    assert found.tobytes() == np.asarray(expected, dtype=np.float64).tobytes()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=1, max_size=400),
    st.sampled_from([LEVELS, QUARTILES, np.array([0.0, 1.0]), np.array([0.5])]),
)
def test_whole_numbers_give_numpys_quantiles(cells: list[int], levels: np.ndarray) -> None:
    same(np.array(cells, dtype=np.float64), levels)


@pytest.mark.parametrize(
    "values",
    [
        np.array([7.0]),
        np.array([3.0, 3.0, 3.0]),
        np.array([1.0, 2.5, 3.0]),  # not whole: numpy's own path
        np.array([0.0, 2.0 * MAX_RANGE]),  # too wide a range: numpy's own path
        np.array([-0.0, 1.0, 2.0]),  # a negative zero keeps its sign
        np.random.default_rng(0).integers(18, 90, 100_000).astype(np.float64),
    ],
)
def test_edges_give_numpys_quantiles(values: np.ndarray) -> None:
    for levels in (LEVELS, QUARTILES):
        same(values, levels)
