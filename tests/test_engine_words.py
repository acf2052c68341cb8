"""The engine's own words in another language: errors, receipt notes, charts, exports, the PDF.

Nothing here reads the real catalogs (they are filled separately): a tiny gettext stands in
for a Russian one, and a pseudo-translation (every text wrapped in «…» with a Cyrillic letter)
shows which texts went through :class:`Words` and that the charts can draw them.
"""

from __future__ import annotations

import csv
import io
import pickle
import re
import string
from datetime import datetime

import pytest
from openpyxl import load_workbook

from segmentation import (
    Block,
    IngestError,
    ReportDocument,
    ReportPage,
    SegmentationError,
    SegmentOptions,
    Text,
    Words,
    align_segments,
    assignments_csv,
    assignments_xlsx,
    compare_segmentations,
    load_customers,
    moved_csv,
    purchase_summary,
    receipt_note,
    render_k_chart_png,
    render_profile_png,
    render_report_pdf,
    render_scatter_png,
    render_transitions_png,
    sample_csv,
    segment_customers,
    sheet_names,
    top_customers,
    top_customers_csv,
)
from segmentation.ingest.rows import too_few_message
from segmentation.ingest.table import IngestLimits, SkippedRows
from segmentation.report.layout import fitted

#: A few texts in Russian, as a catalog would hold them.
_RUSSIAN = {
    "The file is empty. Export the customer list again (one header row, then one customer per "
    "line) and send it.": "Файл пуст. Выгрузите список покупателей заново и отправьте его.",
    "This file is {what}, not a CSV table. Send the customer list as a CSV file.": (
        "Этот файл — {what}, а не таблица CSV."
    ),
    "a PNG image": "изображение PNG",
    "No features were given. Name at least one column.": "Не указано ни одного признака.",
    "There is no column called '{name}'. Features you can use: {available}.": (
        "Столбца «{name}» нет. Можно: {available}."
    ),
    "looks like an id": "похоже на id",
    "levels {levels} read as {points}": "уровни {levels} прочитаны как {points}",
    "{what} is empty": "{what}: пусто",
    "age": "возраст",
    "Overview": "Обзор: [все]",
    "segment": "сегмент",
    "persona": "персона",
    "customers": "покупатели",
    "rank": "место",
}
_RUSSIAN_PLURALS = {
    "{n} purchase by {customers} customers, {first} – {last}": (
        "{n} покупка, покупателей: {customers}, {first} – {last}",
        "{n} покупки, покупателей: {customers}, {first} – {last}",
        "{n} покупок, покупателей: {customers}, {first} – {last}",
    ),
    "Only {used} of {rows} customers can be used; at least {least} are needed to find segments. "
    "{n} row was left out because {reason}{where}; fix those rows and send the file again.": (
        "Годятся {used} из {rows}; нужно {least}. Не вошла {n} строка: {reason}{where}.",
        "Годятся {used} из {rows}; нужно {least}. Не вошли {n} строки: {reason}{where}.",
        "Годятся {used} из {rows}; нужно {least}. Не вошли {n} строк: {reason}{where}.",
    ),
    " (line {lines})": (" (строка {lines})", " (строки {lines})", " (строки {lines})"),
}


def _russian_form(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def _russian_plural(singular: str, plural: str, n: int) -> str:
    forms = _RUSSIAN_PLURALS.get(singular)
    return forms[_russian_form(n)] if forms else (singular if n == 1 else plural)


def _russian_number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}".replace(",", "\xa0").replace(".", ",")


RUSSIAN = Words(
    language="ru",
    gettext=lambda text: _RUSSIAN.get(text, text),
    plural_forms=_russian_plural,
    number=_russian_number,
)


def _pseudo(text: str) -> str:
    """«Ж…»: marks a text as translated, with a Cyrillic letter the font must draw."""
    return f"«Ж{text}»"


def _pseudo_plural(singular: str, plural: str, n: int) -> str:
    return _pseudo(singular if n == 1 else plural)


PSEUDO = Words(language="ru", gettext=_pseudo, plural_forms=_pseudo_plural)


# --- errors and notices ------------------------------------------------------------------------


def test_an_ingest_error_says_its_message_in_the_readers_language() -> None:
    with pytest.raises(IngestError) as caught:
        load_customers(b"   \n", "empty.csv")
    error = caught.value
    assert str(error).startswith("The file is empty. Export the customer list again")
    assert error.say() == str(error)
    assert error.say(RUSSIAN) == "Файл пуст. Выгрузите список покупателей заново и отправьте его."


