"""One segment's customers as an audience file for ad platforms and CRMs.

The header is what their importers match without asking: the id first, then a neutral
``audience`` name, then ``email`` and ``phone`` when the file has such columns. The audience
name never carries the persona: platforms refuse audiences whose names suggest income or
health, and a persona such as "Frugal low earners" is not a name to show a customer.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from segmentation.export import neutralise, written_ids
from segmentation.ingest.table import CustomerTable
from segmentation.result import Segmentation

#: Header words that mark a column of e-mail addresses or phone numbers.
_CONTACT_HEADERS = {
    "email": re.compile(r"^(e[-_ ]?mail|mail)([-_ ]?(address|adresse|addr))?$|correo|courriel"),
    "phone": re.compile(r"^(phone|mobile|cell|tel|telephone|telefon|telefone|tlf)([-_ ]?\w+)?$"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,20}$")
#: Longest audience name kept from the manager's words.
AUDIENCE_NAME_LIMIT = 50


def audience_name(stem: str, number: int, given: str = "") -> str:
    """``segbot-<stem>-segment-<N>``, or the manager's name reduced to safe characters."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", given).strip("-")[:AUDIENCE_NAME_LIMIT]
    return name or f"segbot-{stem}-segment-{number}"


def contact_columns(table: CustomerTable) -> dict[str, str]:
    """``email`` / ``phone`` -> the column of ``table.customers`` holding them, when found.

    A column counts when its header says so, or when most of its filled cells look like
    addresses (``@`` and a dot) or phone numbers.
    """
    headers = {role.field: role.source for role in table.receipt.columns}
    found: dict[str, str] = {}
    for column in table.customers.columns:
        values = table.customers[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            kinds = ["phone"]  # a phone column read as numbers
        else:
            kinds = ["email", "phone"]
        header = headers.get(str(column), str(column)).strip().casefold()
        for kind in kinds:
            if kind in found:
                continue
            if _CONTACT_HEADERS[kind].search(header) or _mostly(values, kind):
                found[kind] = str(column)
                break
    return found


def _mostly(values: pd.Series, kind: str) -> bool:
    """Whether most filled cells of a text column look like e-mail addresses or phones."""
    if pd.api.types.is_numeric_dtype(values):
        return False
    sample = values.dropna().astype(str).str.strip().head(200)
    if sample.empty:
        return False
    pattern = _EMAIL if kind == "email" else _PHONE
    if kind == "phone" and not sample.str.contains(r"[ +()-]", regex=True).mean() > 0.5:
        return False  # bare digits are more often codes than phone numbers
    return bool(sample.str.match(pattern).mean() > 0.8)


def _phone(value: object) -> str:
    """A phone number as digits, with its ``+`` kept; anything else neutralised as text."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if _PHONE.match(text):
        # Digits and a leading + cannot run as a formula; an apostrophe would break the match.
        return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    return neutralise(text)


def segment_audience_csv(
    table: CustomerTable, seg: Segmentation, number: int, audience: str
) -> bytes:
    """Segment ``number``'s customers: ``customer_id``, ``audience``, then ``email``/``phone``.

    Args:
        table: The customers the segmentation was fitted on.
        seg: The segmentation, with its assignments.
        number: The segment.
        audience: The audience name written on every row (see :func:`audience_name`).

    Returns:
        CSV bytes (UTF-8 without BOM, comma, CRLF), ids as the file wrote them.

    Raises:
        KeyError: No such segment.
    """
    seg.segment(number)
    ids = table.customers.index.astype(str)
    assigned = seg.assignments["segment"].reindex(ids).to_numpy()
    members = np.asarray(assigned == number, dtype=bool)
    written = written_ids(table).to_numpy()[members]
    out = pd.DataFrame(
        {
            "customer_id": [neutralise(str(i)) for i in written],
            "audience": neutralise(audience),
        }
    )
    for kind, column in contact_columns(table).items():
        values = table.customers[column].to_numpy()[members]
        if kind == "phone":
            out[kind] = [_phone(v) for v in values]
        else:
            out[kind] = [
                ""
                if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                else neutralise(str(v).strip().lower())
                for v in values
            ]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
