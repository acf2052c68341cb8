"""How the bot describes a segmentation: k, the segments, their personas, plots, re-segments.

Pure functions returning Telegram HTML; every value that came from a file is escaped here.
Long answers come back as a list of messages, each within Telegram's 4096-character limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bot.i18n import N_, _, current_language, ngettext, persona, persona_name
from bot.text.format import (
    CAPTION_LIMIT,
    MAX_LIST,
    MAX_NAME,
    MAX_NUMBERS,
    bold,
    esc,
    feature_name,
    fit_caption,
    fmt_fixed,
    fmt_int,
    fmt_list,
    fmt_pct,
    gender_word,
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
    "scatter": N_("Segments on a map of customers"),
    "k": N_("How the number of segments was chosen"),
    "profile": N_("What sets each segment apart"),
}


_RUNNER_UP = {
    "splits_a_group": N_("{k} would split a group in two"),
    "merges_groups": N_("{k} would merge two groups"),
    "weaker_separation": N_("{k} separates less clearly"),
}


#: The criteria a number of segments is chosen by, as the chat names them.
CRITERIA = {"silhouette": N_("silhouette")}


def _criterion(name: str) -> str:
    """A criterion's name in the chat's language (escaped)."""
    return esc(_(CRITERIA[name]) if name in CRITERIA else name)


#: The structure verdict, as a manager reads it (``segmentation.structure``).
VERDICT_SENTENCES = {
    "clear": N_("These groups are clear and stable."),
    "moderate": N_("These groups are real but overlap: many customers sit between two."),
    "weak": N_("The groups are weak: read them as tendencies, not distinct types."),
    "none": N_(
        "These customers do not fall into distinct groups; treat the segments as bands, not types."
    ),
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
        return _("{count}, as you asked (/k auto lets me choose).", count=count)
    if choice.kept_previous and choice.runner_up is not None:
        return _(
            "{count} as last time ({k} separates only slightly better; /k auto chooses afresh).",
            count=count,
            k=choice.runner_up,
        )
    if none:
        return _(
            "{count} as bands: no number of segments separates these customers better than "
            "customers spread at random would be.",
            count=count,
        )
    score = choice.scores.get(choice.k)
    why = _("the clearest separation")
    if score is not None and scores:
        measured = _score(score)
        if quality is not None and math.isfinite(quality.reference):
            why = _(
                "the clearest separation ({criterion} {score}; {reference} for customers "
                "with no groups)",
                criterion=_criterion(choice.criterion),
                score=measured,
                reference=_score(quality.reference),
            )
        else:
            why = _(
                "the clearest separation ({criterion} {score})",
                criterion=_criterion(choice.criterion),
                score=measured,
            )
    parts = [_("{count}: {why}", count=count, why=why)]
    if choice.near:
        parts.append(_near_text(choice))
    elif choice.runner_up is not None:
        template = _RUNNER_UP.get(choice.runner_up_reason, _RUNNER_UP["weaker_separation"])
        parts.append(_(template, k=choice.runner_up))
    sentence = (
        _("{first}; {second}", first=parts[0], second=parts[1]) if len(parts) > 1 else parts[0]
    )
    if choice.at_edge:
        return _(
            "{sentence}. {k} is the most I tried, so more might fit (/k N to ask).",
            sentence=sentence,
            k=choice.k,
        )
    return _("{sentence}.", sentence=sentence)


def _score(value: float) -> str:
    """A quality score with two decimals, as the chat's language writes them."""
    return fmt_fixed(value, 2)


def _near_text(choice: KChoice) -> str:
    """Which other numbers of segments separate about as well, honestly named.

    ``anything from 4 to 6 separates about as well`` when they run unbroken with k, else
    ``6 would separate about as well`` / ``4 and 7 would separate about as well``.
    """
    ks = sorted({choice.k, *choice.near})
    if len(ks) > 2 and ks == list(range(ks[0], ks[-1] + 1)):
        return _("anything from {low} to {high} separates about as well", low=ks[0], high=ks[-1])
    others = [str(k) for k in ks if k != choice.k]
    return _("{ks} would separate about as well", ks=fmt_list(others))


