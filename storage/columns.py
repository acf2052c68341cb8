"""Customer values stored column by column as fixed-width arrays, each in its narrowest form.

A column is one row of ``customer_columns``; ``format`` says how its blobs are read:

- numbers, ``format`` NULL: float64 per customer row, NaN when missing;
- whole numbers, ``format`` ``<i1`` / ``<i2`` / ``<i4``: one int8/16/32 per row, the type's
  smallest value when missing (an age or a score is one byte, not eight);
- text, ``format`` NULL: the UTF-8 values back to back, int64 offsets (rows + 1) and one
  missing byte per row;
- few distinct texts, ``format`` ``codes<u1`` / ``codes<u2``: each distinct value once (UTF-8
  and int64 offsets, as above) and one code per row in ``codes`` (the type's largest value
  when missing), so a gender column is one byte per customer;
- ids as written (``0042``), ``format`` ``id-padded``: one byte per row, the width the id
  was zero-padded to; the value is the row's customer id padded back.

Encoding a 900k-row column is a few numpy calls, and one value is read back by offset
without loading the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd

from storage.records import StoreError

ColumnKind = Literal["float", "text"]

FLOAT = np.dtype("<f8")
OFFSET = np.dtype("<i8")
FLOAT_WIDTH = FLOAT.itemsize
OFFSET_WIDTH = OFFSET.itemsize

#: Whole-number formats, narrowest first.
WHOLE_FORMATS = ("<i1", "<i2", "<i4")
#: Code formats for texts with few distinct values, narrowest first.
CODE_FORMATS: dict[str, np.dtype[Any]] = {"codes<u1": np.dtype("<u1"), "codes<u2": np.dtype("<u2")}
#: Ids as written, zero-padded: one width byte per row.
ID_PADDED = "id-padded"
WIDTH = np.dtype("<u1")
#: The bits of the NaN a missing whole number comes back as.
_NAN_BITS = np.array([np.nan]).view(np.uint64)[0]


@dataclass(frozen=True)
class EncodedColumn:
    """One column ready for ``customer_columns``."""

    name: str
    kind: ColumnKind
    data: bytes
    offsets: bytes | None = None
    missing: bytes | None = None
    format: str | None = None
    codes: bytes | None = None


def column_kind(series: pd.Series) -> ColumnKind:
    """Return how ``series`` is kept: numbers (booleans included) as float, the rest as text."""
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return "float"
    return "text"


def encode_frame(frame: pd.DataFrame, ids: tuple[np.ndarray, np.ndarray]) -> list[EncodedColumn]:
    """Encode every column of ``frame`` in order, each in its narrowest form.

    Args:
        frame: The customers, one row each.
        ids: Their ids in row order as UTF-8 records and their lengths (see
            :func:`utf8_records`): a column holding the ids as written with leading zeros is
            kept as its padding.

    Raises:
        StoreError: Duplicate column names.
    """
    names = [str(name) for name in frame.columns]
    if len(set(names)) != len(names):
        raise StoreError("customer columns must have unique names")
    out = []
    for position, name in enumerate(names):
        series = frame.iloc[:, position]
        padded = padded_ids(name, series, ids) if _may_be_padded_ids(series, ids) else None
        out.append(padded or encode_column(name, series))
    return out


def _may_be_padded_ids(series: pd.Series, ids: tuple[np.ndarray, np.ndarray]) -> bool:
    """A cheap look at the first row: text, digits, the first id with leading zeros."""
    if column_kind(series) != "text" or not len(series) or len(series) != len(ids[0]):
        return False
    first = series.iloc[0]
    return (
        isinstance(first, str)
        and first.isascii()
        and first.isdigit()
        and first != first.lstrip("0")
        and (first.lstrip("0") or "0").encode() == ids[0][0]
    )


def encode_column(name: str, series: pd.Series, *, narrow: bool = True) -> EncodedColumn:
    """Encode one column (``narrow=False``: the plain float64 / text layout only)."""
    if column_kind(series) == "float":
        values = series.to_numpy(dtype=FLOAT, na_value=np.nan)
        whole = whole_format(values) if narrow else None
        if whole is not None:
            kind = np.dtype(whole)
            ints = np.where(np.isnan(values), np.iinfo(kind).min, values).astype(kind)
            return EncodedColumn(name, "float", ints.tobytes(), format=whole)
        return EncodedColumn(name, "float", values.tobytes())
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    missing = codes < 0
    if len(uniques) * 4 <= len(series):
        encoded = [str(value).encode("utf-8", "surrogatepass") for value in uniques]
        fmt = next((f for f, t in CODE_FORMATS.items() if len(uniques) < np.iinfo(t).max), None)
        if narrow and fmt is not None:
            # Each distinct value once, a code per row.
            kind = CODE_FORMATS[fmt]
            placed = np.where(missing, np.iinfo(kind).max, codes).astype(kind)
            data, offsets = records_data(*fixed_records(encoded))
            return EncodedColumn(
                name, "text", data, offsets.tobytes(), format=fmt, codes=placed.tobytes()
            )
        # Few distinct values: encode each once, then place by code.
        encoded.append(b"")  # code -1: missing
        fixed, lengths = fixed_records(encoded)
        data, offsets = records_data(fixed[codes], lengths[codes])
    else:
        texts = np.asarray(series.astype("str").fillna("").to_numpy(dtype=object))
        data, offsets = text_data(texts)
    return EncodedColumn(name, "text", data, offsets.tobytes(), missing.astype(np.uint8).tobytes())


def whole_format(values: np.ndarray) -> str | None:
    """The narrowest whole-number format that keeps every value of a float64 array exactly
    (missing values included), or ``None``."""
    gaps = np.isnan(values)
    present = values[~gaps]
    if len(present) == 0 or bool((values[gaps].view(np.uint64) != _NAN_BITS).any()):
        return None  # nothing to narrow, or a NaN that is not the plain one
    low, high = float(present.min()), float(present.max())
    for fmt in WHOLE_FORMATS:
        info = np.iinfo(np.dtype(fmt))
        if info.min < low and high <= info.max:  # the smallest value marks a missing one
            break
    else:
        return None
    ints = present.astype(np.dtype(fmt))
    if not np.array_equal(ints, present) or bool(np.signbit(present[present == 0]).any()):
        return None  # fractions, or a -0.0 that would come back as 0.0
    return fmt


def padded_ids(
    name: str, series: pd.Series, ids: tuple[np.ndarray, np.ndarray]
) -> EncodedColumn | None:
    """The column as its zero-padding widths when every value is its row's id written with
    leading zeros (``0042`` for id ``42``), else ``None``.

    ``ids`` are the rows' ids as UTF-8 records and their lengths; the check is a few
    vectorised string operations on fixed-width records.
    """
    fixed, id_lengths = ids
    if column_kind(series) != "text" or len(series) != len(fixed) or series.hasnans:
        return None
    try:
        written, lengths = utf8_records(series.to_numpy(dtype=object))
    except (TypeError, ValueError, AttributeError):  # not all text
        return None
    if written.dtype.itemsize > np.iinfo(WIDTH).max or not np.array_equal(
        lengths, np.strings.str_len(written)
    ):
        return None  # too wide, or a value ending in NUL (hidden by the fixed-width records)
    if not bool(np.strings.isdigit(written).all()):  # empty values are not digits
        return None
    stripped = np.strings.lstrip(written, b"0")
    stripped[stripped == b""] = b"0"
    same = (stripped == fixed) & (np.strings.str_len(stripped) == id_lengths)
    if not bool(same.all()):
        return None
    return _padding_widths(name, lengths)


def padding_column(
    name: str, widths: np.ndarray, ids: pd.Index, records: tuple[np.ndarray, np.ndarray]
) -> EncodedColumn:
    """The column of ids as written, given as the width each was written with: kept as those
    widths when the ids are digits, or as its text.

    Args:
        name: The column's name.
        widths: Per row, how many characters its id was written with.
        ids: The ids in row order.
        records: The same ids as UTF-8 records and their lengths (:func:`utf8_records`).

    Raises:
        StoreError: Not a width per id, or a width shorter than its id.
    """
    fixed, lengths = records
    widths = np.asarray(widths)
    if widths.shape != lengths.shape or not np.issubdtype(widths.dtype, np.integer):
        raise StoreError("the widths of the ids as written are not one per id")
    if bool((widths < lengths).any()):
        raise StoreError("an id is wider than it was written")
    digits = len(fixed) == 0 or bool(np.strings.isdigit(fixed).all())
    if digits and (len(widths) == 0 or int(widths.max()) <= np.iinfo(WIDTH).max):
        return _padding_widths(name, widths)
    written = map(str.zfill, ids.to_numpy(dtype=object).tolist(), widths.tolist())
    return encode_column(name, pd.Series(list(written), dtype="str"))


def _padding_widths(name: str, widths: np.ndarray) -> EncodedColumn:
    """A column of ids as written, kept as the width each row's id is padded to with zeros
    (each fits :data:`WIDTH`)."""
    return EncodedColumn(name, "text", widths.astype(WIDTH).tobytes(), format=ID_PADDED)


def text_data(texts: np.ndarray) -> tuple[bytes, np.ndarray]:
    """UTF-8 of ``texts`` (an object array of str) back to back, and the offsets array."""
    fixed, lengths = utf8_records(texts)
    return records_data(fixed, lengths)


def utf8_records(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``texts`` as fixed-width UTF-8 records (numpy ``S``, NUL-padded) and their byte lengths.

    ASCII texts convert in C; others are encoded one by one.
    """
    try:
        fixed = texts.astype("S")
    except UnicodeEncodeError:
        return fixed_records([t.encode("utf-8", "surrogatepass") for t in texts.tolist()])
    lengths = np.char.str_len(fixed).astype(OFFSET)
    if len(texts) and int(lengths.sum()) != len("".join(texts.tolist())):
        # A text ending in NUL lost it to the padding: keep every byte.
        return fixed_records([t.encode("ascii") for t in texts.tolist()])
    return fixed, lengths


