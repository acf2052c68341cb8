"""Answers to questions about the data: counts, averages, top customers, column meanings, and
how the segments were found (/why). One number per idea, in the file's own units."""

from __future__ import annotations

from collections.abc import Sequence

from bot.text.format import (
    MAX_LIST,
    MAX_NAME,
    bold,
    esc,
    feature_name,
    fmt_int,
    fmt_list,
    fmt_pct,
    plural,
    segment_ref,
    split_message,
    truncate_plain,
    value_text,
)
from bot.text.segments import VERDICT_SENTENCES, method_notes
from segmentation import ColumnRole, Count, Segmentation, Statistic

#: Customers a top list shows in the chat; the file has them all.
MAX_SHOWN = 20

_STAT_NAMES = {"mean": "Average", "median": "Median", "total": "Total"}

_RUNNER_UP_PLAIN = {
    "splits_a_group": "{k} would split one of these groups in two",
    "merges_groups": "{k} would lump two different groups together",
    "weaker_separation": "{k} would draw the lines less clearly",
}


def _where(seg: Segmentation, number: int | None) -> str:
    """``in segment 2 (<b>Name</b>)`` or ``in all``."""
    return "of all customers" if number is None else f"in {segment_ref(seg, number)}"


def _level_words(column: str, value: str, labels: dict[str, str]) -> str:
    """``women`` for gender Female, else ``with loyalty tier Gold``."""
    if column == "gender":
        return {"female": "women", "male": "men"}.get(value.lower(), f"of gender {esc(value)}")
    name = esc(feature_name(column, labels))
    return f"with {name} {bold(truncate_plain(value, MAX_NAME))}"


def _condition_words(
    seg: Segmentation, where: tuple[str, str] | None, between: tuple[str, str, float] | None
) -> str:
    """``women with age above 40``, ``with income below $30k``, or ``""``."""
    parts = []
    if where is not None:
        parts.append(_level_words(where[0], where[1], seg.labels))
    if between is not None:
        column, op, bound = between
        name = esc(feature_name(column, seg.labels))
        shown = esc(value_text(column, bound, seg.units.get(column)))
        side = "above" if op == ">" else "below"
        parts.append(f"{'' if parts else 'with '}{name} {side} {shown}".strip())
    return " with ".join(parts) if len(parts) == 2 and where is not None else " ".join(parts)


def count_answer(
    seg: Segmentation,
    count: Count,
    where: tuple[str, str] | None,
    everyone: int,
    between: tuple[str, str, float] | None = None,
) -> str:
    """``24 of 38 customers in segment 3 (Name) are women.``"""
    if where is not None or between is not None:
        words = _condition_words(seg, where, between)
        verb = "are" if where is not None else "have"
        if between is not None and where is None:
            words = words.removeprefix("with ")
        if between is not None and between[0] == "age" and where is None:
            verb, words = (
                "are",
                ("older" if between[1] == ">" else "younger") + (f" than {fmt_int(between[2])}"),
            )
        if count.total == 0:
            return f"No customers {_where(seg, count.segment)}."
        share = fmt_pct(count.matched / count.total)
        place = "" if count.segment is None else f" {_where(seg, count.segment)}"
        return (
            f"{bold(f'{fmt_int(count.matched)} of {fmt_int(count.total)}')} customers"
            f"{place} {verb} {words} ({share})."
        )
    if count.segment is None:
        return (
            f"You have {bold(fmt_int(count.total))} customers in "
            f"{plural(seg.k, 'segment')} (/segments lists them)."
        )
    share = fmt_pct(count.total / everyone) if everyone else "–"
    return (
        f"{segment_ref(seg, count.segment).capitalize()} has {bold(fmt_int(count.total))} "
        f"customers ({share} of {fmt_int(everyone)})."
    )


