"""The per-customer files a manager downloads: segment, persona and the original columns.

The CSV is UTF-8 with a byte-order mark (so Excel shows accents right), comma-separated; the
workbook (:func:`assignments_xlsx`) has an overview sheet and one sheet per segment. In both,
ids are written as the file wrote them (``0042``, as text) and the id column is kept under its
own header. Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) get a leading apostrophe; numeric columns are written
as plain numbers (whole numbers without ``.0``), negative ones included.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from segmentation.ingest.table import ID_AS_WRITTEN, CustomerTable
from segmentation.model import unusual_rows
from segmentation.persona_words import localise
from segmentation.result import Segmentation
from segmentation.words import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The id column's header: the key a CRM matches on, the same in every language.
ID_HEADER = "customer_id"
#: The headers the export writes beside the file's own columns.
SEGMENT_HEADER = N_("segment")
PERSONA_HEADER = N_("persona")
UNUSUAL_HEADER = N_("far_outside_the_rest")


def neutralise(text: str) -> str:
    """Prefix a formula-looking text cell with an apostrophe."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def assignments_csv(table: CustomerTable, seg: Segmentation, *, words: Words = ENGLISH) -> bytes:
    """One row per customer: ``customer_id``, ``segment``, ``persona``, then the original columns.

    When the fit set customers aside as far outside the rest, a ``far_outside_the_rest``
    column (``yes`` or empty) follows the persona. ``customer_id`` is the id as the file
    wrote it, and the file's id column follows under its own header.

    Args:
        table: The customers the segmentation was fitted on.
        seg: The segmentation.
        words: The language of the headers the export adds and of the persona names.

    Returns:
        CSV bytes (UTF-8 with BOM), original columns under their original headers.
    """
    out = labelled_frame(table, seg, words)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def written_ids(table: CustomerTable) -> pd.Series:
    """Each customer's id as the file wrote it (text), indexed like ``table.customers``."""
    customers = table.customers
    ids = customers.index.astype(str)
    kept = table.written_ids()
    if kept is not None:
        written = kept.astype(object)
        return pd.Series(np.where(written.notna(), written.astype(str), ids), index=customers.index)
    return pd.Series(np.asarray(ids, dtype=object), index=customers.index)


def labelled_frame(table: CustomerTable, seg: Segmentation, words: Words = ENGLISH) -> pd.DataFrame:
    """The export's rows and headers, every cell formula-safe (see :func:`assignments_csv`);
    the headers it adds and the persona names in ``words``' language."""
    customers = table.customers
    ids = customers.index.astype(str)
    assigned = seg.assignments["segment"]
    if not (len(assigned) == len(ids) and (assigned.index == ids).all()):
        assigned = assigned.reindex(ids)
    numbers = pd.array(assigned.to_numpy(), dtype="Int64")
    names = {s.number: localise(s.persona, words).name for s in seg.segments}
    written = [neutralise(i) for i in written_ids(table).tolist()]
    out = pd.DataFrame(
        {
            ID_HEADER: written,
            neutralise(words(SEGMENT_HEADER)): numbers,
            neutralise(words(PERSONA_HEADER)): [
                neutralise(names.get(int(n), "")) if pd.notna(n) else "" for n in numbers
            ],
        }
    )
    if seg.unusual:
        # Customers far outside the rest, placed in their nearest segment (see the model).
        yes = neutralise(words(N_("yes")))
        out[neutralise(words(UNUSUAL_HEADER))] = np.where(unusual_rows(table, seg), yes, "")
    headers = {role.field: role.source for role in table.receipt.columns}
    taken = set(out.columns)
    id_role = next((r for r in table.receipt.columns if r.kind == "id"), None)
    if id_role is not None and not table.receipt.ids_generated:
        # The file's own id column, under its own header (a CRM matches on it).
        header = neutralise(id_role.source)
        while header in taken:
            header = words(N_("{header} (original)"), header=header)
        taken.add(header)
        out[header] = written
    for column in customers.columns:
        if column == ID_AS_WRITTEN:
            continue
        # A header is a cell too: "=cmd|…" as a column name would run in a spreadsheet.
        header = neutralise(headers.get(str(column), str(column)))
        while header in taken:
            header = words(N_("{header} (original)"), header=header)
        taken.add(header)
        out[header] = _cells(customers[column]).to_numpy()
    return out


def _cells(series: pd.Series) -> pd.Series:
    """Numbers as numbers (whole ones as integers), text neutralised."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.astype("Float64")
        finite = values.dropna()
        if len(finite) and bool((finite == finite.round()).all()) and finite.abs().max() < 2**53:
            return values.astype("Int64")
        return values
    return series.map(lambda v: neutralise(str(v)) if pd.notna(v) else v)
