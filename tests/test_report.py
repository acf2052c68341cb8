"""The printed report: its pages, its words, its fonts, its bytes and its size."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

import pytest
from pypdf import PdfReader

from bot.report import report_pdf
from bot.text.report import ReportFacts, page_count
from segmentation import (
    CustomerTable,
    Segmentation,
    SegmentOptions,
    close_call,
    load_customers,
    rank_targets,
    render_scatter_png,
    sample_csv,
    segment_customers,
    typical_customers,
)
from segmentation.planted import skewed_tiers, uniform_noise


@cache
def _sample() -> tuple[CustomerTable, Segmentation]:
    """The bundled member sample, segmented (once for the module)."""
    table = load_customers(sample_csv(), "members.csv")
    return table, segment_customers(table, SegmentOptions())


def _facts(
    table: CustomerTable, seg: Segmentation, chart: bytes = b"", **extra: object
) -> ReportFacts:
    values: dict[str, object] = {
        "filename": table.receipt.filename,
        "uploaded_at": "2026-11-30T09:15:00+00:00",
        "receipt": table.receipt.to_dict(),
        "ranks": tuple(rank_targets(seg)),
        "close": close_call(seg),
        "chart": chart,
        "typical": typical_customers(seg),
        **extra,
    }
    return ReportFacts(**values)  # type: ignore[arg-type]


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@cache
def _sample_pdf() -> bytes:
    table, seg = _sample()
    return report_pdf(seg, _facts(table, seg, render_scatter_png(table, seg)))


def test_one_page_per_segment_between_the_headline_and_the_method() -> None:
    _, seg = _sample()
    pages = _text(_sample_pdf())
    assert len(pages) == 2 + seg.k == page_count(seg, with_since=False)
    assert "Customer segments" in pages[0]
    assert "members.csv" in pages[0]
    assert "200 customers in" in pages[0]
    assert "Method" in pages[-1]
    for segment, page in zip(seg.segments, pages[1:-1], strict=True):
        assert segment.persona.name in page
        assert f"Segment {segment.number}" in page
        assert segment.persona.action.split()[0] in page


def test_the_target_pick_and_its_reason_are_on_page_one() -> None:
    _, seg = _sample()
    top = min(rank_targets(seg), key=lambda r: r.rank)
    first = " ".join(_text(_sample_pdf())[0].split())
    assert f"Target first: Segment {top.number} · {seg.segment(top.number).persona.name}" in first
    assert "Why:" in first


def test_each_segment_page_lists_its_ten_most_typical_customers() -> None:
    _, seg = _sample()
    typical = typical_customers(seg)
    pages = _text(_sample_pdf())
    for segment, page in zip(seg.segments, pages[1:-1], strict=True):
        ids = typical[segment.number]
        assert len(ids) == min(10, segment.size)
        members = seg.assignments.loc[ids]
        assert (members["segment"] == segment.number).all()
        # The nearest of the segment's members, nearest first.
        inside = seg.assignments[seg.assignments["segment"] == segment.number]
        assert members["distance"].max() <= inside["distance"].nsmallest(len(ids)).max()
        words = page.split()
        assert all(i in words for i in ids)


def _embedded_by_pypdf(pdf: bytes) -> list[tuple[str, bool]]:
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), embedded))
    return fonts


def test_every_font_is_embedded() -> None:
    pdf = _sample_pdf()
    fonts = _embedded_by_pypdf(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    if shutil.which("pdffonts"):
        listing = subprocess.run(
            ["pdffonts", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        rows = listing.splitlines()[2:]
        assert rows
        for row in rows:
            # name, type words, encoding, then emb sub uni object ID
            assert row.split()[-5] == "yes", row


def test_the_same_data_gives_the_same_bytes() -> None:
    table, seg = _sample()
    chart = render_scatter_png(table, seg)
    first = report_pdf(seg, _facts(table, seg, chart))
    again = report_pdf(seg, _facts(table, seg, chart))
    assert first == again
    assert b"D:20261130091500" in first  # the upload's time, not the time of drawing


def test_twenty_segments_stay_small() -> None:
    frame, _ = skewed_tiers()
    table = load_customers(frame.to_csv(index=False).encode(), "tiers.csv")
    seg = segment_customers(table, SegmentOptions(k=20))
    pdf = report_pdf(seg, _facts(table, seg, render_scatter_png(table, seg)))
    assert seg.k == 20
    assert len(_text(pdf)) == 22
    assert len(pdf) <= 5 * 1024 * 1024


def test_no_structure_is_said_instead_of_personas() -> None:
    frame, _ = uniform_noise()
    table = load_customers(frame.to_csv(index=False).encode(), "noise.csv")
    seg = segment_customers(table, SegmentOptions())
    assert seg.quality.verdict == "none"
    pages = _text(report_pdf(seg, _facts(table, seg)))
    joined = " ".join(" ".join(pages).split())
    assert len(pages) == 2 + seg.k
    assert "do not fall into distinct groups" in joined
    assert "No segment stands out as a target" in joined
    assert "Target first" not in joined
    for segment in seg.segments:
        assert segment.persona.name not in joined
        assert f"Band {segment.number}" in joined


def test_file_text_is_drawn_as_written_and_long_names_are_cut() -> None:
    table, seg = _sample()
    name = "<b>$x^2$</b> & 顧客 " + "very long name " * 20 + ".csv"
    pdf = report_pdf(seg, _facts(table, seg, filename=name))
    first = " ".join(_text(pdf)[0].split())
    assert "<b>$x^2$</b> & ?? very long name" in first  # no markup, no missing glyphs
    assert "…" in first


def test_a_previous_upload_adds_a_page_since_last_month() -> None:
    table, seg = _sample()
    since = ("<b>What changed</b>: #1 jan.csv → #2 feb.csv", "12 customers moved.")
    pdf = report_pdf(seg, _facts(table, seg, since=since, since_label="#1 → #2"))
    pages = _text(pdf)
    assert len(pages) == 3 + seg.k == page_count(seg, with_since=True)
    assert "Since last month" in pages[-2]
    assert "What changed: #1 jan.csv → #2 feb.csv" in pages[-2]
    assert "<b>" not in pages[-2]


@pytest.mark.parametrize("k", [2, 7])
def test_cli_and_bot_share_one_page_count(k: int) -> None:
    table, _ = _sample()
    seg = segment_customers(table, SegmentOptions(k=k))
    assert len(_text(report_pdf(seg, _facts(table, seg)))) == page_count(seg, with_since=False)


async def test_the_report_is_drawn_in_the_chat_language_on_the_pool(db_path) -> None:
    from bot.i18n import current_language, language
    from bot.workers import Workers

    workers = Workers(db_path, cpu_threads=1)
    await workers.start()
    try:
        with language("ru"):
            drawn_in = await workers.cpu(current_language)
        assert drawn_in == "ru"
        assert await workers.cpu(current_language) == "en"
    finally:
        await workers.close()
