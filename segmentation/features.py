"""Choose the columns to cluster on and turn them into a standardised matrix.

Default features are the table's numeric columns (canonical ``age``, ``income``, ``score``
first, then the others in file order), except columns mostly empty or with fewer than
:data:`MIN_DISTINCT` distinct values (flags and codes). The spending ``score`` is kept with as
few as two values: a score read from levels (Low/Average/High) is a measure, not a code.
Gender is profiled per segment, not clustered on, unless the caller names it: then each gender
level becomes a 0/1 feature (``gender=Female`` …) whose centre reads as a share.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from segmentation.errors import SegmentationError
from segmentation.ingest.table import CustomerTable

logger = logging.getLogger(__name__)

#: A numeric column missing in more than this share of rows is left out of the default features.
MAX_MISSING_SHARE = 0.5

#: A numeric column with fewer distinct values is a flag or a code (Channel, Kidhome, Complain)
#: and is left out of the default features; naming it still uses it.
MIN_DISTINCT = 5

#: Prefix of the one-hot gender features.
GENDER_PREFIX = "gender="


@dataclass(frozen=True)
class FeatureMatrix:
    """The numbers the model sees.

    Attributes:
        names: Feature names, in order (column names, or ``gender=<level>``).
        raw: Values in original units, shape (n, p); missing values stay NaN (the model fits on
            complete rows and places the others by the features they have).
        mean: Per-feature mean used to standardise (missing values ignored).
        scale: Per-feature standard deviation used to standardise (1 for constant features).
        missing: Feature -> how many values are missing.
    """

    names: tuple[str, ...]
    raw: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    missing: dict[str, int]

    @property
    def standardised(self) -> np.ndarray:
        """The standardised matrix (float64, C-contiguous, NaN where missing)."""
        return np.ascontiguousarray((self.raw - self.mean) / self.scale)


def default_features(table: CustomerTable) -> tuple[str, ...]:
    """Return the numeric columns worth clustering on by default."""
    frame = table.customers
    usable: list[tuple[str, int]] = []
    for column in table.numeric:
        if column not in frame.columns:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        distinct = int(values.nunique(dropna=True))
        if values.isna().mean() <= MAX_MISSING_SHARE and distinct >= 2:
            usable.append((column, distinct))
    rich = tuple(c for c, distinct in usable if distinct >= MIN_DISTINCT or c == "score")
    # Only flags and codes in the file: use them rather than refuse.
    return rich or tuple(c for c, _ in usable)


def resolve_features(table: CustomerTable, requested: tuple[str, ...] | None) -> tuple[str, ...]:
    """Map the caller's feature names to columns, or pick the defaults.

    Raises:
        SegmentationError: A name matches no column, names a text column other than gender,
            or no usable numeric column is left.
    """
    if requested is None:
        names = default_features(table)
        if not names:
            raise SegmentationError(
                "There is no numeric column to segment on (such as age, income or spending "
                "score). Add one and send the file again."
            )
        return names
    names_out: list[str] = []
    for name in requested:
        column = table.resolve(name)
        if column is None:
            available = ", ".join([*table.numeric, *(["gender"] if _has_gender(table) else [])])
            raise SegmentationError(
                f"There is no column called '{name}'. Features you can use: {available}."
            )
        if column == "gender":
            pass
        elif column not in table.numeric:
            raise SegmentationError(
                f"'{name}' is not a numeric column, so it cannot be a feature; segments are "
                f"profiled by it instead. Numeric columns: {', '.join(table.numeric)}."
            )
        if column not in names_out:
            names_out.append(column)
    if not names_out:
        raise SegmentationError("No features were given. Name at least one numeric column.")
    return tuple(names_out)


def build_matrix(table: CustomerTable, columns: tuple[str, ...]) -> FeatureMatrix:
    """Build the feature matrix for ``columns`` (``gender`` expands to one 0/1 per level).

    Raises:
        SegmentationError: A column has no values at all, or gender has a single level.
    """
    frame = table.customers
    blocks: list[np.ndarray] = []
    names: list[str] = []
    counts: dict[str, int] = {}
    for column in columns:
        if column == "gender":
            levels, block = _gender_block(frame["gender"])
            blocks.append(block)
            names.extend(f"{GENDER_PREFIX}{level}" for level in levels)
            continue
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
        missing = np.isnan(values)
        if missing.all():
            raise SegmentationError(f"The column '{column}' has no numbers to segment on.")
        if missing.any():
            counts[column] = int(missing.sum())
        blocks.append(values[:, None])
        names.append(column)
    raw = np.ascontiguousarray(np.hstack(blocks), dtype=np.float64)
    mean = np.nanmean(raw, axis=0)
    scale = np.nanstd(raw, axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return FeatureMatrix(tuple(names), raw, mean, scale, counts)


def _has_gender(table: CustomerTable) -> bool:
    """Whether the table has a gender column."""
    return "gender" in table.customers.columns


def _gender_block(series: pd.Series) -> tuple[list[str], np.ndarray]:
    """One 0/1 column per gender level present (missing counts as none)."""
    text = series.astype("string")
    levels = sorted(str(v) for v in text.dropna().unique())
    if len(levels) < 2:
        raise SegmentationError(
            "Gender has a single value in this file, so it cannot separate customers."
        )
    block = np.column_stack(
        [(text == level).fillna(False).to_numpy(dtype=np.float64) for level in levels]
    )
    return levels, block