def count_each(
    seg: Segmentation,
    counts: Sequence[Count],
    where: tuple[str, str] | None,
    between: tuple[str, str, float] | None = None,
) -> str:
    """One line per segment: its count (and share, with a condition)."""
    if where is not None or between is not None:
        words = _condition_words(seg, where, between)
        head = f"Customers {'who are ' if where is not None else ''}{words}, per segment:"
    else:
        head = "Customers per segment:"
    lines = [head]
    for count in counts:
        number = count.segment if count.segment is not None else 0
        name = bold(seg.segment(number).persona.name)
        if where is not None or between is not None:
            share = fmt_pct(count.matched / count.total) if count.total else "–"
            figure = f"{fmt_int(count.matched)} of {fmt_int(count.total)} ({share})"
        else:
            figure = fmt_int(count.total)
        lines.append(f"{number}. {name}: {figure}")
    return "\n".join(lines)


def _value(seg: Segmentation, column: str, value: float, stat: str) -> str:
    """A figure in the column's unit; totals of a unit like ``/100`` keep just the number."""
    unit = seg.units.get(column)
    if stat == "total" and unit and not unit.strip().startswith(("$", "€", "£", "k")):
        unit = None
    return esc(value_text(column, value, unit))


def stat_answer(seg: Segmentation, column: str, stat: str, figure: Statistic) -> str:
    """``Average annual income in segment 2 (Name): $55k (38 customers).``"""
    name = esc(feature_name(column, seg.labels))
    if figure.customers == 0:
        return f"No customer {_where(seg, figure.segment)} has a value for {name}."
    value = bold(_value(seg, column, figure.value, stat))
    return (
        f"{_STAT_NAMES[stat]} {name} {_where(seg, figure.segment)}: {value} "
        f"({plural(figure.customers, 'customer')})."
    )


def stat_each(seg: Segmentation, column: str, stat: str, figures: Sequence[Statistic]) -> str:
    """One line per segment: its figure."""
    name = esc(feature_name(column, seg.labels))
    lines = [f"{_STAT_NAMES[stat]} {name} per segment:"]
    for figure in figures:
        number = figure.segment if figure.segment is not None else 0
        shown = _value(seg, column, figure.value, stat) if figure.customers else "–"
        lines.append(f"{number}. {bold(seg.segment(number).persona.name)}: {shown}")
    return "\n".join(lines)


def top_list(
    seg: Segmentation,
    column: str,
    highest: bool,
    ids: Sequence[str],
    values: Sequence[float],
    segments: Sequence[int],
    segment: int | None,
) -> list[str]:
    """The top customers, one line each (at most :data:`MAX_SHOWN`; the file has all)."""
    name = esc(feature_name(column, seg.labels))
    order = "highest" if highest else "lowest"
    where = "" if segment is None else f" {_where(seg, segment)}"
    if not ids:
        return [f"No customer{where} has a value for {name}."]
    lines = [f"{bold(plural(len(ids), 'customer'))}{where} with the {order} {name}:"]
    unit = seg.units.get(column)
    for rank, (cid, value, number) in enumerate(
        zip(ids[:MAX_SHOWN], values, segments, strict=False), start=1
    ):
        shown = esc(value_text(column, value, unit))
        lines.append(f"{rank}. {esc(truncate_plain(cid, MAX_NAME))}: {shown} · segment {number}")
    if len(ids) > MAX_SHOWN:
        lines.append(f"…and {len(ids) - MAX_SHOWN} more in the file below.")
    return split_message(lines)


def top_caption(count: int, column_name: str) -> str:
    """Caption of a top list's file."""
    return f"The {plural(count, 'customer')} by {esc(column_name)}, best first."


def top_needs_column(numeric: Sequence[str], labels: dict[str, str]) -> str:
    """Ask which column "best" means when no column measures spending."""
    names = fmt_list([esc(feature_name(c, labels)) for c in numeric[:MAX_LIST]], "or")
    return (
        "I have no spending column to rank customers by. Say which column, e.g. "
        f"“top 10 by {esc(feature_name(numeric[0], labels)) if numeric else 'income'}” "
        f"({names})."
    )


