"""The manager's column meanings: ``AI_k`` is income, whatever its header says."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from segmentation import IngestError, MeaningNote, Receipt, load_customers, rebuild_table
from segmentation.ingest.table import CustomerTable


def opaque_members(n: int = 120, seed: int = 1, blank_income_rows: int = 0) -> bytes:
    """Members whose income and score sit under headers segbot cannot read, beside a
    column whose header reads as income but holds something else."""
    rng = np.random.default_rng(seed)
    rows = ["CustomerID,Sex,Years,AI_k,SS_1_100,Annual Income (k$),Region"]
    for i in range(n):
        income = "" if i < blank_income_rows else str(rng.integers(15, 140))
        rows.append(
            f"{i + 1},{rng.choice(['F', 'M'])},{rng.integers(18, 70)},{income},"
            f"{rng.integers(1, 100)},{rng.integers(20, 30)},{rng.choice(['north', 'south'])}"
        )
    return ("\n".join(rows) + "\n").encode()


def roles(table: CustomerTable) -> dict[str, tuple[str, str, bool]]:
    """Header -> (field, kind, read by a meaning)."""
    return {r.source: (r.field, r.kind, r.by_meaning) for r in table.receipt.columns}


MEANINGS = {"AI_k": "income", "SS_1_100": "score"}


def test_without_meanings_opaque_headers_are_other_numbers() -> None:
    table = load_customers(opaque_members(), "members.csv")
    found = roles(table)
    assert found["AI_k"] == ("AI_k", "numeric", False)
    assert found["Annual Income (k$)"] == ("income", "numeric", False)
    assert "score" not in table.customers.columns


def test_meanings_override_what_the_headers_say() -> None:
    data = opaque_members()
    table = load_customers(data, "members.csv", meanings=MEANINGS)
    found = roles(table)
    assert found["AI_k"] == ("income", "numeric", True)
    assert found["SS_1_100"] == ("score", "numeric", True)
    # The column the header recognition would have made income is another number now.
    assert found["Annual Income (k$)"] == ("Annual Income (k$)", "numeric", False)
    assert found["Sex"] == ("gender", "gender", False)
    assert table.numeric[:2] == ("income", "score")
    assert table.labels["income"] == "AI_k"
    raw = pd.read_csv(io.BytesIO(data), dtype={"CustomerID": str})
    assert table.customers["income"].tolist() == raw["AI_k"].astype(float).tolist()
    assert table.receipt.meanings == {"AI_k": "income", "SS_1_100": "score"}
    assert table.receipt.meaning_notes == ()


def test_headers_are_matched_without_regard_to_case_spaces_and_punctuation() -> None:
    table = load_customers(
        opaque_members(), meanings={"ai k": "INCOME", "ss-1-100": "score", "years": "age"}
    )
    found = roles(table)
    assert found["AI_k"][:2] == ("income", "numeric")
    assert found["SS_1_100"][:2] == ("score", "numeric")
    assert found["Years"] == ("age", "numeric", True)
    assert table.receipt.meanings == {"ai k": "income", "ss-1-100": "score", "years": "age"}


def test_a_meaning_can_name_the_id_and_the_gender() -> None:
    rows = "".join(f"{n},C{n:03d},{['w', 'm'][n % 2]},{20 + n % 30},{n % 90}\n" for n in range(40))
    table = load_customers(
        b"Row,Code,Who,age,score\n" + rows.encode(), meanings={"Code": "id", "Who": "gender"}
    )
    found = roles(table)
    assert found["Code"] == ("customer_id", "id", True)
    assert found["Who"] == ("gender", "gender", True)
    assert table.customers.index[0] == "C000"
    assert set(table.customers["gender"]) == {"Female", "Male"}


def test_a_meaning_whose_header_is_absent_is_noted_and_the_rest_applies() -> None:
    table = load_customers(
        opaque_members(), "members.csv", meanings={"AI_k": "income", "Spend idx": "score"}
    )
    assert table.receipt.meaning_notes == (MeaningNote("Spend idx", "score", "not_in_file"),)
    assert roles(table)["AI_k"] == ("income", "numeric", True)
    # The absent meaning takes the field from no one.
    assert roles(table)["SS_1_100"] == ("SS_1_100", "numeric", False)


@pytest.mark.parametrize("meaning", ["income", "age", "score"])
def test_a_numeric_meaning_on_a_column_of_words_is_refused_naming_it(meaning: str) -> None:
    with pytest.raises(IngestError) as caught:
        load_customers(opaque_members(), meanings={"Region": meaning})
    message = str(caught.value)
    assert f"You said 'Region' is {meaning}" in message
    assert "not numbers" in message and "'north'" in message


def test_a_gender_meaning_on_numbers_is_refused_naming_the_column() -> None:
    with pytest.raises(IngestError, match="You said 'Years' is gender"):
        load_customers(opaque_members(), meanings={"Years": "gender"})


def test_unknown_words_and_two_columns_with_one_meaning_are_refused() -> None:
    with pytest.raises(IngestError, match="'salary' is not a meaning I know"):
        load_customers(opaque_members(), meanings={"AI_k": "salary"})
    with pytest.raises(IngestError, match="'AI_k' and 'SS_1_100' are both given the meaning"):
        load_customers(opaque_members(), meanings={"AI_k": "income", "SS_1_100": "income"})
    with pytest.raises(IngestError, match="given two meanings"):
        load_customers(opaque_members(), meanings={"AI_k": "income", "ai k": "score"})


def test_rows_the_meant_column_cannot_use_are_left_out_and_counted() -> None:
    table = load_customers(opaque_members(blank_income_rows=3), meanings=MEANINGS)
    assert table.receipt.rows_used == 117
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("missing", "income", 3)
    assert skipped.examples == (2, 3, 4)


def test_the_receipt_keeps_its_meanings_through_storage() -> None:
    table = load_customers(opaque_members(), meanings={**MEANINGS, "Gone": "age"})
    assert Receipt.from_dict(table.receipt.to_dict()) == table.receipt
    # A receipt written before meanings existed still reads.
    old = table.receipt.to_dict()
    del old["meanings"], old["meaning_notes"]
    for column in old["columns"]:
        del column["by_meaning"]
    assert Receipt.from_dict(old).meanings == {}


def stored(table: CustomerTable) -> tuple[pd.DataFrame, dict[str, object]]:
    """A table as the store gives it back: text columns as strings, the receipt as a dict."""
    customers = table.customers.copy()
    for column in customers.columns:
        if not pd.api.types.is_numeric_dtype(customers[column]):
            customers[column] = customers[column].astype("str")
    return customers, table.receipt.to_dict()


def test_a_stored_table_read_with_meanings_matches_the_file_read_with_them() -> None:
    data = opaque_members()
    plain, meant = load_customers(data), load_customers(data, meanings=MEANINGS)
    rebuilt = rebuild_table(*stored(plain), meanings=MEANINGS)
    assert rebuilt.numeric == meant.numeric
    assert rebuilt.attributes == meant.attributes
    assert list(rebuilt.customers.columns) == list(meant.customers.columns)
    for column in ("income", "score", "Annual Income (k$)"):
        assert rebuilt.customers[column].tolist() == meant.customers[column].tolist()
    assert roles(rebuilt) == roles(meant)
    assert rebuilt.receipt.meanings == MEANINGS


def test_the_same_meanings_give_the_same_table_and_none_give_it_back() -> None:
    data = opaque_members()
    plain, meant = load_customers(data), load_customers(data, meanings=MEANINGS)
    again = rebuild_table(*stored(meant), meanings=MEANINGS)
    assert again.receipt == meant.receipt and again.numeric == meant.numeric
    withdrawn = rebuild_table(*stored(meant), meanings={})
    assert roles(withdrawn) == roles(plain)
    assert withdrawn.numeric == plain.numeric
    assert withdrawn.customers["income"].tolist() == plain.customers["income"].tolist()
    as_stored = rebuild_table(*stored(meant))
    assert as_stored.numeric == meant.numeric and as_stored.receipt.meanings == MEANINGS


def test_a_stored_table_keeps_its_ids_and_leaves_out_rows_the_meaning_cannot_use() -> None:
    plain = load_customers(opaque_members(blank_income_rows=4))
    rebuilt = rebuild_table(*stored(plain), meanings={**MEANINGS, "Region": "id"})
    assert rebuilt.receipt.meaning_notes == (MeaningNote("Region", "id", "ids_kept"),)
    assert roles(rebuilt)["Region"][:2] == ("Region", "attribute")
    assert rebuilt.receipt.rows_used == 116 and len(rebuilt.customers) == 116
    missing = [s for s in rebuilt.receipt.skipped if s.column == "income"]
    assert [(s.reason, s.count, s.examples) for s in missing] == [("missing", 4, ())]
    assert "1" not in rebuilt.customers.index and "5" in rebuilt.customers.index


def test_a_stored_table_refuses_a_meaning_its_column_cannot_take() -> None:
    customers, receipt = stored(load_customers(opaque_members()))
    with pytest.raises(IngestError, match="You said 'Region' is income"):
        rebuild_table(customers, receipt, meanings={"Region": "income"})
