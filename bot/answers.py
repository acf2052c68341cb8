"""Answers to data questions (hidden commands ``count``, ``stat``, ``top``, ``meaning``), /why,
and the vocabulary a chat's questions are read with.

The question's argument text is :func:`bot.questions.pack`'s; the figures come from the
engine (:mod:`segmentation`), the words from :mod:`bot.text.answers`.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from typing import TypeVar

from bot.i18n import _, words
from bot.questions import (
    DEFAULT_TOP,
    DEFAULT_VOCABULARY,
    MAX_TOP,
    Vocabulary,
    build_vocabulary,
    pack,
    unpack,
)
from bot.replies import Button, Reply, Text, document, texts
from bot.state import Active, ChatData, Request
from bot.text import answers as answers_text
from bot.text import upload as upload_text
from bot.text.format import feature_name, safe_stem, whole_number
from segmentation import (
    CustomerTable,
    Segmentation,
    StatKind,
    attribute_levels,
    column_statistic,
    count_customers,
    income_column,
    numeric_columns,
    spend_column,
    top_customers,
    top_customers_csv,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


def vocabulary_of(active: Active | None) -> Vocabulary:
    """The names a chat's questions may use: its columns, values and segments."""
    return DEFAULT_VOCABULARY if active is None else vocabulary_of_seg(active.seg)


async def _loaded(
    chats: ChatData, req: Request
) -> tuple[Active, CustomerTable, Segmentation] | None:
    """The chat's active upload, its table and its segmentation with assignments."""
    active = await chats.active(req.chat_id)
    if active is None:
        return None
    table = await chats.table(req.chat_id, active.dataset, active.run)
    seg = await chats.with_assignments(req.chat_id, active.run)
    return active, table, seg


def _each_segment(
    fn: Callable[..., T], seg: Segmentation, *args: object, **kwargs: object
) -> list[T]:
    """``fn(*args, segment=n, **kwargs)`` for every segment ``n``, in one trip to the CPU pool."""
    return [fn(*args, segment=s.number, **kwargs) for s in seg.segments]


def _segment(value: str, seg: Segmentation) -> int | str | None:
    """A question's segment: a number, ``None`` for all, ``"each"``, or the text when unknown."""
    if not value:
        return None
    if value == "each":
        return "each"
    number = whole_number(value.lstrip("#"))
    if number is None or number not in {s.number for s in seg.segments}:
        return value
    return number


def _column(value: str, table: CustomerTable, seg: Segmentation) -> str | None:
    """The numeric column a question names (``#2`` is the table's second numeric column)."""
    numeric = list(numeric_columns(seg)) or list(table.numeric)
    if value.startswith("#") and (index := whole_number(value[1:])) is not None:
        return numeric[index] if index < len(numeric) else None
    name = value.lstrip("?").strip()
    resolved = table.resolve(name)
    if resolved in numeric:
        return resolved
    vocabulary = vocabulary_of_seg(seg)
    if name.lower() in vocabulary.columns:
        return vocabulary.columns[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(vocabulary.columns), n=1, cutoff=0.8)
    return vocabulary.columns[close[0]] if close else None


def vocabulary_of_seg(seg: Segmentation) -> Vocabulary:
    """The vocabulary of one segmentation."""
    return build_vocabulary(
        labels=seg.labels,
        numeric=numeric_columns(seg),
        attribute_levels=attribute_levels(seg),
        segment_names={s.number: s.persona.name for s in seg.segments},
        spend=spend_column(seg),
        income=income_column(seg),
    )


def _bad_segment(wanted: int | str | None, seg: Segmentation) -> list[Reply] | None:
    """The answer to a segment number the data does not have, or ``None``."""
    if isinstance(wanted, str) and wanted != "each":
        number = whole_number(wanted) or 0
        return [Text(answers_text.no_such_segment(number, [s.number for s in seg.segments]))]
    return None


