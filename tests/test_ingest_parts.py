"""The pieces of ingestion: number cells, headers, encodings and delimiters."""

from __future__ import annotations

import pandas as pd
import pytest

from segmentation.ingest.decoding import binary_refusal, decode_text, find_layout
from segmentation.ingest.headers import is_thousands_unit, read_header
from segmentation.ingest.numbers import parse_numbers


def _values(cells: list[str]) -> list[float | None]:
    """Parse text cells; NaN becomes None for easy comparison."""
    parsed = parse_numbers(pd.Series(cells, dtype="str"))
    return [None if pd.isna(v) else float(v) for v in parsed.values]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["15", " 16 ", "17.5"], [15.0, 16.0, 17.5]),
        (["$15k", "$1.5K", "2 k"], [15000.0, 1500.0, 2000.0]),
        (["15 000 €", "1\u00a0234,50 €", "7 €"], [15000.0, 1234.5, 7.0]),
        (["$15,000", "$1,234,567.89", "$12"], [15000.0, 1234567.89, 12.0]),
        (["15,5", "1.234,5", "0,125"], [15.5, 1234.5, 0.125]),
        (["(15)", "−3", "-4"], [-15.0, -3.0, -4.0]),
        (["USD 20", "20 EUR", "£3"], [20.0, 20.0, 3.0]),
        (["25 years", "39%", "1.2M"], [25.0, 39.0, 1200000.0]),
        (["", "NA", "n/a", "-", "12"], [None, None, None, None, 12.0]),
        (["12", "abc", "1,2,3"], [12.0, None, None]),
    ],
)
def test_number_cells(cells: list[str], expected: list[float | None]) -> None:
    assert _values(cells) == pytest.approx(expected)


def test_missing_and_bad_cells_are_told_apart() -> None:
    parsed = parse_numbers(pd.Series(["1", "", "x", "NA"], dtype="str"))
    assert parsed.missing.tolist() == [False, True, False, True]
    assert parsed.bad.tolist() == [False, False, True, False]
    assert parsed.parsed_share == pytest.approx(0.5)


def test_numeric_dtypes_pass_through() -> None:
    parsed = parse_numbers(pd.Series([1, 2, 3]))
    assert parsed.values.dtype == "float64" and not parsed.bad.any()
    assert parsed.suffix_share == 0.0


def test_decimal_comma_and_suffix_share_are_reported() -> None:
    assert parse_numbers(pd.Series(["15,5", "3"], dtype="str")).decimal_comma
    assert not parse_numbers(pd.Series(["15,000", "3"], dtype="str")).decimal_comma
    parsed = parse_numbers(pd.Series(["$15k", "$16k", "17"], dtype="str"))
    assert parsed.suffix_share == pytest.approx(2 / 3) and parsed.currency == "$"


@pytest.mark.parametrize(
    ("header", "field", "unit", "value_range"),
    [
        ("CustomerID", "customer_id", None, None),
        ("Customer ID", "customer_id", None, None),
        ("client_id", "customer_id", None, None),
        ("Member No.", "customer_id", None, None),
        ("CUST_ID", "customer_id", None, None),
        ("Genre", "gender", None, None),
        ("Sex", "gender", None, None),
        ("Gender (M/F)", "gender", "M/F", None),
        ("AGE", "age", None, None),
        ("Age (years)", "age", "years", None),
        ("Annual Income (k$)", "income", "k$", None),
        ("Income, €", "income", "€", None),
        ("Salary", "income", None, None),
        ("Spending Score (1-100)", "score", None, (1.0, 100.0)),
        ("spending_score", "score", None, None),
        ("Score", "score", None, None),
        ("Region", None, None, None),
        ("Revenue", None, None, None),
    ],
)
def test_headers(
    header: str, field: str | None, unit: str | None, value_range: tuple[float, float] | None
) -> None:
    info = read_header(header)
    assert (info.field, info.unit, info.value_range) == (field, unit, value_range)


@pytest.mark.parametrize(
    ("unit", "thousands"),
    [("k$", True), ("K€", True), ("'000", True), ("thousands", True), ("$", False), (None, False)],
)
def test_thousands_units(unit: str | None, thousands: bool) -> None:
    assert is_thousands_unit(unit) is thousands


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Género".encode(), "utf-8"),
        (b"\xef\xbb\xbfG\xc3\xa9nero", "utf-8-sig"),
        ("Género".encode("utf-16"), "utf-16"),
        ("Género,x\n".encode("utf-16-le"), "utf-16"),
        ("Género".encode("cp1252"), "cp1252"),
    ],
)
def test_decoding(data: bytes, encoding: str) -> None:
    text, found = decode_text(data)
    assert found == encoding
    assert text.startswith("Género")


def test_cyrillic_windows_text_is_recognised() -> None:
    text = "Клиент;Пол;Возраст\n" + "".join(f"{n};Женский;{20 + n}\n" for n in range(20))
    decoded, encoding = decode_text(text.encode("cp1251"))
    assert (decoded, encoding) == (text, "cp1251")


