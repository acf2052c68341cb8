"""How the bot describes a segmentation: k, the segments, their personas, plots, re-segments.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
Long answers come back as a list of messages, each within Telegram's 4096-character limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bot.text.format import (
    CAPTION_LIMIT,
    MAX_LIST,
    MAX_NAME,
    MAX_NUMBERS,
    bold,
    esc,
    feature_name,
    fit_caption,
    fmt_int,
    fmt_list,
    fmt_pct,
    plural,
    segment_ref,
    segment_title,
    split_message,
    truncate_plain,
    value_text,
)
from bot.text.target import revenue_shares, target_reason
from segmentation import (
    KChoice,
    Quality,
    Segment,
    Segmentation,
    TargetRank,
    feature_columns,
    is_level_feature,
    whole_percents,
)

#: The plots the bot can draw, with their caption titles.
PLOT_TITLES: dict[str, str] = {
    "scatter": "Segments on a map of customers",
    "k": "How the number of segments was chosen",
    "profile": "What sets each segment apart",
}


_RUNNER_UP = {
    "splits_a_group": "{k} would split a group in two",
    "merges_groups": "{k} would merge two groups",
    "weaker_separation": "{k} separates less clearly",
}


#: The structure verdict, as a manager reads it (``segmentation.structure``).
VERDICT_SENTENCES = {
    "clear": "These groups are clear and stable.",
    "moderate": "These groups are real but overlap: many customers sit between two.",
    "weak": "The groups are weak: read them as tendencies, not distinct types.",
    "none": "These customers do not fall into distinct groups; treat the segments as bands, "
    "not types.",
}


def k_explanation(choice: KChoice, quality: Quality | None = None, *, scores: bool = False) -> str:
    """Explain the number of segments in one sentence (plain words, no values from files);
    with ``scores``, the measured separation too (for the chart of the choice only).

    With no distinct groups (``quality.verdict == "none"``) no k "separates" anything, so
    the sentence says the segments are bands and nothing about a clearest separation.
    """
    count = plural(choice.k, "segment")
    none = quality is not None and quality.verdict == "none"
    if not choice.auto:
        return f"{count}, as you asked (/k auto lets me choose)."
    if choice.kept_previous and choice.runner_up is not None:
        better = f"{choice.runner_up} separates only slightly better"
        return f"{count} as last time ({better}; /k auto chooses afresh)."
    if none:
        return (
            f"{count} as bands: no number of segments separates these customers better than "
            "customers spread at random would be."
        )
    score = choice.scores.get(choice.k)
    why = "the clearest separation"
    if score is not None and scores:
        why += f" ({esc(choice.criterion)} {score:.2f}"
        if quality is not None and math.isfinite(quality.reference):
            why += f"; {quality.reference:.2f} for customers with no groups"
        why += ")"
    sentence = f"{count}: {why}"
    if choice.near:
        sentence += "; " + _near_text(choice)
    elif choice.runner_up is not None:
        template = _RUNNER_UP.get(choice.runner_up_reason, "{k} separates less clearly")
        sentence += "; " + template.format(k=choice.runner_up)
    if choice.at_edge:
        sentence += f". {choice.k} is the most I tried, so more might fit (/k N to ask)"
    return sentence + "."


def _near_text(choice: KChoice) -> str:
    """Which other numbers of segments separate about as well, honestly named.

    ``anything from 4 to 6 separates about as well`` when they run unbroken with k, else
    ``6 would separate about as well`` / ``4 and 7 would separate about as well``.
    """
    ks = sorted({choice.k, *choice.near})
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return f"anything from {ks[0]} to {ks[-1]} separates about as well"
    others = [str(k) for k in ks if k != choice.k]
    return f"{fmt_list(others)} would separate about as well"


def structure_sentence(seg: Segmentation) -> str:
    """The verdict on the groups in one sentence, or ``""`` for runs stored before it."""
    return VERDICT_SENTENCES.get(seg.quality.verdict, "")


#: Columns named in the "compared by ratio" note; the rest are counted, so it fits a phone line.
MAX_RATIO_NAMES = 3


def method_notes(seg: Segmentation) -> list[str]:
    """How the segments were found, where it differs from the obvious: one line each.

    Columns compared on a log scale, columns left out for adding no structure, and customers
    far outside the rest.
    """
    notes: list[str] = []
    if seg.transformed:
        shown = [esc(feature_name(f, seg.labels)) for f in seg.transformed[:MAX_RATIO_NAMES]]
        rest = len(seg.transformed) - len(shown)
        if rest:
            shown.append(plural(rest, "other column"))
        names = fmt_list(shown)
        notes.append(
            f"{names[0].upper()}{names[1:]} compared by ratio (log scale): a few customers "
            "have far more than most."
        )
    if seg.left_out:
        names = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.left_out])
        pronoun = "it adds" if len(seg.left_out) == 1 else "they add"
        notes.append(
            f"Left out {names}: {pronoun} no group structure here (/features names the "
            "columns to use)."
        )
    if seg.unusual:
        count = seg.unusual_total or max(seg.unusual.values())
        where = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.unusual])
        notes.append(
            f"{plural(count, 'customer')} far outside the rest on {where}: placed in the "
            "nearest segment, marked in /export."
        )
    return notes


def telling_columns(seg: Segmentation, segment: Segment, limit: int = 3) -> list[str]:
    """Return the columns worth quoting for a segment.

    With few features, all of them (topped up with age, income and score); with many, the
    ones on which this segment's centre stands farthest from the average.
    """
    numeric = [(i, f) for i, f in enumerate(seg.features) if not is_level_feature(f)]
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
    """Return a segment's key numbers, medians: ``income $87k · spending score 82/100 · age 33``."""
    parts: list[str] = []
    for column in telling_columns(seg, segment, limit):
        # The median, as /segment N and the answers quote it: one figure per idea everywhere.
        value = segment.median.get(column, segment.centroid.get(column, segment.mean.get(column)))
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
    revenue = revenue_shares(seg).get(segment.number)
    of_revenue = f", {revenue} of revenue" if revenue else ""
    return (
        f"{segment_title(segment)} — {fmt_int(segment.size)} ({share}{of_revenue})\n"
        f"    {key_numbers(seg, segment)}"
    )


