"""Messy upload bytes in, a validated customer table out.

``decoding`` recognises the file type and turns bytes into text; ``parsing`` reads CSV text
and ``.xlsx`` workbooks into cells; ``headers`` recognises what a header means; ``numbers`` and
``levels`` read cells as numbers; ``roles`` decides what every column is; ``table`` holds the
table and receipt types; ``load`` puts them together in :func:`load_customers`.
"""

from segmentation.ingest.decoding import is_xlsx
from segmentation.ingest.load import load_customers
from segmentation.ingest.roles import CANONICAL_NUMERIC
from segmentation.ingest.table import (
    CANONICAL_FIELDS,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    Receipt,
    normalise_id,
    rebuild_table,
)

__all__ = [
    "CANONICAL_FIELDS",
    "CANONICAL_NUMERIC",
    "ColumnRole",
    "CustomerTable",
    "IngestLimits",
    "Receipt",
    "is_xlsx",
    "load_customers",
    "normalise_id",
    "rebuild_table",
]
