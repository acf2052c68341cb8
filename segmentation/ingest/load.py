"""Read the customer file a manager sends into a validated :class:`CustomerTable`.

Accepted: CSV text in UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
Windows-1252/Latin-1 (or Windows-1251), separated by ``,`` ``;`` tab or ``|``, with or without
quotes, CRLF or LF, blank lines anywhere; and ``.xlsx`` workbooks (first sheet). Columns are
recognised by meaning (see :mod:`segmentation.ingest.headers`), numbers in the forms described in
:mod:`segmentation.ingest.numbers`.

Every column gets a role (:mod:`segmentation.ingest.roles`): the id (text, ``0042`` = ``42``; row
numbers when there is none), gender (Female/Male/Other), age, income, score (also written
as levels, Low/Average/High, read on 0–100 as :mod:`segmentation.ingest.levels` says),
another numeric column (a candidate feature unless it is constant or looks like an id), a
text attribute (at most 20 distinct values), or ignored with a note (dates, too many
distinct values, empty).

The manager may say what a header means (``AI_k`` is income, see
:mod:`segmentation.ingest.meanings`); such a column takes that role whatever its header and
cells suggest, the receipt marks it, and a meaning whose header is not in the file is noted.

An age, income or score column whose cells are mostly not numbers (and not word levels such as
Low/High) refuses the file, naming the column and a few unread cells: analysing without it
would quietly answer another question.

Rows are left out (and counted in the receipt, with up to five line numbers) when the id is
missing or repeated (the first row with an id is kept), or when age, income or score is
missing, not a number, or impossible: age outside 0–120, negative income, a score outside the
range its header states (``(1-100)``) or, with no stated range, outside 0–100 when nearly all
scores lie there. Empty cells in other numeric columns stay empty; the engine fills them.

Income is shown in thousands whenever that is how it was meant: when the header says so
(``k$``, ``'000``, ``thousands``), when most cells carry a ``k`` suffix (``$15k``), or when the
amounts are written in full (median of 1,000 or more: ``$15,000`` and ``15 000 €`` both become
15 k). Under a thousands header, cells written in full (``$15,000`` under ``(k$)``) are
recognised by their size and not multiplied again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from itertools import repeat
from typing import TypeVar

import numpy as np
import pandas as pd

from segmentation.errors import IngestError
from segmentation.ingest.digit_ids import DigitIds, digit_counts
from segmentation.ingest.meanings import Meanings, check_meanings
from segmentation.ingest.parsing import ParsedFile, Unreadable, read_upload
from segmentation.ingest.purchases import aggregate, find_log_columns
from segmentation.ingest.roles import (
    CANONICAL_NUMERIC,
    Column,
    classify_columns,
    is_canonical,
    is_feature,
)
from segmentation.ingest.rows import Skips, check_range, no_numeric_message, too_few_message
from segmentation.ingest.table import (
    DEFAULT_LIMITS,
    ID_AS_WRITTEN,
    CustomerTable,
    IngestLimits,
    Receipt,
    normalise_id,
)
from segmentation.words import N_

logger = logging.getLogger(__name__)

#: A column's values, as an array or a Series.
_Rows = TypeVar("_Rows", np.ndarray, pd.Series)


def load_customers(
    data: bytes,
    filename: str = "upload.csv",
    *,
    limits: IngestLimits = DEFAULT_LIMITS,
    meanings: Mapping[str, str] | None = None,
) -> CustomerTable:
    """Read an uploaded customer file into a validated table with a receipt.

    Args:
        data: The file's bytes, as uploaded.
        filename: The file's name, used in messages and the receipt.
        limits: Size, row and minimum-customer limits.
        meanings: What the manager says columns mean, header -> ``age``, ``income``,
            ``score``, ``gender`` or ``id`` (see :mod:`segmentation.ingest.meanings`). Headers
            are matched without regard to case, spaces and punctuation; a meaning overrides
            the automatic recognition, and one whose header is not in the file is noted in
            the receipt.

    Returns:
        The customers ready to segment, with a receipt of what was read and left out.

    Raises:
        IngestError: The file cannot be used; the message says why and what to do. Also
            for a meaning that is not one of the words above, and for a column that cannot
            be read as the meaning given to it (the message names the column).
    """
    try:
        return _load(data, filename, limits, check_meanings(meanings))
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError(
            N_("The file is too large to read in memory. Send a smaller export.")
        ) from exc
    except Exception as exc:  # the safety net: a manager gets a sentence, never a traceback
        logger.exception("unexpected failure while reading an upload of %d bytes", len(data))
        raise IngestError(
            N_(
                "This file could not be read as a customer table. Save it as CSV (UTF-8, "
                "comma-separated, one header row) and send it again."
            )
        ) from exc


def _load(data: bytes, filename: str, limits: IngestLimits, meanings: Meanings) -> CustomerTable:
    """Check, parse and validate an upload."""
    try:
        parsed = read_upload(data, filename, limits)
    except Unreadable as exc:
        raise IngestError(exc.text) from None
    log = find_log_columns(parsed)
    if log is not None:
        return aggregate(parsed.with_text_ids(), log, filename, len(data), limits)
    return _build_table(parsed, filename, len(data), limits, meanings)


def _build_table(
    parsed: ParsedFile, filename: str, size: int, limits: IngestLimits, meanings: Meanings
) -> CustomerTable:
    """Give every column a role, leave out unusable rows and assemble the table."""
    if meanings.given:
        # The manager may have made another column the id: this one is then read as text.
        parsed = parsed.with_text_ids()
    frame = parsed.frame
    if len(frame) == 0:
        raise IngestError(
            N_(
                "The file has a header row ({headers}) but no customer rows. Export the list "
                "again with the customers in it."
            ),
            headers=", ".join(parsed.headers[:6]),
        )
    if len(frame) > limits.max_rows:
        raise IngestError(
            N_(
                "The file has more than {limit} customer rows, the most that can be segmented "
                "at once. Split it (for example by store or region) and send the parts."
            ),
            limit=limits.max_rows,
        )
    columns = classify_columns(parsed.headers, frame, meanings)
    _check_key_columns(columns)
    _check_second_header(columns, frame, parsed.lines)

    skips = Skips(len(frame), parsed.lines)
    ids, written, ids_generated, numbers, widths = _customer_ids(
        columns, len(frame), skips, parsed.id_digits
    )
    for name in CANONICAL_NUMERIC:
        found = next((c for c in columns if c.role.field == name and is_canonical(c)), None)
        if found is not None:
            check_range(found, skips)
    if ids_generated:
        duplicated = np.zeros(len(frame), dtype=bool)
    elif numbers is not None:
        # Whole-number ids: repeats are found on the integers, before hashing any text.
        some_dropped = bool(skips.dropped.any())
        kept = np.flatnonzero(~skips.dropped) if some_dropped else slice(None)
        duplicated = np.zeros(len(frame), dtype=bool)
        listed = numbers[kept]
        if not bool((listed[1:] > listed[:-1]).all()):  # ids in order cannot repeat
            duplicated[kept] = pd.Series(listed).duplicated(keep="first").to_numpy()
    else:
        candidates = pd.Series(ids).where(~skips.dropped)
        duplicated = candidates.duplicated(keep="first").to_numpy() & ~skips.dropped
    skips.add(duplicated, "duplicate_id", "customer_id", N_("repeated id"))

    keep = ~skips.dropped
    table_columns: dict[str, pd.Series] = {}
    # Canonical fields first, then the file's order (positions looked up, never searched, so
    # ordering stays linear in the number of columns).
    first = {name: rank for rank, name in enumerate(["gender", *CANONICAL_NUMERIC])}
    position = {id(c): i for i, c in enumerate(columns)}
    order = sorted(
        (c for c in columns if c.role.kind != "id"),
        key=lambda c: (first[c.role.field], 0) if c.role.field in first else (9, position[id(c)]),
    )
    every = bool(keep.all())  # the common case: nothing to leave out, nothing to copy

    def kept_rows(values: _Rows) -> _Rows:
        return values if every else values[keep]

    for column in order:
        table_columns[column.role.field] = kept_rows(column.values).reset_index(drop=True)
    id_widths = None
    if widths is not None and numbers is not None:
        # Digits with leading zeros: kept as their widths, the key without the zeros.
        kept_widths = kept_rows(widths)
        if int(kept_widths.sum()) != _digit_count(kept_rows(numbers)):
            id_widths = kept_widths
    elif (
        written is not None
        and written is not ids
        and (
            (len(ids) and keep[0] and written[0] != ids[0])
            or (kept_rows(written) != kept_rows(ids)).any()
        )
    ):
        # Ids such as 0042 are kept as written for the exports (the key stays 42).
        table_columns[ID_AS_WRITTEN] = pd.Series(kept_rows(written), dtype=object, copy=False)
    # Text ids once: the runs index their assignments with this same index.
    index = pd.Index(kept_rows(ids), name="customer_id", dtype="str")
    # Not copied again: pandas copies a column on write, never the caller's values.
    customers = pd.DataFrame(table_columns, copy=False)
    customers.index = index

    if not any(is_feature(c) for c in columns):
        raise IngestError(no_numeric_message(columns))
    used = int(keep.sum())
    if used < limits.min_customers:
        raise IngestError(too_few_message(used, len(frame), skips.records, limits))
    numeric = tuple(
        c.role.field for c in order if is_feature(c) and customers[c.role.field].notna().any()
    )
    if not numeric:
        raise IngestError(no_numeric_message(columns))
    attributes = tuple(c.role.field for c in order if c.role.kind in ("gender", "attribute"))

    roles = tuple(c.role for c in columns)
    receipt = Receipt(
        filename=filename,
        size_bytes=size,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        rows_read=len(frame),
        rows_used=used,
        columns=roles,
        skipped=tuple(skips.records),
        ids_generated=ids_generated,
        decimal_comma=any(c.parsed is not None and c.parsed.decimal_comma for c in columns),
        meanings=dict(meanings.given),
        meaning_notes=meanings.not_in(parsed.headers),
    )
    labels = {c.role.field: c.role.source for c in columns if c.role.kind != "id"}
    units = {c.role.field: c.role.unit for c in columns if c.role.unit and c.role.kind != "id"}
    logger.info(
        "read %d rows, used %d, %d columns (%d numeric, %d by the manager's meaning)",
        len(frame),
        used,
        len(roles),
        len(numeric),
        sum(role.by_meaning for role in roles),
    )
    return CustomerTable(
        customers=customers,
        receipt=receipt,
        numeric=numeric,
        attributes=attributes,
        labels=labels,
        units=units,
        id_widths=id_widths,
    )


_Ids = tuple[np.ndarray, np.ndarray | None, bool, np.ndarray | None, np.ndarray | None]


def _customer_ids(
    columns: list[Column],
    rows: int,
    skips: Skips,
    id_digits: DigitIds | None = None,
) -> _Ids:
    """Normalised ids (row numbers when there is no id column), the ids as written, whether
    they were generated, the ids as integers when the file wrote whole numbers, and how wide
    each was written when they are digits some of which have leading zeros (``id_digits``:
    what the parser measured, see :class:`ParsedFile`); missing ids are left out."""
    column = next((c for c in columns if c.role.kind == "id"), None)
    if column is None:
        return np.array(list(map(str, range(1, rows + 1))), dtype=object), None, True, None, None
    raw = column.values
    if pd.api.types.is_integer_dtype(raw.dtype):
        # The parser already dropped leading zeros, exactly as normalise_id does.
        if raw.hasnans:
            ids = np.array(list(map(str, raw.tolist())), dtype=object)
            return ids, ids, False, None, None
        numbers = raw.to_numpy(dtype=np.int64)
        if id_digits is not None and id_digits.header == column.role.source:
            # Cut from the bytes by the parser, zeros and all measured there.
            ids = np.array(id_digits.texts, dtype=object)
            return ids, ids, False, numbers, id_digits.widths
        ids = np.array(list(map(str, numbers.tolist())), dtype=object)
        return ids, ids, False, numbers, None
    digits = _digit_ids(raw)
    if digits is not None:
        normalised, as_written, numbers, widths = digits
        return normalised, as_written, False, numbers, widths
    written = raw.astype(object).where(raw.notna(), "").map(lambda v: str(v).strip())
    ids = _normalised(written)
    skips.add(ids == "", "missing", "customer_id", N_("no id"))
    return ids, written.to_numpy(dtype=object), False, None, None


def _digit_ids(
    raw: pd.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Ids all written as ASCII digits (``0042``): as :func:`normalise_id` gives them, as
    written, as integers, and how many characters each was written with when some have
    leading zeros (else ``None``); ``None`` for any other column.

    The digits are checked on the column's text joined once and read as integers in one C
    pass over it. Ids without leading zeros (their digits add up to the joined length) are
    their own normalised form; only otherwise are the zeros stripped, text by text. No
    integer is turned back into text.
    """
    if len(raw) == 0:
        return None
    values = raw.to_numpy(dtype=object)
    texts = values.tolist()
    try:
        joined = "".join(texts)
    except TypeError:  # a missing id, or not all text
        return None
    if not (joined.isascii() and joined.encode("ascii").isdigit()):  # bytes: a plain C loop
        return None
    numbers = _whole_numbers(texts)
    if numbers is None:
        return None  # an empty id, or more digits than an int64 holds
    if _digit_count(numbers) == len(joined):  # no id starts with a zero
        return values, values, numbers, None
    ids = np.fromiter(map(str.lstrip, texts, repeat("0")), dtype=object, count=len(texts))
    zeros = numbers == 0
    if zeros.any():
        ids[zeros] = "0"
    widths = np.fromiter(map(len, texts), dtype=np.int32, count=len(texts))
    return ids, values, numbers, widths


