"""How the bot explains the targeting ranking (/target): which segment first, and why.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.text.format import esc, segment_ref, split_message
from segmentation import Segmentation, TargetRank, revenue_by_segment, whole_percents

_KIND_WORDS = {
    "grow": "room to grow",
    "retain": "keep them spending",
    "reactivate": "win them back",
    "monitor": "keep an eye on them",
}

#: Driver -> (words when high, words when low); drivers are 0..1 positions.
_DRIVER_WORDS: dict[str, tuple[str, str]] = {
    "means": ("high income", "modest income"),
    "spend": ("already spend a lot", "spend little so far"),
    "size": ("a large group", "a small group"),
    "revenue": ("a large share of revenue", "little of the revenue"),
}


def revenue_shares(seg: Segmentation) -> dict[int, str]:
    """Segment number -> its share of all spend (``46%``), for tables with a ``spend`` column."""
    revenue = revenue_by_segment(seg)
    if not revenue:
        return {}
    total = sum(revenue.values())
    fractions = [revenue[s.number] / total for s in seg.segments]
    percents = whole_percents(fractions)
    return {
        s.number: "under 1%" if p == 0 and f > 0 else f"{p}%"
        for s, p, f in zip(seg.segments, percents, fractions, strict=True)
    }


def target_reason(rank: TargetRank, revenue: str | None = None) -> str:
    """Return the reason line for one ranked segment (plain words).

    ``revenue`` is the segment's share of revenue as :func:`revenue_shares` writes it, so the
    reason and the segment's line show the same rounded percentage.

    Words about spending or income are only said when the engine reports a column they rest
    on (``rank.basis``); without one the ranking falls back on other columns, and "spend
    little" would be a guess.
    """
    reason = _KIND_WORDS.get(rank.kind, rank.kind)
    if rank.kind == "reactivate" and not rank.basis.get("recency"):
        # Without dates nobody is known to have left: low spend and modest means, not a win-back.
        reason = "a later priority"
    # "Keep an eye on them" means spending and means are near the middle: say only the size.
    middling = rank.kind == "monitor"
    measured = {
        "spend": bool(rank.basis.get("spend")) and not middling,
        "means": bool(rank.basis.get("means")) and not middling,
        "size": True,
    }
    words: list[str] = []
    if revenue and "revenue_share" in rank.drivers:
        words.append(f"{revenue} of revenue")
    for name, value in rank.drivers.items():
        if name in ("revenue", "revenue_share", "urgency"):
            continue
        high, low = _DRIVER_WORDS.get(name, ("", ""))
        if name == "means" and rank.basis.get("means", ("income",)) != ("income",):
            # The means come from a salary or credit-limit column, not an income.
            high, low = "well-off", "modest means"
        if not measured.get(name, True):
            continue
        if value >= 0.6 and high:
            words.append(esc(high))
        elif value <= 0.35 and low:
            words.append(esc(low))
    if words:
        reason += ": " + ", ".join(words)
    return reason


def targets(
    seg: Segmentation, ranks: Sequence[TargetRank], close: tuple[int, int] | None = None
) -> list[str]:
    """Answer /target: the ranking, top pick first, with reasons.

    ``close`` names the two segments the top pick hangs between (``segmentation.close_call``):
    the answer then says so, with what each choice means.
    """
    ordered = sorted(ranks, key=lambda r: r.rank)
    revenue = revenue_shares(seg)
    if not ordered:
        return ["I could not rank the segments for targeting."]
    top = ordered[0]
    verdict = seg.quality.verdict
    if verdict == "none":
        lines = [
            "These customers do not fall into distinct groups, so no segment stands out as a "
            "target. Ranked by the numbers alone, the bands compare like this:",
            "",
            f"First by the numbers: {segment_ref(seg, top.number)}",
            f"Why: {target_reason(top, revenue.get(top.number))}.",
        ]
    else:
        lines = [
            f"🎯 Target first: {segment_ref(seg, top.number)}",
            f"Why: {target_reason(top, revenue.get(top.number))}.",
        ]
        if verdict == "weak":
            lines.append("The groups are weak, so treat this as a lead to test, not a finding.")
        if close is not None:
            other = next((r for r in ordered if r.number == close[1]), None)
            if other is not None:
                lines.append(
                    f"A close call with {segment_ref(seg, other.number)}: "
                    f"{_KIND_WORDS.get(top.kind, top.kind)} here, or "
                    f"{_KIND_WORDS.get(other.kind, other.kind)} there; a small change in how "
                    "the reasons are weighed would swap them."
                )
    if any(s.number == top.number for s in seg.segments):
        lines.append(f"Action: {esc(seg.segment(top.number).persona.action)}")
    heading = "<b>Full ranking</b> (best first"
    if any(r.kind == "monitor" for r in ordered[:-1]) or (
        ordered[-1].kind == "monitor" and ordered[-1].score > min(r.score for r in ordered)
    ):
        heading += "; segments to keep an eye on come last"
    lines += ["", heading + ")"]
    for rank in ordered:
        ref = segment_ref(seg, rank.number)
        lines.append(f"{rank.rank}. S{ref[1:]}")
        lines.append(f"    {target_reason(rank, revenue.get(rank.number))}")
    return split_message(lines)


#: How each goal reads in an answer.
_GOAL_WORDS = {
    "grow": ("To grow", "room to spend more"),
    "retain": ("To keep", "already spending a lot"),
    "win-back": ("To win back", "slipping away"),
}


def goal_targets(seg: Segmentation, goal: str, ranks: Sequence[TargetRank] | None) -> list[str]:
    """Answer /target grow, /target retain or /target win-back."""
    title, meaning = _GOAL_WORDS[goal]
    if ranks is None:
        return [
            "Winning customers back needs purchase dates, to know who is slipping away. Send "
            "a purchase log (one row per purchase, with its date) and ask again; /target ranks "
            "the segments meanwhile."
        ]
    if not ranks:
        return [f"No segment here is {meaning}. /target ranks them all."]
    top = ranks[0]
    revenue = revenue_shares(seg)
    lines = []
    if seg.quality.verdict == "none":
        lines += [
            "These customers do not fall into distinct groups, so read this as bands.",
            "",
        ]
    lines += [
        f"🎯 {title}: {segment_ref(seg, top.number)}",
        f"Why: {target_reason(top, revenue.get(top.number))}.",
    ]
    if any(s.number == top.number for s in seg.segments):
        lines.append(f"Action: {esc(seg.segment(top.number).persona.action)}")
    if len(ranks) > 1:
        lines += ["", f"<b>Segments {esc(meaning)}</b>, best first"]
        for rank in ranks:
            lines.append(f"{rank.rank}. S{segment_ref(seg, rank.number)[1:]}")
            lines.append(f"    {target_reason(rank, revenue.get(rank.number))}")
    return split_message(lines)


def goal_usage() -> str:
    """Answer /target with a word that is not a goal."""
    return (
        "Send /target for the overall pick, or /target grow, /target retain or "
        "/target win-back to rank the segments for one goal."
    )
