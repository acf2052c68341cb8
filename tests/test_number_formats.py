"""Numbers as exports write them: Indian grouping, lakh and crore, spaces only in threes."""

from __future__ import annotations

import pandas as pd
import pytest

from segmentation import IngestError, load_customers
from segmentation.ingest.numbers import parse_numbers


def _read(cells: list[str]) -> list[float]:
    parsed = parse_numbers(pd.Series(cells, dtype=object))
    return [float(v) for v in parsed.values]


def test_indian_lakh_and_crore_grouping_is_read() -> None:
    assert _read(["₹12,45,000", "12,45,000", "1,23,45,678.50", "Rs. 12,45,000"]) == [
        1_245_000.0,
        1_245_000.0,
        12_345_678.5,
        1_245_000.0,
    ]
    assert _read(["INR 5,00,000", "Rs 75,000", "₹ 9,99,999"]) == [500_000.0, 75_000.0, 999_999.0]
    assert _read(["12 lakh", "1.5 crore", "3 lakhs"]) == [1_200_000.0, 15_000_000.0, 300_000.0]


def test_a_space_groups_thousands_only_in_threes() -> None:
    values = _read(["15 000", "1 234 567", "1997 01 01", "12 345 67", "1\u00a0234"])
    assert values[:2] == [15_000.0, 1_234_567.0]
    assert pd.isna(values[2]) and pd.isna(values[3])  # never the digits run together
    assert values[4] == 1_234.0


def test_an_indian_export_keeps_its_income(tmp_path) -> None:
    incomes = [f"₹{12 + i % 30},{45 + i % 50:02d},000" for i in range(60)]
    frame = pd.DataFrame(
        {
            "Customer ID": range(1, 61),
            "Age": [20 + i % 40 for i in range(60)],
            "Annual Income": incomes,
            "Spending Score (1-100)": [i % 100 + 1 for i in range(60)],
        }
    )
    table = load_customers(frame.to_csv(index=False).encode(), "india.csv")
    assert "income" in table.numeric
    # incomes are kept in thousands, as the mall file writes them
    income = table.customers["income"]
    assert income.iloc[0] == 1_245.0
    assert income.iloc[1] == 1_346.0
    assert "k" in table.units["income"]


def test_an_unreadable_key_column_is_refused_by_name_with_examples() -> None:
    frame = pd.DataFrame(
        {
            "Customer ID": range(1, 41),
            "Annual Income": [f"about {i} thousand-ish" for i in range(40)],
            "Spending Score (1-100)": [i % 100 + 1 for i in range(40)],
        }
    )
    with pytest.raises(IngestError) as caught:
        load_customers(frame.to_csv(index=False).encode(), "bad.csv")
    message = str(caught.value)
    assert "'Annual Income'" in message and "incomes" in message
    assert "'about 0 thousand-ish'" in message
    assert "plain numbers" in message
