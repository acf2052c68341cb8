"""``/report``: the segmentation as a forwardable PDF, drawn off the event loop."""

from __future__ import annotations

import logging

from bot.compare import _compare, comparison_messages
from bot.i18n import words as engine_words
from bot.replies import Document, Reply, Text
from bot.state import Active, ChatData, Request
from bot.text import compare as compare_text
from bot.text import report as report_text
from bot.text import upload as upload_text
from bot.text.format import safe_stem
from bot.text.report import ReportFacts
from segmentation import (
    ENGLISH,
    Segmentation,
    Words,
    close_call,
    rank_targets,
    render_report_pdf,
    render_scatter_png,
    typical_customers,
)

logger = logging.getLogger(__name__)


def report_pdf(seg: Segmentation, facts: ReportFacts, words: Words = ENGLISH) -> bytes:
    """Write and draw the report (CPU work: run it on the pool)."""
    return render_report_pdf(report_text.report_document(seg, facts), words=words)


async def report(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /report: every page of the active upload's segmentation as one PDF."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    await req.progress(report_text.progress_report(active.seg.k))
    chat_id, run_id = req.chat_id, active.run.id
    seg = await chats.with_assignments(chat_id, active.run)
    chart = await chats.plot(chat_id, run_id, "scatter")
    if chart is None:
        table = await chats.table(chat_id, active.dataset, active.run)
        chart = await chats.workers.cpu(render_scatter_png, table, seg, words=engine_words())
        await chats.keep_plot(chat_id, run_id, "scatter", chart)
    since, label = await _since(chats, req, active)
    facts = ReportFacts(
        filename=active.dataset.filename,
        uploaded_at=active.dataset.uploaded_at,
        receipt=active.dataset.receipt,
        ranks=tuple(rank_targets(seg)),
        close=close_call(seg),
        chart=chart,
        typical=await chats.workers.cpu(typical_customers, seg),
        since=tuple(since),
        since_label=label,
    )
    pdf = await chats.workers.cpu(report_pdf, seg, facts, engine_words())
    logger.info("chat %s: report of %d bytes", chat_id, len(pdf))
    stem = safe_stem(active.dataset.filename)
    pages = report_text.page_count(seg, bool(since))
    return [
        Document(
            pdf,
            report_text.report_filename(stem, active.dataset.uploaded_at),
            report_text.report_caption(active.dataset.filename, pages),
            "application/pdf",
        )
    ]


async def _since(chats: ChatData, req: Request, active: Active) -> tuple[list[str], str]:
    """The /compare messages against the previous upload, and which uploads they compare."""
    found = await chats.previous_upload(req.chat_id, active.dataset)
    if found is None:
        return [], ""
    before, before_run = found
    after, after_run = active.dataset, active.run
    label = f"#{before.number} {before.filename} → #{after.number} {after.filename}"
    result = await _compare(chats, req, before, before_run, after, after_run)
    if not result.ids_comparable:
        return [compare_text.ids_not_comparable(result.reason)], label
    messages = await comparison_messages(chats, req, result, before, before_run, after, after_run)
    return messages, label
