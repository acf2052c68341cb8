"""How the bot describes results: segments, k, targets, customers, plots and changes.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
Long answers come back as a list of messages, each within Telegram's 4096-character limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.formatting import (
    CAPTION_LIMIT,
    MAX_LIST,
    MAX_NAME,
    bold,
    code,
    esc,
    fit_caption,
    fmt_int,
    fmt_list,
    fmt_num,
    fmt_pct,
    fmt_value,
    plural,
    split_message,
    truncate_plain,
)
from segmentation.display import friendly_label, whole_percents
from segmentation.result import CustomerLookup, KChoice, Segment, Segmentation, TargetRank

#: The plots the bot can draw, with their caption titles.
PLOT_TITLES: dict[str, str] = {
    "scatter": "Segments on a map of customers",
    "k": "How the number of segments was chosen",
    "profile": "What sets each segment apart",
}

#: Short names for the canonical fields.
FIELD_NAMES: dict[str, str] = {
    "customer_id": "id",
    "gender": "gender",
    "age": "age",
    "income": "income",
    "score": "spending score",
}


# --- names --------------------------------------------------------------------------------------


def feature_name(column: str, labels: dict[str, str] | None = None) -> str:
    """Return a column's short display name (plain text, not escaped)."""
    if column in FIELD_NAMES:
        return FIELD_NAMES[column]
    if column.startswith("gender="):
        return f"{column.split('=', 1)[1].lower()} share"
    return truncate_plain(friendly_label(column, labels or {}), MAX_NAME)


def value_text(column: str, value: float, unit: str | None) -> str:
    """Return a column's value for display (plain text); years keep their four digits."""
    if re.search(r"year|birth", column, re.IGNORECASE) and 1000 <= value <= 2200:
        return str(round(value))
    return fmt_value(value, unit)


def segment_title(segment: Segment) -> str:
    """Return ``2. <b>Affluent big spenders</b>``."""
    return f"{segment.number}. {bold(segment.persona.name)}"


def _segment_ref(seg: Segmentation, number: int) -> str:
    """Return ``segment 2 (<b>Name</b>)`` or ``segment 2`` when unknown."""
    try:
        return f"segment {number} ({bold(seg.segment(number).persona.name)})"
    except KeyError:
        return f"segment {number}"


# --- k, overview, segments ---------------------------------------------------------------------


_RUNNER_UP = {
    "splits_a_group": "{k} would split a group in two",
    "merges_groups": "{k} would merge two groups",
    "weaker_separation": "{k} separates less clearly",
}


def k_explanation(choice: KChoice) -> str:
    """Explain the number of segments in one sentence (plain words, no values from files)."""
    count = plural(choice.k, "segment")
    if not choice.auto:
        return f"{count}, as you asked (/k auto lets me choose)."
    if choice.kept_previous and choice.runner_up is not None:
        better = f"{choice.runner_up} separates only slightly better"
        return f"{count} as last time ({better}; /k auto chooses afresh)."
    score = choice.scores.get(choice.k)
    why = "clearest separation"
    if score is not None:
        why += f" ({esc(choice.criterion)} {score:.2f})"
    sentence = f"{count}: {why}"
    if choice.runner_up is not None:
        template = _RUNNER_UP.get(choice.runner_up_reason, "{k} separates less clearly")
        sentence += "; " + template.format(k=choice.runner_up)
    return sentence + "."


def telling_columns(seg: Segmentation, segment: Segment, limit: int = 3) -> list[str]:
    """Return the columns worth quoting for a segment.

    With few features, all of them (topped up with age, income and score); with many, the
    ones on which this segment's centre stands farthest from the average.
    """
    numeric = [(i, f) for i, f in enumerate(seg.features) if not f.startswith("gender=")]
    if len(numeric) <= limit:
        columns = [f for _, f in numeric]
        for column in ("age", "income", "score"):
            if column not in columns and column in segment.mean and len(columns) < limit:
                columns.append(column)
        return columns
    position = [s.number for s in seg.segments].index(segment.number)
    centre = seg.centers[position] if position < len(seg.centers) else ()
    ranked = sorted(numeric, key=lambda item: -abs(centre[item[0]]) if centre else 0.0)
    return [f for _, f in ranked[:limit]]


