"""How the bot describes what changed between two uploads (``/compare``).

Pure functions returning Telegram HTML; persona names and file values are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    plural,
    split_message,
    truncate_plain,
)
from segmentation import DRIFT_SD, Comparison, PurchaseMoves


def _by_segment(counts: dict[int, int], names: dict[int, str]) -> str:
    """Return ``3 in <b>Name</b>, 1 in <b>Other</b>`` (biggest first)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(
        f"{fmt_int(count)} in {bold(names.get(number, f'segment {number}'))}"
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
        f"{number}. {bold(result.previous_names[number])} is now "
        f"{bold(result.current_names[number])}"
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
            name = result.current_names.get(number, str(number))
            lines.append(f"• {number}. {bold(name)}: {', '.join(moved[:3])}")
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
        f"<b>What changed</b>: {esc(truncate_plain(previous_label, MAX_NAME))} → "
        f"{esc(truncate_plain(current_label, MAX_NAME))}",
        *headline,
    ]
    if result.features_differ:
        common = fmt_list([esc(feature_name(f)) for f in result.common_features]) or "nothing"
        lines.append(f"The uploads were segmented on different columns; compared on {common}.")
    renamed = _renamed(result)
    if renamed:
        lines.append(f"Renamed: {renamed}.")
    for feature, change in result.store_wide.items():
        way = "rose" if change > 0 else "fell"
        lines.append(
            f"Across the segments, {esc(feature_name(feature))} {way} by "
            f"{esc(fmt_value(abs(change), None))}: the whole store changed, not a few customers."
        )
    drifted = _drifted(result)
    if drifted:
        lines += ["", "<b>Segments that shifted</b> (centre then → now)", *drifted]
    top_flows = result.transitions[:3]
    if result.ids_comparable and top_flows:
        lines += ["", "<b>Biggest moves</b>"]
        for flow in top_flows:
            lines.append(
                f"• {plural(flow.count, 'customer')} moved from "
                f"{bold(result.previous_names.get(flow.from_segment, flow.from_segment))} to "
                f"{bold(result.current_names.get(flow.to_segment, flow.to_segment))}"
            )
    lines += ["", "<b>Sizes then → now</b>"]
    for number in sorted(set(result.previous_sizes) | set(result.current_sizes)):
        before = result.previous_sizes.get(number, 0)
        now = result.current_sizes.get(number, 0)
        name = result.current_names.get(number) or result.previous_names.get(number, "")
        note = ""
        if number not in result.previous_sizes:
            note = " (new)"
        elif number not in result.current_sizes:
            note = " (gone)"
        lines.append(
            f"{number}. {bold(name)}: {fmt_int(before)} → {fmt_int(now)} "
            f"({fmt_signed(now - before)}){note}"
        )
    lines.append("")
    if not result.ids_comparable:
        lines.append(ids_not_comparable(result.reason))
        return split_message(lines)
    lines.append(
        f"Customers in both: {fmt_int(result.common_customers)} — "
        f"{fmt_int(result.moved)} moved, {fmt_int(result.stayed)} stayed."
    )
    if result.by_values:
        lines.append("Moved means their own numbers changed enough to cross into another segment.")
    if result.shifted:
        lines.append(
            f"{plural(result.shifted, 'customer')} whose own numbers still fit their old segment "
            "now sit in a neighbouring one because the segments shifted; they are not counted "
            "as moved."
        )
    other_flows = result.transitions[len(top_flows) : max_flows]
    if other_flows:
        # The biggest moves are already in words above; the rest go by number, one short line
        # each, so a phone does not wrap them.
        lines += ["", "<b>Other moves</b> (from → to)"]
        for flow in other_flows:
            lines.append(
                f"• {fmt_int(flow.count)}: segment {flow.from_segment} → {flow.to_segment}"
            )
        if len(result.transitions) > max_flows:
            lines.append(f"…and {len(result.transitions) - max_flows} smaller flows.")
    if result.new_by_segment:
        lines.append(
            f"New customers: {fmt_int(result.new_customers)} "
            f"({_by_segment(result.new_by_segment, result.current_names)})"
        )
    if result.gone_by_segment:
        lines.append(
            f"Gone: {fmt_int(result.gone_customers)} "
            f"({_by_segment(result.gone_by_segment, result.previous_names)})"
        )
    if result.moved:
        lines.append("/export moved sends the list of customers who moved.")
    return split_message(lines)


def purchase_headline(moves: PurchaseMoves, result: Comparison, unit: str | None) -> list[str]:
    """The head of /compare for two purchase logs: who stopped buying, who left the best segment.

    Args:
        moves: Lapsed customers and downgrades.
        result: The comparison (for the segments' names).
        unit: The spend's unit (``$``).
    """
    since = fmt_date(moves.since)
    lines = [f"<b>Since {esc(since)}</b> (up to {esc(fmt_date(moves.until))})"]
    if moves.lapsed:
        lines.append(
            f"Lapsed: {fmt_int(moves.lapsed)} of {fmt_int(moves.customers_before)} customers "
            f"bought nothing after {esc(since)}. They spent "
            f"{esc(fmt_value(moves.lapsed_spend, unit))} in the earlier log."
        )
    else:
        lines.append(f"Every customer of the earlier log bought again after {esc(since)}.")
    if moves.top_segment and moves.top_size:
        name = bold(result.previous_names.get(moves.top_segment, f"segment {moves.top_segment}"))
        if not moves.downgraded:
            lines.append(
                f"All {fmt_int(moves.top_size)} customers of {name}, the most valuable "
                "segment, are still there."
            )
        else:
            where = []
            for number, count in list(moves.downgraded_to.items())[:MAX_LIST]:
                if number == 0:
                    where.append(f"{fmt_int(count)} stopped buying")
                else:
                    to = bold(result.current_names.get(number, f"segment {number}"))
                    where.append(f"{fmt_int(count)} to {to}")
            lines.append(
                f"Left {name}, the most valuable segment: {fmt_int(moves.downgraded)} of "
                f"{fmt_int(moves.top_size)} customers, who spent "
                f"{esc(fmt_value(moves.downgraded_spend, unit))} of its "
                f"{esc(fmt_value(moves.top_spend, unit))} ({', '.join(where)})."
            )
    return lines


def ids_not_comparable(reason: str) -> str:
    """Say why customers cannot be followed from one upload to the other."""
    why = (
        "one of the files has no customer id column"
        if reason == "ids_generated"
        else "the two files share no customer ids"
    )
    return f"Only sizes are compared: {why}, so I cannot tell who moved."


def transitions_caption(result: Comparison) -> str:
    """Caption of the transitions chart."""
    if not result.ids_comparable:
        return bold("Segment sizes then and now")
    return fit_caption(
        [
            bold("Where customers went"),
            f"{fmt_int(result.moved)} of {fmt_int(result.common_customers)} "
            "customers changed segment.",
        ]
    )


def compare_needs_two() -> str:
    """Answer /compare with fewer than two uploads."""
    return (
        "I have no earlier upload to compare this one with.\n"
        "Send this month's CSV after last month's, then /compare; "
        "or /compare A B with two numbers from /datasets."
    )


def compare_usage() -> str:
    """Answer /compare with bad arguments."""
    return "Send /compare for the latest two uploads, or /compare A B with numbers from /datasets."
