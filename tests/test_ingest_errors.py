"""Files that cannot be used each get their own clear message, and nothing else escapes."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segmentation.ingest.load import IngestError, load_customers
from segmentation.ingest.table import CustomerTable, IngestLimits
from segmentation.sample import sample_csv

FIXTURES = Path(__file__).parent / "data" / "ingest"


def _zip(name: str, content: bytes) -> bytes:
    """A zip archive holding one file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _zips(files: dict[str, bytes]) -> bytes:
    """A zip archive holding several files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _fixture(name: str) -> bytes:
    """A tiny file from tests/data/ingest."""
    return (FIXTURES / name).read_bytes()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

# (case, bytes, words the message must contain)
BROKEN: list[tuple[str, bytes, tuple[str, ...]]] = [
    ("empty", b"", ("empty",)),
    ("blank lines only", _fixture("blank.csv"), ("empty",)),
    ("header only", _fixture("header_only.csv"), ("header row", "no customer rows")),
    ("no header", _fixture("no_header.csv"), ("looks like customer data", "header row")),
    ("too few", _fixture("too_few.csv"), ("Only 4 of 4", "at least 10")),
    ("text only", _fixture("text_only.csv"), ("No column holds numbers", "Name, City")),
    ("one column", _fixture("one_column.csv"), ("Only one column",)),
    ("ragged", _fixture("ragged.csv"), ("Line 7", "6 values", "5 columns")),
    ("unclosed quote", _fixture("unclosed_quote.csv"), ("quote", "line 5")),
    ("sep line only", b"sep=;\r\n", ("separator line",)),
    ("json", _fixture("json.csv"), ("JSON",)),
    ("html", _fixture("html.csv"), ("web page",)),
    ("xml", b'<?xml version="1.0"?><customers/>', ("XML",)),
    ("png", PNG, ("PNG image",)),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, ("JPEG image",)),
    ("gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32, ("GIF image",)),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", ("PDF document",)),
    ("zip of two files", _zips({"a.csv": b"a,b\n1,2\n", "b.csv": b"a,b\n1,2\n"}),
     ("ZIP archive holds 2 files", "one CSV file")),
    ("zip of a short list", _zip("customers.csv", b"a,b\n1,2\n"), ("columns found: a, b",)),
    ("gzip of a short list", gzip.compress(b"CustomerID,Age\n1,2\n"), ("at least 10",)),
    ("broken gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 40, ("could not be unpacked",)),
    ("old excel", OLD_XLS, ("old Excel workbook", "CSV")),
    ("other binary", bytes(range(256)) * 8, ("does not contain text",)),
    ("only impossible rows", b"id,age\n" + b"".join(b"%d,300\n" % n for n in range(20)),
     ("Most values of age (20 of 20, e.g. 300, 300, 300)", "outside 0–120")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "data", "words"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_input_gets_a_clear_message(case: str, data: bytes, words: tuple[str, ...]) -> None:
    with pytest.raises(IngestError) as caught:
        load_customers(data, f"{case}.csv")
    message = str(caught.value)
    for word in words:
        assert word in message, (case, message)
    assert "<" not in message or case in ("xml",)
    assert "Traceback" not in message and len(message) < 400


def test_every_broken_input_has_its_own_message() -> None:
    messages: dict[str, str] = {}
    for case, data, _ in BROKEN:
        with pytest.raises(IngestError) as caught:
            load_customers(data, f"{case}.csv")
        messages[case] = str(caught.value)
    images = {"png", "jpeg", "gif"}
    distinct = {m for c, m in messages.items() if c not in images | {"blank lines only"}}
    assert len(distinct) == len(messages) - len(images) - 1
    assert len({messages[c] for c in images}) == 3


def test_file_over_the_size_limit() -> None:
    data = sample_csv(400)
    with pytest.raises(IngestError, match=r"more than the 0\.0 MB limit|limit"):
        load_customers(data, limits=IngestLimits(max_bytes=len(data) - 1))
    with pytest.raises(IngestError, match="MB"):
        load_customers(b"x" * (21 * 1024 * 1024))


def test_rows_over_the_row_limit() -> None:
    with pytest.raises(IngestError, match="more than 100 customer rows"):
        load_customers(sample_csv(101), limits=IngestLimits(max_rows=100))
    assert (
        load_customers(sample_csv(100), limits=IngestLimits(max_rows=100)).receipt.rows_used == 100
    )


def test_min_customers_is_a_limit() -> None:
    assert (
        load_customers(sample_csv(5), limits=IngestLimits(min_customers=5)).receipt.rows_used == 5
    )
    with pytest.raises(IngestError, match="at least 6"):
        load_customers(sample_csv(5), limits=IngestLimits(min_customers=6))


def test_workbooks() -> None:
    frame = pd.read_csv(io.BytesIO(sample_csv(30)), dtype={"CustomerID": str})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    table = load_customers(buffer.getvalue(), "customers.xlsx")
    assert table.receipt.rows_used == 30 and table.receipt.encoding == "xlsx"
    with pytest.raises(IngestError, match="more than 20 customer rows"):
        load_customers(buffer.getvalue(), "customers.xlsx", limits=IngestLimits(max_rows=20))
    broken = _zip("xl/workbook.xml", b"not really")
    with pytest.raises(IngestError, match="Excel workbook could not be opened"):
        load_customers(broken, "broken.xlsx")
    empty = io.BytesIO()
    pd.DataFrame().to_excel(empty, index=False, engine="openpyxl")
    with pytest.raises(
        IngestError, match=r"No sheet of this workbook holds a customer table \(sheets: .Sheet1.\)"
    ):
        load_customers(empty.getvalue(), "empty.xlsx")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_a_table_or_an_ingest_error(data: bytes) -> None:
    _table_or_error(data)


_CELL = st.one_of(
    st.integers(-200, 400).map(str),
    st.sampled_from(
        ["", "Male", "f", "NA", "$15k", "15,5", "1.234,5", '"x', "2020-01-02", " ", "é"]
    ),
    st.text(max_size=6),
)


@settings(max_examples=150, deadline=None)
@given(
    header=st.lists(
        st.sampled_from(["CustomerID", "Gender", "Age", "Income", "Score", "City", "", "Age"]),
        min_size=1,
        max_size=6,
    ),
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=7), max_size=25),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]),
)
def test_any_csv_like_text_gives_a_table_or_an_ingest_error(
    header: list[str], rows: list[list[str]], sep: str, encoding: str
) -> None:
    text = "\n".join(sep.join(cells) for cells in [header, *rows])
    data = text.encode(encoding, errors="replace")
    _table_or_error(data)


def _table_or_error(data: bytes) -> None:
    """Load ``data``; only a table or a specific IngestError is acceptable."""
    try:
        table = load_customers(data, "fuzz.csv", limits=IngestLimits(min_customers=1))
    except IngestError as error:
        assert "could not be read as a customer table" not in str(error), "safety net hit"
        return
    assert isinstance(table, CustomerTable)
    assert table.customers.index.is_unique
    assert table.receipt.rows_used == len(table.customers)
