"""``/compare`` and ``/export moved``: what changed between two uploads of a chat."""

from __future__ import annotations

import pandas as pd

from bot.i18n import words
from bot.replies import Photo, Reply, Text, document, texts
from bot.state import Active, ChatData, Request
from bot.text import compare as compare_text
from bot.text import datasets as datasets_text
from bot.text import export as export_text
from bot.text import upload as upload_text
from bot.text.format import whole_number
from segmentation import (
    Comparison,
    Segmentation,
    compare_segmentations,
    moved_csv,
    purchase_moves,
    render_transitions_png,
    segment_lineage,
)
from storage import DatasetInfo, RunInfo


async def export_moved(chats: ChatData, req: Request, active: Active) -> list[Reply]:
    """Send the customers who changed segment since the previous upload."""
    found = await chats.previous_upload(req.chat_id, active.dataset)
    if found is None:
        return [Text(compare_text.compare_needs_two())]
    previous_dataset, previous_run = found
    result = await _compare(chats, req, previous_dataset, previous_run, active.dataset, active.run)
    if not result.ids_comparable:
        return [Text(compare_text.ids_not_comparable(result.reason))]
    if not result.moved:
        return [Text(export_text.nothing_moved())]
    data = await chats.workers.cpu(moved_csv, result, words=words())
    filename = f"moved-{previous_dataset.number}-to-{active.dataset.number}.csv"
    return [
        await chats.workers.cpu(document, data, filename, export_text.moved_caption(result.moved))
    ]


async def _compare(
    chats: ChatData,
    req: Request,
    before: DatasetInfo,
    before_run: RunInfo,
    after: DatasetInfo,
    after_run: RunInfo,
) -> Comparison:
    """Compare two stored runs, customer by customer."""
    previous = await chats.with_assignments(req.chat_id, before_run)
    current = await chats.with_assignments(req.chat_id, after_run)
    then = await chats.table(req.chat_id, before, before_run)
    now = await chats.table(req.chat_id, after, after_run)
    return await chats.workers.cpu(
        _compare_runs,
        previous,
        current,
        bool(before.receipt.get("ids_generated")),
        bool(after.receipt.get("ids_generated")),
        then.customers,
        now.customers,
    )


def _compare_runs(
    previous: Segmentation,
    current: Segmentation,
    before_generated: bool,
    after_generated: bool,
    then: pd.DataFrame,
    now: pd.DataFrame,
) -> Comparison:
    """Run the comparison with the id flags and both months' values (on the CPU pool)."""
    return compare_segmentations(
        previous,
        current,
        previous_ids_generated=before_generated,
        current_ids_generated=after_generated,
        # Two uploads need not have been aligned to each other (/compare 1 3): a shared
        # number is the same segment only when the centres say so.
        lineage=segment_lineage(previous, current),
        previous_values=then,
        current_values=now,
    )


async def _purchase_headline(
    chats: ChatData,
    req: Request,
    result: Comparison,
    earlier: tuple[DatasetInfo, RunInfo],
    later: tuple[DatasetInfo, RunInfo],
) -> list[str]:
    """Lapsed customers and downgrades, when both uploads are purchase logs (else nothing)."""
    (before, before_run), (after, after_run) = earlier, later
    then_period, now_period = before.receipt.get("purchases"), after.receipt.get("purchases")
    if not (then_period and now_period):
        return []
    previous = await chats.with_assignments(req.chat_id, before_run)
    current = await chats.with_assignments(req.chat_id, after_run)
    then = await chats.table(req.chat_id, before, before_run)
    now = await chats.table(req.chat_id, after, after_run)
    moves = await chats.workers.cpu(
        purchase_moves,
        previous,
        current,
        result,
        then.customers,
        now.customers,
        then_period,
        now_period,
    )
    if moves is None:
        return []
    return compare_text.purchase_headline(moves, result, current.units.get("spend"))


async def comparison_messages(
    chats: ChatData,
    req: Request,
    result: Comparison,
    before: DatasetInfo,
    before_run: RunInfo,
    after: DatasetInfo,
    after_run: RunInfo,
) -> list[str]:
    """The /compare messages for a comparison of two uploads, purchase-log headline first."""
    headline = await _purchase_headline(
        chats, req, result, (before, before_run), (after, after_run)
    )
    return compare_text.comparison(
        result,
        f"#{before.number} {before.filename}",
        f"#{after.number} {after.filename}",
        headline=headline,
    )


async def compare(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /compare (latest two uploads) or /compare A B."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    chat_id = req.chat_id
    parts = args.replace(",", " ").split()
    if not parts:
        found = await chats.previous_upload(chat_id, active.dataset)
        if found is None:
            return [Text(compare_text.compare_needs_two())]
        before, before_run = found
        after, after_run = active.dataset, active.run
    elif len(parts) == 2 and None not in (numbers := [whole_number(p.lstrip("#")) for p in parts]):
        a, b = (n for n in numbers if n is not None)
        if a == b:
            return [Text(compare_text.compare_usage())]

        pair = await chats.uploads_by_number(chat_id, sorted((a, b)))
        if isinstance(pair, int):
            return [Text(datasets_text.no_such_upload(str(pair)))]
        (before, before_run), (after, after_run) = pair
    else:
        return [Text(compare_text.compare_usage())]
    result = await _compare(chats, req, before, before_run, after, after_run)
    png = await chats.workers.cpu(render_transitions_png, result, words=words())
    replies = texts(
        await comparison_messages(chats, req, result, before, before_run, after, after_run)
    )
    replies.append(Photo(png, compare_text.transitions_caption(result), filename="moves.png"))
    return replies