def key_numbers(seg: Segmentation, segment: Segment, limit: int = 3) -> str:
    """Return a segment's key numbers: ``income $87k · spending score 82/100 · age 33``."""
    parts: list[str] = []
    for column in telling_columns(seg, segment, limit):
        value = segment.centroid.get(column, segment.mean.get(column))
        if value is None:
            continue
        unit = seg.units.get(column)
        parts.append(
            f"{esc(feature_name(column, seg.labels))} {esc(value_text(column, value, unit))}"
        )
    if segment.gender_mix:
        top, share = max(segment.gender_mix.items(), key=lambda item: item[1])
        parts.append(f"{fmt_pct(share)} {esc(str(top).lower())}")
    return " · ".join(parts)


def shares(seg: Segmentation) -> dict[int, str]:
    """Segment number -> its share as a whole percentage; together they make 100%."""
    numbers = [s.number for s in seg.segments]
    percents = whole_percents([s.share for s in seg.segments])
    return {number: f"{percent}%" for number, percent in zip(numbers, percents, strict=True)}


def segment_line(seg: Segmentation, segment: Segment, share: str | None = None) -> str:
    """One line per segment: title, size and share, key numbers."""
    share = share or fmt_pct(segment.share)
    return (
        f"{segment_title(segment)} — {fmt_int(segment.size)} ({share})\n"
        f"    {key_numbers(seg, segment)}"
    )


def overview_caption(seg: Segmentation, filename: str, top_target: TargetRank | None = None) -> str:
    """The caption under the scatter plot after an upload or a re-segment."""
    total = sum(s.size for s in seg.segments)
    lines = [
        f"{bold(plural(seg.k, 'segment'))} in {plural(total, 'customer')} "
        f"of {esc(truncate_plain(filename, MAX_NAME))}",
        k_explanation(seg.k_choice),
        "",
    ]
    # Biggest first; "3 ·" rather than "3." so the numbers do not read as a broken list.
    share = shares(seg)
    lines += [
        f"{s.number} · {bold(s.persona.name)} — {share[s.number]}"
        for s in sorted(seg.segments, key=lambda s: -s.size)
    ]
    if top_target is not None:
        lines += ["", f"🎯 Top target: {_segment_ref(seg, top_target.number)}"]
    return fit_caption(lines, CAPTION_LIMIT)


def segments_list(seg: Segmentation) -> list[str]:
    """Answer /segments: every segment on one line (split over messages when long)."""
    lines = [k_explanation(seg.k_choice), ""]
    share = shares(seg)
    lines += [segment_line(seg, s, share[s.number]) for s in seg.segments]
    lines += ["", "/segment N for details, /target for the recommendation."]
    return split_message(lines)


