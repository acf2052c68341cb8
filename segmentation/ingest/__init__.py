"""Messy upload bytes in, a validated customer table out.

``decoding`` recognises the file type and turns bytes into text; ``parsing`` reads CSV text
and ``.xlsx`` workbooks into cells; ``headers`` recognises what a header means; ``numbers`` and
``levels`` read cells as numbers; ``meanings`` checks what the manager says columns mean;
``roles`` decides what every column is; ``rows`` which rows are left out; ``table`` holds the
table and receipt types; ``load`` puts them together in :func:`load_customers`, and
``rebuild`` reads a stored table back in :func:`rebuild_table`.
"""

from segmentation.ingest.decoding import is_xlsx
from segmentation.ingest.load import load_customers
from segmentation.ingest.meanings import MEANINGS, check_meanings, update_meanings
from segmentation.ingest.rebuild import rebuild_table
from segmentation.ingest.roles import CANONICAL_NUMERIC
from segmentation.ingest.table import (
    CANONICAL_FIELDS,
    ID_AS_WRITTEN,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    MeaningNote,
    Receipt,
    normalise_id,
)

__all__ = [
    "CANONICAL_FIELDS",
    "CANONICAL_NUMERIC",
    "ID_AS_WRITTEN",
    "MEANINGS",
    "ColumnRole",
    "CustomerTable",
    "IngestLimits",
    "MeaningNote",
    "Receipt",
    "check_meanings",
    "is_xlsx",
    "load_customers",
    "normalise_id",
    "rebuild_table",
    "update_meanings",
]