def fixed_records(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Byte strings as fixed-width records wide enough for every byte, and their lengths."""
    lengths = np.fromiter(map(len, encoded), dtype=OFFSET, count=len(encoded))
    width = max(int(lengths.max()) if len(lengths) else 0, 1)
    return np.array(encoded, dtype=f"S{width}"), lengths


def records_data(fixed: np.ndarray, lengths: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The bytes of fixed-width records without their padding, and the offsets array."""
    offsets = np.zeros(len(fixed) + 1, dtype=OFFSET)
    np.cumsum(lengths, out=offsets[1:])
    width = fixed.dtype.itemsize
    if len(fixed) == 0:
        return b"", offsets
    grid = np.frombuffer(fixed.tobytes(), dtype=np.uint8).reshape(len(fixed), width)
    return grid[np.arange(width) < lengths[:, None]].tobytes(), offsets


def decode_texts(data: bytes, offsets: bytes) -> list[str]:
    """Every text of a UTF-8 blob and its int64 offsets."""
    ends = np.frombuffer(offsets, dtype=OFFSET).tolist()
    if len(data) == ends[-1] and data.isascii():
        # ASCII only: byte offsets are character offsets, slice the decoded text directly.
        text = data.decode("ascii")
        return [text[a:b] for a, b in pairwise(ends)]
    return [data[a:b].decode("utf-8", "surrogatepass") for a, b in pairwise(ends)]


def decode_column(
    kind: str,
    data: bytes,
    offsets: bytes | None,
    missing: bytes | None,
    format: str | None = None,
    codes: bytes | None = None,
    ids: pd.Index | None = None,
) -> np.ndarray | pd.Series:
    """Decode a whole column: a float64 array, or a ``str`` Series with missing values.

    ``ids`` (the dataset's ids in row order) are needed for the ``id-padded`` format only.
    """
    if kind == "float":
        if format is None:
            return np.frombuffer(data, dtype=FLOAT).copy()
        ints = np.frombuffer(data, dtype=np.dtype(format))
        values = ints.astype(FLOAT)
        values[ints == np.iinfo(ints.dtype).min] = np.nan
        return values
    if format == ID_PADDED:
        if ids is None:
            raise StoreError("ids as written need the ids")
        widths = np.frombuffer(data, dtype=WIDTH)
        texts = pd.Series(ids.to_numpy(dtype=object), dtype="str")
        for width in np.unique(widths).tolist():
            at = widths == width
            texts[at] = texts[at].str.zfill(width)
        return texts
    if offsets is None:
        raise StoreError("text column without offsets")
    if format in CODE_FORMATS:
        if codes is None:
            raise StoreError("coded text column without codes")
        kind_of_code = CODE_FORMATS[format]
        placed = np.frombuffer(codes, dtype=kind_of_code)
        gone = placed == np.iinfo(kind_of_code).max
        table = np.array([*decode_texts(data, offsets), None], dtype=object)
        return pd.Series(table[np.where(gone, len(table) - 1, placed)], dtype="str")
    if missing is None:
        raise StoreError("text column without a missing mask")
    series = pd.Series(decode_texts(data, offsets), dtype="str")
    series[np.frombuffer(missing, dtype=np.uint8).astype(bool)] = None
    return series


def decode_encoded(column: EncodedColumn, ids: pd.Index | None = None) -> np.ndarray | pd.Series:
    """:func:`decode_column` of what :func:`encode_column` or :func:`encode_frame` made."""
    return decode_column(
        column.kind, column.data, column.offsets, column.missing, column.format, column.codes, ids
    )


def value_width(kind: str, format: str | None) -> int:
    """Bytes per row of a numeric column's data, or of a text column's codes / widths."""
    if kind == "float":
        return FLOAT_WIDTH if format is None else np.dtype(format).itemsize
    if format in CODE_FORMATS:
        return CODE_FORMATS[format].itemsize
    return WIDTH.itemsize


def decode_number(raw: bytes, format: str | None) -> float:
    """One stored number (``nan`` when missing)."""
    if format is None:
        return decode_float(raw)
    value = np.frombuffer(raw, dtype=np.dtype(format))[0]
    return float("nan") if value == np.iinfo(value.dtype).min else float(value)


def decode_code(raw: bytes, format: str) -> int | None:
    """One row's code in a coded text column (``None`` when missing)."""
    kind = CODE_FORMATS[format]
    code = int(np.frombuffer(raw, dtype=kind)[0])
    return None if code == np.iinfo(kind).max else code


def decode_float(raw: bytes) -> float:
    """One float64 value."""
    return float(np.frombuffer(raw, dtype=FLOAT)[0])


def decode_offsets(raw: bytes) -> tuple[int, int]:
    """A text value's start and end in its column's data."""
    start, end = np.frombuffer(raw, dtype=OFFSET).tolist()
    return int(start), int(end)
