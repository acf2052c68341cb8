"""Hostile and awkward files: each is refused (or read) within a budget, with one clear reason.

Every file is generated here and small on disk; none is kept in the repository.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from segmentation import IngestError, IngestLimits, load_customers, sample_csv
from segmentation.ingest.parsing import _unique_headers


def test_a_hundred_thousand_columns_are_refused_naming_the_limit() -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    row = ",".join("1" for _ in range(100_000))
    with pytest.raises(IngestError, match=r"100,000 columns; at most 2,000"):
        load_customers(f"{header}\n{row}\n".encode(), "wide.csv")


def test_a_million_identical_header_names_are_refused_before_they_are_numbered() -> None:
    line = ",".join(["Age"] * 1_000_000)
    with pytest.raises(IngestError, match=r"1,000,000 columns"):
        load_customers(f"{line}\n{line}\n".encode(), "same.csv")


def test_numbering_repeated_names_is_linear() -> None:
    # Quadratic numbering would take hours here; linear takes a fraction of a second.
    names = _unique_headers(["Score"] * 100_000)
    assert names[:3] == ["Score", "Score (2)", "Score (3)"]
    assert names[-1] == "Score (100000)"
    assert len(set(names)) == 100_000
    assert _unique_headers(["a", "A", "a (2)", ""]) == ["a", "A (2)", "a (2) (2)", "column 4"]


def test_a_very_long_column_name_is_refused() -> None:
    data = ("CustomerID," + "x" * 10_000 + ",Age\n1,2,30\n").encode()
    with pytest.raises(IngestError, match=r"10,000 characters long; at most 500"):
        load_customers(data, "long.csv")


def test_too_many_cells_are_refused_before_the_rows_are_parsed() -> None:
    data = sample_csv(1_000)
    with pytest.raises(IngestError, match=r"about 1,000 rows × 5 columns, more than the 4,000"):
        load_customers(data, "members.csv", limits=IngestLimits(max_cells=4_000))
    assert load_customers(data, "members.csv").receipt.rows_used == 1_000


def test_a_workbook_that_unpacks_past_the_budget_is_refused_unopened() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["CustomerID", "Age", "Notes"])
    for customer in range(1, 101):  # 3 MB of text that compresses to almost nothing
        sheet.append([customer, 30, "x" * 32_000])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert len(data) < 100_000
    limits = IngestLimits(max_unpacked_bytes=2 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"unpacks to 3\.\d MB, more than the 2\.0 MB"):
        load_customers(data, "bomb.xlsx", limits=limits)


def test_export_headers_are_neutralised_like_cells() -> None:
    from segmentation import assignments_csv, segment_customers

    rows = ["CustomerID,Age,Annual Income (k$),Spending Score (1-100),=HYPERLINK(1),@SUM(A1),+x,-y"]
    for i, line in enumerate(sample_csv().decode().splitlines()[1:], start=1):
        rows.append(",".join(line.split(",")[0:1] + line.split(",")[2:5] + ["1", "2", "3", str(i)]))
    table = load_customers(("\n".join(rows) + "\n").encode(), "members.csv")
    header = assignments_csv(table, segment_customers(table)).decode("utf-8-sig").splitlines()[0]
    cells = header.split(",")
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert {"'=HYPERLINK(1)", "'@SUM(A1)", "'+x", "'-y"} <= set(cells)


def test_terminal_output_cannot_be_steered_by_a_file() -> None:
    from bot.text.format import terminal_text

    hostile = "Age\x1b]0;pwned\x07\x1b[2J\u202eevil\u2066 ok\tfine\nnext"
    assert terminal_text(hostile) == "Age]0;pwned[2Jevil ok\tfine\nnext"


async def test_k_beyond_the_distinct_customers_and_a_huge_id_get_plain_answers(
    db_path,
) -> None:
    from bot.config import Config, SegmentationConfig, StorageConfig
    from bot.conversation import Conversation
    from bot.replies import Text
    from bot.workers import Workers

    config = Config(
        storage=StorageConfig(path=str(db_path)), segmentation=SegmentationConfig(k_max=20)
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)

        async def fetch() -> bytes:
            return sample_csv(12)

        await conv.on_document(1, 1, "small.csv", None, fetch)
        answer = await conv.on_text(1, 1, "/k 12")
        text = " ".join(r.html for r in answer if isinstance(r, Text))
        assert "at most 11 segments" in text and "current segments stay active" in text
        answer = await conv.on_text(1, 1, "/whois " + "9" * 309)
        text = " ".join(r.html for r in answer if isinstance(r, Text))
        assert "Something went wrong" not in text and "9999" in text
    finally:
        await workers.close()
