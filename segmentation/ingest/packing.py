"""A customer table's frame in a form that pickles fast, for handing it to another process.

Pickling a text column stores every cell as its own object; for a table of a few hundred
thousand customers that is most of the cost of sending it to a fit process, and it is paid
on the sending side. A text column without missing values is sent instead as one string (its
cells joined by NUL, which no cell holds) and split again on the receiving side. Every other
column is sent as it is. The frame that comes back equals the one sent, dtypes included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

_SEPARATOR = "\x00"


@dataclass(frozen=True)
class _Joined:
    """Text cells joined into one string."""

    text: str
    count: int
    dtype: Any
    name: Any


@dataclass(frozen=True)
class PackedFrame:
    """A frame's columns (packed where it pays), its index and its column labels."""

    columns: list[object]
    index: object
    labels: list[Any]


@dataclass(frozen=True)
class _Values:
    """A column's values without its index (the frame's index is sent once)."""

    values: Any
    name: Any


def pack_frame(frame: pd.DataFrame) -> PackedFrame:
    """The frame, its text columns and index joined where they can be."""
    columns = [_pack(frame.iloc[:, position]) for position in range(frame.shape[1])]
    return PackedFrame(columns, _pack(frame.index), list(frame.columns))


def unpack_frame(packed: PackedFrame) -> pd.DataFrame:
    """The frame :func:`pack_frame` was given."""
    index = _unpack_index(packed.index)
    data = {}
    for label, column in zip(packed.labels, packed.columns, strict=True):
        series = _unpack_series(column, index)
        data[label] = series
    frame = pd.DataFrame(data, index=index, copy=False)
    frame.columns = pd.Index(packed.labels)
    return frame


def _pack(values: pd.Series | pd.Index) -> object:
    """A text column or index without missing values as one string, anything else as is."""
    as_is = values if isinstance(values, pd.Index) else _Values(values.array, values.name)
    if values.dtype != object and not pd.api.types.is_string_dtype(values.dtype):
        return as_is
    cells = values.to_numpy(dtype=object).tolist()
    try:
        text = _SEPARATOR.join(cells)
    except TypeError:  # a missing value, or a cell that is not text
        return as_is
    if text.count(_SEPARATOR) != max(len(cells) - 1, 0):
        return as_is  # a cell holds the separator itself
    return _Joined(text, len(cells), values.dtype, values.name)


def _cells(joined: _Joined) -> np.ndarray:
    """The cells of a joined column as an object array."""
    cells = np.empty(joined.count, dtype=object)
    if joined.count:
        cells[:] = joined.text.split(_SEPARATOR)
    return cells


def _unpack_index(packed: object) -> pd.Index:
    if isinstance(packed, _Joined):
        return pd.Index(_cells(packed), dtype=packed.dtype, name=packed.name, copy=False)
    assert isinstance(packed, pd.Index)
    return packed


def _unpack_series(packed: object, index: pd.Index) -> pd.Series:
    if isinstance(packed, _Joined):
        return pd.Series(_cells(packed), index=index, dtype=packed.dtype, name=packed.name)
    assert isinstance(packed, _Values)
    return pd.Series(packed.values, index=index, name=packed.name, copy=False)
