"""Turning an upload (or a new choice of k or features) into a stored, described run.

The heavy steps run on the CPU pool: reading, then one job that segments, aligns with the
previous run and draws the overview's scatter, then encoding for the store. Writing runs on the
database thread; the event loop only awaits and reports progress.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import PurePath

from bot.i18n import _, chart_key, language, words
from bot.isolation import TooLarge, TooSlow, run_in_child
from bot.replies import Button, Photo, Reply, Text
from bot.state import GONE_KEY, Active, ChatData, Request, segmentation_of
from bot.text import datasets as datasets_text
from bot.text import segments as segments_text
from bot.text import upload as upload_text
from bot.text.format import feature_name
from segmentation import (
    ENGLISH,
    Alignment,
    CustomerTable,
    IngestError,
    Receipt,
    Segmentation,
    SegmentationError,
    SegmentOptions,
    Words,
    align_segments,
    combinable,
    combine,
    is_xlsx,
    load_customers,
    rank_targets,
    render_k_chart_png,
    render_profile_png,
    render_scatter_png,
    segment_customers,
    where_they_went,
    why_not_followed,
)
from storage import (
    DatasetInfo,
    EncodedCustomers,
    NewDataset,
    NewRun,
    RunInfo,
    StoreError,
    encode_customers,
)

logger = logging.getLogger(__name__)

#: Payload of the button that combines a member list and a purchase log.
COMBINE = "combine"

#: File name endings the bot hands to the reader; anything else is refused unread.
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xls", ""})


def main_buttons() -> tuple[tuple[Button, ...], ...]:
    """The inline buttons under an overview, in the chat's language."""
    return (
        (Button(_("Segments"), "/segments"), Button(_("Target"), "/target")),
        (Button(_("Plots"), "plots"), Button(_("Export"), "/export")),
        (Button(_("Report (PDF)"), "/report"), Button(_("Excel"), "/export xlsx")),
    )


def looks_like_table(filename: str) -> bool:
    """Return whether a document's name suggests a CSV or a workbook."""
    return PurePath(filename.lower()).suffix in TABLE_SUFFIXES


def render_plots(
    table: CustomerTable, seg: Segmentation, words: Words = ENGLISH
) -> dict[str, bytes]:
    """Draw the three plots of a run (on the CPU pool, once per run)."""
    return {
        "scatter": render_scatter_png(table, seg, words=words),
        "k": render_k_chart_png(seg, words=words),
        "profile": render_profile_png(seg, words=words),
    }


def segment_and_align(
    table: CustomerTable, options: SegmentOptions, previous: Segmentation | None
) -> tuple[Segmentation, Alignment | None]:
    """Segment ``table`` and renumber it to match ``previous`` when there is one."""
    seg = segment_customers(table, options)
    if previous is None:
        return seg, None
    return align_segments(seg, previous)