def structure_sentence(seg: Segmentation) -> str:
    """The verdict on the groups in one sentence, or ``""`` for runs stored before it."""
    verdict = VERDICT_SENTENCES.get(seg.quality.verdict)
    return _(verdict) if verdict else ""


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
        names = names[:1].upper() + names[1:]
        notes.append(
            _(
                "{names} compared by ratio (log scale): a few customers have far more than most.",
                names=names,
            )
        )
    if seg.left_out:
        names = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.left_out])
        notes.append(
            ngettext(
                "Left out {names}: it adds no group structure here (/features names the "
                "columns to use).",
                "Left out {names}: they add no group structure here (/features names the "
                "columns to use).",
                len(seg.left_out),
                names=names,
            )
        )
    if seg.unusual:
        count = seg.unusual_total or max(seg.unusual.values())
        where = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.unusual])
        notes.append(
            ngettext(
                "{n} customer far outside the rest on {where}: placed in the nearest segment, "
                "marked in /export.",
                "{n} customers far outside the rest on {where}: placed in the nearest segment, "
                "marked in /export.",
                count,
                where=where,
            )
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
        parts.append(f"{fmt_pct(share)} {esc(gender_word(top))}")
    return " · ".join(parts)


def shares(seg: Segmentation) -> dict[int, str]:
    """Segment number -> its share as a whole percentage; together they make 100%."""
    numbers = [s.number for s in seg.segments]
    percents = whole_percents([s.share for s in seg.segments])
    return {
        number: fmt_pct(percent / 100) for number, percent in zip(numbers, percents, strict=True)
    }


def segment_line(seg: Segmentation, segment: Segment, share: str | None = None) -> str:
    """One line per segment: title, size and share, key numbers."""
    share = share or fmt_pct(segment.share)
    revenue = revenue_shares(seg).get(segment.number)
    if revenue:
        size = _(
            "{size} ({share}, {revenue} of revenue)",
            size=fmt_int(segment.size),
            share=share,
            revenue=revenue,
        )
    else:
        size = f"{fmt_int(segment.size)} ({share})"
    return f"{segment_title(segment)} — {size}\n    {key_numbers(seg, segment)}"


def overview_caption(seg: Segmentation, filename: str, top_target: TargetRank | None = None) -> str:
    """The caption under the scatter plot after an upload or a re-segment."""
    total = sum(s.size for s in seg.segments)
    lines = [
        _(
            "{segments} in {customers} of {file}",
            segments=bold(plural(seg.k, "segment")),
            customers=plural(total, "customer"),
            file=esc(truncate_plain(filename, MAX_NAME)),
        ),
        k_explanation(seg.k_choice, seg.quality),
        *([structure_sentence(seg)] if structure_sentence(seg) else []),
        *method_notes(seg),
        "",
    ]
    # Biggest first; "3 ·" rather than "3." so the numbers do not read as a broken list.
    share = shares(seg)
    revenue = revenue_shares(seg)
    for s in sorted(seg.segments, key=lambda s: -s.size):
        line = f"{s.number} · {bold(persona(s).name)} — {share[s.number]}"
        if revenue:
            line = _(
                "{line} of customers, {revenue} of revenue", line=line, revenue=revenue[s.number]
            )
        lines.append(line)
    if top_target is not None and seg.quality.verdict == "none":
        lines += [
            "",
            "🎯 " + _("No segment stands out as a target: /target ranks them by the numbers."),
        ]
    elif top_target is not None:
        lines += [
            "",
            "🎯 " + _("Top target: {segment}", segment=segment_ref(seg, top_target.number)),
        ]
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
        _("/segment N for details, /target for the recommendation, /why for how I found them."),
    ]
    return split_message(lines)


def quality_line(seg: Segmentation) -> str:
    """The measured scores in one small line, for whoever wants to check them (the caption of
    the chart of the choice, not the manager's answers)."""
    q = seg.quality
    if not q.verdict:
        return ""
    parts = [_("silhouette {score}", score=_score(q.silhouette))]
    if math.isfinite(q.reference):
        parts[0] = _(
            "silhouette {score} ({reference} with no groups)",
            score=_score(q.silhouette),
            reference=_score(q.reference),
        )
    parts += [
        _("stability {score}", score=_score(q.stability)),
        f"Davies–Bouldin {_score(q.davies_bouldin)}",
        f"Calinski–Harabasz {fmt_fixed(q.calinski_harabasz, 0)}",
    ]
    return "<i>" + _("Scores: {scores}", scores=" · ".join(parts)) + "</i>"


