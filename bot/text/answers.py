"""Answers to questions about the data: counts, averages, top customers, column meanings, and
how the segments were found (/why). One number per idea, in the file's own units."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, _, ngettext, persona
from bot.i18n import words as engine_words
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
from segmentation import ColumnRole, Count, Segmentation, Statistic, receipt_note

#: Customers a top list shows in the chat; the file has them all.
MAX_SHOWN = 20

#: A statistic's name, then its line for one place and its heading per segment.
_STAT_LINES = {
    "mean": (
        N_("Average {column} {where}: {value} ({customers})."),
        N_("Average {column} per segment:"),
    ),
    "median": (
        N_("Median {column} {where}: {value} ({customers})."),
        N_("Median {column} per segment:"),
    ),
    "total": (
        N_("Total {column} {where}: {value} ({customers})."),
        N_("Total {column} per segment:"),
    ),
}

_RUNNER_UP_PLAIN = {
    "splits_a_group": N_("{k} would split one of these groups in two."),
    "merges_groups": N_("{k} would lump two different groups together."),
    "weaker_separation": N_("{k} would draw the lines less clearly."),
}


def _where(seg: Segmentation, number: int | None) -> str:
    """``in segment 2 (<b>Name</b>)`` or ``of all customers``."""
    if number is None:
        return _("of all customers")
    try:
        name = bold(persona(seg.segment(number)).name)
    except KeyError:
        return _("in segment {number}", number=number)
    return _("in segment {number} ({name})", number=number, name=name)


def _level_words(column: str, value: str, labels: dict[str, str]) -> str:
    """``women`` for gender Female, else ``with loyalty tier Gold``."""
    if column == "gender":
        if value.lower() == "female":
            return _("women")
        if value.lower() == "male":
            return _("men")
        return _("of gender {value}", value=esc(value))
    name = esc(feature_name(column, labels))
    return _("with {column} {value}", column=name, value=bold(truncate_plain(value, MAX_NAME)))


def _bound_words(seg: Segmentation, between: tuple[str, str, float]) -> str:
    """``income below $30k``."""
    column, op, bound = between
    name = esc(feature_name(column, seg.labels))
    shown = esc(value_text(column, bound, seg.units.get(column)))
    if op == ">":
        return _("{column} above {value}", column=name, value=shown)
    return _("{column} below {value}", column=name, value=shown)


def _condition_words(
    seg: Segmentation, where: tuple[str, str] | None, between: tuple[str, str, float] | None
) -> str:
    """``women with age above 40``, ``with income below $30k``, or ``""``."""
    if where is not None and between is not None:
        return _(
            "{who} with {bound}",
            who=_level_words(where[0], where[1], seg.labels),
            bound=_bound_words(seg, between),
        )
    if where is not None:
        return _level_words(where[0], where[1], seg.labels)
    if between is not None:
        return _("with {bound}", bound=_bound_words(seg, between))
    return ""


def count_answer(
    seg: Segmentation,
    count: Count,
    where: tuple[str, str] | None,
    everyone: int,
    between: tuple[str, str, float] | None = None,
) -> str:
    """``24 of 38 customers in segment 3 (Name) are women.``"""
    if where is not None or between is not None:
        if count.total == 0:
            return _("No customers {where}.", where=_where(seg, count.segment))
        values = {
            "count": bold(
                _(
                    "{matched} of {total}",
                    matched=fmt_int(count.matched),
                    total=fmt_int(count.total),
                )
            ),
            "place": "" if count.segment is None else " " + _where(seg, count.segment),
            "share": fmt_pct(count.matched / count.total),
        }
        if between is not None and between[0] == "age" and where is None:
            age = fmt_int(between[2])
            if between[1] == ">":
                return _(
                    "{count} customers{place} are older than {age} ({share}).", age=age, **values
                )
            return _(
                "{count} customers{place} are younger than {age} ({share}).", age=age, **values
            )
        if where is not None:
            words = _condition_words(seg, where, between)
            return _("{count} customers{place} are {words} ({share}).", words=words, **values)
        assert between is not None
        words = _bound_words(seg, between)
        return _("{count} customers{place} have {words} ({share}).", words=words, **values)
    if count.segment is None:
        return ngettext(
            "You have {count} customers in {n} segment (/segments lists them).",
            "You have {count} customers in {n} segments (/segments lists them).",
            seg.k,
            count=bold(fmt_int(count.total)),
        )
    share = fmt_pct(count.total / everyone) if everyone else "–"
    ref = segment_ref(seg, count.segment)
    return ngettext(
        "{segment} has {count} customer ({share} of {everyone}).",
        "{segment} has {count} customers ({share} of {everyone}).",
        count.total,
        segment=ref[0].upper() + ref[1:],
        count=bold(fmt_int(count.total)),
        share=share,
        everyone=fmt_int(everyone),
    )


def count_each(
    seg: Segmentation,
    counts: Sequence[Count],
    where: tuple[str, str] | None,
    between: tuple[str, str, float] | None = None,
) -> str:
    """One line per segment: its count (and share, with a condition)."""
    if where is not None:
        words = _condition_words(seg, where, between)
        head = _("Customers who are {words}, per segment:", words=words)
    elif between is not None:
        head = _("Customers {words}, per segment:", words=_condition_words(seg, where, between))
    else:
        head = _("Customers per segment:")
    lines = [head]
    for count in counts:
        number = count.segment if count.segment is not None else 0
        name = bold(persona(seg.segment(number)).name)
        if where is not None or between is not None:
            share = fmt_pct(count.matched / count.total) if count.total else "–"
            figure = _(
                "{matched} of {total} ({share})",
                matched=fmt_int(count.matched),
                total=fmt_int(count.total),
                share=share,
            )
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
        return _(
            "No customer {where} has a value for {column}.",
            where=_where(seg, figure.segment),
            column=name,
        )
    return _(
        _STAT_LINES[stat][0],
        column=name,
        where=_where(seg, figure.segment),
        value=bold(_value(seg, column, figure.value, stat)),
        customers=plural(figure.customers, "customer"),
    )


def stat_each(seg: Segmentation, column: str, stat: str, figures: Sequence[Statistic]) -> str:
    """One line per segment: its figure."""
    name = esc(feature_name(column, seg.labels))
    lines = [_(_STAT_LINES[stat][1], column=name)]
    for figure in figures:
        number = figure.segment if figure.segment is not None else 0
        shown = _value(seg, column, figure.value, stat) if figure.customers else "–"
        lines.append(f"{number}. {bold(persona(seg.segment(number)).name)}: {shown}")
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
    where = "" if segment is None else " " + _where(seg, segment)
    if not ids:
        return [_("No customer{where} has a value for {column}.", where=where, column=name)]
    count = bold(plural(len(ids), "customer"))
    if highest:
        head = _("{count}{where} with the highest {column}:", count=count, where=where, column=name)
    else:
        head = _("{count}{where} with the lowest {column}:", count=count, where=where, column=name)
    lines = [head]
    unit = seg.units.get(column)
    for rank, (cid, value, number) in enumerate(
        zip(ids[:MAX_SHOWN], values, segments, strict=False), start=1
    ):
        shown = esc(value_text(column, value, unit))
        lines.append(
            _(
                "{rank}. {id}: {value} · segment {number}",
                rank=rank,
                id=esc(truncate_plain(cid, MAX_NAME)),
                value=shown,
                number=number,
            )
        )
    if len(ids) > MAX_SHOWN:
        lines.append(_("…and {count} more in the file below.", count=len(ids) - MAX_SHOWN))
    return split_message(lines)


def top_caption(count: int, column_name: str) -> str:
    """Caption of a top list's file."""
    return _(
        "The {customers} by {column}, best first.",
        customers=plural(count, "customer"),
        column=esc(column_name),
    )


