"""How the bot explains the targeting ranking (/target): which segment first, and why.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, _, persona
from bot.text.format import esc, fmt_pct, segment_ref, split_message
from segmentation import Segmentation, TargetRank, revenue_by_segment, whole_percents

_KIND_WORDS = {
    "grow": N_("room to grow"),
    "retain": N_("keep them spending"),
    "reactivate": N_("win them back"),
    "monitor": N_("keep an eye on them"),
}

#: Driver -> (words when high, words when low); drivers are 0..1 positions.
_DRIVER_WORDS: dict[str, tuple[str, str]] = {
    "means": (N_("high income"), N_("modest income")),
    "spend": (N_("already spend a lot"), N_("spend little so far")),
    "size": (N_("a large group"), N_("a small group")),
    "revenue": (N_("a large share of revenue"), N_("little of the revenue")),
}


def _kind(kind: str) -> str:
    """What a kind of target means, in the chat's language."""
    return _(_KIND_WORDS[kind]) if kind in _KIND_WORDS else kind


def revenue_shares(seg: Segmentation) -> dict[int, str]:
    """Segment number -> its share of all spend (``46%``), for tables with a ``spend`` column."""
    revenue = revenue_by_segment(seg)
    if not revenue:
        return {}
    total = sum(revenue.values())
    fractions = [revenue[s.number] / total for s in seg.segments]
    percents = whole_percents(fractions)
    return {
        s.number: _("under {share}", share=fmt_pct(0.01)) if p == 0 and f > 0 else fmt_pct(p / 100)
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
    reason = _kind(rank.kind)
    if rank.kind == "reactivate" and not rank.basis.get("recency"):
        # Without dates nobody is known to have left: low spend and modest means, not a win-back.
        reason = _("a later priority")
    # "Keep an eye on them" means spending and means are near the middle: say only the size.
    middling = rank.kind == "monitor"
    measured = {
        "spend": bool(rank.basis.get("spend")) and not middling,
        "means": bool(rank.basis.get("means")) and not middling,
        "size": True,
    }
    words: list[str] = []
    if revenue and "revenue_share" in rank.drivers:
        words.append(_("{share} of revenue", share=revenue))
    for name, value in rank.drivers.items():
        if name in ("revenue", "revenue_share", "urgency"):
            continue
        high, low = _DRIVER_WORDS.get(name, ("", ""))
        if name == "means" and rank.basis.get("means", ("income",)) != ("income",):
            # The means come from a salary or credit-limit column, not an income.
            high, low = N_("well-off"), N_("modest means")
        if not measured.get(name, True):
            continue
        if value >= 0.6 and high:
            words.append(esc(_(high)))
        elif value <= 0.35 and low:
            words.append(esc(_(low)))
    if words:
        reason = _("{reason}: {drivers}", reason=reason, drivers=", ".join(words))
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
        return [_("I could not rank the segments for targeting.")]
    top = ordered[0]
    verdict = seg.quality.verdict
    why = _("Why: {reason}.", reason=target_reason(top, revenue.get(top.number)))
    if verdict == "none":
        lines = [
            _(
                "These customers do not fall into distinct groups, so no segment stands out as "
                "a target. Ranked by the numbers alone, the bands compare like this:"
            ),
            "",
            _("First by the numbers: {segment}", segment=segment_ref(seg, top.number)),
            why,
        ]
    else:
        lines = ["🎯 " + _("Target first: {segment}", segment=segment_ref(seg, top.number)), why]
        if verdict == "weak":
            lines.append(_("The groups are weak, so treat this as a lead to test, not a finding."))
        if close is not None:
            other = next((r for r in ordered if r.number == close[1]), None)
            if other is not None:
                lines.append(
                    _(
                        "A close call with {segment}: {here} here, or {there} there; a small "
                        "change in how the reasons are weighed would swap them.",
                        segment=segment_ref(seg, other.number),
                        here=_kind(top.kind),
                        there=_kind(other.kind),
                    )
                )
    if any(s.number == top.number for s in seg.segments):
        lines.append(_("Action: {action}", action=esc(persona(seg.segment(top.number)).action)))
    if any(r.kind == "monitor" for r in ordered[:-1]) or (
        ordered[-1].kind == "monitor" and ordered[-1].score > min(r.score for r in ordered)
    ):
        heading = _("<b>Full ranking</b> (best first; segments to keep an eye on come last)")
    else:
        heading = _("<b>Full ranking</b> (best first)")
    lines += ["", heading]
    for rank in ordered:
        lines.append(f"{rank.rank}. {_ranked(seg, rank.number)}")
        lines.append(f"    {target_reason(rank, revenue.get(rank.number))}")
    return split_message(lines)


def _ranked(seg: Segmentation, number: int) -> str:
    """``Segment 2 (<b>Name</b>)`` at the start of a ranking line."""
    ref = segment_ref(seg, number)
    return ref[0].upper() + ref[1:]


#: How each goal reads in an answer.
_GOAL_WORDS = {"grow": N_("To grow"), "retain": N_("To keep"), "win-back": N_("To win back")}

#: The heading over a goal's ranking, and its answer when no segment fits the goal.
_GOAL_LISTS = {
    "grow": (
        N_("<b>Segments with room to spend more</b>, best first"),
        N_("No segment here has room to spend more. /target ranks them all."),
    ),
    "retain": (
        N_("<b>Segments already spending a lot</b>, best first"),
        N_("No segment here is already spending a lot. /target ranks them all."),
    ),
    "win-back": (
        N_("<b>Segments slipping away</b>, best first"),
        N_("No segment here is slipping away. /target ranks them all."),
    ),
}


def goal_targets(seg: Segmentation, goal: str, ranks: Sequence[TargetRank] | None) -> list[str]:
    """Answer /target grow, /target retain or /target win-back."""
    title = _GOAL_WORDS[goal]
    heading, nobody = _GOAL_LISTS[goal]
    if ranks is None:
        return [
            _(
                "Winning customers back needs purchase dates, to know who is slipping away. "
                "Send a purchase log (one row per purchase, with its date) and ask again; "
                "/target ranks the segments meanwhile."
            )
        ]
    if not ranks:
        return [_(nobody)]
    top = ranks[0]
    revenue = revenue_shares(seg)
    lines = []
    if seg.quality.verdict == "none":
        lines += [
            _("These customers do not fall into distinct groups, so read this as bands."),
            "",
        ]
    lines += [
        "🎯 " + _("{goal}: {segment}", goal=_(title), segment=segment_ref(seg, top.number)),
        _("Why: {reason}.", reason=target_reason(top, revenue.get(top.number))),
    ]
    if any(s.number == top.number for s in seg.segments):
        lines.append(_("Action: {action}", action=esc(persona(seg.segment(top.number)).action)))
    if len(ranks) > 1:
        lines += ["", _(heading)]
        for rank in ranks:
            lines.append(f"{rank.rank}. {_ranked(seg, rank.number)}")
            lines.append(f"    {target_reason(rank, revenue.get(rank.number))}")
    return split_message(lines)


def goal_usage() -> str:
    """Answer /target with a word that is not a goal."""
    return _(
        "Send /target for the overall pick, or /target grow, /target retain or "
        "/target win-back to rank the segments for one goal."
    )