def segment_detail(seg: Segmentation, number: int, rank: TargetRank | None = None) -> list[str]:
    """Answer /segment N: the segment in detail with its marketing action."""
    segment = seg.segment(number)
    shown_persona = persona(segment)
    lines = [
        _("Segment {number}: {name}", number=segment.number, name=bold(shown_persona.name)),
        _(
            "{customers}, {share} of all.",
            customers=plural(segment.size, "customer"),
            share=shares(seg)[number],
        ),
        "",
        esc(shown_persona.description),
        "",
        _("<b>In numbers</b> (median, and the middle half)"),
    ]
    numeric = [c for c in segment.mean if not is_level_feature(c)]
    telling = telling_columns(seg, segment, MAX_NUMBERS)
    shown = [c for c in numeric if c in telling] if len(numeric) > MAX_NUMBERS else numeric
    for column in shown:
        unit = seg.units.get(column)
        name = esc(feature_name(column, seg.labels))
        median = esc(value_text(column, segment.median.get(column, segment.mean[column]), unit))
        text = _("{column}: median {median}", column=name, median=median)
        if column in segment.quartiles:
            low, high = segment.quartiles[column]
            low_text, high_text = value_text(column, low, unit), value_text(column, high, unit)
            # The quartiles: half the segment lies between them.
            if low_text == high_text:
                text = _(
                    "{column}: median {median}, half of them exactly {value}",
                    column=name,
                    median=median,
                    value=esc(low_text),
                )
            else:
                text = _(
                    "{column}: median {median}, middle half {low}–{high}",
                    column=name,
                    median=median,
                    low=esc(low_text),
                    high=esc(high_text),
                )
        lines.append("• " + text)
    if len(numeric) > len(shown):
        more = plural(len(numeric) - len(shown), "more column")
        lines.append("• " + _("…and {more} in /export", more=more))
    if segment.gender_mix:
        levels = sorted(segment.gender_mix.items(), key=lambda item: -item[1])
        percents = whole_percents([share for _, share in levels])
        mix = ", ".join(
            f"{fmt_pct(percent / 100)} {esc(gender_word(level))}"
            for (level, _share), percent in zip(levels, percents, strict=True)
        )
        lines.append("• " + _("gender: {mix}", mix=mix))
    for column, pairs in list(segment.top_attributes.items())[:MAX_LIST]:
        if column == "gender" and segment.gender_mix:
            continue
        mix = ", ".join(
            f"{esc(truncate_plain(level, MAX_NAME))} {fmt_pct(share)}" for level, share in pairs
        )
        lines.append(f"• {esc(feature_name(column, seg.labels))}: {mix}")
    lines += ["", "💡 " + _("<b>Action</b>: {action}", action=esc(shown_persona.action))]
    if rank is not None:
        reason = target_reason(rank, revenue_shares(seg).get(rank.number))
        lines.append(
            "🎯 "
            + _("Target rank {rank} of {k} — {reason}.", rank=rank.rank, k=seg.k, reason=reason)
        )
    return split_message(lines)


def personas(seg: Segmentation) -> list[str]:
    """Every segment's persona: name, description and marketing action."""
    lines: list[str] = []
    for segment in seg.segments:
        shown = persona(segment)
        lines += [
            segment_title(segment),
            esc(shown.description),
            _("Action: {action}", action=esc(shown.action)),
            "",
        ]
    return split_message(lines)


def _numbers_text(numbers: Sequence[int]) -> str:
    """``1 to 5`` when the numbers run without a gap, else ``1, 4 or 7``."""
    ordered = sorted(numbers)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return _("{low} to {high}", low=ordered[0], high=ordered[-1])
    return fmt_list([str(n) for n in ordered], "or")


def no_such_segment(number: str, numbers: Sequence[int]) -> str:
    """Answer /segment N with a bad N; ``numbers`` are the segments there are."""
    return _(
        "There is no segment {number}; pick {numbers}, e.g. /segment {first}.",
        number=esc(truncate_plain(number, 20)),
        numbers=_numbers_text(numbers),
        first=min(numbers),
    )


def segment_usage(numbers: Sequence[int]) -> str:
    """Answer /segment without a number."""
    return _(
        "Which segment? Send /segment and its number ({numbers}), e.g. /segment {first}.",
        numbers=_numbers_text(numbers),
        first=min(numbers),
    )


