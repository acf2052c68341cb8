"""Read a spending score written as levels (``Low``/``Average``/``High``) as numbers.

The rule, for a manager's eye:

- The levels are ``very low`` < ``low`` < ``average`` (also ``medium``, ``mid``, ``middle``,
  ``moderate``) < ``high`` < ``very high``, compared without regard to case, spaces, hyphens
  or underscores (``VERY-HIGH`` is ``very high``). Empty and "no value" cells are ignored.
- A column is read this way only when every other cell is one of these levels and at least
  two different levels occur; otherwise it stays text.
- The scale is evenly spaced on 0–100 with the middle level at 50: three points (25/50/75)
  when no ``very`` level occurs, five points (10/30/50/70/90, the middles of five equal
  bands) when one does. A file with Low/High only still reads them as 25 and 75.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from segmentation.ingest.notes import levels_note
from segmentation.ingest.numbers import MISSING_TOKENS, ParsedNumbers

#: Every level word, with its rank from very low (0) to very high (4).
_RANKS: dict[str, int] = {
    "very low": 0,
    "low": 1,
    **dict.fromkeys(["average", "medium", "mid", "middle", "moderate"], 2),
    "high": 3,
    "very high": 4,
}
_THREE_POINTS = {1: 25.0, 2: 50.0, 3: 75.0}
_FIVE_POINTS = {0: 10.0, 1: 30.0, 2: 50.0, 3: 70.0, 4: 90.0}
_SEPARATORS = re.compile(r"[\s_-]+")


def read_levels(raw: pd.Series) -> tuple[ParsedNumbers, str] | None:
    """A column of levels as numbers on 0–100, with a note saying how they were read.

    Args:
        raw: The column's cells as parsed from the file.

    Returns:
        The numbers (missing where the cell is empty) and a note such as
        ``levels Low/Average/High read as 25/50/75``; ``None`` when the cells are not levels.
    """
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    texts = [str(v).strip() for v in uniques]
    ranks = [
        None if t.lower() in MISSING_TOKENS else _RANKS.get(_SEPARATORS.sub(" ", t.casefold()), -1)
        for t in texts
    ]
    used = {r for r in ranks if r is not None}
    if -1 in used or len(used) < 2:
        return None
    points = _FIVE_POINTS if used & {0, 4} else _THREE_POINTS
    lookup = np.array([*(np.nan if r is None else points[r] for r in ranks), np.nan])
    values = pd.Series(lookup[codes], index=raw.index, dtype="float64")
    missing = values.isna()
    parsed = ParsedNumbers(
        values=values,
        missing=missing,
        bad=missing & False,
        written=values,
        multiplier=pd.Series(1.0, index=raw.index),
    )
    return parsed, _note(texts, ranks, codes, points)


def _note(
    texts: list[str], ranks: list[int | None], codes: np.ndarray, points: dict[int, float]
) -> str:
    """``levels Low/Average/High read as 25/50/75``, in the file's most common spelling."""
    counts = np.bincount(codes[codes >= 0], minlength=len(texts))
    spelling: dict[int, tuple[int, str]] = {}
    for text, rank, count in zip(texts, ranks, counts, strict=True):
        if rank is not None and count > spelling.get(rank, (-1, ""))[0]:
            spelling[rank] = (int(count), text)
    order = sorted(spelling)
    names = "/".join(spelling[r][1] for r in order)
    numbers = "/".join(f"{points[r]:g}" for r in order)
    return levels_note(names, numbers)
