"""How the bot describes one customer (/whois): their segment, how typical, where they stand.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.text.format import (
    MAX_LIST,
    MAX_NAME,
    MAX_NUMBERS,
    bold,
    code,
    esc,
    feature_name,
    fmt_num,
    plural,
    segment_ref,
    split_message,
    truncate_plain,
    value_text,
)
from segmentation import RFM_SCORES, CustomerLookup, Segmentation


def typicality(value: float) -> str:
    """Say how close a member is to its segment's centre, from its distance percentile.

    ``value`` is 0 for the member nearest the centre and 100 for the farthest.
    """
    if value != value:  # no distance percentiles kept
        return ""
    nearer = round(100 - value)
    if value <= 25:
        words = "A textbook member of the segment"
    elif value <= 60:
        words = "A fairly typical member"
    elif value <= 90:
        words = "Less typical: towards the segment's edge"
    else:
        words = "An outlier: at the segment's edge"
    if nearer < 1:
        return f"{words} (the farthest from its centre)."
    return f"{words} (nearer its centre than {nearer}% of members)."


def population_rank(
    percentile: float, value: float | None = None, quantiles: Sequence[float] = ()
) -> str:
    """Say where a value stands among all customers (``higher than 70% of customers``).

    With the column's 0th..100th percentiles, a value many customers share (a zero, a
    flag) is said as such: "higher than 26%" would be false for the lowest value.
    """
    if value is not None and len(quantiles) > 2:
        step = 100 / (len(quantiles) - 1)
        same = sum(1 for q in quantiles if q == value)
        if same * step >= 10:
            shared = f"like about {fmt_num(min(same * step, 100), 0)}% of customers"
            if value == quantiles[0]:
                return f"the lowest value, {shared}"
            if value == quantiles[-1]:
                return f"the highest value, {shared}"
            return f"a common value, {shared}"
    if percentile < 1:
        return "among the lowest of all customers"
    if percentile > 99:
        return "among the highest of all customers"
    return f"higher than {fmt_num(percentile, 0)}% of customers"


def _most_telling(columns: Sequence[str], standing: dict[str, float], limit: int) -> list[str]:
    """Up to ``limit`` columns, those standing farthest from the middle; file order kept."""
    if len(columns) <= limit:
        return list(columns)
    kept = set(sorted(columns, key=lambda c: -abs(standing.get(c, 0.0)))[:limit])
    return [c for c in columns if c in kept]


@dataclass(frozen=True)
class PreviousSegment:
    """Where a customer was in the previous upload, when it differs."""

    upload: int
    number: int
    name: str


def whois(
    seg: Segmentation, lookup: CustomerLookup, previous: PreviousSegment | None = None
) -> list[str]:
    """Answer /whois ID for a known customer."""
    lines = [
        f"Customer {code(truncate_plain(lookup.customer_id, MAX_NAME))}: "
        f"{segment_ref(seg, lookup.segment)}",
    ]
    if typicality(lookup.typicality):
        lines.append(typicality(lookup.typicality))
    if lookup.runner_up:
        lines.append(f"Next closest: {segment_ref(seg, lookup.runner_up)}.")
    if previous is not None:
        lines.append(
            f"In upload #{previous.upload} they were in segment {previous.number} "
            f"({bold(previous.name)})."
        )
    lines.append("")
    values = dict(lookup.values)
    scores = [values.pop(c, None) for c in RFM_SCORES]
    if all(score is not None for score in scores):
        r, f, m = (int(score) for score in scores if score is not None)
        lines.append(f"• RFM: R score {r}, F score {f}, M score {m} (1–5, 5 is best)")
    standing = {c: p - 50 for c, p in lookup.percentiles.items()}
    shown = _most_telling(list(values), standing, MAX_NUMBERS)
    for column in shown:
        value = values[column]
        unit = seg.units.get(column)
        text = f"• {esc(feature_name(column, seg.labels))}: {esc(value_text(column, value, unit))}"
        if column in lookup.percentiles:
            rank = population_rank(
                lookup.percentiles[column], value, seg.population.get(column, ())
            )
            text += f" ({rank})"
        lines.append(text)
    if len(values) > len(shown):
        hidden = len(values) - len(shown)
        lines.append(f"• …and {plural(hidden, 'more column')} in /export")
    for column, level in list(lookup.attributes.items())[:MAX_LIST]:
        lines.append(
            f"• {esc(feature_name(column, seg.labels))}: {esc(truncate_plain(level, MAX_NAME))}"
        )
    return split_message(lines)


def whois_unknown(customer_id: str, similar: Sequence[str]) -> str:
    """Answer /whois for an id not in the active data."""
    text = f"No customer with id {code(truncate_plain(customer_id, MAX_NAME))} in the current data."
    if similar:
        text += "\nClose ids: " + ", ".join(code(s) for s in similar[:5])
    return text


def whois_usage() -> str:
    """Answer /whois without an id."""
    return "Whose segment? Send /whois and a customer id, e.g. /whois 42."
