"""How the bot describes one customer (/whois): their segment, how typical, where they stand.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import N_, _, persona_name
from bot.text.format import (
    MAX_LIST,
    MAX_NAME,
    MAX_NUMBERS,
    bold,
    code,
    esc,
    feature_name,
    fmt_num,
    fmt_pct,
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
        words = _("A textbook member of the segment")
    elif value <= 60:
        words = _("A fairly typical member")
    elif value <= 90:
        words = _("Less typical: towards the segment's edge")
    else:
        words = _("An outlier: at the segment's edge")
    if nearer < 1:
        return _("{words} (the farthest from its centre).", words=words)
    return _(
        "{words} (nearer its centre than {share} of members).",
        words=words,
        share=fmt_pct(nearer / 100),
    )


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
            share = _percent(min(same * step, 100))
            if value == quantiles[0]:
                return _("the lowest value, like about {share} of customers", share=share)
            if value == quantiles[-1]:
                return _("the highest value, like about {share} of customers", share=share)
            return _("a common value, like about {share} of customers", share=share)
    if percentile < 1:
        return _("among the lowest of all customers")
    if percentile > 99:
        return _("among the highest of all customers")
    return _("higher than {share} of customers", share=_percent(percentile))


def _percent(value: float) -> str:
    """A 0..100 percentage, whole (``70%``), as the chat's language writes it."""
    return fmt_pct(round(value) / 100) if fmt_num(value, 0) != "–" else "–"


#: Gender values as the engine writes them, said of one customer.
_GENDER_VALUES = {"Female": N_("Female"), "Male": N_("Male")}


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
        _(
            "Customer {id}: {segment}",
            id=code(truncate_plain(lookup.customer_id, MAX_NAME)),
            segment=segment_ref(seg, lookup.segment),
        ),
    ]
    if typicality(lookup.typicality):
        lines.append(typicality(lookup.typicality))
    if lookup.runner_up:
        lines.append(_("Next closest: {segment}.", segment=segment_ref(seg, lookup.runner_up)))
    if previous is not None:
        lines.append(
            _(
                "In upload #{upload} they were in segment {number} ({name}).",
                upload=previous.upload,
                number=previous.number,
                name=bold(persona_name(previous.name)),
            )
        )
    lines.append("")
    values = dict(lookup.values)
    scores = [values.pop(c, None) for c in RFM_SCORES]
    if all(score is not None for score in scores):
        r, f, m = (int(score) for score in scores if score is not None)
        lines.append(
            "• " + _("RFM: R score {r}, F score {f}, M score {m} (1–5, 5 is best)", r=r, f=f, m=m)
        )
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
        lines.append("• " + _("…and {more} in /export", more=plural(hidden, "more column")))
    for column, level in list(lookup.attributes.items())[:MAX_LIST]:
        if column == "gender" and level in _GENDER_VALUES:
            level = _(_GENDER_VALUES[level])
        lines.append(
            f"• {esc(feature_name(column, seg.labels))}: {esc(truncate_plain(level, MAX_NAME))}"
        )
    return split_message(lines)


def whois_unknown(customer_id: str, similar: Sequence[str]) -> str:
    """Answer /whois for an id not in the active data."""
    text = _(
        "No customer with id {id} in the current data.",
        id=code(truncate_plain(customer_id, MAX_NAME)),
    )
    if similar:
        text += "\n" + _("Close ids: {ids}", ids=", ".join(code(s) for s in similar[:5]))
    return text


def whois_usage() -> str:
    """Answer /whois without an id."""
    return _("Whose segment? Send /whois and a customer id, e.g. /whois 42.")