def top_needs_column(numeric: Sequence[str], labels: dict[str, str]) -> str:
    """Ask which column "best" means when no column measures spending."""
    names = fmt_list([esc(feature_name(c, labels)) for c in numeric[:MAX_LIST]], "or")
    return _(
        "I have no spending column to rank customers by. Say which column, e.g. "
        "“top 10 by {column}” ({names}).",
        column=esc(feature_name(numeric[0], labels)) if numeric else _("income"),
        names=names,
    )


def unknown_column(phrase: str, numeric: Sequence[str], labels: dict[str, str]) -> str:
    """Answer a question about a column the data does not have."""
    names = fmt_list([esc(feature_name(c, labels)) for c in numeric[:MAX_LIST]])
    return _(
        "I have no column like “{phrase}” in this upload. I can answer about {names}.",
        phrase=esc(truncate_plain(phrase, MAX_NAME)),
        names=names,
    )


def no_such_segment(number: int, numbers: Sequence[int]) -> str:
    """Answer a question about a segment the data does not have."""
    shown = ", ".join(str(n) for n in numbers)
    return _(
        "There is no segment {number}; the segments are {numbers}.", number=number, numbers=shown
    )


def meaning(role: ColumnRole, features: Sequence[str], labels: dict[str, str]) -> str:
    """What segbot took a header to be, and what it does with it."""
    header = bold(truncate_plain(role.source, MAX_NAME))
    name = esc(feature_name(role.field, labels))
    said = " " + _("(as you told me with /columns)") if role.by_meaning else ""
    if role.kind == "id":
        return _(
            "{header} is the customer id{said}: /whois looks customers up by it.",
            header=header,
            said=said,
        )
    if role.kind == "gender":
        return _(
            "{header} is the customers' gender{said}; each segment's profile shows its mix.",
            header=header,
            said=said,
        )
    if role.kind == "attribute":
        return _(
            "{header} is a description of each customer, not a number; I show which values "
            "are common in each segment.",
            header=header,
        )
    if role.kind == "ignored":
        why = f" ({esc(receipt_note(role.note, engine_words()))})" if role.note else ""
        return _(
            "I did not use {header}{why}. /columns lets you tell me what it means.",
            header=header,
            why=why,
        )
    unit = _(", in {unit}", unit=esc(role.unit)) if role.unit else ""
    used = (
        _("The segments were found on it.")
        if role.field in features
        else _("The segments were not found on it, but every answer reports it.")
    )
    return _(
        "{header} is read as {name}{unit}{said}. {used}",
        header=header,
        name=name,
        unit=unit,
        said=said,
        used=used,
    )