def overview_caption(seg: Segmentation, filename: str, top_target: TargetRank | None = None) -> str:
    """The caption under the scatter plot after an upload or a re-segment."""
    total = sum(s.size for s in seg.segments)
    lines = [
        f"{bold(plural(seg.k, 'segment'))} in {plural(total, 'customer')} "
        f"of {esc(truncate_plain(filename, MAX_NAME))}",
        k_explanation(seg.k_choice, seg.quality),
        *([structure_sentence(seg)] if structure_sentence(seg) else []),
        *method_notes(seg),
        "",
    ]
    # Biggest first; "3 ·" rather than "3." so the numbers do not read as a broken list.
    share = shares(seg)
    revenue = revenue_shares(seg)
    lines += [
        f"{s.number} · {bold(s.persona.name)} — {share[s.number]}"
        + (f" of customers, {revenue[s.number]} of revenue" if revenue else "")
        for s in sorted(seg.segments, key=lambda s: -s.size)
    ]
    if top_target is not None and seg.quality.verdict == "none":
        lines += ["", "🎯 No segment stands out as a target: /target ranks them by the numbers."]
    elif top_target is not None:
        lines += ["", f"🎯 Top target: {segment_ref(seg, top_target.number)}"]
    return fit_caption(lines, CAPTION_LIMIT)


def segments_list(
    seg: Segmentation, gone: Mapping[int, Sequence[tuple[int, int]]] | None = None
) -> list[str]:
    """Answer /segments: every segment on one line (split over messages when long); a gap in
    the numbers is explained with where that segment's customers went (``gone``)."""
    lines = [k_explanation(seg.k_choice, seg.quality)]
    verdict = structure_sentence(seg)
    if verdict:
        lines.append(verdict)
    lines += [*method_notes(seg), ""]
    share = shares(seg)
    lines += [segment_line(seg, s, share[s.number]) for s in seg.segments]
    gaps = gap_lines(seg, gone or {})
    if gaps:
        lines += ["", *gaps]
    lines += [
        "",
        "/segment N for details, /target for the recommendation, /why for how I found them.",
    ]
    return split_message(lines)


def quality_line(seg: Segmentation) -> str:
    """The measured scores in one small line, for whoever wants to check them (the caption of
    the chart of the choice, not the manager's answers)."""
    q = seg.quality
    if not q.verdict:
        return ""
    parts = [f"silhouette {q.silhouette:.2f}"]
    if math.isfinite(q.reference):
        parts[0] += f" ({q.reference:.2f} with no groups)"
    parts += [
        f"stability {q.stability:.2f}",
        f"Davies–Bouldin {q.davies_bouldin:.2f}",
        f"Calinski–Harabasz {q.calinski_harabasz:,.0f}",
    ]
    return "<i>Scores: " + " · ".join(parts) + "</i>"


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
    numeric = [c for c in segment.mean if not is_level_feature(c)]
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
        reason = target_reason(rank, revenue_shares(seg).get(rank.number))
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