def test_a_nested_text_is_said_in_the_same_language() -> None:
    with pytest.raises(IngestError) as caught:
        load_customers(b"\x89PNG\r\n\x1a\n" + bytes(200), "logo.csv")
    error = caught.value
    assert error.values["what"] == Text("a PNG image")
    assert str(error) == (
        "This file is a PNG image, not a CSV table. Send the customer list as a CSV file."
    )
    assert error.say(RUSSIAN) == "Этот файл — изображение PNG, а не таблица CSV."


def test_text_values_pass_through_the_escape_and_numbers_do_not() -> None:
    text = Text.of("{name} has {rows} rows", name="<a&b>", rows=12345)
    assert text.say() == "<a&b> has 12,345 rows"
    escaped = text.say(RUSSIAN, escape=lambda s: s.replace("<", "&lt;").replace(">", "&gt;"))
    assert escaped == "&lt;a&b&gt; has 12\xa0345 rows"


def test_a_segmentation_error_keeps_its_template_across_processes() -> None:
    table = load_customers(sample_csv(60), "mall.csv")
    with pytest.raises(SegmentationError) as caught:
        segment_customers(table, SegmentOptions(features=("<nope>",)))
    error = caught.value
    assert error.template == (
        "There is no column called '{name}'. Features you can use: {available}."
    )
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is SegmentationError
    assert str(again) == str(error)
    assert again.say(RUSSIAN, escape=lambda s: s.replace("<", "‹")).startswith("Столбца «‹nope>»")


def test_a_counted_refusal_picks_the_russian_form() -> None:
    limits = IngestLimits(min_customers=10)
    one = too_few_message(5, 6, [SkippedRows("missing", "age", 1, (4,), "empty")], limits)
    assert str(one) == (
        "Only 5 of 6 customers can be used; at least 10 are needed to find segments. 1 row was "
        "left out because age is empty (line 4); fix those rows and send the file again."
    )
    assert one.say(RUSSIAN) == (
        "Годятся 5 из 6; нужно 10. Не вошла 1 строка: возраст: пусто (строка 4)."
    )
    many = too_few_message(5, 30, [SkippedRows("missing", "age", 25, (4, 5), "empty")], limits)
    assert many.say(RUSSIAN).startswith("Годятся 5 из 30; нужно 10. Не вошли 25 строк:")


def test_receipt_notes_and_the_purchase_summary_in_russian() -> None:
    assert receipt_note("looks like an id", RUSSIAN) == "похоже на id"
    assert receipt_note("looks like an id") == "looks like an id"
    note = "levels Low/Average/High read as 25/50/75"
    assert receipt_note(note, RUSSIAN) == "уровни Low/Average/High прочитаны как 25/50/75"
    assert receipt_note("0–120", RUSSIAN) == "0–120"  # a range is no text
    info = {"purchases": 12103, "customers": 600}
    info |= {"first_date": "2025-01-03", "last_date": "2025-12-30"}
    assert purchase_summary(info) == "12,103 purchases by 600 customers, 3 Jan 2025 – 30 Dec 2025"
    said = purchase_summary(info, RUSSIAN)
    assert said.startswith("12\xa0103 покупки, покупателей: 600, 3 янв")


# --- charts ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def segmented():
    table = load_customers(sample_csv(300), "mall.csv")
    return table, segment_customers(table, SegmentOptions())


def _said(words: Words) -> tuple[Words, list[str]]:
    """``words`` that also record every text they were asked for."""
    asked: list[str] = []

    def gettext(text: str) -> str:
        asked.append(text)
        return words.gettext(text)

    def plural(singular: str, plural: str, n: int) -> str:
        asked.append(singular)
        return words.plural_forms(singular, plural, n)

    return Words("ru", gettext, plural, words.number), asked


@pytest.mark.parametrize("chart", ["scatter", "k", "profile"])
def test_charts_take_words_and_draw_them(segmented, chart) -> None:
    table, seg = segmented
    words, asked = _said(PSEUDO)
    draw = {
        "scatter": lambda w: render_scatter_png(table, seg, words=w),
        "k": lambda w: render_k_chart_png(seg, words=w),
        "profile": lambda w: render_profile_png(seg, words=w),
    }[chart]
    png = draw(words)  # a glyph the font lacks would warn, and warnings fail the tests
    assert png.startswith(b"\x89PNG") and png != draw(Words())
    titles = {
        "scatter": "{x} vs {y}",
        "k": "Choosing the number of segments: {k}",
        "profile": "What sets each segment apart",
    }
    assert titles[chart] in asked
    assert "{number} · {name} ({share}%)" in asked or chart == "k"