def unknown_header(phrase: str, headers: Sequence[str]) -> str:
    """Answer a question about a header the upload does not have."""
    shown = fmt_list([bold(truncate_plain(h, MAX_NAME)) for h in headers[:MAX_LIST]])
    return _(
        "This upload has no column “{phrase}”. Its columns are {columns}.",
        phrase=esc(truncate_plain(phrase, MAX_NAME)),
        columns=shown,
    )


def why(seg: Segmentation, customers: int) -> list[str]:
    """How the segments were found, in plain words: /why and the "How was this found?"
    button."""
    columns = fmt_list([esc(feature_name(f, seg.labels)) for f in seg.features[:MAX_LIST]])
    more = len(seg.features) - MAX_LIST
    if more > 0:
        columns = _("{first} and {last}", first=columns, last=plural(more, "other column"))
    choice = seg.k_choice
    lines = [
        _("<b>How these segments were found</b>"),
        _(
            "I compared your {count} customers on {columns}, and grouped those who are alike, "
            "so that each segment differs from the others as much as possible.",
            count=fmt_int(customers),
            columns=columns,
        ),
    ]
    options = seg.options
    count = plural(choice.k, "segment")
    if not choice.auto:
        lines.append(_("{count}, because you asked for that number.", count=count))
    elif choice.kept_previous:
        lines.append(
            _(
                "{count}, the same number as last time, so each segment keeps its meaning from "
                "one upload to the next.",
                count=count,
            )
        )
    else:
        lines.append(
            _(
                "I tried every number of segments from {low} to {high}; {k} drew the clearest "
                "lines between groups.",
                low=options.k_min,
                high=options.k_max,
                k=choice.k,
            )
        )
        if choice.runner_up is not None:
            template = _RUNNER_UP_PLAIN.get(
                choice.runner_up_reason, _RUNNER_UP_PLAIN["weaker_separation"]
            )
            lines.append(_(template, k=choice.runner_up))
        if choice.at_edge:
            lines.append(_("{k} is the most I tried, so more might fit.", k=choice.k))
    verdict = VERDICT_SENTENCES.get(seg.quality.verdict, "")
    if verdict:
        lines.append(_(verdict))
    lines += method_notes(seg)
    lines.append(_("/plot k shows the chart behind this choice; /k N asks for another number."))
    return split_message(lines)
