"""The workbook and audience exports: sheets, text ids, formula safety, exact members."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from segmentation import (
    Segmentation,
    SegmentOptions,
    assignments_xlsx,
    audience_name,
    load_customers,
    segment_audience_csv,
    segment_customers,
    sheet_names,
)

_FORMULA_STARTS = ("=", "+", "-", "@")


def _members_file() -> bytes:
    """Forty members with zero-padded ids, hostile text, contacts and a persona-worthy split."""
    rows = ["Member No,Age,Annual Income (k$),Spending Score (1-100),Note,E-mail,Mobile"]
    notes = ["=HYPERLINK(1)", "@SUM(A1)", "+1", "-x", "fine"]
    for i in range(1, 41):
        income = 20 + (i % 2) * 80 + i % 7
        score = 15 + (i % 2) * 70 + i % 5
        rows.append(
            f"{i:04d},{20 + i % 40},{income},{score},{notes[i % 5]},"
            f"Member{i}@Example.com,+49 170 {1000000 + i}"
        )
    return ("\n".join(rows) + "\n").encode()


def _segmented(k: int = 3) -> tuple[object, Segmentation]:
    table = load_customers(_members_file(), "members.csv")
    return table, segment_customers(table, SegmentOptions(k=k))


def test_the_workbook_has_an_overview_and_a_sheet_per_segment() -> None:
    table, seg = _segmented()
    book = load_workbook(io.BytesIO(assignments_xlsx(table, seg)))  # type: ignore[arg-type]
    assert len(book.sheetnames) == seg.k + 1
    assert book.sheetnames[0] == "Overview"
    overview = book["Overview"]
    assert [c.value for c in overview[1]][:4] == ["segment", "persona", "customers", "share"]
    assert [overview.cell(row=r + 2, column=3).value for r in range(seg.k)] == [
        s.size for s in seg.segments
    ]
    for segment, name in zip(seg.segments, book.sheetnames[1:], strict=True):
        sheet = book[name]
        ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        expected = seg.assignments.index[seg.assignments["segment"] == segment.number]
        assert sorted(str(int(i)) for i in ids) == sorted(expected)


def test_ids_stay_text_as_written_and_the_id_column_is_kept() -> None:
    table, seg = _segmented()
    book = load_workbook(io.BytesIO(assignments_xlsx(table, seg)))  # type: ignore[arg-type]
    sheet = book[book.sheetnames[1]]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["customer_id", "segment", "persona", "Member No"]
    first = sheet[2]
    assert first[0].data_type == "s" and len(first[0].value) == 4
    assert first[0].value.startswith("00")
    assert first[3].value == first[0].value
    everything = [cell for s in book.worksheets for row in s.iter_rows() for cell in row]
    assert any(c.value == "0001" and c.data_type == "s" for c in everything)


def test_no_cell_runs_as_a_formula() -> None:
    table, seg = _segmented()
    book = load_workbook(io.BytesIO(assignments_xlsx(table, seg)))  # type: ignore[arg-type]
    texts = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert all(cell.data_type != "f" for cell in texts)
    assert not [c.value for c in texts if c.value.startswith(_FORMULA_STARTS)]
    assert any(c.value == "'=HYPERLINK(1)" for c in texts)


def test_sheet_names_are_valid_and_unique_even_for_awkward_personas() -> None:
    _, seg = _segmented(k=4)
    awkward = [
        "A/very:long*name?with[every]bad\\character and then some",
        "A/very:long*name?with[every]bad\\character and then more",
        "'quoted'",
        "Overview",
    ]
    segments = tuple(
        s.__class__(**{**s.__dict__, "persona": s.persona.__class__(n, "", "")})
        for s, n in zip(seg.segments, awkward, strict=True)
    )
    names = sheet_names(seg.__class__(**{**seg.__dict__, "segments": segments}))
    assert len(set(n.casefold() for n in names.values())) == 4
    for name in names.values():
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.casefold() != "overview"


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_a_segment_audience_holds_exactly_that_segment() -> None:
    table, seg = _segmented()
    for segment in seg.segments:
        name = audience_name("members", segment.number)
        rows = _rows(segment_audience_csv(table, seg, segment.number, name))  # type: ignore[arg-type]
        expected = seg.assignments.index[seg.assignments["segment"] == segment.number]
        assert sorted(r["customer_id"] for r in rows) == sorted(f"{int(i):04d}" for i in expected)
        assert {r["audience"] for r in rows} == {f"segbot-members-segment-{segment.number}"}


def test_an_audience_has_the_headers_ad_platforms_expect_and_no_persona() -> None:
    table, seg = _segmented()
    data = segment_audience_csv(table, seg, 1, audience_name("members", 1))  # type: ignore[arg-type]
    header = data.decode().splitlines()[0]
    assert header == "customer_id,audience,email,phone"
    row = _rows(data)[0]
    assert row["email"] == f"member{int(row['customer_id'])}@example.com"
    assert row["phone"].startswith("+49170") and row["phone"][1:].isdigit()
    assert seg.segment(1).persona.name not in data.decode()


def test_an_audience_name_from_the_manager_is_made_safe() -> None:
    assert audience_name("members", 2, "Spring offer / VIP!") == "Spring-offer-VIP"
    assert audience_name("members", 2, "///") == "segbot-members-segment-2"
    assert len(audience_name("m", 2, "x" * 300)) == 50


def test_without_contacts_an_audience_is_ids_only() -> None:
    frame = pd.read_csv(io.BytesIO(_members_file()), dtype=str).drop(columns=["E-mail", "Mobile"])
    table = load_customers(frame.to_csv(index=False).encode(), "members.csv")
    seg = segment_customers(table, SegmentOptions(k=2))
    data = segment_audience_csv(table, seg, 2, "x")
    assert data.decode().splitlines()[0] == "customer_id,audience"