def test_the_transition_chart_takes_words(segmented) -> None:
    table, seg = segmented
    later = segment_customers(table, SegmentOptions(k=seg.k + 1))
    later, _ = align_segments(later, seg)
    comparison = compare_segmentations(seg, later)
    words, asked = _said(PSEUDO)
    png = render_transitions_png(comparison, words=words)
    assert png.startswith(b"\x89PNG")
    assert "Who moved where: {moved} moved, {stayed} stayed" in asked
    header = next(csv.reader(io.StringIO(moved_csv(comparison, words=PSEUDO).decode("utf-8-sig"))))
    assert header[:2] == ["customer_id", "«Жfrom_segment»"]


# --- exports -----------------------------------------------------------------------------------


def test_workbook_headers_and_sheet_names_in_another_language(segmented) -> None:
    table, seg = segmented
    book = load_workbook(io.BytesIO(assignments_xlsx(table, seg, words=RUSSIAN)))
    overview = book.sheetnames[0]
    assert overview == "Обзор все"  # Excel refuses [ ] in a sheet name: they are dropped
    assert [c.value for c in book[overview][1]][:3] == ["сегмент", "персона", "покупатели"]
    first = book[book.sheetnames[1]]
    assert [c.value for c in first[1]][:3] == ["customer_id", "сегмент", "персона"]
    for words in (RUSSIAN, PSEUDO, Words()):
        names = sheet_names(seg, words=words)
        assert len(set(names.values())) == seg.k
        for name in names.values():
            assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    pseudo = load_workbook(io.BytesIO(assignments_xlsx(table, seg, words=PSEUDO)))
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in pseudo.sheetnames)
    assert pseudo.sheetnames[0] == "«ЖOverview»"


def test_csv_exports_name_their_own_columns_in_the_readers_language(segmented) -> None:
    table, seg = segmented
    english = next(csv.reader(io.StringIO(assignments_csv(table, seg).decode("utf-8-sig"))))
    assert english[:3] == ["customer_id", "segment", "persona"]
    russian = next(
        csv.reader(io.StringIO(assignments_csv(table, seg, words=RUSSIAN).decode("utf-8-sig")))
    )
    assert russian[:3] == ["customer_id", "сегмент", "персона"]
    assert russian[3:] == english[3:]  # the file's own headers stay as written
    top = top_customers(table.customers, seg, "income", 5)
    header = top_customers_csv(top, "доход", words=RUSSIAN).decode("utf-8-sig").splitlines()[0]
    assert header == "место,customer_id,доход,сегмент"


# --- the report --------------------------------------------------------------------------------


def test_the_report_draws_russian_and_accented_text() -> None:
    words, asked = _said(PSEUDO)
    page = ReportPage(
        title="Сегменты покупателей — ¿Qué segmento? Ação, pelanggan",
        blocks=(
            Block("heading", "Кому писать в первую очередь"),
            Block("text", "Состоятельные транжиры: 20 % покупателей, año, não, informação."),
            Block("table", rows=(("Сегмент", "Доля"), ("Осторожные", "18 %"))),
            Block("ranges", rows=(("доход",),), values=((10, 20, 30, 40, 50, 25, 35, 45),)),
        ),
    )
    document = ReportDocument("Отчёт", (page,), datetime(2026, 12, 4), footer="Подвал")
    pdf = render_report_pdf(document, words=words)
    assert pdf.startswith(b"%PDF")
    assert "{page} / {pages}" in asked
    assert any(text.startswith("Blue: this segment's middle half") for text in asked)


def test_every_engine_template_fills_with_its_own_values() -> None:
    # What a catalog may not change: the placeholders (here: the English fills its own).
    for template in ("{label} ({unit})", "{number} · {name} ({share}%)", "{page} / {pages}"):
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n}
        assert Text(template, dict.fromkeys(names, "x")).say() == template.format(
            **dict.fromkeys(names, "x")
        )


def test_a_russian_line_is_cut_shorter_than_an_english_one() -> None:
    assert fitted("Affluent big spenders — año, não, ação", 80) == 80
    assert fitted("Состоятельные транжиры", 80) < 75