def new_run(
    options: SegmentOptions,
    seg: Segmentation,
    plots: dict[str, bytes],
    alignment: Alignment | None,
    meanings: dict[str, str],
    gone: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> NewRun:
    """Package a segmentation for the store, with the column meanings its table was read with
    (so that /export, /k and the rest read the upload the same way later) and where the
    customers of segments that disappeared went (so /segments can explain a gap)."""
    summary = {**seg.summary_dict(), "meanings": dict(meanings)}
    if gone:
        summary[GONE_KEY] = {str(n): [list(p) for p in pairs] for n, pairs in gone.items()}
    return NewRun(
        options=options.to_dict(),
        k=seg.k,
        summary=summary,
        segments=[s.to_dict() for s in seg.segments],
        assignments=seg.assignments[["segment", "distance", "runner_up"]],
        plots={chart_key(name): png for name, png in plots.items()},
        alignment=None if alignment is None else alignment.to_dict(),
    )


async def gone_to(
    chats: ChatData,
    chat_id: int,
    previous: Active | None,
    fitted: Fitted,
    upload: CustomerTable | None = None,
) -> dict[int, list[tuple[int, int]]]:
    """Where the customers of the previous run's vanished segments are now (shared ids).

    ``upload`` is the new file's table when the run is of another file than ``previous``
    (``None``: the same upload segmented again, whose customers are the same rows). Between
    two files no one is followed when either file's ids are row numbers, or when the ids
    they share name other customers in each (see :func:`why_not_followed`).
    """
    alignment = fitted.alignment
    if previous is None or alignment is None or not alignment.vanished:
        return {}
    if upload is not None:
        then = await chats.table(chat_id, previous.dataset, previous.run)
        unfollowed = await chats.workers.cpu(
            why_not_followed,
            then.customers,
            upload.customers,
            previous_ids_generated=bool(previous.dataset.receipt.get("ids_generated")),
            current_ids_generated=upload.receipt.ids_generated,
        )
        if unfollowed:
            return {number: [] for number in alignment.vanished}
    before = await chats.with_assignments(chat_id, previous.run)
    return await chats.workers.cpu(
        where_they_went, before.assignments, fitted.seg.assignments, alignment.vanished
    )


def overview(
    seg: Segmentation, filename: str, scatter: bytes | None, intro: list[str] | None = None
) -> list[Reply]:
    """The overview after an upload, a switch or a re-segment: plot, caption and buttons."""
    ranks = rank_targets(seg)
    top = min(ranks, key=lambda r: r.rank) if ranks else None
    caption = segments_text.overview_caption(seg, filename, top)
    replies: list[Reply] = [Text(text) for text in intro or []]
    buttons = main_buttons()
    if top is not None and seg.quality.verdict != "none":
        label = _("Export segment {number} (top target)", number=top.number)
        buttons += ((Button(label, f"/export segment {top.number}"),),)
    if scatter:
        replies.append(Photo(scatter, caption, filename="segments.png", buttons=buttons))
    else:
        replies.append(Text(caption, buttons=buttons))
    return replies


@dataclass(frozen=True)
class Fitted:
    """A fresh run, ready to store."""

    seg: Segmentation
    alignment: Alignment | None
    plots: dict[str, bytes]
    customers: EncodedCustomers | None = None
    #: The assignments came back from a fit process without their ids, which are the
    #: table's own (see :func:`segment_align_draw_apart`).
    ids_apart: bool = False


def segment_align_draw(
    table: CustomerTable,
    options: SegmentOptions,
    previous: Segmentation | None,
    segmented: Callable[[int], object] | None = None,
    words: Words = ENGLISH,
    encode: bool = False,
) -> Fitted:
    """Segment, align and draw the overview's scatter in one go (one job);
    ``segmented(k)``, when given, is called between the two; the scatter speaks ``words``.

    With ``encode`` the customers are also encoded for the store in the same job: in a fit
    process that is work the bot's own process does not do (the store would refuse what
    cannot be encoded again when it saves, so a failure here only leaves it to the save).
    """
    seg, alignment = segment_and_align(table, options, previous)
    if segmented is not None:
        segmented(seg.k)
    plots = {"scatter": render_scatter_png(table, seg, words=words)}
    customers = None
    if encode:
        with suppress(StoreError):
            customers = encode_customers(table.customers, table.id_padding())
    return Fitted(seg, alignment, plots, customers)


def segment_align_draw_apart(
    table: CustomerTable,
    options: SegmentOptions,
    previous: Segmentation | None,
    words: Words = ENGLISH,
    encode: bool = False,
) -> Fitted:
    """:func:`segment_align_draw` in a fit process, returning the assignments without their
    ids when these are the table's own: the bot's process has the same ids already, so they
    need not cross back (at 900k customers, 900k texts to copy and rebuild)."""
    fitted = segment_align_draw(table, options, previous, words=words, encode=encode)
    assignments = fitted.seg.assignments
    if assignments.index is not table.customers.index:
        return fitted
    bare = assignments.reset_index(drop=True)
    return replace(fitted, seg=replace(fitted.seg, assignments=bare), ids_apart=True)


def with_ids(fitted: Fitted, table: CustomerTable) -> Fitted:
    """``fitted`` with its assignments indexed by the table's ids again (the same index
    object: matching the run to its table when it is saved is then an identity check)."""
    if not fitted.ids_apart:
        return fitted
    ids = table.customers.index
    if len(fitted.seg.assignments) != len(ids):
        raise RuntimeError("the fit process returned assignments of another table")
    assignments = fitted.seg.assignments.set_axis(ids)
    return replace(fitted, seg=replace(fitted.seg, assignments=assignments), ids_apart=False)


async def fit(
    chats: ChatData,
    table: CustomerTable,
    options: SegmentOptions,
    previous: Segmentation | None,
    req: Request,
    rows: int,
    encode: bool = False,
) -> Fitted:
    """Segment, align and draw the scatter as one job, reporting each stage (``encode``:
    and encode the customers for the store, for a new upload).

    One job per request, not one per stage: uploads at once finish in the order they came
    instead of all waiting for each other's stages. With fit processes configured the job
    runs in one of them (the status between segmenting and drawing is then not shown). The k
    and profile charts are drawn when first asked for (``/plot``), not before the overview.

    Raises:
        SegmentationError: The engine refused the options.
    """
    if chats.workers.fit_processes > 0:
        fitted = await chats.workers.fit(
            segment_align_draw_apart, table, options, previous, words=words(), encode=encode
        )
        return with_ids(fitted, table)
    loop = asyncio.get_running_loop()

    async def show(text: str) -> None:
        await req.progress(text)

    def segmented(k: int) -> object:  # on the CPU pool: hand the status to the loop
        return asyncio.run_coroutine_threadsafe(show(upload_text.progress_plotting(rows, k)), loop)

    return await chats.workers.cpu(
        segment_align_draw, table, options, previous, segmented, words=words(), encode=encode
    )


def options_for(
    chats: ChatData,
    k: int | None = None,
    features: tuple[str, ...] | None = None,
    prefer_k: int | None = None,
) -> SegmentOptions:
    """Segment options with the configured k range."""
    cfg = chats.config.segmentation
    return SegmentOptions(
        k=k, features=features, k_min=cfg.k_min, k_max=cfg.k_max, prefer_k=prefer_k
    )


def next_upload_options(chats: ChatData, previous: Segmentation | None) -> SegmentOptions:
    """Options for a new upload: the k and features the chat chose for its previous one.

    When the previous k was chosen automatically, the new search prefers it, so that a barely
    changed file keeps its segments rather than flip to a k that separates a hair better.
    """
    if previous is None:
        return options_for(chats)
    chosen = previous.options
    prefer_k = previous.k if chosen.k is None else None
    return options_for(chats, chosen.k, chosen.features, prefer_k)


def upload_receipt(
    receipt: Receipt, alignment: Alignment | None, previous: Segmentation | None
) -> str:
    """The receipt, with the "since last upload" line when there was a previous run."""
    if alignment is None or previous is None:
        return upload_text.receipt(receipt)
    return upload_text.receipt(
        receipt,
        matched=len(alignment.matches),
        previous_k=previous.k,
        similarity=alignment.similarity,
        new_segments=len(alignment.new),
        vanished_segments=len(alignment.vanished),
        renamed=alignment.renamed,
    )


async def handle_upload(chats: ChatData, req: Request, filename: str, data: bytes) -> list[Reply]:
    """Read, segment, store and describe an uploaded file (the chat's lock is held).

    The upload is noted as in progress until it is saved or refused: one cut short by a
    restart is reported to its chat at the next start (see :func:`interrupted_notices`).
    """
    await chats.begin_upload(req.chat_id, filename)
    try:
        return await _read_and_save(chats, req, filename, data)
    finally:
        await chats.end_upload(req.chat_id)
        chats.checkpoint_soon()


async def interrupted_notices(chats: ChatData) -> list[tuple[int, str]]:
    """At start-up: (chat id, message) for every upload a stop or crash cut short."""
    from bot.language import chosen_language  # /language answers through this module

    notices = []
    for chat_id, filename in await chats.take_interrupted_uploads():
        # No one asked: the chat's chosen language, else the configured default.
        chosen = await chosen_language(chats, chat_id)
        with language(chosen or chats.config.bot.default_language):
            notices.append((chat_id, upload_text.upload_interrupted(filename)))
    return notices


async def read_upload(
    chats: ChatData, data: bytes, filename: str, meanings: dict[str, str] | None = None
) -> CustomerTable:
    """Read an upload into a customer table, off the event loop, with the chat's column
    meanings.

    A CSV is read in this process: its budgets (bytes, columns, cells) are checked before any
    work is spent. A workbook is read in a child process that is killed past the configured
    time or memory, since the library that reads it cannot be interrupted.

    Raises:
        IngestError: The file cannot be used; the message says why.
        TooSlow: A workbook took longer than ``[limits] read_seconds``.
        TooLarge: A workbook needed more than ``[limits] read_memory_mb``.
    """
    limits = chats.config.limits
    if not is_xlsx(data):
        return await chats.workers.cpu(
            load_customers, data, filename, limits=limits.for_ingest(), meanings=meanings
        )
    return await chats.workers.cpu(
        run_in_child,
        load_customers,
        data,
        filename,
        limits=limits.for_ingest(),
        meanings=meanings,
        wall_seconds=limits.read_seconds,
        memory_bytes=int(limits.read_memory_mb * 1024 * 1024),
    )


async def _read_and_save(chats: ChatData, req: Request, filename: str, data: bytes) -> list[Reply]:
    """Read, segment, store and describe an uploaded file."""
    chat_id = req.chat_id
    digest = hashlib.sha256(data).hexdigest()
    known = await chats.find_upload_by_bytes(chat_id, digest)
    if known is not None:
        return await switch_to(chats, req, known.number, duplicate=True)
    started = time.perf_counter()
    await req.progress(upload_text.progress_reading(filename, len(data)))
    meanings = await chats.meanings(chat_id)
    try:
        table = await read_upload(chats, data, filename, meanings)
    except IngestError as exc:
        logger.info("chat %s: upload refused by the reader", chat_id)
        return [Text(upload_text.refused(exc.say(words())))]
    except TooSlow:
        logger.warning("chat %s: reading a workbook ran out of time", chat_id)
        return [Text(upload_text.read_too_slow(chats.config.limits.read_seconds))]
    except TooLarge:
        logger.warning("chat %s: reading a workbook ran out of memory", chat_id)
        return [Text(upload_text.read_too_large(chats.config.limits.read_memory_mb))]
    previous = await chats.active(chat_id)
    replies, saved = await segment_and_save(chats, req, table, filename, len(data), digest, started)
    if not saved:
        return replies
    return replies + await combine_offer(chats, req, table, previous)


async def segment_and_save(
    chats: ChatData,
    req: Request,
    table: CustomerTable,
    filename: str,
    size: int,
    digest: str,
    started: float,
) -> tuple[list[Reply], bool]:
    """Segment a table read from an upload (or made from two), store it and describe it.

    Returns:
        The answer, and whether the upload was stored (``False``: the answer says why not).
    """
    chat_id = req.chat_id
    # A purchase log's rows are purchases; a member list's, the customers used.
    rows = table.receipt.rows_read if table.receipt.purchases else len(table.customers)
    previous = await chats.active(chat_id)
    previous_seg = previous.seg if previous is not None else None
    options = next_upload_options(chats, previous_seg)
    dropped: list[str] = []
    if options.features is not None and previous_seg is not None:
        # The chat chose columns for its earlier upload; this file may lack some of them.
        lacking = [f for f in options.features if table.resolve(f) is None]
        dropped = [feature_name(f, previous_seg.labels) for f in lacking]
        if dropped:
            options = options_for(chats, options.k, None, options.prefer_k)
    await req.progress(upload_text.progress_segmenting(rows, auto=options.k is None))
    try:
        fitted = await fit(chats, table, options, previous_seg, req, rows, encode=True)
    except SegmentationError as exc:
        if options == options_for(chats):
            return [Text(upload_text.refused(exc.say(words())))], False
        # The earlier choice does not fit this file (a column is gone): use the defaults.
        options = options_for(chats)
        try:
            fitted = await fit(chats, table, options, previous_seg, req, rows, encode=True)
        except SegmentationError as again:
            return [Text(upload_text.refused(again.say(words())))], False
    dataset = NewDataset(
        filename=filename,
        size_bytes=size,
        sha256=digest,
        uploaded_by=req.user_id,
        receipt=table.receipt.to_dict(),
        customers=table.customers,
        padded_ids=table.id_padding(),
    )
    gone = await gone_to(chats, chat_id, previous, fitted, table)
    meanings = table.receipt.meanings
    run = new_run(options, fitted.seg, fitted.plots, fitted.alignment, meanings, gone)
    await req.progress(upload_text.progress_saving(rows, fitted.seg.k))
    saved = await chats.save_upload(chat_id, dataset, run, fitted.customers)
    chats.remember_table(chat_id, saved.dataset, table)
    logger.info(
        "chat %s: upload #%s, %d rows, k=%d", chat_id, saved.dataset.number, rows, fitted.seg.k
    )
    await req.progress(upload_text.progress_done(rows, time.perf_counter() - started))
    receipt = upload_receipt(table.receipt, fitted.alignment, previous_seg)
    if dropped:
        receipt += "\n" + upload_text.dropped_features(dropped)
    elif options.features is not None:
        names = [feature_name(f, fitted.seg.labels) for f in fitted.seg.features]
        receipt += "\n" + upload_text.kept_features(names)
    return overview(fitted.seg, filename, fitted.plots.get("scatter"), intro=[receipt]), True


async def combine_offer(
    chats: ChatData, req: Request, table: CustomerTable, previous: Active | None
) -> list[Reply]:
    """Offer to combine a new purchase log with the member list before it (or the reverse).

    The button is bound to the asker, the upload just made and a time limit, like /forget's.
    """
    if previous is None:
        return []
    if (table.receipt.purchases is None) == (previous.dataset.receipt.get("purchases") is None):
        return []  # two member lists, or two logs: nothing to combine, nothing to read
    other = await chats.table(req.chat_id, previous.dataset, previous.run)
    matched = await chats.workers.cpu(combinable, table, other)
    if not matched:
        return []
    active = await chats.active(req.chat_id)
    if active is None:
        return []
    token = chats.confirmations.issue(req.chat_id, req.user_id, active.dataset.id)
    number = previous.dataset.number
    button = Button(_("Combine with #{number}", number=number), f"{COMBINE}:{token}-{number}")
    text = upload_text.combine_offer(
        previous.dataset.filename, number, matched, len(table.customers)
    )
    return [Text(text, buttons=((button,),))]


async def combine_uploads(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Combine the active upload with the one the button names, if the offer still holds."""
    chat_id = req.chat_id
    token, _, number_text = args.partition("-")
    active = await chats.active(chat_id)
    current = active.dataset.id if active else None
    if active is None or not number_text.isdigit():
        return [Text(upload_text.combine_stale())]
    if not chats.confirmations.redeem(token, chat_id, req.user_id, current):
        logger.info("chat %s: a stale or foreign combine button changed nothing", chat_id)
        return [Text(upload_text.combine_stale())]
    found = await chats.uploads_by_number(chat_id, [int(number_text)])
    if isinstance(found, int):
        return [Text(upload_text.combine_stale())]
    ((other_dataset, other_run),) = found
    started = time.perf_counter()
    first = await chats.table(chat_id, active.dataset, active.run)
    second = await chats.table(chat_id, other_dataset, other_run)
    try:
        table = await chats.workers.cpu(combine, first, second)
    except IngestError as exc:
        return [Text(upload_text.refused(exc.say(words())))]
    digest = hashlib.sha256(f"{active.dataset.sha256}+{other_dataset.sha256}".encode()).hexdigest()
    size = active.dataset.size_bytes + other_dataset.size_bytes
    replies, _ = await segment_and_save(
        chats, req, table, table.receipt.filename, size, digest, started
    )
    return replies


async def switch_to(
    chats: ChatData, req: Request, number: int, *, duplicate: bool = False
) -> list[Reply]:
    """Make upload ``number`` active and show its overview (the chat's lock is held).

    Raises:
        StoreError: No such upload in this chat.
    """
    chat_id = req.chat_id

    dataset, run, scatter = await chats.use_upload(chat_id, number)
    seg = segmentation_of(run)
    if scatter is None:
        # Its chart was kept in the language of the upload: draw one in the chat's now.
        scatter = await overview_scatter(chats, chat_id, dataset, run)
    label = upload_text.UploadLabel(dataset.number, dataset.filename)
    intro = (
        upload_text.duplicate_upload(label) if duplicate else datasets_text.switched(label, seg.k)
    )
    return overview(seg, dataset.filename, scatter, intro=[intro])


async def overview_scatter(
    chats: ChatData, chat_id: int, dataset: DatasetInfo, run: RunInfo
) -> bytes:
    """Draw and keep the overview's chart of a stored run, in the chat's language."""
    table = await chats.table(chat_id, dataset, run)
    seg = await chats.with_assignments(chat_id, run)
    png = await chats.workers.cpu(render_scatter_png, table, seg, words=words())
    await chats.keep_plot(chat_id, run.id, "scatter", png)
    return png


async def resegment(
    chats: ChatData, req: Request, active: Active, table: CustomerTable, options: SegmentOptions
) -> list[Reply]:
    """Segment the active upload again with new options (the chat's lock is held)."""
    started = time.perf_counter()
    rows = len(table.customers)
    await req.progress(upload_text.progress_segmenting(rows, auto=options.k is None))
    try:
        fitted = await fit(chats, table, options, active.seg, req, rows)
    except SegmentationError as exc:
        return [Text(upload_text.cannot_segment(exc.say(words())))]
    gone = await gone_to(chats, req.chat_id, active, fitted)
    meanings = table.receipt.meanings
    run = new_run(options, fitted.seg, fitted.plots, fitted.alignment, meanings, gone)
    await req.progress(upload_text.progress_saving(rows, fitted.seg.k))
    await chats.add_run(req.chat_id, active.dataset.id, run)
    chats.checkpoint_soon()
    chats.remember_table(req.chat_id, active.dataset, table)
    await req.progress(upload_text.progress_done(rows, time.perf_counter() - started))
    alignment = fitted.alignment
    summary = segments_text.resegment_summary(
        active.seg,
        fitted.seg,
        matched=None if alignment is None else len(alignment.matches),
        new_numbers=() if alignment is None else alignment.new,
        vanished=() if alignment is None else alignment.vanished,
        names_kept=True if alignment is None else alignment.names_kept,
        renamed=() if alignment is None else alignment.renamed,
        gone=gone,
    )
    return overview(fitted.seg, active.dataset.filename, fitted.plots.get("scatter"), [summary])
