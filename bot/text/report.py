"""The words of the printed report (/report, ``segbot analyze --report``), as plain text.

The report is a forwardable document for people who never saw the chat: it says what the
chat says, in the same words (the same sentences for the verdict, the reasons and the
method), without HTML. The engine lays the pages out (``segmentation.render_report_pdf``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.i18n import N_, _, ngettext, persona, words
from bot.text import segments as segments_text
from bot.text.format import (
    MAX_NAME,
    esc,
    feature_name,
    fmt_date,
    fmt_int,
    fmt_list,
    fmt_pct,
    gender_word,
    plain_text,
    plural,
    truncate_plain,
    value_text,
)
from bot.text.target import revenue_shares, target_reason
from segmentation import (
    Block,
    ReportDocument,
    ReportPage,
    Segment,
    Segmentation,
    TargetRank,
    is_level_feature,
    receipt_note,
    whole_percents,
)

#: Most rows of the "columns used" table before the rest is counted.
MAX_COLUMN_ROWS = 16
#: Most numbers in a segment's table.
MAX_SEGMENT_NUMBERS = 8
#: Most attribute mixes on a segment's page.
MAX_MIXES = 4
#: Most lines of the "since last month" page.
MAX_SINCE_LINES = 40

#: What each kind of column was read as, in the "columns used" table.
_KINDS = {
    "id": N_("customer id"),
    "gender": N_("profiled (gender)"),
    "numeric": N_("number"),
    "attribute": N_("profiled"),
    "ignored": N_("left out"),
}


@dataclass(frozen=True)
class ReportFacts:
    """What the report says besides the segmentation.

    Attributes:
        filename: The uploaded file's name.
        uploaded_at: When it was uploaded (ISO 8601, UTC); also the PDF's date.
        receipt: The upload's receipt (``Receipt.to_dict()``).
        ranks: The targeting ranking.
        close: The close call of the top pick, if any.
        chart: The overview chart (PNG).
        typical: Segment number -> its most typical customers' ids.
        since: The comparison with the previous upload as chat HTML messages, or empty.
        since_label: Which uploads were compared (``#1 jan.csv → #2 feb.csv``).
    """

    filename: str
    uploaded_at: str
    receipt: Mapping[str, Any]
    ranks: Sequence[TargetRank]
    close: tuple[int, int] | None
    chart: bytes
    typical: Mapping[int, Sequence[str]]
    since: Sequence[str] = ()
    since_label: str = ""


def report_filename(stem: str, uploaded_at: str) -> str:
    """``report-members-2026-11.pdf``: the upload's name and month."""
    return f"report-{stem}-{uploaded_at[:7]}.pdf"


def report_caption(filename: str, pages: int) -> str:
    """Caption of the report document (HTML)."""
    return _(
        "The report on {file}: {pages}, ready to forward or print.",
        file=esc(truncate_plain(filename, MAX_NAME)),
        pages=plural(pages, "page"),
    )


def created_at(uploaded_at: str) -> datetime:
    """The report's fixed date: the upload's time (so the same data gives the same file)."""
    try:
        moment = datetime.fromisoformat(uploaded_at.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(2000, 1, 1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def report_document(seg: Segmentation, facts: ReportFacts) -> ReportDocument:
    """Every page of the report: headline, one per segment, since last month, method."""
    pages = [_headline(seg, facts)]
    pages += [_segment_page(seg, s, facts) for s in seg.segments]
    if facts.since:
        pages.append(_since_page(facts))
    pages.append(_method_page(seg, facts))
    return ReportDocument(
        title=_("Customer segments: {file}", file=facts.filename),
        pages=tuple(pages),
        created=created_at(facts.uploaded_at),
        footer=_(
            "segbot · {file} · uploaded {date}",
            file=facts.filename,
            date=fmt_date(facts.uploaded_at),
        ),
    )


def _bands(seg: Segmentation) -> bool:
    """True when the engine found no distinct groups: segments are bands, not types."""
    return seg.quality.verdict == "none"


def _name(seg: Segmentation, segment: Segment) -> str:
    """``Segment 2 · Affluent big spenders``, or ``Band 2`` without distinct groups."""
    if _bands(seg):
        return _("Band {number}", number=segment.number)
    return _("Segment {number} · {name}", number=segment.number, name=persona(segment).name)


def _headline(seg: Segmentation, facts: ReportFacts) -> ReportPage:
    """Page 1: how many customers and segments, the verdict, the pick and the chart."""
    total = sum(s.size for s in seg.segments)
    counts = ngettext(
        "{customers} in {n} segment.",
        "{customers} in {n} segments.",
        seg.k,
        customers=plural(total, "customer"),
    )
    blocks = [
        Block(
            "text",
            counts + " " + plain_text(segments_text.k_explanation(seg.k_choice, seg.quality)),
        )
    ]
    verdict = segments_text.structure_sentence(seg)
    if verdict:
        blocks.append(Block("text", plain_text(verdict)))
    ordered = sorted(facts.ranks, key=lambda r: r.rank)
    revenue = revenue_shares(seg)
    if ordered and not _bands(seg):
        top = ordered[0]
        segment = seg.segment(top.number)
        reason = plain_text(target_reason(top, revenue.get(top.number)))
        blocks += [
            Block("heading", _("Target first: {segment}", segment=_name(seg, segment))),
            Block("text", _("Why: {reason}.", reason=reason)),
            Block("text", _("Action: {action}", action=persona(segment).action)),
        ]
        if seg.quality.verdict == "weak":
            blocks.append(
                Block("small", _("The groups are weak: treat the pick as a lead to test."))
            )
        if facts.close is not None and facts.close[1] != top.number:
            other = _name(seg, seg.segment(facts.close[1]))
            blocks.append(Block("small", _("A close call with {segment}.", segment=other)))
    elif ordered:
        blocks += [
            Block("heading", _("No segment stands out as a target")),
            Block(
                "text",
                _(
                    "These customers do not fall into distinct groups, so the report describes "
                    "bands of the store instead of customer types, and names no personas."
                ),
            ),
        ]
    blocks += [
        Block("heading", _("The segments")),
        Block("table", rows=_overview_rows(seg, facts)),
    ]
    if facts.chart:
        blocks.append(Block("chart", png=facts.chart, max_height=5.2))
    return ReportPage(
        _("Customer segments"),
        _(
            "{file} · uploaded {date}",
            file=facts.filename,
            date=fmt_date(facts.uploaded_at),
        ),
        tuple(blocks),
    )


def _overview_rows(seg: Segmentation, facts: ReportFacts) -> tuple[tuple[str, ...], ...]:
    """One row per segment: number, name, customers, share, revenue share, target rank."""
    share = segments_text.shares(seg)
    revenue = revenue_shares(seg)
    rank = {r.number: r.rank for r in facts.ranks}
    header: tuple[str, ...] = (
        "#",
        _("Band") if _bands(seg) else _("Persona"),
        _("Customers"),
        _("Share"),
    )
    header += (_("Revenue"),) if revenue else ()
    header += (_("Target rank"),) if rank and not _bands(seg) else ()
    rows: list[tuple[str, ...]] = [header]
    for s in seg.segments:
        row: tuple[str, ...] = (
            str(s.number),
            _("Band {number}", number=s.number) if _bands(seg) else persona(s).name,
            fmt_int(s.size),
            share[s.number],
        )
        row += (revenue.get(s.number, ""),) if revenue else ()
        if rank and not _bands(seg):
            place = _("{rank} of {k}", rank=rank[s.number], k=seg.k) if s.number in rank else ""
            row += (place,)
        rows.append(row)
    return tuple(rows)


def _segment_page(seg: Segmentation, segment: Segment, facts: ReportFacts) -> ReportPage:
    """One segment: who they are, their numbers against the store, the mix, the action, ids."""
    share = segments_text.shares(seg)[segment.number]
    parts = [plural(segment.size, "customer"), _("{share} of all", share=share)]
    revenue = revenue_shares(seg).get(segment.number)
    if revenue:
        parts.append(_("{share} of revenue", share=revenue))
    rank = next((r for r in facts.ranks if r.number == segment.number), None)
    if rank is not None and not _bands(seg):
        parts.append(_("target rank {rank} of {k}", rank=rank.rank, k=seg.k))
    blocks: list[Block] = []
    if _bands(seg):
        blocks.append(
            Block(
                "text",
                _(
                    "A band of the store, not a distinct type of customer: its edges are where "
                    "the numbers were cut, not where customers differ."
                ),
            )
        )
    else:
        blocks.append(Block("text", persona(segment).description))
    blocks += [
        Block("heading", _("In numbers (medians)")),
        Block("table", rows=_number_rows(seg, segment)),
    ]
    labels, values = _ranges(seg, segment)
    if labels:
        blocks += [
            Block("heading", _("Where they stand in the store")),
            Block("ranges", rows=tuple((label,) for label in labels), values=values),
        ]
    mixes = _mix_lines(seg, segment)
    if mixes:
        blocks += [Block("heading", _("Who they are")), *(Block("bullet", m) for m in mixes)]
    if not _bands(seg):
        blocks += [Block("heading", _("What to do")), Block("text", persona(segment).action)]
        if rank is not None:
            reason = plain_text(target_reason(rank, revenue))
            blocks.append(
                Block(
                    "small",
                    _(
                        "Target rank {rank} of {k}: {reason}.",
                        rank=rank.rank,
                        k=seg.k,
                        reason=reason,
                    ),
                )
            )
    ids = list(facts.typical.get(segment.number, ()))
    if ids:
        blocks += [
            Block(
                "heading",
                ngettext(
                    "The {n} most typical customer (id)",
                    "The {n} most typical customers (ids)",
                    len(ids),
                ),
            ),
            Block("ids", rows=tuple((i,) for i in ids)),
        ]
    return ReportPage(_name(seg, segment), " · ".join(parts), tuple(blocks))


def _shown_columns(seg: Segmentation, segment: Segment) -> list[str]:
    """The numeric columns a segment's page shows: all, or the most telling when many."""
    numeric = [c for c in segment.mean if not is_level_feature(c)]
    telling = segments_text.telling_columns(seg, segment, MAX_SEGMENT_NUMBERS)
    return [c for c in numeric if c in telling] if len(numeric) > MAX_SEGMENT_NUMBERS else numeric


def _ranges(seg: Segmentation, segment: Segment) -> tuple[list[str], tuple[tuple[float, ...], ...]]:
    """Labels and percentiles of the "where they stand" lines (see ``Block.values``)."""
    labels, values = [], []
    for column in _shown_columns(seg, segment):
        store = seg.population.get(column)
        if not store or len(store) < 96 or column not in segment.quartiles:
            continue
        low, high = segment.quartiles[column]
        median = segment.median.get(column, segment.mean[column])
        labels.append(feature_name(column, seg.labels))
        values.append((store[5], store[25], store[50], store[75], store[95], low, median, high))
    return labels, tuple(values)


def _number_rows(seg: Segmentation, segment: Segment) -> tuple[tuple[str, ...], ...]:
    """Column | this segment | whole store | middle half, medians in original units."""
    shown = _shown_columns(seg, segment)
    rows: list[tuple[str, ...]] = [("", _("This segment"), _("Whole store"), _("Middle half here"))]
    for column in shown:
        unit = seg.units.get(column)
        median = segment.median.get(column, segment.mean[column])
        store = seg.population.get(column)
        whole = value_text(column, store[50], unit) if store and len(store) > 50 else ""
        middle = ""
        if column in segment.quartiles:
            low, high = segment.quartiles[column]
            low_text, high_text = value_text(column, low, unit), value_text(column, high, unit)
            middle = low_text if low_text == high_text else f"{low_text} – {high_text}"
        rows.append(
            (feature_name(column, seg.labels), value_text(column, median, unit), whole, middle)
        )
    return tuple(rows)


def _mix_lines(seg: Segmentation, segment: Segment) -> list[str]:
    """Gender and the other profiled columns, most common level first."""
    lines = []
    if segment.gender_mix:
        levels = sorted(segment.gender_mix.items(), key=lambda item: (-item[1], item[0]))
        percents = whole_percents([value for _, value in levels])
        mix = ", ".join(
            _("{share} {gender}", share=fmt_pct(p / 100), gender=gender_word(level))
            for (level, _value), p in zip(levels, percents, strict=True)
        )
        lines.append(_("Gender: {mix}", mix=mix))
    for column, pairs in segment.top_attributes.items():
        if column == "gender" and segment.gender_mix:
            continue
        if len(lines) >= MAX_MIXES:
            break
        mix = ", ".join(f"{level} {fmt_pct(share)}" for level, share in pairs)
        lines.append(f"{feature_name(column, seg.labels)}: {mix}")
    return lines


def _since_page(facts: ReportFacts) -> ReportPage:
    """What changed since the previous upload, in the words of /compare."""
    lines = [line for message in facts.since for line in message.split("\n")]
    blocks: list[Block] = []
    for line in lines[:MAX_SINCE_LINES]:
        text = plain_text(line).strip()
        if not text:
            continue
        if line.startswith("<b>") and blocks:
            # The bold lead-ins of /compare ("Biggest moves") are the page's sections.
            blocks.append(Block("heading", text))
        elif text.startswith("•") or text[:1].isdigit() or text.startswith("→"):
            blocks.append(Block("bullet", text.lstrip("• ")))
        else:
            blocks.append(Block("text", text))
    if len(lines) > MAX_SINCE_LINES:
        blocks.append(Block("small", _("…and more in /compare.")))
    return ReportPage(_("Since last month"), facts.since_label, tuple(blocks))


def _method_page(seg: Segmentation, facts: ReportFacts) -> ReportPage:
    """How the segments were found, from which file and which columns."""
    used = fmt_list([feature_name(f, seg.labels) for f in seg.features])
    blocks = [
        Block("heading", _("How the segments were found")),
        Block(
            "text",
            _(
                "Customers were grouped by how alike they are on {columns}: each customer joins "
                "the group whose typical customer is nearest, after every column is put on the "
                "same scale (k-means clustering). The number of groups was chosen by how "
                "clearly they separate, and checked against customers spread at random and "
                "against refits on resampled customers.",
                columns=used,
            ),
        ),
        Block("text", plain_text(segments_text.k_explanation(seg.k_choice, seg.quality))),
    ]
    verdict = segments_text.structure_sentence(seg)
    if verdict:
        blocks.append(Block("text", plain_text(verdict)))
    blocks += [Block("bullet", plain_text(note)) for note in segments_text.method_notes(seg)]
    scores = segments_text.quality_line(seg)
    if scores:
        blocks.append(Block("small", plain_text(scores)))
    receipt = facts.receipt
    read, kept = int(receipt.get("rows_read", 0)), int(receipt.get("rows_used", 0))
    blocks += [
        Block("heading", _("The file")),
        Block(
            "text",
            ngettext(
                "{file}, uploaded {date}: {n} row read, {used} used.",
                "{file}, uploaded {date}: {n} rows read, {used} used.",
                read,
                file=facts.filename,
                date=fmt_date(facts.uploaded_at),
                used=fmt_int(kept),
            ),
        ),
    ]
    if kept < read:
        blocks.append(
            Block(
                "small",
                ngettext(
                    "{n} row left out (missing or unreadable values).",
                    "{n} rows left out (missing or unreadable values).",
                    read - kept,
                ),
            )
        )
    if receipt.get("purchases"):
        period = receipt["purchases"]
        blocks.append(
            Block(
                "text",
                _(
                    "A purchase log: {purchases} from {first} to {last}, summed per customer.",
                    purchases=plural(int(period.get("purchases", 0)), "purchase"),
                    first=fmt_date(str(period.get("first_date", ""))),
                    last=fmt_date(str(period.get("last_date", ""))),
                ),
            )
        )
    blocks += [
        Block("heading", _("Columns used")),
        Block("table", rows=_column_rows(seg, receipt)),
    ]
    return ReportPage(_("Method"), _("How to read this report"), tuple(blocks))


def _column_rows(seg: Segmentation, receipt: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """Column of the file | what it became | how it was used."""
    rows: list[tuple[str, ...]] = [(_("Column in the file"), _("Read as"), _("Used"))]
    columns = list(receipt.get("columns", ()))
    features = set(seg.features)
    transformed = set(seg.transformed)
    for column in columns[:MAX_COLUMN_ROWS]:
        field, kind = str(column.get("field", "")), str(column.get("kind", ""))
        if field in features or any(f.startswith(f"{field}=") for f in features):
            if field in transformed:
                used = _("segmented on, compared by ratio")
            else:
                used = _("segmented on")
        elif field in seg.left_out:
            used = _("left out: adds no groups")
        elif kind == "ignored" and column.get("note"):
            used = _("left out: {reason}", reason=receipt_note(str(column["note"]), words()))
        elif kind == "ignored":
            used = _("left out: not used")
        elif kind in ("gender", "attribute"):
            used = _("describes the segments")
        elif kind == "id":
            used = _("names the customers")
        else:
            used = _("described, not segmented on")
        shown = _(_KINDS[kind]) if kind in _KINDS else kind
        rows.append((str(column.get("source", "")), shown, used))
    if len(columns) > MAX_COLUMN_ROWS:
        more = _("…and {count} more", count=len(columns) - MAX_COLUMN_ROWS)
        rows.append((more, "", _("see /columns")))
    return tuple(rows)


def page_count(seg: Segmentation, with_since: bool) -> int:
    """How many pages the report has: headline, one per segment, since, method."""
    return 2 + seg.k + (1 if with_since else 0)


def progress_report(k: int) -> str:
    """Shown while the report is drawn."""
    return ngettext(
        "Drawing the report: a page for each of the {n} segment…",
        "Drawing the report: a page for each of the {n} segments…",
        k,
    )
