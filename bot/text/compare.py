"""How the bot describes what changed between two uploads (``/compare``).

Pure functions returning Telegram HTML; persona names and file values are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _, ngettext, persona_name
from bot.text.format import (
    MAX_LIST,
    MAX_NAME,
    bold,
    esc,
    feature_name,
    fit_caption,
    fmt_date,
    fmt_int,
    fmt_list,
    fmt_signed,
    fmt_value,
    split_message,
    truncate_plain,
)
from segmentation import DRIFT_SD, Comparison, PurchaseMoves


def _name(names: dict[int, str], number: int) -> str:
    """A segment's name from a comparison, in bold and in the chat's language."""
    name = names.get(number)
    return bold(persona_name(name) if name else _("segment {number}", number=number))


def _by_segment(counts: dict[int, int], names: dict[int, str]) -> str:
    """Return ``3 in <b>Name</b>, 1 in <b>Other</b>`` (biggest first)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(
        _("{count} in {name}", count=fmt_int(count), name=_name(names, number))
        for number, count in ordered[:MAX_LIST]
    )


def _renamed(result: Comparison) -> str:
    """Return ``1. <b>Old name</b> is now <b>New name</b>; …`` for numbers renamed since."""
    changed = [
        number
        for number, name in result.current_names.items()
        if number in result.previous_names and result.previous_names[number] != name
    ]
    return "; ".join(
        _(
            "{number}. {old} is now {new}",
            number=number,
            old=_name(result.previous_names, number),
            new=_name(result.current_names, number),
        )
        for number in sorted(changed)[:MAX_LIST]
    )


def _drifted(result: Comparison, limit: int = 6) -> list[str]:
    """One line per matched segment whose centre moved notably, on its most moved features."""
    lines = []
    for number, features in result.drift.items():
        moved = []
        for feature, (then, now) in features.items():
            spread = result.spreads.get(feature, 0.0)
            if spread > 0 and abs(now - then) >= 2 * DRIFT_SD * spread:
                moved.append(
                    f"{esc(feature_name(feature))} {esc(fmt_value(then, None))} → "
                    f"{esc(fmt_value(now, None))}"
                )
        if moved:
            name = result.current_names.get(number)
            shown = bold(persona_name(name)) if name else bold(number)
            lines.append(f"• {number}. {shown}: {', '.join(moved[:3])}")
    return lines[:limit]


def comparison(
    result: Comparison,
    previous_label: str,
    current_label: str,
    max_flows: int = 10,
    headline: Sequence[str] = (),
) -> list[str]:
    """Answer /compare: sizes then and now, who moved where, who is new and who is gone.

    Args:
        result: The comparison of the previous and the current run.
        previous_label: The older upload, plain text (``#1 jan.csv``).
        current_label: The newer upload, plain text.
        max_flows: Most transitions listed in words.
        headline: Lines said first (two purchase logs: see :func:`purchase_headline`).

    Returns:
        Messages within Telegram's limit.
    """
    lines = [
        _(
            "<b>What changed</b>: {before} → {after}",
            before=esc(truncate_plain(previous_label, MAX_NAME)),
            after=esc(truncate_plain(current_label, MAX_NAME)),
        ),
        *headline,
    ]
    if result.features_differ:
        common = fmt_list([esc(feature_name(f)) for f in result.common_features]) or _("nothing")
        lines.append(
            _(
                "The uploads were segmented on different columns; compared on {common}.",
                common=common,
            )
        )
    renamed = _renamed(result)
    if renamed:
        lines.append(_("Renamed: {renamed}.", renamed=renamed))
    for feature, change in result.store_wide.items():
        values = {
            "column": esc(feature_name(feature)),
            "change": esc(fmt_value(abs(change), None)),
        }
        if change > 0:
            text = _(
                "Across the segments, {column} rose by {change}: the whole store changed, not "
                "a few customers.",
                **values,
            )
        else:
            text = _(
                "Across the segments, {column} fell by {change}: the whole store changed, not "
                "a few customers.",
                **values,
            )
        lines.append(text)
    drifted = _drifted(result)
    if drifted:
        lines += ["", _("<b>Segments that shifted</b> (centre then → now)"), *drifted]
    top_flows = result.transitions[:3]
    if result.ids_comparable and top_flows:
        lines += ["", _("<b>Biggest moves</b>")]
        for flow in top_flows:
            lines.append(
                "• "
                + ngettext(
                    "{n} customer moved from {before} to {after}",
                    "{n} customers moved from {before} to {after}",
                    flow.count,
                    before=_name(result.previous_names, flow.from_segment),
                    after=_name(result.current_names, flow.to_segment),
                )
            )
    lines += ["", _("<b>Sizes then → now</b>")]
    for number in sorted(set(result.previous_sizes) | set(result.current_sizes)):
        before = result.previous_sizes.get(number, 0)
        now = result.current_sizes.get(number, 0)
        name = result.current_names.get(number) or result.previous_names.get(number, "")
        note = ""
        if number not in result.previous_sizes:
            note = " " + _("(new)")
        elif number not in result.current_sizes:
            note = " " + _("(gone)")
        lines.append(
            f"{number}. {bold(persona_name(name))}: {fmt_int(before)} → {fmt_int(now)} "
            f"({fmt_signed(now - before)}){note}"
        )
    lines.append("")
    if not result.ids_comparable:
        lines.append(ids_not_comparable(result.reason))
        return split_message(lines)
    lines.append(
        _(
            "Customers in both: {common} — {moved} moved, {stayed} stayed.",
            common=fmt_int(result.common_customers),
            moved=fmt_int(result.moved),
            stayed=fmt_int(result.stayed),
        )
    )
    if result.by_values:
        lines.append(
            _("Moved means their own numbers changed enough to cross into another segment.")
        )
    if result.shifted:
        lines.append(
            ngettext(
                "{n} customer whose own numbers still fit their old segment now sits in a "
                "neighbouring one because the segments shifted; they are not counted as moved.",
                "{n} customers whose own numbers still fit their old segment now sit in a "
                "neighbouring one because the segments shifted; they are not counted as moved.",
                result.shifted,
            )
        )
    other_flows = result.transitions[len(top_flows) : max_flows]
    if other_flows:
        # The biggest moves are already in words above; the rest go by number, one short line
        # each, so a phone does not wrap them.
        lines += ["", _("<b>Other moves</b> (from → to)")]
        for flow in other_flows:
            lines.append(
                "• "
                + _(
                    "{count}: segment {before} → {after}",
                    count=fmt_int(flow.count),
                    before=flow.from_segment,
                    after=flow.to_segment,
                )
            )
        if len(result.transitions) > max_flows:
            lines.append(
                _("…and {count} smaller flows.", count=len(result.transitions) - max_flows)
            )
    if result.new_by_segment:
        lines.append(
            _(
                "New customers: {count} ({where})",
                count=fmt_int(result.new_customers),
                where=_by_segment(result.new_by_segment, result.current_names),
            )
        )
    if result.gone_by_segment:
        lines.append(
            _(
                "Gone: {count} ({where})",
                count=fmt_int(result.gone_customers),
                where=_by_segment(result.gone_by_segment, result.previous_names),
            )
        )
    if result.moved:
        lines.append(_("/export moved sends the list of customers who moved."))
    return split_message(lines)


