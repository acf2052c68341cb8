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
    conv, workers = await _isolated_conversation(db_path, segmentation={"k_max": 20})
    try:

        async def fetch() -> bytes:
            return sample_csv(12)

        await conv.on_document(1, 1, "small.csv", None, fetch)
        text = _texts(await conv.on_text(1, 1, "/k 12"))
        assert "at most 11 segments" in text and "current segments stay active" in text
        text = _texts(await conv.on_text(1, 1, "/whois " + "9" * 309))
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


async def test_the_restart_notice_is_in_the_language_the_chat_chose(db_path) -> None:
    from fake_bot_api import FakeBotApi
    from test_telegram import ALICE, make_config, running

    from bot.language import LANGUAGE_SETTING
    from bot.telegram_app import build_application
    from storage import CustomerStore

    with CustomerStore(db_path) as store:
        store.set_setting(ALICE, LANGUAGE_SETTING, "ru")
        store.begin_upload(ALICE, "members.csv")
    async with FakeBotApi() as fake, running(build_application(make_config(fake, db_path))):
        await fake.wait_for(lambda: fake.sent_to(ALICE), 20, what="the notice")
        notice = fake.sent_to(ALICE)[0].text
    assert "members.csv" in notice and "прервалась" in notice


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


def slow_workbook(rows: int = 30_000) -> bytes:
    """A plain workbook big enough that reading it takes a few seconds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"])
    for i in range(1, rows + 1):
        sheet.append([i, "Female" if i % 2 else "Male", 18 + i % 50, 15 + i % 120, 1 + i % 99])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _isolated_conversation(db_path, segmentation=None, **limits):
    """A started conversation on a fresh database, with these limits and segmentation."""
    from bot.config import Config, LimitsConfig, SegmentationConfig, StorageConfig
    from bot.conversation import Conversation
    from bot.workers import Workers

    config = Config(
        storage=StorageConfig(path=str(db_path)),
        limits=LimitsConfig(**limits),
        segmentation=SegmentationConfig(**(segmentation or {})),
    )
    workers = Workers.from_config(config)
    await workers.start()
    return Conversation(config, workers), workers


def _texts(replies) -> str:
    from bot.replies import Text

    return " ".join(r.html for r in replies if isinstance(r, Text))


async def test_a_workbook_that_reads_too_long_is_stopped_and_other_chats_go_on(db_path) -> None:
    import asyncio
    import time

    conv, workers = await _isolated_conversation(db_path, read_seconds=0.5)
    try:

        async def small() -> bytes:
            return sample_csv()

        async def slow() -> bytes:
            return slow_workbook()

        await conv.on_document(2, 2, "members.csv", None, small)
        reading = asyncio.create_task(conv.on_document(1, 1, "big.xlsx", None, slow))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        answer = _texts(await conv.on_text(2, 2, "/whois 0001"))
        waited = time.monotonic() - started
        assert "Customer <code>1</code>: segment" in answer and not reading.done(), waited
        refused = _texts(await reading)
        assert "took too long to read (over 0.5 seconds)" in refused and "CSV UTF-8" in refused
        assert await workers.read(lambda s: s.active_dataset(1)) is None
    finally:
        await workers.close()


async def test_a_workbook_that_needs_too_much_memory_is_stopped(db_path) -> None:
    conv, workers = await _isolated_conversation(db_path, read_memory_mb=256)
    try:

        async def book() -> bytes:
            return slow_workbook(2_000)

        refused = _texts(await conv.on_document(1, 1, "big.xlsx", None, book))
        assert "needed more than 256 MB of memory" in refused
    finally:
        await workers.close()


async def test_a_workbook_within_its_limits_is_read_in_its_own_process(db_path) -> None:
    conv, workers = await _isolated_conversation(db_path)
    try:

        async def book() -> bytes:
            return slow_workbook(500)

        await conv.on_document(1, 1, "members.xlsx", None, book)
        active = await workers.read(lambda s: s.active_dataset(1))
        assert active is not None and active.rows == 500
    finally:
        await workers.close()


def _workbook(*sheets: list[list[object]]) -> bytes:
    """A workbook with one sheet per list of rows."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for number, rows in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Sheet {number}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _members(n: int = 30) -> list[list[object]]:
    rows: list[list[object]] = [["CustomerID", "Age", "Annual Income (k$)", "Spending Score"]]
    rows += [[i, 20 + i % 40, 15 + (i * 7) % 120, 1 + (i * 13) % 99] for i in range(1, n + 1)]
    return rows


def test_the_customer_table_is_found_on_another_sheet() -> None:
    data = _workbook([["Customer export, March"]], _members())
    table = load_customers(data, "export.xlsx")
    assert table.receipt.rows_used == 30


def test_a_workbook_without_a_table_names_its_sheets() -> None:
    data = _workbook([["Notes"]], [["Totals"], [42]])
    with pytest.raises(IngestError, match=r"No sheet .* \(sheets: 'Sheet 1', 'Sheet 2'\)"):
        load_customers(data, "notes.xlsx")


def test_formulas_excel_never_calculated_are_named_not_read_as_empty() -> None:
    rows = _members()
    rows[0].append("Age in months")
    for n, row in enumerate(rows[1:], start=2):
        row.append(f"=B{n}*12")  # written without a stored result
    with pytest.raises(IngestError, match=r"Column Age in months holds formulas Excel never"):
        load_customers(_workbook(rows), "formulas.xlsx")


