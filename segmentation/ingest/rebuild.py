"""Read a stored customer table back, as ingestion made it or with the manager's new meanings.

A stored upload keeps its customers column by column under the names ingestion gave them, and
its receipt. :func:`rebuild_table` turns them back into a :class:`CustomerTable`. Given
meanings, it decides again what the columns are, exactly where those meanings change
something: a column given a meaning is read as that field, a column that loses its field to
another is read afresh without it, and a column whose meaning was withdrawn goes back to what
segbot recognises. Every other column keeps the role, values and unit it was read with. Rows
that the newly read age, income or score cannot use are left out for the same reasons as at
upload (without line numbers: the file itself is not stored); rows left out at upload stay
out. The customer ids stay those of the upload, since its stored results refer to them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from segmentation.errors import IngestError
from segmentation.ingest.headers import read_header
from segmentation.ingest.meanings import MEANINGS, Meanings, check_meanings
from segmentation.ingest.numbers import parse_numbers
from segmentation.ingest.roles import (
    CANONICAL_NUMERIC,
    Column,
    classify_as,
    classify_column,
    given_fields,
    is_canonical,
    is_feature,
    rename_clashes,
)
from segmentation.ingest.rows import Skips, check_range, no_numeric_message, too_few_message
from segmentation.ingest.table import (
    CANONICAL_FIELDS,
    DEFAULT_LIMITS,
    ID_AS_WRITTEN,
    PURCHASE_FEATURES,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    MeaningNote,
    Receipt,
)

logger = logging.getLogger(__name__)


def is_feature_role(role: ColumnRole) -> bool:
    """Whether a column with this role may be clustered on: numeric, and neither constant nor
    id-like (the canonical age, income and score always may)."""
    return role.kind == "numeric" and (role.note == "" or role.field in CANONICAL_FIELDS)


def rebuild_table(
    customers: pd.DataFrame,
    receipt: dict[str, Any],
    labels: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
    *,
    meanings: Mapping[str, str] | None = None,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> CustomerTable:
    """Rebuild the table ingestion made from its stored customers and receipt.

    The same rules as ingestion decide which columns are features (:func:`is_feature_role`)
    and their order (canonical fields first), so a table read back after a restart segments
    exactly like the one first read.

    Args:
        customers: The stored customer columns (index: customer id).
        receipt: The receipt as :meth:`Receipt.to_dict` wrote it.
        labels: Display labels to lay over the headers (e.g. kept with a run); ignored for
            columns whose role the meanings changed.
        units: Units to lay over those read from the headers (same rule).
        meanings: ``None`` to read the table as stored; otherwise the manager's meanings,
            header -> ``age``, ``income``, ``score``, ``gender`` or ``id``, to read it with
            (an empty mapping withdraws the meanings it was read with). The same meanings as
            the receipt's give the same table.
        limits: Its ``min_customers`` applies when newly read columns leave rows out.

    Returns:
        The customer table; its receipt says which columns were read by a meaning.

    Raises:
        IngestError: A meaning word is unknown, two columns are given one meaning, a column
            cannot be read as the meaning given to it, or too few customers remain.
    """
    rec = Receipt.from_dict(receipt)
    changed: set[str] = set()
    if meanings is not None:
        customers, rec, changed = _apply_meanings(customers, rec, check_meanings(meanings), limits)
    present = set(customers.columns)
    numeric = [
        role.field
        for role in rec.columns
        if is_feature_role(role)
        and role.field in present
        and pd.api.types.is_numeric_dtype(customers[role.field])
        and customers[role.field].notna().any()
    ]
    canonical = [c for c in CANONICAL_FIELDS if c in numeric]
    numeric = canonical + [c for c in numeric if c not in canonical]
    attributes = [
        role.field
        for role in rec.columns
        if role.kind in ("gender", "attribute") and role.field in present
    ]
    attributes.sort(key=lambda c: c != "gender")
    all_labels = {role.field: role.source for role in rec.columns if role.field in present}
    all_labels.update({k: v for k, v in (labels or {}).items() if k not in changed})
    all_units = {
        role.field: role.unit for role in rec.columns if role.unit and role.field in present
    }
    all_units.update({k: v for k, v in (units or {}).items() if k not in changed})
    return CustomerTable(
        customers=customers,
        receipt=rec,
        numeric=tuple(numeric),
        attributes=tuple(attributes),
        labels=all_labels,
        units=all_units,
        default_features=PURCHASE_FEATURES if rec.purchases else None,
    )


def _holds(role: ColumnRole) -> bool:
    """Whether a column holds gender, age, income or score."""
    if role.field == "gender":
        return role.kind == "gender"
    return role.field in CANONICAL_NUMERIC and role.kind == "numeric"


def _apply_meanings(
    customers: pd.DataFrame, rec: Receipt, meanings: Meanings, limits: IngestLimits
) -> tuple[pd.DataFrame, Receipt, set[str]]:
    """The stored customers and receipt as read with ``meanings``, and the fields changed."""
    roles = list(rec.columns)
    sources = [role.source for role in roles]
    notes = list(meanings.not_in(sources))
    given = given_fields(sources, meanings)
    id_source = next((role.source for role in roles if role.kind == "id"), None)
    for source, field in list(given.items()):
        if (field == "customer_id") != (source == id_source):
            # The stored results refer to the upload's ids: a new id column waits for the
            # next upload, and the id column cannot become something else.
            notes.append(MeaningNote(source, _word(field), "ids_kept"))
            del given[source]
    claimed = {field for field in given.values() if field != "customer_id"}
    taken = claimed | {
        role.field
        for role in roles
        if _holds(role) and not role.by_meaning and role.field not in claimed
    }
    released = {role.field for role in roles if _holds(role)} - taken

    columns: list[Column] = []
    stored: list[Column] = []
    redone: list[tuple[str, Column]] = []
    for role in roles:
        if role.kind == "id" or role.field not in customers.columns:
            by_meaning = role.by_meaning or role.source in given
            columns.append(Column(replace(role, by_meaning=by_meaning), pd.Series(dtype=object)))
            continue
        values = customers[role.field]
        meant = given.get(role.source)
        if meant is not None and role.field == meant and _holds(role):
            column = _kept(replace(role, by_meaning=True), values)
        elif meant is not None:
            column = classify_as(role.source, values, meant)
            redone.append((role.field, column))
        elif _read_again(role, claimed, released - taken):
            column = classify_column(role.source, values, taken)
            redone.append((role.field, column))
        else:
            column = _kept(role, values)
        if is_canonical(column):
            taken.add(column.role.field)
        columns.append(column)
        stored.append(column)
    rename_clashes(columns)

    skips = Skips(len(customers))
    for _, column in redone:
        if column.role.field in CANONICAL_NUMERIC and is_canonical(column):
            check_range(column, skips)
    if not any(is_feature(c) for c in stored):
        raise IngestError(no_numeric_message(columns))
    keep = ~skips.dropped
    used = int(keep.sum())
    if used < limits.min_customers:
        raise IngestError(too_few_message(used, len(customers), skips.records, limits))
    first = {name: rank for rank, name in enumerate(["gender", *CANONICAL_NUMERIC])}
    order = sorted(
        range(len(stored)),
        key=lambda i: (first.get(stored[i].role.field, 9), i),
    )
    frame = pd.DataFrame(
        {stored[i].role.field: stored[i].values[keep] for i in order},
        index=customers.index[keep],
    )
    if ID_AS_WRITTEN in customers.columns:
        frame[ID_AS_WRITTEN] = customers[ID_AS_WRITTEN].to_numpy()[keep]
    receipt = replace(
        rec,
        columns=tuple(c.role for c in columns),
        rows_used=used,
        skipped=rec.skipped + tuple(skips.records),
        meanings=dict(meanings.given),
        meaning_notes=tuple(notes),
    )
    logger.info(
        "read a stored table again: %d columns read anew, %d of %d rows kept",
        len(redone),
        used,
        len(customers),
    )
    changed = {old for old, _ in redone} | {column.role.field for _, column in redone}
    return frame, receipt, changed


def _read_again(role: ColumnRole, claimed: set[str], free: set[str]) -> bool:
    """Whether a column not given a meaning must be read again: it lost its field to a
    meaning, its own meaning was withdrawn, or its header names a field now free."""
    if _holds(role):
        return role.field in claimed or role.by_meaning
    return read_header(role.source).field in free


def _kept(role: ColumnRole, values: pd.Series) -> Column:
    """A column as it was stored (numbers read again, which costs nothing for floats)."""
    parsed = parse_numbers(values) if role.kind == "numeric" and _holds(role) else None
    return Column(role, values, parsed)


def _word(field: str) -> str:
    """The meaning word of a canonical field."""
    return next(word for word, named in MEANINGS.items() if named == field)