def plot_caption(name: str, seg: Segmentation) -> str:
    """Caption of a plot."""
    title = _(PLOT_TITLES[name]) if name in PLOT_TITLES else name
    lines = [bold(title)]
    if name == "k":
        lines.append(k_explanation(seg.k_choice, seg.quality, scores=True))
        scores = quality_line(seg)
        if scores:
            lines.append(scores)
    elif name == "scatter":
        lines.append(_("{segments}; colours match /segments.", segments=plural(seg.k, "segment")))
    else:
        lines.append(_("Each segment's average against all customers."))
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
        _(
            "{number}. {old} is now {new}: its customers no longer fit the old name.",
            number=number,
            old=bold(persona_name(old)),
            new=bold(persona_name(new)),
        )
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
    count = bold(plural(new.k, "segment"))
    if old.k != new.k:
        lines.append(_("Now {count} (was {k}).", count=count, k=old.k))
    else:
        lines.append(_("Still {count}.", count=count))
    if tuple(old.features) != tuple(new.features):
        before, after = columns_text(old), columns_text(new)
        lines.append(_("Segmented on {after} (was {before}).", after=after, before=before))
    if matched is not None:
        if names_kept:
            lines.append(
                _("{matched} of {k} segments kept their number and name.", matched=matched, k=old.k)
            )
        else:
            lines.append(
                _("{matched} of {k} segments kept their number.", matched=matched, k=old.k)
            )
        if not names_kept and tuple(old.features) != tuple(new.features):
            lines.append(_("Names now describe the new columns."))
    lines += renamed_lines(renamed)
    for number in new_numbers:
        lines.append(_("New: {segment}.", segment=segment_ref(new, number)))
    for number in vanished:
        lines.append(
            _(
                "Gone: {segment}{went}.",
                segment=segment_ref(old, number),
                went=went_to_text((gone or {}).get(number)),
            )
        )
    return split_message(lines)[0]


def went_to_text(pairs: Sequence[tuple[int, int]] | None) -> str:
    """``; its customers went to 2 (30) and 5 (12)``, or ``""`` when unknown."""
    if not pairs:
        return ""
    shown = [f"{number} ({fmt_int(count)})" for number, count in pairs[:MAX_NUMBERS]]
    return _("; its customers went to {where}", where=fmt_list(shown))


def gap_lines(seg: Segmentation, gone: Mapping[int, Sequence[tuple[int, int]]]) -> list[str]:
    """Explain, once, the numbers missing before the highest segment number: a line for each
    segment that disappeared at the last change and whose customers were followed, then one
    line for those that disappeared then with none of their customers in this file, and one
    for those older than that (``gone`` has every number that vanished at the last change)."""
    numbers = {s.number for s in seg.segments}
    missing = [n for n in range(1, max(numbers, default=0)) if n not in numbers]
    lines: list[str] = []
    untraced: list[int] = []
    earlier: list[int] = []
    for number in missing:
        if number not in gone:
            earlier.append(number)
        elif not gone[number]:
            untraced.append(number)
        elif len(lines) < MAX_LIST:
            lines.append(
                _(
                    "No segment {number}: it disappeared at the last change{went}.",
                    number=number,
                    went=went_to_text(gone[number]),
                )
            )
    if untraced:
        lines.append(
            ngettext(
                "No segment {numbers}: it disappeared at the last change, and none of its "
                "customers could be found in this file. A number just in use is never given "
                "to a new segment.",
                "No segments {numbers}: they disappeared at the last change, and none of their "
                "customers could be found in this file. A number just in use is never given "
                "to a new segment.",
                len(untraced),
                numbers=fmt_list(str(n) for n in untraced),
            )
        )
    if earlier:
        lines.append(
            ngettext(
                "No segment {numbers}: it disappeared at an earlier change. Numbers stay with "
                "their segments, so the others keep theirs.",
                "No segments {numbers}: they disappeared at earlier changes. Numbers stay with "
                "their segments, so the others keep theirs.",
                len(earlier),
                numbers=fmt_list(str(n) for n in earlier),
            )
        )
    return lines


#: Longest segment name shown on a button, after its number.
BUTTON_NAME = 22
#: The same in the other languages, whose names run longer: still within 30 characters with
#: the number (segments number at most 20), and cut between words.
BUTTON_NAME_TRANSLATED = 25


def button_label(number: int, name: str) -> str:
    """A segment button: its number and short name (``2 · Affluent big spenders``), plain."""
    if current_language() == "en":
        return f"{number} · {truncate_plain(name, BUTTON_NAME)}"
    if len(name) <= BUTTON_NAME_TRANSLATED:
        return f"{number} · {name}"
    cut = name[: BUTTON_NAME_TRANSLATED - 1]
    space = cut.rfind(" ")
    if space > BUTTON_NAME_TRANSLATED // 2:
        cut = cut[:space]
    return f"{number} · {cut.rstrip(' ,')}…"
