"""Every rewrite of the published mall file a real export could produce reads the same."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from segmentation.export import written_ids
from segmentation.features import default_features
from segmentation.ingest.load import IngestError, load_customers
from segmentation.ingest.table import CustomerTable

Row = list[str]


def _rows(mall_bytes: bytes) -> tuple[Row, list[Row]]:
    """Header and data rows of the published file."""
    lines = mall_bytes.decode("ascii").split("\r\n")
    return lines[0].split(","), [line.split(",") for line in lines[1:]]


def _join(header: Row, rows: list[Row], sep: str = ",", newline: str = "\n") -> str:
    """A delimited text with a final newline."""
    return newline.join(sep.join(cells) for cells in [header, *rows]) + newline


def semicolon_decimal_comma(header: Row, rows: list[Row]) -> bytes:
    """Excel in a comma-decimal locale: ``;`` separators and ``15,0``."""
    rows = [[i, g, f"{a},0", f"{inc},00", s] for i, g, a, inc, s in rows]
    return _join(header, rows, ";", "\r\n").encode("utf-8")


def utf8_bom(header: Row, rows: list[Row]) -> bytes:
    """Excel's "CSV UTF-8": a byte-order mark first."""
    return b"\xef\xbb\xbf" + _join(header, rows, ",", "\r\n").encode("utf-8")


def windows_1252(header: Row, rows: list[Row]) -> bytes:
    """Windows-1252 with accented header and cells."""
    header = ["N° client", "Género", "Âge", "Revenu annuel (k$)", "Spending Score (1-100)", "Ville"]
    cities = ["Montréal", "Québec", "Genève"]
    rows = [[*r, cities[n % 3]] for n, r in enumerate(rows)]
    return _join(header, rows, ";", "\r\n").encode("cp1252")


def tab_separated(header: Row, rows: list[Row]) -> bytes:
    """Tab-separated text, LF endings, no final newline."""
    return _join(header, rows, "\t").rstrip("\n").encode("utf-8")


def utf16_unicode_text(header: Row, rows: list[Row]) -> bytes:
    """Excel's "Unicode text": UTF-16 with BOM, tab-separated, CRLF."""
    return _join(header, rows, "\t", "\r\n").encode("utf-16")


def pipe_separated(header: Row, rows: list[Row]) -> bytes:
    """Pipe-separated text."""
    return _join(header, rows, "|").encode("utf-8")