def segment_detail(seg: Segmentation, number: int, rank: TargetRank | None = None) -> list[str]:
    """Answer /segment N: the segment in detail with its marketing action."""
    segment = seg.segment(number)
    lines = [
        f"Segment {segment.number}: {bold(segment.persona.name)}",
        f"{plural(segment.size, 'customer')}, {shares(seg)[number]} of all.",
        "",
        esc(segment.persona.description),
        "",
        "<b>In numbers</b> (median, and the middle half)",
    ]
    numeric = [c for c in segment.mean if not c.startswith("gender=")]
    telling = telling_columns(seg, segment, MAX_NUMBERS)
    shown = [c for c in numeric if c in telling] if len(numeric) > MAX_NUMBERS else numeric
    for column in shown:
        unit = seg.units.get(column)
        text = f"{esc(feature_name(column, seg.labels))}: "
        median = segment.median.get(column, segment.mean[column])
        text += f"median {esc(value_text(column, median, unit))}"
        if column in segment.quartiles:
            low, high = segment.quartiles[column]
            low_text, high_text = value_text(column, low, unit), value_text(column, high, unit)
            # The quartiles: half the segment lies between them.
            if low_text == high_text:
                text += f", half of them exactly {esc(low_text)}"
            else:
                text += f", middle half {esc(low_text)}–{esc(high_text)}"
        lines.append("• " + text)
    if len(numeric) > len(shown):
        lines.append(f"• …and {plural(len(numeric) - len(shown), 'more column')} in /export")
    if segment.gender_mix:
        levels = sorted(segment.gender_mix.items(), key=lambda item: -item[1])
        percents = whole_percents([share for _, share in levels])
        mix = ", ".join(
            f"{percent}% {esc(str(level).lower())}"
            for (level, _), percent in zip(levels, percents, strict=True)
        )
        lines.append(f"• gender: {mix}")
    for column, pairs in list(segment.top_attributes.items())[:MAX_LIST]:
        if column == "gender" and segment.gender_mix:
            continue
        mix = ", ".join(
            f"{esc(truncate_plain(level, MAX_NAME))} {fmt_pct(share)}" for level, share in pairs
        )
        lines.append(f"• {esc(feature_name(column, seg.labels))}: {mix}")
    lines += ["", f"💡 {bold('Action')}: {esc(segment.persona.action)}"]
    if rank is not None:
        reason = target_reason(rank, seg)
        lines.append(f"🎯 Target rank {rank.rank} of {seg.k} — {reason}.")
    return split_message(lines)


def personas(seg: Segmentation) -> list[str]:
    """Every segment's persona: name, description and marketing action."""
    lines: list[str] = []
    for segment in seg.segments:
        lines += [
            segment_title(segment),
            esc(segment.persona.description),
            f"Action: {esc(segment.persona.action)}",
            "",
        ]
    return split_message(lines)


def _numbers_text(numbers: Sequence[int]) -> str:
    """``1 to 5`` when the numbers run without a gap, else ``1, 4 or 7``."""
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{ordered[0]} to {ordered[-1]}"
    return fmt_list([str(n) for n in ordered], "or")


def no_such_segment(number: str, numbers: Sequence[int]) -> str:
    """Answer /segment N with a bad N; ``numbers`` are the segments there are."""
    return (
        f"There is no segment {esc(truncate_plain(number, 20))}; "
        f"pick {_numbers_text(numbers)}, e.g. /segment {min(numbers)}."
    )


def segment_usage(numbers: Sequence[int]) -> str:
    """Answer /segment without a number."""
    return (
        f"Which segment? Send /segment and its number ({_numbers_text(numbers)}), "
        f"e.g. /segment {min(numbers)}."
    )


# --- targeting ---------------------------------------------------------------------------------


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
}


#: Column names that stand for spending or for the means to spend (as the ranking reads them).
_SPEND_COLUMNS = re.compile(r"spend|purchas|mnt|amount|sales|revenue|monetary", re.IGNORECASE)
_MEANS_COLUMNS = re.compile(r"income|salary|wage|earning|credit.?limit", re.IGNORECASE)


def _has(seg: Segmentation, column: str) -> bool:
    """Whether ``seg`` knows ``column`` (as a feature or in its population)."""
    return column in seg.population or column in seg.features


def _measured(seg: Segmentation | None, words: re.Pattern[str], canonical: str) -> bool:
    """Whether ``seg`` has a column the words speak of (no segmentation: assume so)."""
    if seg is None:
        return True
    if _has(seg, canonical):
        return True
    columns = [*seg.population, *seg.features]
    return any(words.search(f"{c} {seg.labels.get(c, '')}") for c in columns)


def target_reason(rank: TargetRank, seg: Segmentation | None = None) -> str:
    """Return the reason line for one ranked segment (plain words).

    Words about spending or income are only said when the data has such a column; without
    one the ranking falls back on other columns, and "spend little" would be a guess.
    """
    reason = _KIND_WORDS.get(rank.kind, rank.kind)
    # "Keep an eye on them" means spending and means are near the middle: say only the size.
    middling = rank.kind == "monitor"
    measured = {
        "spend": _measured(seg, _SPEND_COLUMNS, "score") and not middling,
        "means": _measured(seg, _MEANS_COLUMNS, "income") and not middling,
        "size": True,
    }
    words: list[str] = []
    for name, value in rank.drivers.items():
        high, low = _DRIVER_WORDS.get(name, ("", ""))
        if name == "means" and seg is not None and not _has(seg, "income"):
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