def purchase_headline(moves: PurchaseMoves, result: Comparison, unit: str | None) -> list[str]:
    """The head of /compare for two purchase logs: who stopped buying, who left the best segment.

    Args:
        moves: Lapsed customers and downgrades.
        result: The comparison (for the segments' names).
        unit: The spend's unit (``$``).
    """
    since = esc(fmt_date(moves.since))
    lines = [
        _("<b>Since {since}</b> (up to {until})", since=since, until=esc(fmt_date(moves.until)))
    ]
    if moves.lapsed:
        lines.append(
            _(
                "Lapsed: {lapsed} of {before} customers bought nothing after {since}. They spent "
                "{spend} in the earlier log.",
                lapsed=fmt_int(moves.lapsed),
                before=fmt_int(moves.customers_before),
                since=since,
                spend=esc(fmt_value(moves.lapsed_spend, unit)),
            )
        )
    else:
        lines.append(
            _("Every customer of the earlier log bought again after {since}.", since=since)
        )
    if moves.top_segment and moves.top_size:
        name = _name(result.previous_names, moves.top_segment)
        if not moves.downgraded:
            lines.append(
                _(
                    "All {count} customers of {name}, the most valuable segment, are still there.",
                    count=fmt_int(moves.top_size),
                    name=name,
                )
            )
        else:
            where = []
            for number, count in list(moves.downgraded_to.items())[:MAX_LIST]:
                if number == 0:
                    where.append(_("{count} stopped buying", count=fmt_int(count)))
                else:
                    to = _name(result.current_names, number)
                    where.append(_("{count} to {name}", count=fmt_int(count), name=to))
            lines.append(
                _(
                    "Left {name}, the most valuable segment: {left} of {size} customers, who "
                    "spent {spend} of its {total} ({where}).",
                    name=name,
                    left=fmt_int(moves.downgraded),
                    size=fmt_int(moves.top_size),
                    spend=esc(fmt_value(moves.downgraded_spend, unit)),
                    total=esc(fmt_value(moves.top_spend, unit)),
                    where=", ".join(where),
                )
            )
    return lines


def ids_not_comparable(reason: str) -> str:
    """Say why customers cannot be followed from one upload to the other."""
    if reason == "ids_generated":
        return _(
            "Only sizes are compared: one of the files has no customer id column, so I cannot "
            "tell who moved."
        )
    if reason == "not_same_people":
        return _(
            "Only sizes are compared: the customer ids the two files have in common do not "
            "belong to the same customers (their numbers last time and now do not match at "
            "all), so I cannot tell who moved."
        )
    return _(
        "Only sizes are compared: the two files share no customer ids, so I cannot tell who moved."
    )


def transitions_caption(result: Comparison) -> str:
    """Caption of the transitions chart."""
    if not result.ids_comparable:
        return bold(_("Segment sizes then and now"))
    return fit_caption(
        [
            bold(_("Where customers went")),
            _(
                "{moved} of {common} customers changed segment.",
                moved=fmt_int(result.moved),
                common=fmt_int(result.common_customers),
            ),
        ]
    )


def compare_needs_two() -> str:
    """Answer /compare with fewer than two uploads."""
    return _(
        "I have no earlier upload to compare this one with.\n"
        "Send this month's CSV after last month's, then /compare; "
        "or /compare A B with two numbers from /datasets."
    )


def compare_usage() -> str:
    """Answer /compare with bad arguments."""
    return _(
        "Send /compare for the latest two uploads, or /compare A B with numbers from /datasets."
    )