def renamed_reordered(header: Row, rows: list[Row]) -> bytes:
    """Other names for every column, in another order, with M/F and unpadded ids."""
    header = ["Income", "Sex", "Customer ID", "Score", "Age"]
    short = {"Male": "M", "Female": "f"}
    rows = [[inc, short[g], str(int(i)), s, a] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def extra_columns(header: Row, rows: list[Row]) -> bytes:
    """Name, e-mail, join date, store, visits and a constant around the classic columns."""
    header = ["Name", *header[:2], "Joined", *header[2:], "Store", "Visits", "Country", "Email"]
    out = []
    for n, (i, g, a, inc, s) in enumerate(rows):
        date = f"2019-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        extra = ["ABC"[n % 3], str(n % 7 + 1), "PT", f"c{n}@example.com"]
        out.append([f"Customer {n}", i, g, date, a, inc, s, *extra])
    return _join(header, out).encode("utf-8")


def quoted_padded(header: Row, rows: list[Row]) -> bytes:
    """Every cell quoted, spaces around cells and inside quotes, upper-case gender."""
    quoted = [f'"{h}"' for h in header]
    rows = [
        [f'" {i} "', f' "{g.upper()}" ', f'"{a}"', f" {inc} ", f'" {s}"']
        for i, g, a, inc, s in rows
    ]
    return _join(quoted, rows, ",").encode("utf-8")


def blank_lines(header: Row, rows: list[Row]) -> bytes:
    """Blank lines before the header, between rows, as empty cells and at the end."""
    lines = ["", "", ",".join(header)]
    for n, cells in enumerate(rows):
        lines.append(",".join(cells))
        if n % 17 == 0:
            lines.append("")
        if n % 50 == 3:
            lines.append(",,,,")
    return ("\r\n".join(lines) + "\r\n\r\n\r\n").encode("utf-8")


def dollars_with_thousands(header: Row, rows: list[Row]) -> bytes:
    """Income written in full dollars with thousands separators: ``"$15,000"``."""
    header = [*header[:3], "Annual Income", header[4]]
    rows = [[i, g, a, f'"${int(inc) * 1000:,}"', s] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def dollars_under_k_header(header: Row, rows: list[Row]) -> bytes:
    """Full dollar amounts left under the original ``(k$)`` header."""
    rows = [[i, g, a, f'"$ {int(inc) * 1000:,}.00"', s] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def euros_with_spaces(header: Row, rows: list[Row]) -> bytes:
    """European style: ``15 000 €`` (non-breaking space) in a ``;`` file."""
    header = [*header[:3], "Annual Income (€)", header[4]]
    money = [f"{int(inc) * 1000:,}".replace(",", "\u00a0") + " €" for _, _, _, inc, _ in rows]
    rows = [[i, g, a, m, s] for (i, g, a, _, s), m in zip(rows, money, strict=True)]
    return _join(header, rows, ";").encode("utf-8")


def k_suffix(header: Row, rows: list[Row]) -> bytes:
    """``$15k`` under a plain ``Income`` header."""
    header = [*header[:3], "Income", header[4]]
    rows = [[i, g, a, f"${inc}k", s] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def k_suffix_under_k_header(header: Row, rows: list[Row]) -> bytes:
    """``$15k`` under the original ``(k$)`` header."""
    rows = [[i, g, a, f"${inc}k", s] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def lf_unpadded_gender(header: Row, rows: list[Row]) -> bytes:
    """The common Kaggle variant: ``Gender`` header, unpadded ids, LF endings."""
    header = ["CustomerID", "Gender", *header[2:]]
    rows = [[str(int(i)), g, a, inc, s] for i, g, a, inc, s in rows]
    return _join(header, rows).encode("utf-8")


def xlsx_workbook(header: Row, rows: list[Row]) -> bytes:
    """An Excel workbook with numbers stored as numbers."""
    frame = pd.DataFrame(rows, columns=header)
    for column in header[2:]:
        frame[column] = frame[column].astype(int)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def german_export(header: Row, rows: list[Row]) -> bytes:
    """A German member system: ``Kunden-Nr``, German headers, ``;`` and decimal commas."""
    header = ["Kunden-Nr", "Geschlecht", "Alter", "Einkommen (k€)", "Spending Score (1-100)"]
    rows = [[i, g, a, f"{inc},0", s] for i, g, a, inc, s in rows]
    return _join(header, rows, ";", "\r\n").encode("cp1252")


REWRITES: list[Callable[[Row, list[Row]], bytes]] = [
    semicolon_decimal_comma,
    utf8_bom,
    windows_1252,
    tab_separated,
    utf16_unicode_text,
    pipe_separated,
    renamed_reordered,
    extra_columns,
    quoted_padded,
    blank_lines,
    dollars_with_thousands,
    dollars_under_k_header,
    euros_with_spaces,
    k_suffix,
    k_suffix_under_k_header,
    lf_unpadded_gender,
    xlsx_workbook,
    german_export,
]


@pytest.fixture
def original(mall_bytes: bytes) -> CustomerTable:
    """The published mall file, read as it is."""
    return load_customers(mall_bytes, "mall_customers.csv")


def test_published_mall_file_is_read_as_is(original: CustomerTable) -> None:
    receipt = original.receipt
    assert (receipt.rows_read, receipt.rows_used, receipt.skipped) == (200, 200, ())
    assert receipt.encoding == "utf-8" and receipt.delimiter == ","
    assert [(c.source, c.field, c.kind) for c in receipt.columns] == [
        ("CustomerID", "customer_id", "id"),
        ("Genre", "gender", "gender"),
        ("Age", "age", "numeric"),
        ("Annual Income (k$)", "income", "numeric"),
        ("Spending Score (1-100)", "score", "numeric"),
    ]
    customers = original.customers
    assert customers.index.name == "customer_id"
    assert customers.index[:3].tolist() == ["1", "2", "3"]
    assert customers["gender"].value_counts().to_dict() == {"Female": 112, "Male": 88}
    assert customers.loc["1", ["age", "income", "score"]].tolist() == [19.0, 15.0, 39.0]
    assert original.numeric == ("age", "income", "score")
    assert original.attributes == ("gender",)
    assert original.units == {"income": "k$"}
    assert original.labels["income"] == "Annual Income (k$)"
    assert original.resolve("Annual Income (k$)") == "income"
    assert original.resolve("genre") == "gender"


@pytest.mark.parametrize("rewrite", REWRITES, ids=lambda f: f.__name__)
def test_rewrite_gives_the_same_customers(
    rewrite: Callable[[Row, list[Row]], bytes], mall_bytes: bytes, original: CustomerTable
) -> None:
    header, rows = _rows(mall_bytes)
    table = load_customers(rewrite(header, rows), f"{rewrite.__name__}.csv")
    expected = original.customers[["gender", "age", "income", "score"]]
    got = table.customers[["gender", "age", "income", "score"]]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert table.receipt.rows_used == 200
    assert table.receipt.skipped == ()
    assert not table.receipt.ids_generated
    assert table.numeric[:3] == ("age", "income", "score")


def test_semicolon_file_reports_decimal_comma(mall_bytes: bytes) -> None:
    table = load_customers(semicolon_decimal_comma(*_rows(mall_bytes)))
    assert table.receipt.delimiter == ";"
    assert table.receipt.decimal_comma


def test_encodings_are_reported(mall_bytes: bytes) -> None:
    header, rows = _rows(mall_bytes)
    assert load_customers(utf8_bom(header, rows)).receipt.encoding == "utf-8-sig"
    assert load_customers(utf16_unicode_text(header, rows)).receipt.encoding == "utf-16"
    table = load_customers(windows_1252(header, rows))
    assert table.receipt.encoding == "cp1252"
    assert table.labels["gender"] == "Género"
    assert set(table.customers["Ville"]) == {"Montréal", "Québec", "Genève"}
    assert load_customers(xlsx_workbook(header, rows)).receipt.encoding == "xlsx"


def test_extra_columns_get_roles(mall_bytes: bytes) -> None:
    table = load_customers(extra_columns(*_rows(mall_bytes)))
    roles = {c.source: c for c in table.receipt.columns}
    assert roles["Joined"].kind == "ignored" and roles["Joined"].note == "dates"
    assert roles["Name"].kind == "ignored" and roles["Name"].note == "too many distinct values"
    assert roles["Email"].kind == "ignored"
    assert roles["Store"].kind == "attribute"
    assert roles["Visits"].kind == "numeric" and roles["Visits"].note == ""
    assert roles["Country"].kind == "attribute"
    assert table.numeric == ("age", "income", "score", "Visits")
    assert table.attributes == ("gender", "Store", "Country")
    assert table.resolve("visits") == "Visits"


def test_money_units_follow_the_file(mall_bytes: bytes) -> None:
    header, rows = _rows(mall_bytes)
    assert load_customers(dollars_with_thousands(header, rows)).units["income"] == "k$"
    assert load_customers(euros_with_spaces(header, rows)).units["income"] == "k€"
    assert load_customers(k_suffix(header, rows)).units["income"] == "k$"
    assert load_customers(renamed_reordered(header, rows)).units == {}


def test_plain_incomes_stay_as_written_and_money_in_full_becomes_thousands() -> None:
    plain = ["id,Income"] + [f"{n},{30000 + n * 1000}" for n in range(12)]
    table = load_customers("\n".join(plain).encode())
    assert table.customers["income"].iloc[0] == 30000.0 and "income" not in table.units
    money = ["id,Income"] + [f'{n},"${30000 + n * 1000:,}"' for n in range(12)]
    table = load_customers("\n".join(money).encode())
    assert table.customers["income"].iloc[0] == 30.0 and table.units["income"] == "k$"
    small = ["id,Income"] + [f"{n},${30 + n}" for n in range(12)]
    table = load_customers("\n".join(small).encode())
    assert table.customers["income"].iloc[0] == 30.0 and table.units["income"] == "$"
    mixed = ["id,Income (k€)"] + [f"{n},{v}" for n, v in enumerate(["15", "16k"] * 6)]
    table = load_customers("\n".join(mixed).encode())
    assert table.customers["income"].tolist() == [15.0, 16.0] * 6


def test_fixture_files_read(tmp_path: Path) -> None:
    folder = Path(__file__).parent / "data" / "ingest"
    expected = {
        "semicolon_decimal_comma.csv": (";", "utf-8"),
        "utf8_bom.csv": (",", "utf-8-sig"),
        "cp1252_accents.csv": (";", "cp1252"),
        "utf16_excel_unicode.txt": ("\t", "utf-16"),
        "tab_separated.tsv": ("\t", "utf-8"),
        "pipe_separated.csv": ("|", "utf-8"),
        "quoted_padded.csv": (",", "utf-8"),
        "blank_lines.csv": (",", "utf-8"),
        "currency_thousands.csv": (",", "utf-8"),
        "currency_suffix_k.csv": (",", "utf-8"),
        "euro_spaces.csv": (";", "utf-8"),
        "no_id_column.csv": (",", "utf-8"),
    }
    for name, (delimiter, encoding) in expected.items():
        table = load_customers((folder / name).read_bytes(), name)
        assert (table.receipt.delimiter, table.receipt.encoding) == (delimiter, encoding), name
        assert table.receipt.rows_used == 12, name
        assert table.customers.loc[table.customers.index[0], "age"] == 19.0, name


def test_no_id_column_numbers_the_rows() -> None:
    data = (Path(__file__).parent / "data" / "ingest" / "no_id_column.csv").read_bytes()
    table = load_customers(data)
    assert table.receipt.ids_generated
    assert table.customers.index.tolist() == [str(n) for n in range(1, 13)]


def test_bad_rows_are_left_out_and_counted() -> None:
    data = (Path(__file__).parent / "data" / "ingest" / "bad_rows.csv").read_bytes()
    table = load_customers(data, "bad_rows.csv")
    receipt = table.receipt
    assert (receipt.rows_read, receipt.rows_used) == (18, 12)
    found = {(s.reason, s.column): (s.count, s.examples, s.detail) for s in receipt.skipped}
    assert found == {
        ("out_of_range", "age"): (1, (14,), "0–120"),
        ("out_of_range", "income"): (1, (15,), "0 or more"),
        ("out_of_range", "score"): (1, (16,), "1–100"),
        ("duplicate_id", "customer_id"): (1, (17,), "repeated id"),
        ("missing", "age"): (1, (18,), "empty"),
        ("unparseable", "age"): (1, (19,), "not a number"),
    }
    # The first of two rows with one id is kept.
    assert table.customers.loc["3", "age"] == 20.0


def test_examples_stop_at_five_and_count_lines_with_blank_lines() -> None:
    lines = ["CustomerID,Age,Score", ""]
    lines += [f"{n},{200 if n % 2 else 30},{n}" for n in range(1, 41)]
    table = load_customers("\n".join(lines).encode())
    (skipped,) = table.receipt.skipped
    assert skipped.count == 20
    assert skipped.examples == (3, 5, 7, 9, 11)


def test_duplicate_ids_compare_as_text() -> None:
    lines = ["ID,Age"] + [f"{n:04d},{20 + n}" for n in range(1, 13)] + ["12,50", "A1,40", "a1,41"]
    table = load_customers("\n".join(lines).encode())
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.count, skipped.examples) == ("duplicate_id", 1, (14,))
    assert {"12", "A1", "a1"} <= set(table.customers.index)


def test_score_without_stated_range_looks_like_one_to_hundred() -> None:
    lines = ["id,score,visits"] + [f"{n},{n * 7},{n * 70}" for n in range(1, 16)]
    table = load_customers("\n".join(lines).encode())
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.detail) == ("out_of_range", "score", "0–100")
    assert skipped.count == 1  # only 105 is outside


def test_text_spending_score_is_an_attribute() -> None:
    lines = ["ID,Age,Spending_Score"] + [
        f"{n},{20 + n},{['Bronze', 'Gold', 'Silver'][n % 3]}" for n in range(12)
    ]
    table = load_customers("\n".join(lines).encode())
    assert "score" not in table.customers.columns
    assert table.attributes == ("Spending_Score",)
    assert table.numeric == ("age",)


def test_gender_values_are_normalised() -> None:
    values = ["M", "male", "Man", "F", "FEMALE", "woman", "", "x", "unknown", "Female", "m", "f"]
    lines = ["id,sex,age"] + [f"{n},{v},{30 + n}" for n, v in enumerate(values)]
    table = load_customers("\n".join(lines).encode())
    got = table.customers["gender"].tolist()
    expected = ["Male"] * 3 + ["Female"] * 3 + [None, "Other", None, "Female", "Male", "Female"]
    assert [None if pd.isna(v) else v for v in got] == expected


def test_gender_column_of_unknowns_is_ignored() -> None:
    lines = ["id,gender,age"] + [f"{n},unknown,{30 + n}" for n in range(12)]
    table = load_customers("\n".join(lines).encode())
    role = table.receipt.columns[1]
    assert (role.field, role.kind, role.note) == ("gender (column 2)", "ignored", "empty")
    assert table.attributes == ()


def test_id_like_and_constant_columns_are_not_features() -> None:
    lines = ["Row,Member No,Age,Region,Points"]
    lines += [f"{n},{5000 + n * 3},{20 + n},7,{n * 13 % 50}" for n in range(1, 15)]
    table = load_customers("\n".join(lines).encode())
    roles = {c.source: c for c in table.receipt.columns}
    assert roles["Member No"].kind == "id"
    assert roles["Row"].note == "looks like an id"
    assert roles["Region"].note == "constant"
    assert table.numeric == ("age", "Points")


def test_blank_and_repeated_headers_get_names() -> None:
    data = b'"",Age,Age,,"Income (k$)",Notes\n' + b"".join(
        f'x{n},{20 + n},{21 + n},,{n}," "\n'.encode() for n in range(12)
    )
    table = load_customers(data)
    fields = [c.field for c in table.receipt.columns]
    assert fields == ["column 1", "age", "Age (2)", "column 4", "income", "Notes"]
    assert table.receipt.columns[3].note == "empty"
    assert table.receipt.columns[5].note == "empty"
    blank_age = b"id,Age,visits\n" + b"".join(b"%d,NA,%d\n" % (n, n % 4) for n in range(12))
    table = load_customers(blank_age)
    assert table.receipt.rows_used == 12
    assert (table.receipt.columns[1].kind, table.receipt.columns[1].note) == ("ignored", "empty")


@pytest.mark.parametrize(
    ("name", "delimiter", "rows_used"),
    [
        ("wholesale_customers.csv", ",", 440),
        ("marketing_campaign.csv", "\t", 2216),
        ("cc_general.csv", ",", 8950),
        ("customer_segmentation_train.csv", ",", 8068),
    ],
)
def test_other_public_datasets_read(
    datasets_dir: Path, name: str, delimiter: str, rows_used: int
) -> None:
    table = load_customers((datasets_dir / name).read_bytes(), name)
    assert table.receipt.delimiter == delimiter
    assert table.receipt.rows_used == rows_used
    assert table.numeric
    assert table.customers.index.is_unique


def test_wholesale_has_no_ids(datasets_dir: Path) -> None:
    table = load_customers((datasets_dir / "wholesale_customers.csv").read_bytes())
    assert table.receipt.ids_generated
    assert "Fresh" in table.numeric and "Delicassen" in table.numeric


def test_marketing_campaign_receipt(datasets_dir: Path) -> None:
    table = load_customers((datasets_dir / "marketing_campaign.csv").read_bytes())
    roles = {c.source: c for c in table.receipt.columns}
    assert roles["ID"].kind == "id"
    assert roles["Income"].field == "income" and roles["Income"].unit is None
    assert roles["Dt_Customer"].note == "dates"
    assert roles["Z_CostContact"].note == "constant" and roles["Z_Revenue"].note == "constant"
    assert roles["Education"].kind == "attribute"
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("missing", "income", 24)
    assert table.customers.loc["5524", "income"] == 58138.0
    assert "Z_CostContact" not in table.numeric


def test_cc_general_keeps_missing_cells_for_the_engine(datasets_dir: Path) -> None:
    table = load_customers((datasets_dir / "cc_general.csv").read_bytes())
    assert table.customers.index[0] == "C10001"
    assert "MINIMUM_PAYMENTS" in table.numeric
    assert int(table.customers["MINIMUM_PAYMENTS"].isna().sum()) == 313


def test_customer_segmentation_train_spending_levels_are_the_score(datasets_dir: Path) -> None:
    table = load_customers((datasets_dir / "customer_segmentation_train.csv").read_bytes())
    roles = {c.source: c for c in table.receipt.columns}
    spending = roles["Spending_Score"]
    assert (spending.kind, spending.field) == ("numeric", "score")
    assert spending.note == "levels Low/Average/High read as 25/50/75"
    assert roles["Gender"].kind == "gender"
    assert table.numeric[:2] == ("age", "score")
    assert table.customers["score"].value_counts().to_dict() == {25.0: 4878, 50.0: 1974, 75.0: 1216}
    assert "Segmentation" in table.attributes


def _levels_table(cells: list[str], rows: int = 12) -> CustomerTable:
    """A small file whose Spending Score column holds ``cells``, repeated over ``rows`` rows."""
    lines = [f"{i},{20 + i},{cells[i % len(cells)]}" for i in range(rows)]
    return load_customers(("id,Age,Spending Score\n" + "\n".join(lines) + "\n").encode())


def test_three_levels_read_as_quarters() -> None:
    table = _levels_table(["Low", "Average", "High", "Medium"])
    (score,) = [c for c in table.receipt.columns if c.field == "score"]
    assert (score.kind, score.note) == ("numeric", "levels Low/Average/High read as 25/50/75")
    assert table.customers["score"].tolist()[:4] == [25.0, 50.0, 75.0, 50.0]
    # Three values would make any other column a code; a spending level is clustered on.
    assert default_features(table) == ("age", "score")


def test_five_levels_read_as_band_middles_in_any_case_and_spacing() -> None:
    table = _levels_table(["very low", " LOW ", "Moderate", "high", "Very  High", "VERY-LOW"])
    (score,) = [c for c in table.receipt.columns if c.field == "score"]
    assert score.note == "levels very low/LOW/Moderate/high/Very  High read as 10/30/50/70/90"
    assert table.customers["score"].tolist()[:6] == [10.0, 30.0, 50.0, 70.0, 90.0, 10.0]


def test_rows_without_a_level_are_skipped_like_a_missing_score() -> None:
    table = _levels_table(["Low", "High", "", "n/a"], rows=24)
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("missing", "score", 12)
    assert set(table.customers["score"]) == {25.0, 75.0}


@pytest.mark.parametrize(
    "cells",
    [["Low", "Average", "Premium"], ["High", "high "], ["Low", "Average", "High", "Very good"]],
)
def test_other_text_in_a_score_column_stays_text(cells: list[str]) -> None:
    table = _levels_table(cells)
    roles = {c.source: c for c in table.receipt.columns}
    assert roles["Spending Score"].kind == "attribute"
    assert "score" not in table.customers.columns


def test_xlsx_with_bad_rows_names_sheet_lines(mall_bytes: bytes) -> None:
    header, rows = _rows(mall_bytes)
    rows[4][2] = "250"
    table = load_customers(xlsx_workbook(header, rows), "mall.xlsx")
    (skipped,) = table.receipt.skipped
    assert skipped.examples == (6,)


def test_receipt_round_trips(original: CustomerTable) -> None:
    from segmentation.ingest.table import Receipt

    assert Receipt.from_dict(original.receipt.to_dict()) == original.receipt


def test_ingest_error_is_an_exception() -> None:
    with pytest.raises(IngestError):
        load_customers(b"")


def test_rows_ending_with_a_separator_are_read() -> None:
    rows = "".join(f"{n};{20 + n};{n * 3};\r\n" for n in range(1, 15))
    table = load_customers(b"id;age;score\r\n" + rows.encode())
    assert [c.field for c in table.receipt.columns] == ["customer_id", "age", "score"]
    assert table.receipt.rows_used == 14


def test_other_columns_never_take_a_canonical_name() -> None:
    rows = "".join(
        f"{n},{n * 37 % 101},{20 + n % 9},{['lo', 'hi'][n % 2]},{n % 4}\n" for n in range(14)
    )
    table = load_customers(b"id,Customer ID,age,score,Gender\n" + rows.encode())
    fields = [c.field for c in table.receipt.columns]
    assert fields == [
        "customer_id",
        "Customer ID (column 2)",
        "age",
        "score (column 4)",
        "Gender (column 5)",
    ]
    assert "score" not in table.customers.columns and "gender" not in table.customers.columns
    assert table.attributes == ("score (column 4)", "Gender (column 5)")
    assert table.numeric == ("age",)
    assert set(table.customers["Gender (column 5)"]) == {"0", "1", "2", "3"}


def test_age_with_some_text_keeps_the_numbers_and_reports_the_rest() -> None:
    ages = ["thirty" if n % 4 == 0 else str(20 + n) for n in range(20)]
    lines = ["id,age,visits"] + [f"{n},{a},{n % 5}" for n, a in enumerate(ages)]
    table = load_customers("\n".join(lines).encode())
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.count) == ("unparseable", "age", 5)
    assert skipped.examples == (2, 6, 10, 14, 18)
    assert table.numeric == ("age", "visits")


def test_numbers_coding_categories_are_attributes(datasets_dir: Path) -> None:
    table = load_customers((datasets_dir / "wholesale_customers.csv").read_bytes())
    roles = {c.source: c for c in table.receipt.columns}
    assert (roles["Channel"].kind, roles["Channel"].note) == ("attribute", "category codes")
    assert table.attributes == ("Channel", "Region")
    assert set(table.customers["Region"]) == {"1", "2", "3"}
    marketing = load_customers((datasets_dir / "marketing_campaign.csv").read_bytes())
    assert "NumStorePurchases" in marketing.numeric


def test_ids_with_gaps_stay_text_even_with_trailing_separators() -> None:
    ids = ["1.10", "1.1", "", *(str(n) for n in range(2, 14))]
    lines = ["id,age"] + [f"{i},{30 + n}," for n, i in enumerate(ids)]
    table = load_customers("\n".join(lines).encode())
    assert table.customers.index[:2].tolist() == ["1.10", "1.1"]
    (skipped,) = table.receipt.skipped
    assert (skipped.reason, skipped.column, skipped.examples) == ("missing", "customer_id", (4,))


def test_title_lines_above_the_header_are_skipped() -> None:
    data = (Path(__file__).parent / "data" / "ingest" / "title_above_header.csv").read_bytes()
    table = load_customers(data)
    assert table.receipt.delimiter == ";"
    assert table.receipt.rows_used == 12
    assert table.labels["income"] == "Annual Income (k$)"
    broken = data.replace(b"0005;Male;31;17;22", b"0005;Male;31;17;22;9")
    with pytest.raises(IngestError, match="Line 9 has 6 values"):
        load_customers(broken)


def test_excel_sep_line_names_the_separator(mall_bytes: bytes) -> None:
    header, rows = _rows(mall_bytes)
    data = b"sep=;\r\n" + _join(header, rows, ";", "\r\n").encode()
    table = load_customers(data)
    assert (table.receipt.delimiter, table.receipt.rows_used) == (";", 200)
    with pytest.raises(IngestError, match="Line 4 has 6 values"):
        load_customers(data.replace(b"0002;Male;21;15;81", b"0002;Male;21;15;81;1"))


@pytest.mark.parametrize(
    ("written", "keys"),
    [
        (["3", "1", "2"], ["3", "1", "2"]),
        (["0042", "7", "0", "000"], ["42", "7", "0", None]),  # 000 repeats 0
        (["9223372036854775807", "5"], ["9223372036854775807", "5"]),
        (["12345678901234567890", "12345678901234567891"], None),  # past an int64
        (["123456789012345678901", "00123456789012345678901"], ["123456789012345678901", None]),
    ],
)
def test_ids_of_digits_keep_their_value_and_their_zeros(
    written: list[str], keys: list[str | None] | None
) -> None:
    cells = written + [str(900 + n) for n in range(12)]
    lines = ["id,age,income,score"] + [
        f"{cell},{20 + n},{40 + n * 7},{10 + n * 13 % 90}" for n, cell in enumerate(cells)
    ]
    table = load_customers("\n".join(lines).encode())
    keys = keys or written
    assert table.customers.index.tolist() == [k for k in keys if k] + cells[len(written) :]
    as_written = [w for w, k in zip(written, keys, strict=True) if k] + cells[len(written) :]
    assert written_ids(table).tolist() == as_written


def test_ids_with_leading_zeros_are_kept_as_widths_not_a_second_column_of_texts() -> None:
    from segmentation.ingest.table import ID_AS_WRITTEN

    def table_of(cells: list[str]) -> CustomerTable:
        lines = ["id,age,income,score"] + [
            f"{cell},{20 + n % 50},{40 + n * 7 % 90},{10 + n * 13 % 90}"
            for n, cell in enumerate(cells)
        ]
        return load_customers("\n".join(lines).encode())

    padded = table_of([f"{n:05d}" for n in range(1, 40)] + ["99", "0000"])
    assert ID_AS_WRITTEN not in padded.customers.columns
    assert padded.id_widths is not None and padded.id_widths.tolist()[-3:] == [5, 2, 4]
    written = padded.written_ids()
    assert written is not None and written.tolist()[-3:] == ["00039", "99", "0000"]
    assert padded.customers.index.tolist()[-3:] == ["39", "99", "0"]
    assert padded.id_padding() == (ID_AS_WRITTEN, padded.id_widths)
    assert padded.with_written_ids()[ID_AS_WRITTEN].tolist() == written.tolist()
    # Handed to another process and back, the widths come along.
    import pickle

    again = pickle.loads(pickle.dumps(padded))
    assert again.id_widths is not None and again.id_widths.tolist() == padded.id_widths.tolist()
    # Ids without zeros, or whose padded ones were all left out (repeats): no widths.
    plain = table_of([str(n) for n in range(1, 42)])
    assert plain.id_widths is None and plain.written_ids() is None
    repeated = table_of([str(n) for n in range(1, 41)] + ["0007"])
    assert repeated.id_widths is None and len(repeated.customers) == 40
    # Ids that are not all digits keep the text column where it differs from the key.
    mixed = table_of([f"{n:03d}" for n in range(1, 40)] + ["A7", "0042"])
    assert mixed.id_widths is None
    assert mixed.customers[ID_AS_WRITTEN].tolist()[-3:] == ["039", "A7", "0042"]
    assert mixed.customers.index.tolist()[-3:] == ["39", "A7", "42"]
