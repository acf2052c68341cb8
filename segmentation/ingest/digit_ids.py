"""How wide each id of a first column of digits is written, read from the bytes.

An id column of digits is read as integers by the parser (no text per customer), which drops
the leading zeros ``0042`` is written with. The zeros are kept as each id's width instead:
here, the characters before each line's first separator, counted on the bytes with numpy.

This is done only when the file is plain enough for its lines to be exactly the parser's
rows: no quote anywhere (a quoted cell may hold a line break or a separator), no carriage
return other than before a line feed (the parser ends a row at a lone one too), no blank
line, no more rows than are read. Every first cell must then be 1 to :data:`MAX_DIGITS` ASCII
digits followed by the separator; any other file or cell is read as text, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Longest id measured here: 18 digits always fit an int64.
MAX_DIGITS = 18

#: Rows measured or cut at a time, and bytes searched for line feeds at a time: blocks keep
#: the temporary arrays small enough to be reused (a 10 million row file is 240 MB).
BLOCK_ROWS = 1 << 18
CHUNK_BYTES = 1 << 24

_LF, _ZERO, _NINE = 10, ord("0"), ord("9")


@dataclass(frozen=True)
class FirstCells:
    """Where each data row's first cell is in the bytes, and how many digits it has."""

    starts: np.ndarray
    widths: np.ndarray


@dataclass(frozen=True)
class DigitIds:
    """An id column of digits read as integers, with what the integers drop.

    Attributes:
        header: The column.
        widths: Per row, how many characters the id was written with (its leading zeros
            included).
        texts: Per row, the id as text without its leading zeros (``normalise_id``'s form).
    """

    header: str
    widths: np.ndarray
    texts: list[str]


def first_column_widths(raw: bytes, delimiter: str, nrows: int) -> FirstCells | None:
    """Each row's first cell when every one is ASCII digits, else ``None``.

    Args:
        raw: The CSV from its header line on.
        delimiter: The separator (one character).
        nrows: The most rows the parser reads.

    Returns:
        Per data row, where its first cell starts and how many digits it has (int8), or
        ``None`` when the file is not plain enough to be sure its lines are its rows, or a
        first cell is not digits.
    """
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter.isdigit():
        return None
    if b'"' in raw:
        return None
    returns = raw.count(b"\r")
    if returns and returns != raw.count(b"\r\n"):
        return None
    buf = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.concatenate(
        [
            np.flatnonzero(buf[at : at + CHUNK_BYTES] == _LF) + at
            for at in range(0, len(buf), CHUNK_BYTES)
        ]
    )
    starts = breaks + 1  # each line after a line feed; the header's is not among them
    if len(starts) and starts[-1] == len(buf):
        starts = starts[:-1]  # the file ends with a line feed
    if len(starts) == 0 or len(starts) > nrows:
        return None
    widths = np.zeros(len(starts), dtype=np.int8)
    for at in range(0, len(starts), BLOCK_ROWS):
        block = _widths(buf, starts[at : at + BLOCK_ROWS], ord(delimiter))
        if block is None:
            return None
        widths[at : at + len(block)] = block
    return FirstCells(starts, widths)


def _widths(buf: np.ndarray, starts: np.ndarray, separator: int) -> np.ndarray | None:
    """The digits at each start up to the separator, counted; ``None`` for any other cell.

    Digit by digit, all rows at once: the first byte that is not a digit ends the cell. Past
    the end of the bytes the last byte is read again (the cell then never ends).
    """
    last = len(buf) - 1
    widths = np.zeros(len(starts), dtype=np.int8)
    open_rows = np.arange(len(starts))  # rows whose cell has not ended yet
    for position in range(MAX_DIGITS + 1):
        at = (starts if len(open_rows) == len(starts) else starts[open_rows]) + position
        byte = buf[np.minimum(at, last)]
        ended = (byte < _ZERO) | (byte > _NINE)
        if ended.any():
            if position == 0 or bool((byte[ended] != separator).any()):
                return None  # an empty cell, a blank line, or more than digits in the cell
            widths[open_rows[ended]] = position
            open_rows = open_rows[~ended]
        if len(open_rows) == 0:
            return widths
    return None  # more than MAX_DIGITS digits


def digit_ids(
    raw: bytes, delimiter: str, header: str, cells: FirstCells, numbers: np.ndarray
) -> DigitIds:
    """The ids of :func:`first_column_widths`'s cells, given their integers as parsed.

    Their texts without leading zeros are cut from the bytes (each id's last digits and the
    separator after it, gathered with numpy a block of rows at a time), decoded once and
    split on the separator, not made from the integers one by one.

    Raises:
        ValueError: ``numbers`` are not the cells' (a row more or less, or more digits).
    """
    digits = digit_counts(numbers)
    if len(numbers) != len(cells.widths) or bool((digits > cells.widths).any()):
        raise ValueError("the integers are not those of the first cells")
    buf = np.frombuffer(raw, dtype=np.uint8)
    pieces = []
    for at in range(0, len(numbers), BLOCK_ROWS):
        rows = slice(at, at + BLOCK_ROWS)
        taken = digits[rows].astype(np.int64) + 1  # the digits and the separator after them
        first = cells.starts[rows] + cells.widths[rows] - digits[rows]
        offsets = np.cumsum(taken) - taken
        pieces.append(buf[np.repeat(first - offsets, taken) + np.arange(int(taken.sum()))])
    texts = b"".join(piece.tobytes() for piece in pieces).decode("ascii").split(delimiter)
    texts.pop()  # after the last separator
    return DigitIds(header, cells.widths, texts)


def digit_counts(numbers: np.ndarray) -> np.ndarray:
    """How many digits each non-negative int64 takes written plainly (0 takes one)."""
    counts = np.ones(len(numbers), dtype=np.int8)
    largest = int(numbers.max()) if len(numbers) else 0
    for power in range(1, MAX_DIGITS + 1):
        if 10**power > largest:
            break
        counts += numbers >= 10**power
    return counts