@pytest.mark.parametrize(
    ("lines", "delimiter"),
    [
        (["a,b,c", "1,2,3"], ","),
        (["a;b;c", "1,5;2;3"], ";"),
        (["a\tb", "1,5\t2"], "\t"),
        (["a|b|c", "1|2|3"], "|"),
        (['"a,x";b;c', '"1,2";3;4'], ";"),
        (["single"], ","),
    ],
)
def test_delimiters(lines: list[str], delimiter: str) -> None:
    assert find_layout(lines)[0] == delimiter


def test_text_is_not_mistaken_for_binary() -> None:
    assert binary_refusal("CustomerID,Género\n1,F\n".encode("utf-16"), "x.csv") is None
    assert binary_refusal(b"BMI,Age\n1,2\n", "x.csv") is None
    assert binary_refusal(b"MZ\x90\x00\x03", "x.csv") is not None


def test_letters_that_look_like_magic_bytes_are_still_text() -> None:
    assert binary_refusal(b"MZone,Age\n1,2\n", "x.csv") is None
    assert binary_refusal(b"ID3 code,Age\n1,2\n", "x.csv") is None


def test_infinite_numbers_are_not_numbers() -> None:
    parsed = parse_numbers(pd.Series(["1", "inf", "-Infinity", "1e999"], dtype="str"))
    assert parsed.bad.tolist() == [False, True, True, True]
    passed = parse_numbers(pd.Series([1.0, float("inf")]))
    assert passed.bad.tolist() == [False, True] and passed.values.isna().tolist() == [False, True]


@pytest.mark.parametrize(
    ("lines", "layout"),
    [
        (["Customer export", "a,b,c", "1,2,3"], (",", 1)),
        (["Export, March", "Shop 4", "a;b;c;d", "1;2;3;4", "5;6;7;8"], (";", 2)),
        (["a,b,c", "1,2,3,", "4,5,6,"], (",", 0)),
        (["a,b", "1,2"], (",", 0)),
    ],
)
def test_layout_finds_the_header_below_a_title(lines: list[str], layout: tuple[str, int]) -> None:
    assert find_layout(lines) == layout


def test_utf8_with_a_damaged_byte_stays_utf8() -> None:
    good = "Ville\n" + "Montréal\nQuébec\nGenève\n" * 5
    text, encoding = decode_text(good.encode() + b"Gen\xe8ve\n")
    assert encoding == "utf-8"
    assert text.startswith("Ville\nMontréal") and "\ufffd" in text


def test_a_column_of_numbers_that_turns_to_text_far_down_stays_text() -> None:
    """The rows are parsed in chunks: a column read as numbers in the first chunks and as
    text later is read again whole, so codes such as 00042 keep their zeros, exactly as a
    parse of the whole file at once gives them."""
    import io

    from segmentation.ingest import IngestLimits
    from segmentation.ingest.parsing import read_upload

    lines = ["CustomerID,Age,Branch,Note,Visits"]
    n = 300_000  # more than one chunk (2**18 rows)
    for i in range(1, n + 1):
        branch = "Main-1" if i == n else f"{i % 97:05d}"
        note = "late" if i == n - 1 else ""
        visits = "n/a" if i == n - 2 else str(i % 13)
        lines.append(f"{i:06d},{20 + i % 50},{branch},{note},{visits}")
    data = ("\n".join(lines) + "\n").encode()
    parsed = read_upload(data, "members.csv", IngestLimits())
    assert parsed.id_digits is not None  # ids of digits: read as integers and widths
    frame = parsed.with_text_ids().frame
    assert frame["Branch"].iloc[0] == "00001" and frame["Branch"].iloc[96] == "00000"
    assert frame["Branch"].iloc[-1] == "Main-1"
    whole = pd.read_csv(
        io.BytesIO(data), dtype={"CustomerID": str}, low_memory=False, skipinitialspace=True
    )
    pd.testing.assert_frame_equal(frame, whole)


def test_a_large_ascii_file_is_read_from_its_bytes_with_title_lines_and_blank_lines() -> None:
    """A plain-ASCII file over a megabyte is decoded only as far as its layout is sniffed;
    title lines above the header and a long run of blank lines before it are still left out,
    and the rows are the ones a parse of the whole text gives."""
    import io

    from segmentation.ingest import IngestLimits
    from segmentation.ingest.parsing import read_upload

    rows = [f"{i},{20 + i % 50},{15 + i % 120}" for i in range(1, 120_001)]
    table = "CustomerID,Age,Income\n" + "\n".join(rows) + "\n"
    expected = pd.read_csv(io.StringIO(table), dtype={"CustomerID": str})
    for before in ("Customer export March\nBranch: Main\n", "\n" * 1_200_000):
        data = (before + table).encode("ascii")
        assert len(data) > 1 << 20
        parsed = read_upload(data, "members.csv", IngestLimits(max_bytes=len(data) + 1))
        assert parsed.encoding == "utf-8"
        pd.testing.assert_frame_equal(parsed.with_text_ids().frame, expected)
        first_line = before.count("\n") + 2  # the first customer's line in the file
        assert int(parsed.lines[0]) == first_line