def targets(seg: Segmentation, ranks: Sequence[TargetRank]) -> list[str]:
    """Answer /target: the ranking, top pick first, with reasons."""
    ordered = sorted(ranks, key=lambda r: r.rank)
    if not ordered:
        return ["I could not rank the segments for targeting."]
    top = ordered[0]
    lines = [
        f"🎯 Target first: {_segment_ref(seg, top.number)}",
        f"Why: {target_reason(top, seg)}.",
    ]
    if any(s.number == top.number for s in seg.segments):
        lines.append(f"Action: {esc(seg.segment(top.number).persona.action)}")
    lines += ["", "<b>Full ranking</b> (score 0–1, higher first)"]
    for rank in ordered:
        ref = _segment_ref(seg, rank.number)
        lines.append(f"{rank.rank}. S{ref[1:]}")
        lines.append(f"    {target_reason(rank, seg)} · {rank.score:.2f}")
    return split_message(lines)


# --- customers ---------------------------------------------------------------------------------


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


#: Most numbers listed for one customer or segment before the rest is left to /export.
MAX_NUMBERS = 6


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
        f"{_segment_ref(seg, lookup.segment)}",
    ]
    if typicality(lookup.typicality):
        lines.append(typicality(lookup.typicality))
    if lookup.runner_up:
        lines.append(f"Next closest: {_segment_ref(seg, lookup.runner_up)}.")
    if previous is not None:
        lines.append(
            f"In upload #{previous.upload} they were in segment {previous.number} "
            f"({bold(previous.name)})."
        )
    lines.append("")
    standing = {c: p - 50 for c, p in lookup.percentiles.items()}
    shown = _most_telling(list(lookup.values), standing, MAX_NUMBERS)
    for column in shown:
        value = lookup.values[column]
        unit = seg.units.get(column)
        text = f"• {esc(feature_name(column, seg.labels))}: {esc(value_text(column, value, unit))}"
        if column in lookup.percentiles:
            rank = population_rank(
                lookup.percentiles[column], value, seg.population.get(column, ())
            )
            text += f" ({rank})"
        lines.append(text)
    if len(lookup.values) > len(shown):
        hidden = len(lookup.values) - len(shown)
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


def plot_caption(name: str, seg: Segmentation) -> str:
    """Caption of a plot."""
    title = PLOT_TITLES.get(name, name)
    lines = [bold(title)]
    if name == "k":
        lines.append(k_explanation(seg.k_choice))
    elif name == "scatter":
        lines.append(f"{plural(seg.k, 'segment')}; colours match /segments.")
    else:
        lines.append("Each segment's average against all customers.")
    return fit_caption(lines)


def resegment_summary(
    old: Segmentation,
    new: Segmentation,
    matched: int | None = None,
    new_numbers: Sequence[int] = (),
    vanished: Sequence[int] = (),
    names_kept: bool = True,
) -> str:
    """Say what changed after /k or /features (``names_kept`` False: matched ones were renamed)."""
    lines = []
    if old.k != new.k:
        lines.append(f"Now {bold(plural(new.k, 'segment'))} (was {old.k}).")
    else:
        lines.append(f"Still {bold(plural(new.k, 'segment'))}.")
    if tuple(old.features) != tuple(new.features):
        before = fmt_list([esc(feature_name(f, old.labels)) for f in old.features])
        after = fmt_list([esc(feature_name(f, new.labels)) for f in new.features])
        lines.append(f"Segmented on {after} (was {before}).")
    if matched is not None:
        kept = "their number and name" if names_kept else "their number"
        lines.append(f"{matched} of {old.k} segments kept {kept}.")
        if not names_kept:
            lines.append("Names now describe the new columns.")
    for number in new_numbers:
        lines.append(f"New: {_segment_ref(new, number)}.")
    for number in vanished:
        lines.append(f"Gone: {_segment_ref(old, number)}.")
    return split_message(lines)[0]
