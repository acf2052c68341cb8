"""Choose the columns to cluster on and turn them into a standardised matrix.

Candidate features are the table's numeric columns (canonical ``age``, ``income``, ``score``
first, then the others in file order), except columns mostly empty or with fewer than
:data:`MIN_DISTINCT` distinct values (flags and codes). The spending ``score`` is kept with as
few as two values: a score read from levels (Low/Average/High) is a measure, not a code.
(:mod:`segmentation.structure` then leaves out candidates that add no group structure.)

Text columns (gender, channel, membership tier, city …) are profiled per segment, not
clustered on, unless the caller names them: then each level becomes a 0/1 feature
(``gender=Female``, ``Membership tier=Gold`` …) whose centre reads as a share, scaled so that
the whole column weighs like one numeric column (its levels' variances add up to one).

Transform rule: a numeric column that is never negative and strongly right-skewed (sample
skewness above :data:`SKEW_LIMIT`, as money and counts usually are: many small customers and a
long tail of large ones) is clustered on ``log(1 + x / c)``, where ``c`` is a tenth of its
median positive value, so that distances compare customers by ratio ("twice as much") rather
than by the few largest amounts. Everything shown (centres, means, plots) stays in the
original units.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from segmentation.errors import SegmentationError
from segmentation.ingest.table import CustomerTable
from segmentation.words import N_

logger = logging.getLogger(__name__)

#: A numeric column missing in more than this share of rows is left out of the default features.
MAX_MISSING_SHARE = 0.5

#: A numeric column with fewer distinct values is a flag or a code (Channel, Kidhome, Complain)
#: and is left out of the default features; naming it still uses it.
MIN_DISTINCT = 5

#: Prefix of the one-hot gender features.
GENDER_PREFIX = "gender="
#: Between a text column's name and its level in a one-hot feature's name.
LEVEL_SEP = "="
#: A text column named as a feature keeps at most this many levels (the rest become "other").
MAX_LEVELS = 12
#: Sample skewness above which a non-negative column is log-transformed.
SKEW_LIMIT = 1.0
#: Values a column's shape (skewness, median) is judged on.
SHAPE_ROWS = 100_000


def is_level(feature: str) -> bool:
    """Whether ``feature`` is one level of a text column (``gender=Female``)."""
    return LEVEL_SEP in feature


def level_parts(feature: str) -> tuple[str, str]:
    """``("gender", "Female")`` for ``gender=Female``."""
    column, _, level = feature.partition(LEVEL_SEP)
    return column, level


def feature_columns(features: Sequence[str]) -> tuple[str, ...]:
    """The table columns features come from, in order: a text column once, not per level."""
    return tuple(dict.fromkeys(level_parts(f)[0] if is_level(f) else f for f in features))


@dataclass(frozen=True)
class FeatureMatrix:
    """The numbers the model sees.

    Attributes:
        names: Feature names, in order (column names, or ``gender=<level>``).
        raw: Values in original units, shape (n, p); missing values stay NaN (the model fits on
            complete rows and places the others by the features they have).
        mean: Per-feature mean of the (transformed) values, used to standardise.
        scale: Per-feature standard deviation of the (transformed) values (1 for constant
            features; a text column's levels are scaled up so the column weighs like one).
        missing: Feature -> how many values are missing.
        offsets: Per feature, ``c`` of the log transform ``log(1 + x / c)``, 0 when the
            feature is used as it is.
    """

    names: tuple[str, ...]
    raw: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    missing: dict[str, int]
    offsets: np.ndarray

    @property
    def standardised(self) -> np.ndarray:
        """The standardised matrix (float64, C-contiguous, NaN where missing)."""
        values = forward(self.raw, self.offsets)
        return np.ascontiguousarray((values - self.mean) / self.scale)

    @property
    def transformed(self) -> tuple[str, ...]:
        """Features clustered on their logarithm."""
        return tuple(n for n, c in zip(self.names, self.offsets, strict=True) if c > 0)

    def to_original(self, standardised: np.ndarray) -> np.ndarray:
        """Points of the standardised space (such as centres) back in original units."""
        return backward(standardised * self.scale + self.mean, self.offsets)

    def subset(self, keep: tuple[int, ...]) -> FeatureMatrix:
        """The same matrix with only the features at ``keep`` (numeric features only)."""
        index = list(keep)
        names = tuple(self.names[i] for i in index)
        return FeatureMatrix(
            names=names,
            raw=np.ascontiguousarray(self.raw[:, index]),
            mean=self.mean[index],
            scale=self.scale[index],
            missing={n: c for n, c in self.missing.items() if n in names},
            offsets=self.offsets[index],
        )


def forward(raw: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Apply each feature's transform (``log(1 + x / c)`` where ``c > 0``) to ``raw``.

    ``raw`` holds one feature per position of its last axis (a row, or rows of them).
    """
    if not (offsets > 0).any():
        return raw
    out = np.array(raw, dtype=np.float64, copy=True)
    for j in np.flatnonzero(offsets > 0):
        out[..., j] = np.log1p(np.maximum(out[..., j], 0.0) / offsets[j])
    return out


def backward(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Undo :func:`forward`."""
    if not (offsets > 0).any():
        return values
    out = np.array(values, dtype=np.float64, copy=True)
    for j in np.flatnonzero(offsets > 0):
        out[..., j] = np.expm1(out[..., j]) * offsets[j]
    return out


def log_offset(values: np.ndarray) -> float:
    """``c`` for a column that should be log-transformed, else 0 (see the module docstring).

    Decided on a fixed-seed sample of at most :data:`SHAPE_ROWS` values: skewness and median
    are that precise long before a million rows.
    """
    values = present(values)
    if len(values) > SHAPE_ROWS:
        values = values[_shape_rows(len(values))]
    if len(values) < 3 or values.min() < 0:
        return 0.0
    spread = values.std()
    if spread <= 0:
        return 0.0
    skewness = float(((values - values.mean()) ** 3).mean() / spread**3)
    positive = values[values > 0]
    if skewness <= SKEW_LIMIT or not len(positive):
        return 0.0
    return float(np.median(positive)) / 10.0


@functools.lru_cache(maxsize=4)
def _shape_rows(n: int) -> np.ndarray:
    """The sorted positions of :func:`log_offset`'s sample of ``n`` values: drawn once for
    the columns of a table that have the same count (read-only, as it is shared)."""
    rows = np.sort(np.random.default_rng(0).choice(n, SHAPE_ROWS, replace=False))
    rows.setflags(write=False)
    return rows


def default_features(table: CustomerTable) -> tuple[str, ...]:
    """Return the numeric columns worth clustering on by default."""
    frame = table.customers
    usable: list[tuple[str, int]] = []
    candidates = table.numeric
    if table.default_features is not None:
        candidates = tuple(c for c in table.default_features if c in table.numeric) or candidates
    for column in candidates:
        if column not in frame.columns:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        distinct = _distinct(values, MIN_DISTINCT)
        if values.isna().mean() <= MAX_MISSING_SHARE and distinct >= 2:
            usable.append((column, distinct))
    rich = tuple(c for c, distinct in usable if distinct >= MIN_DISTINCT or c == "score")
    # Only flags and codes in the file: use them rather than refuse.
    return rich or tuple(c for c, _ in usable)


def _distinct(values: pd.Series, enough: int) -> int:
    """How many distinct values a column has (missing ones aside), counted in full only
    when its first rows hold fewer than ``enough``: past that the exact count decides
    nothing."""
    head = values.iloc[:4096].dropna().unique()
    if len(head) >= enough:
        return len(head)
    return int(values.nunique(dropna=True))


def resolve_features(table: CustomerTable, requested: tuple[str, ...] | None) -> tuple[str, ...]:
    """Map the caller's feature names to columns, or pick the defaults.

    Raises:
        SegmentationError: A name matches no column, or no usable column is left.
    """
    if requested is None:
        names = default_features(table)
        if not names:
            raise SegmentationError(
                N_(
                    "There is no numeric column to segment on (such as age, income or spending "
                    "score). Add one and send the file again."
                )
            )
        return names
    names_out: list[str] = []
    for name in requested:
        column = table.resolve(name)
        if column is None or column not in table.customers.columns:
            available = ", ".join(usable_columns(table))
            raise SegmentationError(
                N_("There is no column called '{name}'. Features you can use: {available}."),
                name=name,
                available=available,
            )
        if column not in names_out:
            names_out.append(column)
    if not names_out:
        raise SegmentationError(N_("No features were given. Name at least one column."))
    return tuple(names_out)


def usable_columns(table: CustomerTable) -> list[str]:
    """Every column a caller may name as a feature: numeric, then text columns."""
    frame = table.customers
    text = [c for c in table.attributes if c in frame.columns]
    if "gender" in frame.columns and "gender" not in text:
        text.insert(0, "gender")
    return [*(c for c in table.numeric if c in frame.columns), *text]


def is_text_column(table: CustomerTable, column: str) -> bool:
    """Whether a named feature column is text (one-hot encoded) rather than numbers."""
    if column == "gender":
        return True
    if column in table.numeric:
        return False
    return not pd.api.types.is_numeric_dtype(table.customers[column].dtype)


def build_matrix(table: CustomerTable, columns: tuple[str, ...]) -> FeatureMatrix:
    """Build the feature matrix for ``columns`` (a text column expands to one 0/1 per level).

    Raises:
        SegmentationError: A column has no values at all, or a text column a single level.
    """
    frame = table.customers
    blocks: list[np.ndarray] = []
    names: list[str] = []
    counts: dict[str, int] = {}
    weights: list[float] = []
    offsets: list[float] = []
    for column in columns:
        if is_text_column(table, column):
            levels, block = _level_block(column, frame[column])
            blocks.append(block)
            names.extend(f"{column}{LEVEL_SEP}{level}" for level in levels)
            weights.extend([float(np.sqrt(len(levels)))] * len(levels))
            offsets.extend([0.0] * len(levels))
            continue
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
        missing = np.isnan(values)
        if missing.all():
            raise SegmentationError(
                N_("The column '{column}' has no numbers to segment on."), column=column
            )
        if missing.any():
            counts[column] = int(missing.sum())
        blocks.append(values[:, None])
        names.append(column)
        weights.append(1.0)
        offsets.append(log_offset(values))
    raw = np.ascontiguousarray(np.hstack(blocks), dtype=np.float64)
    offset = np.asarray(offsets, dtype=np.float64)
    # Mean and spread column by column, each on one contiguous column (an axis-0 reduction of
    # the whole matrix strides across it), skipping missing values only where there are some.
    spans = [forward(block, offset[at : at + block.shape[1]]) for at, block in _spans(blocks)]
    mean = np.array([_nan_stat(np.mean, c[:, j]) for c in spans for j in range(c.shape[1])])
    scale = np.array([_nan_stat(np.std, c[:, j]) for c in spans for j in range(c.shape[1])])
    scale = np.where(scale > 0, scale, 1.0) * np.asarray(weights)
    return FeatureMatrix(tuple(names), raw, mean, scale, counts, offset)


def _spans(blocks: list[np.ndarray]) -> list[tuple[int, np.ndarray]]:
    """Each block with the position of its first column in the matrix."""
    starts = np.cumsum([0] + [b.shape[1] for b in blocks[:-1]]).tolist()
    return list(zip(starts, blocks, strict=True))


def present(values: np.ndarray) -> np.ndarray:
    """The values that are not missing (the array itself when none is)."""
    gaps = np.isnan(values)
    return values[~gaps] if gaps.any() else values


def _nan_stat(stat: Callable[[np.ndarray], np.floating], column: np.ndarray) -> float:
    """``stat`` of a column's present values (NaN when none is)."""
    values = present(np.ascontiguousarray(column))
    return float(stat(values)) if len(values) else float("nan")


def _level_block(column: str, series: pd.Series) -> tuple[list[str], np.ndarray]:
    """One 0/1 column per level present (missing counts as none), rare levels as "other".

    A binary column keeps both levels: each then reads as a share ("62 % women"), and
    together they still weigh like one column.
    """
    text = series.astype("string").str.strip()
    text = text.mask(text == "")
    counts = text.value_counts()
    if len(counts) < 2:
        raise SegmentationError(
            N_("'{column}' has a single value in this file, so it cannot separate customers."),
            column=column,
        )
    kept = sorted(str(v) for v in counts.index[:MAX_LEVELS])
    columns = [(text == level).fillna(False).to_numpy(dtype=np.float64) for level in kept]
    if len(counts) > MAX_LEVELS:
        other = (~text.isin(kept) & text.notna()).to_numpy(dtype=np.float64)
        columns.append(other)
        kept.append("other")
    return kept, np.column_stack(columns)
