"""Ids of digits in the first column: read as integers, their widths and texts cut from the
bytes, and every table the same as when they are read as text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation import IngestLimits, load_customers
from segmentation.ingest import digit_ids, parsing
from segmentation.ingest.digit_ids import first_column_widths
from segmentation.ingest.table import CustomerTable, normalise_id
from segmentation.sample import purchase_log_frame


def _rows(ids: list[str], newline: str = "\n", end: str = "\n") -> bytes:
    lines = ["CustomerID,Age,Income,Score"] + [
        f"{cell},{20 + n % 50},{30 + n * 7 % 90},{1 + n * 13 % 99}" for n, cell in enumerate(ids)
    ]
    return (newline.join(lines) + end).encode()


def _as_text(monkeypatch: pytest.MonkeyPatch, data: bytes, **kwargs: object) -> CustomerTable:
    """The table when the ids are read as text (the measure of the fast path)."""
    with monkeypatch.context() as patch:
        patch.setattr(parsing, "first_column_widths", lambda *args: None)
        return load_customers(data, **kwargs)  # type: ignore[arg-type]


def _same(fast: CustomerTable, slow: CustomerTable) -> None:
    pd.testing.assert_frame_equal(fast.with_written_ids(), slow.with_written_ids())
    assert fast.receipt == slow.receipt
    assert (fast.written_ids() is None) == (slow.written_ids() is None)
    if fast.written_ids() is not None:
        assert fast.written_ids().tolist() == slow.written_ids().tolist()  # type: ignore[union-attr]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("end", ["\n", ""])
def test_widths_and_texts_come_from_the_bytes(newline: str, end: str) -> None:
    ids = ["0042", "7", "000", "123456789012345678", "0010"]
    data = _rows(ids, newline, end)
    cells = first_column_widths(data, ",", 100)
    assert cells is not None and cells.widths.tolist() == [4, 1, 3, 18, 4]
    numbers = np.array([int(i) for i in ids], dtype=np.int64)
    found = digit_ids.digit_ids(data, ",", "CustomerID", cells, numbers)
    assert found.texts == [normalise_id(i) for i in ids]
    with pytest.raises(ValueError, match="not those"):
        digit_ids.digit_ids(data, ",", "CustomerID", cells, numbers[:-1])


@pytest.mark.parametrize(
    "data",
    [
        _rows(["1", '"2"', "3"]),  # a quote anywhere
        _rows(["1", "2", "3"]).replace(b"\n", b"\r", 2),  # a line that ends in a lone CR
        _rows(["1", "2", "3"]).replace(b"\n", b"\n\n", 2),  # a blank line
        _rows(["1", "", "3"]),  # an empty id
        _rows(["1", "2a", "3"]),  # not only digits
        _rows(["1", " 2", "3"]),  # a space before
        _rows(["1", "1234567890123456789", "3"]),  # more digits than always fit
        b"CustomerID\n1\n2\n",  # no separator after the cell
        _rows([str(n) for n in range(1, 12)]),  # more rows than read (nrows = 10)
    ],
)
def test_files_not_plain_enough_are_left_to_the_text_reading(data: bytes) -> None:
    assert first_column_widths(data, ",", 10) is None


@pytest.mark.parametrize(
    "ids",
    [
        [str(n) for n in range(1, 60)],
        [f"{n:06d}" for n in range(1, 60)],
        [f"{n:03d}" for n in range(1, 60)] + ["7777", "0", "00"],  # 0 and 00 are one id
        [f"{n:03d}" for n in range(1, 60)] + ["1"],  # 001 and 1 too
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_table_is_the_same_as_when_its_ids_are_read_as_text(
    monkeypatch: pytest.MonkeyPatch, ids: list[str], newline: str
) -> None:
    data = _rows(ids, newline)
    assert parsing.read_upload(data, "m.csv", IngestLimits()).id_digits is not None
    _same(load_customers(data), _as_text(monkeypatch, data))


def test_other_layouts_are_read_as_text_and_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"{n:04d}" for n in range(1, 60)]
    # The id not first, a quoted file, a separator other than the comma.
    second = _rows(ids).replace(b"CustomerID,Age", b"Age,CustomerID")
    for data in (second, _rows([*ids[:-1], '"0060"']), _rows(ids).replace(b",", b";")):
        _same(load_customers(data), _as_text(monkeypatch, data))
    semicolons = parsing.read_upload(_rows(ids).replace(b",", b";"), "m.csv", IngestLimits())
    assert semicolons.id_digits is not None


def test_a_meaning_given_to_another_column_reads_the_ids_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _rows([f"{n:04d}" for n in range(1, 60)]).replace(b"Score", b"Member")
    meanings = {"Member": "id"}
    _same(load_customers(data, meanings=meanings), _as_text(monkeypatch, data, meanings=meanings))


def test_a_purchase_log_with_ids_first_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, _ = purchase_log_frame(customers=300)
    frame = frame[["Customer ID", *[c for c in frame.columns if c != "Customer ID"]]]
    frame["Customer ID"] = frame["Customer ID"].astype(str).str.zfill(8)
    data = frame.to_csv(index=False).encode()
    assert b'"' not in data
    fast, slow = load_customers(data, "log.csv"), _as_text(monkeypatch, data, filename="log.csv")
    assert fast.receipt.purchases is not None
    _same(fast, slow)
