"""The validated customer table that ingestion produces and the engine consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

#: Canonical field names, in display order.
CANONICAL_FIELDS: tuple[str, ...] = ("customer_id", "gender", "age", "income", "score")

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
    """

    source: str
    field: str
    kind: ColumnKind
    unit: str | None = None
    note: str = ""


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
        return cls(**values)


@dataclass(frozen=True)
class CustomerTable:
    """Customers ready to segment.

    Attributes:
        customers: One row per usable customer. The index is ``customer_id`` (text, leading
            zeros stripped from digit-only ids so ``0042`` and ``42`` are one customer; named
            ``customer_id``). Columns: ``gender`` (``"Female"``/``"Male"``/``"Other"`` or
            missing) when present, then ``age``/``income``/``score`` when present (float), then
            every other column under its own header (float for numeric, text otherwise).
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
    """

    customers: pd.DataFrame
    receipt: Receipt
    numeric: tuple[str, ...]
    attributes: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    default_features: tuple[str, ...] | None = None

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


def is_feature_role(role: ColumnRole) -> bool:
    """Whether a column with this role may be clustered on: numeric, and neither constant nor
    id-like (the canonical age, income and score always may)."""
    return role.kind == "numeric" and (role.note == "" or role.field in CANONICAL_FIELDS)


def rebuild_table(
    customers: pd.DataFrame,
    receipt: dict[str, Any],
    labels: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
) -> CustomerTable:
    """Rebuild the table ingestion made from its stored customers and receipt.

    The same rules as ingestion decide which columns are features (:func:`is_feature_role`)
    and their order (canonical fields first), so a table read back after a restart segments
    exactly like the one first read.

    Args:
        customers: The stored customer columns (index: customer id).
        receipt: The receipt as :meth:`Receipt.to_dict` wrote it.
        labels: Display labels to lay over the headers (e.g. kept with a run).
        units: Units to lay over those read from the headers.

    Returns:
        The customer table.
    """
    rec = Receipt.from_dict(receipt)
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
    all_labels.update(labels or {})
    all_units = {
        role.field: role.unit for role in rec.columns if role.unit and role.field in present
    }
    all_units.update(units or {})
    return CustomerTable(
        customers=customers,
        receipt=rec,
        numeric=tuple(numeric),
        attributes=tuple(attributes),
        labels=all_labels,
        units=all_units,
        default_features=PURCHASE_FEATURES if rec.purchases else None,
    )