def _whole_numbers(texts: list[str]) -> np.ndarray | None:
    """The integers of texts made only of digits; ``None`` when one is empty or does not fit
    an int64.

    numpy's text reader takes them in one pass; it skips an empty text (the count comes out
    short) and holds a number too large at the int64 maximum, which is then read one by one,
    where it is refused.
    """
    numbers = np.fromstring(" ".join(texts), dtype=np.int64, sep=" ")
    if len(numbers) != len(texts):
        return None
    if len(numbers) and int(numbers.max()) == np.iinfo(np.int64).max:
        try:
            numbers = np.array(texts, dtype=object).astype(np.int64)
        except (ValueError, OverflowError):
            return None
    return numbers


def _digit_count(numbers: np.ndarray) -> int:
    """How many digits the non-negative int64 ``numbers`` take written plainly, in all."""
    return int(digit_counts(numbers).sum())


def _normalised(written: pd.Series) -> np.ndarray:
    """:func:`normalise_id` of every cell, the common digit-only case without a Python loop."""
    text = written.astype(str)
    digits = text.str.fullmatch(r"[0-9]+", na=False).to_numpy()
    out = np.empty(len(text), dtype=object)
    stripped = text[digits].str.lstrip("0")
    out[digits] = stripped.where(stripped != "", "0").to_numpy(dtype=object)
    out[~digits] = [normalise_id(v) for v in text[~digits].tolist()]
    return out


