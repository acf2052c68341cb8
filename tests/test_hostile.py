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


def test_the_store_remembers_uploads_in_progress_until_they_end(db_path) -> None:
    from storage import CustomerStore

    with CustomerStore(db_path) as store:
        store.begin_upload(1, "members.csv")
        store.begin_upload(2, "other.csv")
        store.end_upload(2)
        store.begin_upload(3, "gone.csv")
        store.forget(3)
    with CustomerStore(db_path) as store:  # as after a restart
        assert store.take_interrupted_uploads() == [(1, "members.csv")]
        assert store.take_interrupted_uploads() == []


async def test_an_upload_cut_short_by_a_restart_is_reported_to_its_chat(db_path) -> None:
    from fake_bot_api import FakeBotApi
    from test_telegram import ALICE, make_config, running

    from bot.telegram_app import build_application
    from storage import CustomerStore

    with CustomerStore(db_path) as store:
        store.begin_upload(ALICE, "members<1>.csv")
    async with FakeBotApi() as fake:
        async with running(build_application(make_config(fake, db_path))):
            await fake.wait_for(lambda: fake.sent_to(ALICE), 20, what="the notice")
            notice = fake.sent_to(ALICE)[0].text
        assert fake.errors == []
    assert "Your upload of members<1>.csv was interrupted" in notice
    assert "please send the file again" in notice
    with CustomerStore(db_path) as store:
        assert store.take_interrupted_uploads() == []


def test_an_overflowing_optional_column_is_left_out_and_nothing_leaks_to_stderr(
    tmp_path,
) -> None:
    import subprocess
    import sys

    lines = sample_csv().decode().splitlines()
    rows = [lines[0] + ",Visits"]
    rows += [line + ("," + ("1e308" if i < 2 else str(i % 17))) for i, line in enumerate(lines[1:])]
    path = tmp_path / "overflow.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "analyze", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Not used: Visits (numbers too large to use)" in done.stdout


def test_a_header_on_two_rows_is_refused_naming_the_line() -> None:
    lines = sample_csv().decode().splitlines()
    data = "\n".join([lines[0], "ID,Sex,Years,k$,Points", *lines[1:]]) + "\n"
    with pytest.raises(IngestError, match=r"Line 2 looks like a second header row"):
        load_customers(data.encode(), "two-rows.csv")


def test_a_score_mostly_outside_its_stated_range_is_refused_not_trimmed() -> None:
    lines = sample_csv().decode().splitlines()
    rows = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        rows.append(",".join([*cells[:4], str(int(cells[4]) * 10)]))
    with pytest.raises(IngestError, match=r"Most values of Spending Score \(1-100\)"):
        load_customers(("\n".join(rows) + "\n").encode(), "x10.csv")
    # A few outliers are still left out and counted, as before.
    rows[1] = ",".join([*rows[1].split(",")[:4], "1000"])
    few = [lines[0], rows[1], *lines[2:]]
    table = load_customers(("\n".join(few) + "\n").encode(), "one-off.csv")
    assert table.receipt.rows_used == 199


def test_a_utf8_file_with_a_windows_1252_tail_is_read_line_by_line() -> None:
    head = "CustomerID,Género,Age,Annual Income (k$),Spending Score (1-100)\n".encode()
    rows = "".join(f"{i},Mujer,{20 + i % 40},{15 + i},{1 + (i * 7) % 99}\n" for i in range(1, 150))
    tail = "".join(f"{i},Señora,{30 + i % 30},{i},{1 + (i * 3) % 99}\n" for i in range(150, 201))
    table = load_customers(head + rows.encode() + tail.encode("cp1252"), "pasted.csv")
    assert table.receipt.encoding == "utf-8 and cp1252"
    assert [role.source for role in table.receipt.columns][1] == "Género"
    assert table.receipt.rows_used == 200