def _csv(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


_GOOD_ROWS = [f"{i},{20 + i % 40},{15 + (i * 7) % 120},{1 + (i * 13) % 99}" for i in range(1, 41)]
_HEADER = "CustomerID,Age,Annual Income (k$),Spending Score (1-100)"


def _with(header: str, rows: list[str] | None = None) -> bytes:
    return _csv([header, *(rows if rows is not None else _GOOD_ROWS)])


#: (case, file bytes, file name, words the refusal must hold; ``None`` when the file is read).
HOSTILE: list[tuple[str, bytes, str, tuple[str, ...] | None]] = [
    ("nul bytes", b"CustomerID,Age\x00\x00\x00\n1,2\n" * 50, "nul.csv", ("text",)),
    ("header only", _csv([_HEADER]), "header.csv", ("header",)),
    ("3,000 columns", _with(",".join(f"c{i}" for i in range(3000)), ["1"]), "w.csv",
     ("3,000 columns",)),
    ("600-character name", _with(_HEADER + "," + "n" * 600), "long.csv", ("600 characters",)),
    ("quote never closed", _with(_HEADER, [*_GOOD_ROWS[:5], '6,"30,40,50']), "q.csv",
     ("quote",)),
    ("ragged row", _with(_HEADER, [*_GOOD_ROWS[:5], "6,30,40,50,60,70"]), "r.csv", ("Line 7",)),
    ("json", b'{"customers": [{"id": 1, "age": 30}]}', "c.csv", ("JSON",)),
    ("html", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "c.csv",
     ("HTML",)),
    ("empty", b"", "e.csv", ("empty",)),
    ("blank lines only", b"\n\n   \n\t\n", "b.csv", ("empty",)),
    ("data as header", _csv(["1,20,15,39", *_GOOD_ROWS]), "d.csv", ("header row",)),
    ("nine customers", _with(_HEADER, _GOOD_ROWS[:9]), "few.csv", ("at least 10",)),
    ("ages mostly 500", _with(_HEADER, [f"{i},500,30,40" for i in range(1, 41)]), "a.csv",
     ("Most values of Age",)),
    ("negative scores", _with(_HEADER, [f"{i},30,40,-{i}" for i in range(1, 41)]), "s.csv",
     ("Most values of Spending Score",)),
    ("two-row header", _csv([_HEADER, "ID,Years,k$,Points", *_GOOD_ROWS]), "h.csv",
     ("second header row",)),
    ("terminal escapes in a header", _with(_HEADER + ",\x1b]0;pwned\x07Notes",
     [r + ",x" for r in _GOOD_ROWS]), "esc.csv", None),
    ("bidi override in ids", _csv([_HEADER, *[f"\u202e{r}" for r in _GOOD_ROWS]]), "bidi.csv",
     None),
    ("formula-like ids", _csv([_HEADER, *[f"=1+{r}" for r in _GOOD_ROWS]]), "f.csv", None),
    ("a 1 MB cell", _with(_HEADER + ",Notes", [r + ",x" for r in _GOOD_ROWS[:-1]]
     + [_GOOD_ROWS[-1] + "," + "y" * 1_000_000]), "big-cell.csv", None),
    ("repeated names", _with(_HEADER + ",Notes,Notes,Notes,Notes",
     [r + ",a,b,c,d" for r in _GOOD_ROWS]), "rep.csv", None),
    ("1e308 in an extra column", _with(_HEADER + ",Visits",
     [r + (",1e308" if i < 3 else f",{i}") for i, r in enumerate(_GOOD_ROWS)]), "o.csv", None),
    ("semicolons and decimal commas", _csv([_HEADER.replace(",", ";"),
     *[r.replace(",", ";") + ",5" for r in _GOOD_ROWS]]), "eu.csv", None),
    ("CR line endings", (_HEADER + "\r" + "\r".join(_GOOD_ROWS) + "\r").encode(), "cr.csv",
     None),
    ("a title line above", _csv(["Members, March", _HEADER, *_GOOD_ROWS]), "t.csv", None),
    ("a workbook of empty sheets", _workbook([["x"]], [["y"]], [[None]]), "e.xlsx",
     ("No sheet",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "data", "name", "words"), HOSTILE, ids=[case[0] for case in HOSTILE]
)
def test_hostile_corpus(case: str, data: bytes, name: str, words: tuple[str, ...] | None) -> None:
    if words is None:
        table = load_customers(data, name)
        assert table.receipt.rows_used >= 10, case
        return
    with pytest.raises(IngestError) as refused:
        load_customers(data, name)
    message = str(refused.value)
    assert len(message) < 1500
    for word in words:
        assert word in message, (case, message)


def raw_workbook(rows: int) -> bytes:
    """A minimal .xlsx written directly (fast to make, slow for a reader to parse)."""
    import zipfile

    def cell(ref: str, value: object) -> str:
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    header = ["CustomerID", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
    lines = ["".join(cell(f"{c}1", v) for c, v in zip("ABCD", header, strict=True))]
    for i in range(2, rows + 2):
        values = (i, 18 + i % 50, 15 + i % 120, 1 + i % 99)
        lines.append(
            "".join(f'<c r="{c}{i}"><v>{v}</v></c>' for c, v in zip("ABCD", values, strict=True))
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
        '/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{n}">{body}</row>' for n, body in enumerate(lines, start=1))
        + "</sheetData></worksheet>"
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" '
        f'xmlns:r="{rel}"><sheets><sheet name="Members" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_raw_workbook_reads() -> None:
    assert load_customers(raw_workbook(50), "raw.xlsx").receipt.rows_used == 50


def test_a_shared_string_bomb_is_refused_before_it_is_unpacked() -> None:
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(raw_workbook(20)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            archive.writestr(info, base.read(info))
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            + "x" * 110_000_000
            + "</t></si></sst>",
        )
    data = out.getvalue()
    assert len(data) < 200_000
    with pytest.raises(IngestError, match=r"text cells come to 104\.9 MB"):
        load_customers(data, "bomb.xlsx")
