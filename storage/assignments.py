"""A run's assignments stored as fixed-width arrays aligned with its dataset's customer rows.

Row ``i`` of every array belongs to the dataset's customer in row ``i``. Writing a run is
four blobs whatever its size, reading it back is four ``frombuffer`` calls, and one
customer's assignment is read by offset. Segment numbers are int8 when they fit (``format``
``<i1``), int32 otherwise (``format`` NULL, the first layout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.records import StoreError

#: The columns an assignments frame must have.
ASSIGNMENT_COLUMNS = ("segment", "distance", "runner_up")

SEGMENT = np.dtype("<i4")
NARROW_FORMAT = "<i1"
NARROW_SEGMENT = np.dtype(NARROW_FORMAT)
DISTANCE = np.dtype("<f8")
SEGMENT_WIDTH = SEGMENT.itemsize
DISTANCE_WIDTH = DISTANCE.itemsize


@dataclass(frozen=True)
class EncodedAssignments:
    """One run's assignments, ready for ``run_assignments``.

    Attributes:
        assigned: One byte per customer row, 1 when the run assigns that customer.
        segment: One number per row (0 where unassigned), of type ``format``.
        distance: float64 per row (NaN where unassigned or missing).
        runner_up: As ``segment``.
        format: ``"<i1"`` for int8 segment numbers, ``None`` for int32.
    """

    assigned: bytes
    segment: bytes
    distance: bytes
    runner_up: bytes
    format: str | None = None

    @property
    def segment_type(self) -> np.dtype:
        """The type of ``segment`` and ``runner_up``."""
        return segment_type(self.format)


def segment_type(format: str | None) -> np.dtype:
    """The type of a run's segment numbers in a given ``format``."""
    return SEGMENT if format is None else np.dtype(format)


def encode_assignments(
    ids: pd.Index, assignments: pd.DataFrame, *, narrow: bool = True
) -> EncodedAssignments:
    """Place an assignments frame on the dataset's rows.

    Args:
        ids: The dataset's customer ids in row order (unique text).
        assignments: Index customer id; columns ``segment``, ``distance``, ``runner_up``.
        narrow: Segment numbers as int8 when they fit (``False``: int32 always).

    Raises:
        StoreError: Missing columns, ids not in the dataset or listed twice, segments that
            are missing or not whole numbers.
    """
    missing = set(ASSIGNMENT_COLUMNS) - set(assignments.columns)
    if missing:
        raise StoreError(f"assignments lack columns: {', '.join(sorted(missing))}")
    target = assignments.index
    if target.dtype != "str":
        target = pd.Index(target.astype("str"), dtype="str")
    if target.equals(ids):
        # Every customer, in the dataset's order (a fresh upload): no search needed.
        positions = np.arange(len(ids))
    else:
        positions = ids.get_indexer(target)
        if (positions < 0).any():
            raise StoreError("assignments name customers that are not in the dataset")
        if (np.bincount(positions, minlength=len(ids)) > 1).any():
            raise StoreError("assignments list a customer twice")
    n = len(ids)
    assigned = np.zeros(n, dtype=np.uint8)
    assigned[positions] = 1
    segments = _whole_numbers(assignments["segment"], "segment")
    runners_up = _whole_numbers(assignments["runner_up"], "runner_up")
    fmt = None
    if narrow and _fits(segments, NARROW_SEGMENT) and _fits(runners_up, NARROW_SEGMENT):
        fmt = NARROW_FORMAT
    kind = segment_type(fmt)
    segment = np.zeros(n, dtype=kind)
    segment[positions] = segments
    runner_up = np.zeros(n, dtype=kind)
    runner_up[positions] = runners_up
    distance = np.full(n, np.nan, dtype=DISTANCE)
    try:
        distance[positions] = assignments["distance"].to_numpy(dtype=DISTANCE, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"assignment distances must be numbers: {exc}") from exc
    return EncodedAssignments(
        assigned.tobytes(), segment.tobytes(), distance.tobytes(), runner_up.tobytes(), fmt
    )


def _fits(values: np.ndarray, kind: np.dtype) -> bool:
    """Whether every value fits ``kind`` (an empty array fits)."""
    info = np.iinfo(kind)
    return not len(values) or (info.min <= int(values.min()) and int(values.max()) <= info.max)


def decode_assignments(ids: pd.Index, encoded: EncodedAssignments) -> pd.DataFrame:
    """The assigned customers' rows as a frame indexed by customer id, in row order."""
    assigned = np.frombuffer(encoded.assigned, dtype=np.uint8).astype(bool)
    kind = encoded.segment_type
    return pd.DataFrame(
        {
            "segment": np.frombuffer(encoded.segment, dtype=kind)[assigned].astype(np.int64),
            "distance": np.frombuffer(encoded.distance, dtype=DISTANCE)[assigned],
            "runner_up": np.frombuffer(encoded.runner_up, dtype=kind)[assigned].astype(np.int64),
        },
        index=ids[assigned],
    )


def _whole_numbers(series: pd.Series, name: str) -> np.ndarray:
    """A column of segment numbers as int64, refusing missing or fractional values."""
    try:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"assignment {name} must be numbers: {exc}") from exc
    if np.isnan(values).any():
        raise StoreError(f"every assigned customer needs a {name}")
    if (values != np.round(values)).any() or (np.abs(values) > np.iinfo(SEGMENT).max).any():
        raise StoreError(f"assignment {name} must be whole numbers")
    return values.astype(np.int64)
