"""The bundled synthetic customer file."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from segmentation.ingest.load import load_customers
from segmentation.sample import SAMPLE_COLUMNS, sample_csv, sample_frame


def test_columns_and_ids_are_the_classic_ones() -> None:
    frame = sample_frame()
    assert (
        tuple(frame.columns)
        == SAMPLE_COLUMNS
        == (
            "CustomerID",
            "Gender",
            "Age",
            "Annual Income (k$)",
            "Spending Score (1-100)",
        )
    )
    assert len(frame) == 200
    assert frame["CustomerID"].iloc[0] == "0001" and frame["CustomerID"].iloc[-1] == "0200"
    assert set(frame["Gender"]) == {"Female", "Male"}
    assert frame["Age"].between(18, 70).all()
    assert frame["Spending Score (1-100)"].between(1, 100).all()


def test_same_seed_same_file_other_seed_other_file() -> None:
    assert sample_csv(300, seed=3) == sample_csv(300, seed=3)
    assert sample_csv(300, seed=3) != sample_csv(300, seed=4)


def test_five_groups_sit_in_the_mall_corners() -> None:
    frame = sample_frame(5000)
    income = frame["Annual Income (k$)"].to_numpy()
    score = frame["Spending Score (1-100)"].to_numpy()
    corners = {
        "average": (income > 40) & (income < 70) & (score > 35) & (score < 65),
        "rich spenders": (income > 70) & (score > 65),
        "rich savers": (income > 70) & (score < 35),
        "poor savers": (income < 40) & (score < 40),
        "poor spenders": (income < 40) & (score > 60),
    }
    shares = {name: float(mask.mean()) for name, mask in corners.items()}
    assert shares["average"] == pytest.approx(0.40, abs=0.08)
    assert shares["rich spenders"] == pytest.approx(0.20, abs=0.05)
    assert shares["rich savers"] == pytest.approx(0.17, abs=0.05)
    assert shares["poor savers"] == pytest.approx(0.11, abs=0.04)
    assert shares["poor spenders"] == pytest.approx(0.11, abs=0.04)
    young = frame.loc[corners["poor spenders"], "Age"].mean()
    assert young < frame["Age"].mean() - 8


def test_csv_reads_back_as_the_frame() -> None:
    data = sample_csv(50)
    assert data.startswith(b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n")
    back = pd.read_csv(io.BytesIO(data), dtype={"CustomerID": str})
    pd.testing.assert_frame_equal(back, sample_frame(50), check_dtype=False)
    table = load_customers(data, "sample.csv")
    assert table.receipt.rows_used == 50 and table.numeric == ("age", "income", "score")


def test_sizes_scale() -> None:
    assert sample_frame(0).empty
    big = sample_frame(20_000)
    assert big["CustomerID"].is_unique and big["CustomerID"].str.len().eq(5).all()
    assert np.isclose(len(sample_csv(10_000)) / 10_000, 22, atol=1.5)
    with pytest.raises(ValueError):
        sample_frame(-1)