async def count(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer "how many women in segment 2?" and the like."""
    loaded = await _loaded(chats, req)
    if loaded is None:
        return [Text(upload_text.no_data())]
    _, table, seg = loaded
    asked = unpack(args)
    wanted = _segment(asked.get("segment", ""), seg)
    if (bad := _bad_segment(wanted, seg)) is not None:
        return bad
    where: tuple[str, str] | None = None
    if asked.get("where"):
        column, _, value = asked["where"].partition(":")
        if column in table.customers.columns:
            where = (column, value)
    between = _between(asked.get("range", ""), table, seg)
    customers = table.customers
    everyone = len(customers)
    if wanted == "each":
        counts = await chats.workers.cpu(
            _each_segment, count_customers, seg, customers, seg, where=where, between=between
        )
        return texts([answers_text.count_each(seg, counts, where, between)])
    number = wanted if isinstance(wanted, int) else None
    found = await chats.workers.cpu(count_customers, customers, seg, number, where, between)
    return [Text(answers_text.count_answer(seg, found, where, everyone, between))]


def _between(text: str, table: CustomerTable, seg: Segmentation) -> tuple[str, str, float] | None:
    """``age>40`` as ``("age", ">", 40.0)``; ``None`` when absent or not a number column."""
    found = re.fullmatch(r"(.+?)([<>])(\d+(?:\.\d+)?)", text.strip())
    if found is None:
        return None
    column = _column(found.group(1), table, seg)
    if column is None:
        return None
    return column, found.group(2), float(found.group(3))


async def stat(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer "average income in segment 2", "total spend", "median age per segment"."""
    loaded = await _loaded(chats, req)
    if loaded is None:
        return [Text(upload_text.no_data())]
    _, table, seg = loaded
    asked = unpack(args)
    kind = asked.get("stat", "median")
    statistic: StatKind = "mean" if kind == "mean" else "total" if kind == "total" else "median"
    column = _column(asked.get("column", ""), table, seg)
    if column is None:
        numeric = list(numeric_columns(seg))
        phrase = asked.get("column", "").lstrip("?") or "?"
        return [Text(answers_text.unknown_column(phrase, numeric, seg.labels))]
    wanted = _segment(asked.get("segment", ""), seg)
    if (bad := _bad_segment(wanted, seg)) is not None:
        return bad
    customers = table.customers
    if wanted == "each":
        figures = await chats.workers.cpu(
            _each_segment, column_statistic, seg, customers, seg, column, statistic
        )
        return texts([answers_text.stat_each(seg, column, statistic, figures)])
    number = wanted if isinstance(wanted, int) else None
    figure = await chats.workers.cpu(column_statistic, customers, seg, column, statistic, number)
    return [Text(answers_text.stat_answer(seg, column, statistic, figure))]


async def top(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer "top 10 by income", "best customers": a short list and a button for the file."""
    loaded = await _loaded(chats, req)
    if loaded is None:
        return [Text(upload_text.no_data())]
    active, table, seg = loaded
    asked = unpack(args)
    numeric = list(numeric_columns(seg))
    raw = asked.get("column", "")
    column = _column(raw, table, seg) if raw else spend_column(seg)
    if column is None:
        if raw:
            return [Text(answers_text.unknown_column(raw.lstrip("?"), numeric, seg.labels))]
        return [Text(answers_text.top_needs_column(numeric, seg.labels))]
    wanted = _segment(asked.get("segment", ""), seg)
    if (bad := _bad_segment(wanted, seg)) is not None:
        return bad
    number = wanted if isinstance(wanted, int) else None
    n = min(whole_number(asked.get("n", "")) or DEFAULT_TOP, MAX_TOP)
    highest = asked.get("order", "high") != "low"
    frame = await chats.workers.cpu(top_customers, table.customers, seg, column, n, highest, number)
    ids = [str(i) for i in frame.index]
    name = feature_name(column, seg.labels)
    if asked.get("file") == "csv":
        data = await chats.workers.cpu(top_customers_csv, frame, name, words=words())
        filename = f"top-{len(ids)}-{safe_stem(name)}-{safe_stem(active.dataset.filename)}.csv"
        return [document(data, filename, answers_text.top_caption(len(ids), name))]
    lines = answers_text.top_list(
        seg,
        column,
        highest,
        ids,
        [float(v) for v in frame["value"]],
        [int(s) for s in frame["segment"]],
        number,
    )
    index = numeric.index(column) if column in numeric else None
    if not ids or index is None:
        return texts(lines)
    payload = "/top " + pack(
        n=n, column=f"#{index}", order="high" if highest else "low", segment=number, file="csv"
    )
    return texts(lines, ((Button("⬇️ " + _("Export this list"), payload),),))


async def meaning(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer "what does <column> mean?": what segbot took that header to be."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    table = await chats.table(req.chat_id, active.dataset, active.run)
    roles = list(table.receipt.columns)
    wanted = args.strip().strip("\"'“”‘’").strip()
    resolved = table.resolve(wanted)
    if resolved is None:
        vocabulary = vocabulary_of(active)
        resolved = vocabulary.columns.get(wanted.lower())
    role = next((r for r in roles if resolved is not None and r.field == resolved), None)
    if role is None:
        headers = [r.source for r in roles]
        close = difflib.get_close_matches(wanted, headers, n=1, cutoff=0.75)
        role = next((r for r in roles if close and r.source == close[0]), None)
    if role is None:
        return [Text(answers_text.unknown_header(wanted, [r.source for r in roles]))]
    return [Text(answers_text.meaning(role, active.seg.features, active.seg.labels))]


async def why(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /why ("How was this found?"): how the segments were found, in plain words."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    customers = sum(s.size for s in active.seg.segments)
    return texts(answers_text.why(active.seg, customers))