def unknown_column(phrase: str, numeric: Sequence[str], labels: dict[str, str]) -> str:
    """Answer a question about a column the data does not have."""
    names = fmt_list([esc(feature_name(c, labels)) for c in numeric[:MAX_LIST]])
    return (
        f"I have no column like “{esc(truncate_plain(phrase, MAX_NAME))}” in this upload. "
        f"I can answer about {names}."
    )


def no_such_segment(number: int, numbers: Sequence[int]) -> str:
    """Answer a question about a segment the data does not have."""
    shown = ", ".join(str(n) for n in numbers)
    return f"There is no segment {number}; the segments are {shown}."


def meaning(role: ColumnRole, features: Sequence[str], labels: dict[str, str]) -> str:
    """What segbot took a header to be, and what it does with it."""
    header = bold(truncate_plain(role.source, MAX_NAME))
    name = esc(feature_name(role.field, labels))
    said = " (as you told me with /columns)" if role.by_meaning else ""
    if role.kind == "id":
        return f"{header} is the customer id{said}: /whois looks customers up by it."
    if role.kind == "gender":
        return f"{header} is the customers' gender{said}; each segment's profile shows its mix."
    if role.kind == "attribute":
        return (
            f"{header} is a description of each customer, not a number; I show which values "
            "are common in each segment."
        )
    if role.kind == "ignored":
        why = f" ({esc(role.note)})" if role.note else ""
        return f"I did not use {header}{why}. /columns lets you tell me what it means."
    unit = f", in {esc(role.unit)}" if role.unit else ""
    used = (
        "The segments were found on it."
        if role.field in features
        else "The segments were not found on it, but every answer reports it."
    )
    return f"{header} is read as {name}{unit}{said}. {used}"


def unknown_header(phrase: str, headers: Sequence[str]) -> str:
    """Answer a question about a header the upload does not have."""
    shown = fmt_list([bold(truncate_plain(h, MAX_NAME)) for h in headers[:MAX_LIST]])
    return (
        f"This upload has no column “{esc(truncate_plain(phrase, MAX_NAME))}”. "
        f"Its columns are {shown}."
    )


def why(seg: Segmentation, customers: int) -> list[str]:
    """How the segments were found, in plain words: /why and the "How was this found?"
    button."""
    columns = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.features[:MAX_LIST]])
    more = len(seg.features) - MAX_LIST
    if more > 0:
        columns += f" and {plural(more, 'other column')}"
    choice = seg.k_choice
    lines = [
        "<b>How these segments were found</b>",
        f"I compared your {fmt_int(customers)} customers on {columns}, and grouped those who "
        "are alike, so that each segment differs from the others as much as possible.",
    ]
    options = seg.options
    if not choice.auto:
        lines.append(f"{plural(choice.k, 'segment')}, because you asked for that number.")
    elif choice.kept_previous:
        lines.append(
            f"{plural(choice.k, 'segment')}, the same number as last time, so each segment "
            "keeps its meaning from one upload to the next."
        )
    else:
        lines.append(
            f"I tried every number of segments from {options.k_min} to {options.k_max}; "
            f"{choice.k} drew the clearest lines between groups."
        )
        if choice.runner_up is not None:
            template = _RUNNER_UP_PLAIN.get(
                choice.runner_up_reason, _RUNNER_UP_PLAIN["weaker_separation"]
            )
            lines.append(template.format(k=choice.runner_up).capitalize() + ".")
        if choice.at_edge:
            lines.append(f"{choice.k} is the most I tried, so more might fit.")
    verdict = VERDICT_SENTENCES.get(seg.quality.verdict, "")
    if verdict:
        lines.append(verdict)
    lines += method_notes(seg)
    lines.append("/plot k shows the chart behind this choice; /k N asks for another number.")
    return split_message(lines)
