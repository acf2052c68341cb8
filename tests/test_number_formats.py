"""Numbers written with Indian, Western or spaced grouping, and key columns that cannot be read."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from segmentation import load_customers
from segmentation.errors import IngestError
from segmentation.ingest.numbers import parse_numbers
from segmentation.ingest.table import CustomerTable

# Incomes as an Indian export writes them, and the amounts they stand for.
LAKHS = [
    ("12,45,000", 1_245_000.0),
    ("1,23,45,678.50", 12_345_678.5),
    ("8,50,000", 850_000.0),
    ("45,000", 45_000.0),
    ("99,99,999", 9_999_999.0),
    ("1,00,00,000", 10_000_000.0),
    ("3,75,250.75", 375_250.75),
    ("7,500", 7_500.0),
    ("2,10,000", 210_000.0),
    ("60,00,000", 6_000_000.0),
    ("1,50,000", 150_000.0),
    ("9,99,999.99", 999_999.99),
]


def _csv(columns: dict[str, list[object]]) -> bytes:
    """A generated customer table as CSV bytes (cells with commas are quoted by pandas)."""
    rows = len(next(iter(columns.values())))
    frame = pd.DataFrame({"Customer ID": [f"C{n:03d}" for n in range(1, rows + 1)], **columns})
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _customers(incomes: list[str], header: str = "Income") -> CustomerTable:
    """Load a table whose income column holds ``incomes`` as written."""
    count = len(incomes)
    data = _csv(
        {
            "Age": [20 + 3 * n for n in range(count)],
            header: incomes,
            "Spending Score": [(17 * n) % 100 for n in range(count)],
        }
    )
    return load_customers(data, "customers.csv")


def test_indian_grouping_is_read_in_full() -> None:
    table = _customers([written for written, _ in LAKHS])
    income = table.customers["income"]
    assert table.receipt.rows_used == len(LAKHS)
    assert not table.receipt.skipped
    assert income["C001"] == 1_245_000.0
    assert income["C002"] == 12_345_678.5
    assert income["C005"] == 9_999_999.0
    assert income["C006"] == 10_000_000.0
    assert income.tolist() == [amount for _, amount in LAKHS]
    assert "income" in table.numeric


@pytest.mark.parametrize(
    ("form", "unit"),
    [
        ("₹{}", "k₹"),
        ("₹ {}", "k₹"),
        ("Rs {}", "kRs"),
        ("Rs.{}", "kRs"),
        ("Rs. {}/-", "kRs"),
        ("{} Rs", "kRs"),
        ("INR {}", "kINR"),
        ("INR{}", "kINR"),
        ("{} INR", "kINR"),
    ],
)
def test_rupee_amounts_with_indian_grouping(form: str, unit: str) -> None:
    table = _customers([form.format(written) for written, _ in LAKHS])
    assert not table.receipt.skipped
    # Money written in full is shown in thousands, as for $15,000.
    assert table.units["income"] == unit
    thousands = table.customers["income"]
    assert thousands["C001"] * 1000 == pytest.approx(1_245_000.0, rel=1e-12)
    assert thousands["C002"] * 1000 == pytest.approx(12_345_678.5, rel=1e-12)
    assert thousands.tolist() == pytest.approx([a / 1000 for _, a in LAKHS], rel=1e-12)


def test_western_and_indian_grouping_read_side_by_side() -> None:
    written = ["1,245,000", "12,45,000", "12,345", "1,234,567.89", "1,23,45,678.50", "999"] * 2
    table = _customers(written)
    assert not table.receipt.skipped
    assert table.customers["income"].tolist()[:6] == [
        1_245_000.0,
        1_245_000.0,
        12_345.0,
        1_234_567.89,
        12_345_678.5,
        999.0,
    ]


@pytest.mark.parametrize("invalid", ["1,2345", "12,3,456", "1234,567", "1,23,4567", "123,45,000"])
def test_invalid_grouping_is_not_a_number(invalid: str) -> None:
    incomes = [written for written, _ in LAKHS]
    incomes[3] = invalid
    table = _customers(incomes)
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("unparseable", "income", 1)
    assert skipped.examples == (5,)  # the header is line 1
    assert "C004" not in table.customers.index
    assert table.customers.loc["C001", "income"] == 1_245_000.0


def test_decimal_commas_still_read_as_decimals() -> None:
    table = _customers(["15,5", "1.234,5", "0,125", "16,25"] * 3)
    assert table.receipt.decimal_comma
    assert table.customers["income"].tolist()[:4] == [15.5, 1234.5, 0.125, 16.25]


def test_unreadable_income_refuses_the_file_naming_the_column() -> None:
    # Grouping that is neither Western nor Indian: the column must not vanish from the
    # analysis as "too many distinct values".
    incomes = ["12,4,5000", "1,2,34,5678", "1234,56,789", "45,000"] + [
        f"{n},{n}{n},{n}" for n in range(1, 9)
    ]
    data = _csv(
        {
            "Age": [20 + n for n in range(12)],
            "Annual Income (Rs)": incomes,
            "Spending Score": [n * 7 for n in range(12)],
        }
    )
    with pytest.raises(IngestError) as caught:
        load_customers(data, "customers.csv")
    message = str(caught.value)
    assert "Annual Income (Rs)" in message
    assert "'12,4,5000', '1,2,34,5678', '1234,56,789'" in message
    assert "11 of its 12 filled cells" in message
    assert "Save the numbers without separators or as plain digits" in message
    assert "send the file again" in message


@pytest.mark.parametrize("field", ["Age", "Spending Score"])
def test_other_key_columns_refuse_the_file_too(field: str) -> None:
    columns: dict[str, list[object]] = {
        "Age": [20 + n for n in range(12)],
        "Income": [15_000 + 1_000 * n for n in range(12)],
        "Spending Score": [n * 7 for n in range(12)],
    }
    columns[field] = [f"{n} {n}{n} {n}" for n in range(10, 22)]
    with pytest.raises(IngestError, match=field) as caught:
        load_customers(_csv(columns), "customers.csv")
    assert "'10 1010 10', '11 1111 11', '12 1212 12'" in str(caught.value)


def test_dates_under_a_key_header_refuse_the_file() -> None:
    columns: dict[str, list[object]] = {
        "Age": [f"19{60 + n}-0{n % 9 + 1}-15" for n in range(12)],
        "Income": [15_000 + 1_000 * n for n in range(12)],
    }
    with pytest.raises(IngestError, match='"Age"') as caught:
        load_customers(_csv(columns), "customers.csv")
    assert "'1960-01-15', '1961-02-15', '1962-03-15'" in str(caught.value)


def test_a_key_column_with_a_few_unread_cells_drops_only_those_rows() -> None:
    incomes = [written for written, _ in LAKHS]
    incomes[1] = "about 5 lakh"
    table = _customers(incomes)
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("unparseable", "income", 1)


@pytest.mark.parametrize("spaced", ["1997 01 01", "12 345 67", "1 23 456", "1234 567"])
def test_spaced_digits_are_never_one_number(spaced: str) -> None:
    columns: dict[str, list[object]] = {
        "Age": [20 + n for n in range(12)],
        "Visits": [f"{spaced[:-1]}{n % 3}" for n in range(12)],
        "Spending Score": [n * 7 for n in range(12)],
    }
    table = load_customers(_csv(columns), "customers.csv")
    assert "Visits" not in table.numeric
    role = next(c for c in table.receipt.columns if c.source == "Visits")
    assert role.kind != "numeric"


@pytest.mark.parametrize("spaced", ["1997 01 01", "12 345 67"])
def test_spaced_digits_in_a_key_column_refuse_the_file(spaced: str) -> None:
    columns: dict[str, list[object]] = {
        "Age": [20 + n for n in range(12)],
        "Income": [f"{spaced[:-1]}{n % 10}" for n in range(12)],
        "Spending Score": [n * 7 for n in range(12)],
    }
    with pytest.raises(IngestError, match="Income") as caught:
        load_customers(_csv(columns), "customers.csv")
    assert repr(f"{spaced[:-1]}0") in str(caught.value)


def test_spaces_between_groups_of_three_still_separate_thousands() -> None:
    written = ["1 245 000", "45 000", "1\u00a0234\u00a0567", "999"] * 3
    table = _customers(written)
    assert not table.receipt.skipped
    assert table.customers["income"].tolist()[:4] == [1_245_000.0, 45_000.0, 1_234_567.0, 999.0]


def test_lakh_and_crore_written_as_words_are_read() -> None:
    parsed = parse_numbers(pd.Series(["12 lakh", "1.5 crore", "3 lakhs", "2 lacs"], dtype=object))
    assert parsed.values.tolist() == [1_200_000.0, 15_000_000.0, 300_000.0, 200_000.0]