def _check_key_columns(columns: list[Column]) -> None:
    """Refuse an age, income or score column whose cells are mostly not numbers.

    Segmenting without it would answer a different question than the manager asked, so the
    file is refused with the column and a few of the cells that could not be read.
    """
    column = next((c for c in columns if c.unreadable), None)
    if column is None or column.parsed is None:
        return
    bad = column.parsed.bad.to_numpy()
    filled = int((~column.parsed.missing).sum())
    cells = pd.unique(column.values[bad].astype(str).str.strip())[:3]
    examples = ", ".join(repr(cell[:40]) for cell in cells)
    raise IngestError(
        N_(
            'The column "{column}" could not be read as numbers: {bad} of its {filled} filled '
            "cells are not numbers in a form that can be read (e.g. {examples}). Save the "
            "numbers without separators or as plain digits, and send the file again."
        ),
        column=column.role.source[:60],
        bad=int(bad.sum()),
        filled=filled,
        examples=examples,
    )


def _check_second_header(columns: list[Column], frame: pd.DataFrame, lines: np.ndarray) -> None:
    """Refuse a header written on two rows: its second row would become a customer."""
    numeric = [c for c in columns if c.parsed is not None and c.role.kind == "numeric"]
    if len(numeric) < 2 or len(lines) < 3:
        return
    first_only = [
        c
        for c in numeric
        if c.parsed is not None and bool(c.parsed.bad.iloc[0]) and not c.parsed.bad.iloc[1:].any()
    ]
    if len(first_only) >= 2 and len(first_only) * 2 >= len(numeric):
        cells = ", ".join(repr(str(frame[c.role.source].iloc[0])[:40]) for c in first_only[:3])
        raise IngestError(
            N_(
                "Line {line} looks like a second header row (it has {cells} where every other "
                "row has numbers). Keep one header row, with one name per column, and send the "
                "file again."
            ),
            line=str(int(lines[0])),
            cells=cells,
        )
