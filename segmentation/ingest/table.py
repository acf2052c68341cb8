"""The validated customer table that ingestion produces and the engine consumes."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from segmentation.ingest.packing import PackedFrame, pack_frame, unpack_frame

#: Canonical field names, in display order.
CANONICAL_FIELDS: tuple[str, ...] = ("customer_id", "gender", "age", "income", "score")

#: The column of ``CustomerTable.customers`` that keeps ids as the file wrote them (``0042``),
#: present only when some differ from the normalised index; the exports write it. Ids of
#: digits that differ only by their leading zeros are kept as widths instead
#: (``CustomerTable.id_widths``), and stored under this name.
ID_AS_WRITTEN = "customer_id (as written)"

ColumnKind = Literal["id", "gender", "numeric", "attribute", "ignored"]


@dataclass(frozen=True)
class IngestLimits:
    """Limits applied while reading an upload.

    Attributes:
        max_bytes: Largest accepted file, in bytes (the Bot API download limit by default).
        max_rows: Largest accepted number of data rows.
        min_customers: Fewest usable customers worth segmenting.
        max_columns: Largest accepted number of columns.
        max_cells: Largest accepted number of cells (rows × columns), checked before parsing.
        max_header_chars: Longest accepted column name.
        max_unpacked_bytes: Largest accepted size of an ``.xlsx`` workbook, or of the file in a
            ``.zip`` or ``.gz`` upload, once unpacked (a small archive can unpack to gigabytes).
    """

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 1_000_000
    min_customers: int = 10
    max_columns: int = 2_000
    max_cells: int = 20_000_000
    max_header_chars: int = 500
    max_unpacked_bytes: int = 500 * 1024 * 1024


DEFAULT_LIMITS = IngestLimits()


@dataclass(frozen=True)
class ColumnRole:
    """What one column of the file became.

    Attributes:
        source: The header exactly as in the file (stripped).
        field: The column name in ``CustomerTable.customers``: a canonical field name
            (``customer_id``, ``gender``, ``age``, ``income``, ``score``) or, for any other
            column, its own header.
        kind: ``id``, ``gender``, ``numeric`` (a candidate feature), ``attribute`` (a
            low-cardinality text column to profile segments by) or ``ignored``.
        unit: A unit taken from the header for display (``"k$"``), or ``None``.
        note: Why a column is ignored or not a feature (``"constant"``, ``"looks like an id"``,
            ``"dates"``, ``"too many distinct values"``), else ``""``.
        by_meaning: True when the manager's meaning for this header decided its role, rather
            than what segbot recognised in the header and cells.
    """

    source: str
    field: str
    kind: ColumnKind
    unit: str | None = None
    note: str = ""
    by_meaning: bool = False


@dataclass(frozen=True)
class SkippedRows:
    """Rows left out of segmentation for one reason.

    Attributes:
        reason: A machine-readable reason: ``"missing"``, ``"out_of_range"``, ``"duplicate_id"``,
            ``"unparseable"``.
        column: The field the reason is about (``"age"``), or ``""`` for a row-level reason.
        count: How many rows.
        examples: Up to five line numbers in the file (the header is line 1).
        detail: The rule that was broken, for display (``"0–120"``, ``"not a number"``).
    """

    reason: str
    column: str
    count: int
    examples: tuple[int, ...]
    detail: str = ""


#: What a purchase log is segmented on by default: recency, frequency and spend.
PURCHASE_FEATURES: tuple[str, ...] = ("recency", "frequency", "spend")


@dataclass(frozen=True)
class MeaningNote:
    """A meaning the manager gave that did not decide a column of this file.

    Attributes:
        header: The header as the manager wrote it.
        meaning: The meaning word (``"income"``, ``"id"`` …).
        reason: ``"not_in_file"`` (no column of the file has this header) or ``"ids_kept"``
            (a stored upload keeps the customer ids it was read with; a new id column applies
            from the next upload).
    """

    header: str
    meaning: str
    reason: str


@dataclass(frozen=True)
class Receipt:
    """What was read from an upload and what was made of it.

    Attributes:
        filename: The uploaded file's name.
        size_bytes: Its size.
        encoding: The detected text encoding (``"utf-8"``, ``"utf-16"``, ``"cp1252"`` …), or
            ``"xlsx"`` for a workbook.
        delimiter: The detected delimiter (``","``, ``";"``, ``"\\t"``, ``"|"``).
        rows_read: Data rows found in the file (header and blank lines not counted).
        rows_used: Rows that made it into the table.
        columns: One role per column of the file, in file order.
        skipped: Why the other rows were left out.
        ids_generated: True when the file had no id column and row numbers became ids.
        decimal_comma: True when numbers were written with a decimal comma.
        purchases: For a purchase log (one row per purchase), what was read: ``purchases``,
            ``customers``, ``first_date`` and ``last_date`` (ISO), ``returns`` and
            ``returns_amount``, ``customers_without_purchases``, a ``date_note`` and the log's
            ``columns``; ``None`` for a member list (``segmentation.ingest.purchases``).
        meanings: The manager's meanings the file was read with, header -> meaning word, as
            given (``{"AI_k": "income"}``); empty when none.
        meaning_notes: Meanings that did not decide a column of this file, and why.
    """

    filename: str
    size_bytes: int
    encoding: str
    delimiter: str
    rows_read: int
    rows_used: int
    columns: tuple[ColumnRole, ...]
    skipped: tuple[SkippedRows, ...] = ()
    ids_generated: bool = False
    decimal_comma: bool = False
    purchases: dict[str, Any] | None = None
    meanings: dict[str, str] = field(default_factory=dict)
    meaning_notes: tuple[MeaningNote, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of this receipt."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        """Rebuild a receipt from :meth:`to_dict` output."""
        values = dict(data)
        values["columns"] = tuple(ColumnRole(**c) for c in values.get("columns", ()))
        values["skipped"] = tuple(
            SkippedRows(**{**s, "examples": tuple(s.get("examples", ()))})
            for s in values.get("skipped", ())
        )
        values["meanings"] = dict(values.get("meanings", {}))
        values["meaning_notes"] = tuple(MeaningNote(**n) for n in values.get("meaning_notes", ()))
        return cls(**values)


@dataclass(frozen=True)
class CustomerTable:
    """Customers ready to segment.

    Attributes:
        customers: One row per usable customer. The index is ``customer_id`` (text, leading
            zeros stripped from digit-only ids so ``0042`` and ``42`` are one customer; named
            ``customer_id``). Columns: ``gender`` (``"Female"``/``"Male"``/``"Other"`` or
            missing) when present, then ``age``/``income``/``score`` when present (float), then
            every other column under its own header (float for numeric, text otherwise), and
            :data:`ID_AS_WRITTEN` when some ids were written otherwise than the index has them
            and ``id_widths`` does not say how.
        receipt: What was read and what was skipped.
        numeric: Candidate feature columns, canonical ones first (``age``, ``income``,
            ``score``), then other numeric columns in file order. Id-like and constant columns
            are not in here.
        attributes: Low-cardinality text columns to profile segments by (``gender`` first when
            present).
        labels: Column -> display label, e.g. ``{"income": "Annual Income (k$)"}``.
        units: Column -> display unit, e.g. ``{"income": "k$"}``.
        default_features: The columns to segment on by default when the file says which
            (a purchase log: recency, frequency and spend); ``None``: every candidate in
            ``numeric``.
        id_widths: When the ids are digits and some were written with leading zeros
            (``0042``): how many characters each row's id was written with. The ids as
            written are then the index padded with zeros to these widths
            (:meth:`written_ids`), not a second column of 900k texts.
    """

    customers: pd.DataFrame
    receipt: Receipt
    numeric: tuple[str, ...]
    attributes: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    default_features: tuple[str, ...] | None = None
    id_widths: np.ndarray | None = None

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the customers packed (see :mod:`segmentation.ingest.packing`): handing a
        table to a fit process then costs a join per text column, not an object per cell."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields["customers"] = pack_frame(self.customers)
        return (_unpacked_table, (fields,))

    def written_ids(self) -> pd.Series | None:
        """The ids as the file wrote them, indexed like ``customers`` (``None`` when every
        id was written as the index has it)."""
        if self.id_widths is not None:
            ids = self.customers.index
            padded = map(str.zfill, ids.to_numpy(dtype=object).tolist(), self.id_widths.tolist())
            return pd.Series(list(padded), index=ids, dtype=object, name=ID_AS_WRITTEN)
        if ID_AS_WRITTEN in self.customers.columns:
            return self.customers[ID_AS_WRITTEN]
        return None

    def id_padding(self) -> tuple[str, np.ndarray] | None:
        """``(ID_AS_WRITTEN, id_widths)`` when the table keeps the ids as written as widths
        (what a store needs to keep that column without a text per customer), else ``None``."""
        return None if self.id_widths is None else (ID_AS_WRITTEN, self.id_widths)

    def with_written_ids(self) -> pd.DataFrame:
        """``customers`` with :data:`ID_AS_WRITTEN` as a column whenever ids were written
        otherwise (made from ``id_widths`` when the table keeps widths)."""
        if self.id_widths is None:
            return self.customers
        written = self.written_ids()
        return self.customers.assign(**{ID_AS_WRITTEN: written})

    def resolve(self, name: str) -> str | None:
        """Return the column a user means by ``name``, or ``None``.

        A canonical field name, a column's own header, or its display label all work,
        compared without regard to case, spaces and punctuation.
        """
        wanted = normalise_name(name)
        if not wanted:
            return None
        for column in self.customers.columns:
            if normalise_name(str(column)) == wanted:
                return str(column)
        for column, label in self.labels.items():
            if normalise_name(label) == wanted:
                return column
        for role in self.receipt.columns:
            if normalise_name(role.source) == wanted and role.field in self.customers.columns:
                return role.field
        return None


def normalise_name(name: str) -> str:
    """Lower-case ``name`` and drop everything but letters and digits."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def normalise_id(raw: object) -> str:
    """Return the canonical text form of a customer id.

    Surrounding spaces go; an id of digits only loses its leading zeros (``"0042"`` and
    ``"42"`` name the same customer, ``"0"`` stays ``"0"``); a float that is a whole number
    (``42.0``, as spreadsheets write ids) becomes ``"42"``. Anything else is kept as written.
    """
    text = str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


def _unpacked_table(fields: dict[str, object]) -> CustomerTable:
    """The table :meth:`CustomerTable.__reduce__` packed."""
    packed = fields["customers"]
    assert isinstance(packed, PackedFrame)
    return CustomerTable(**{**fields, "customers": unpack_frame(packed)})  # type: ignore[arg-type]