def plot_caption(name: str, seg: Segmentation) -> str:
    """Caption of a plot."""
    title = PLOT_TITLES.get(name, name)
    lines = [bold(title)]
    if name == "k":
        lines.append(k_explanation(seg.k_choice, seg.quality, scores=True))
        scores = quality_line(seg)
        if scores:
            lines.append(scores)
    elif name == "scatter":
        lines.append(f"{plural(seg.k, 'segment')}; colours match /segments.")
    else:
        lines.append("Each segment's average against all customers.")
    return fit_caption(lines)


def columns_text(seg: Segmentation, limit: int = MAX_LIST) -> str:
    """The columns a run clustered on, as prose: a text column once, not once per level."""
    columns = feature_columns(seg.features)
    names = [esc(feature_name(c, seg.labels)) for c in columns[:limit]]
    if len(columns) > limit:
        names.append(plural(len(columns) - limit, "more column"))
    return fmt_list(names)


def renamed_lines(renamed: Sequence[tuple[int, str, str]]) -> list[str]:
    """``Mainstream middle is now Reserved mid-income shoppers``, one line per renamed segment."""
    return [
        f"{number}. {bold(old)} is now {bold(new)}: its customers no longer fit the old name."
        for number, old, new in renamed[:MAX_LIST]
    ]


def resegment_summary(
    old: Segmentation,
    new: Segmentation,
    matched: int | None = None,
    new_numbers: Sequence[int] = (),
    vanished: Sequence[int] = (),
    names_kept: bool = True,
    renamed: Sequence[tuple[int, str, str]] = (),
    gone: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> str:
    """Say what changed after /k or /features.

    ``names_kept`` False: matched segments were renamed, for new columns or (``renamed``)
    because their centre moved out of the old name.
    """
    lines = []
    if old.k != new.k:
        lines.append(f"Now {bold(plural(new.k, 'segment'))} (was {old.k}).")
    else:
        lines.append(f"Still {bold(plural(new.k, 'segment'))}.")
    if tuple(old.features) != tuple(new.features):
        before, after = columns_text(old), columns_text(new)
        lines.append(f"Segmented on {after} (was {before}).")
    if matched is not None:
        kept = "their number and name" if names_kept else "their number"
        lines.append(f"{matched} of {old.k} segments kept {kept}.")
        if not names_kept and tuple(old.features) != tuple(new.features):
            lines.append("Names now describe the new columns.")
    lines += renamed_lines(renamed)
    for number in new_numbers:
        lines.append(f"New: {segment_ref(new, number)}.")
    for number in vanished:
        lines.append(f"Gone: {segment_ref(old, number)}{went_to_text((gone or {}).get(number))}.")
    return split_message(lines)[0]


def went_to_text(pairs: Sequence[tuple[int, int]] | None) -> str:
    """``; its customers went to 2 (30) and 5 (12)``, or ``""`` when unknown."""
    if not pairs:
        return ""
    shown = [f"{number} ({fmt_int(count)})" for number, count in pairs[:MAX_NUMBERS]]
    return "; its customers went to " + fmt_list(shown)


def gap_lines(seg: Segmentation, gone: Mapping[int, Sequence[tuple[int, int]]]) -> list[str]:
    """Explain, once, the numbers missing before the highest segment number."""
    numbers = {s.number for s in seg.segments}
    missing = [n for n in range(1, max(numbers, default=0)) if n not in numbers]
    lines = []
    for number in missing[:MAX_LIST]:
        went = went_to_text(gone.get(number))
        if went:
            lines.append(f"No segment {number}: it disappeared at the last change{went}.")
        else:
            lines.append(
                f"No segment {number}: it disappeared at an earlier change. Numbers stay with "
                "their segments, so the others keep theirs."
            )
    return lines


#: Longest segment name shown on a button, after its number.
BUTTON_NAME = 22


def button_label(number: int, name: str) -> str:
    """A segment button: its number and short name (``2 · Affluent big spenders``), plain."""
    return f"{number} · {truncate_plain(name, BUTTON_NAME)}"
