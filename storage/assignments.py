"""A run's assignments stored as fixed-width arrays aligned with its dataset's customer rows.

Row ``i`` of every array belongs to the dataset's customer in row ``i``. Writing a run is
four blobs whatever its size, reading it back is four ``frombuffer`` calls, and one
customer's assignment is read by offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from storage.records import StoreError

#: The columns an assignments frame must have.
ASSIGNMENT_COLUMNS = ("segment", "distance", "runner_up")

SEGMENT = np.dtype("<i4")
DISTANCE = np.dtype("<f8")
SEGMENT_WIDTH = SEGMENT.itemsize
DISTANCE_WIDTH = DISTANCE.itemsize


@dataclass(frozen=True)
class EncodedAssignments:
    """One run's assignments, ready for ``run_assignments``.

    Attributes:
        assigned: One byte per customer row, 1 when the run assigns that customer.
        segment: int32 per row (0 where unassigned).
        distance: float64 per row (NaN where unassigned or missing).
        runner_up: int32 per row (0 where unassigned).
    """

    assigned: bytes
    segment: bytes
    distance: bytes
    runner_up: bytes


def encode_assignments(ids: pd.Index, assignments: pd.DataFrame) -> EncodedAssignments:
    """Place an assignments frame on the dataset's rows.

    Args:
        ids: The dataset's customer ids in row order (unique text).
        assignments: Index customer id; columns ``segment``, ``distance``, ``runner_up``.

    Raises:
        StoreError: Missing columns, ids not in the dataset or listed twice, segments that
            are missing or not whole numbers.
    """
    missing = set(ASSIGNMENT_COLUMNS) - set(assignments.columns)
    if missing:
        raise StoreError(f"assignments lack columns: {', '.join(sorted(missing))}")
    target = pd.Index(assignments.index.astype("str"), dtype="str")
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
    segment = np.zeros(n, dtype=SEGMENT)
    segment[positions] = _whole_numbers(assignments["segment"], "segment")
    runner_up = np.zeros(n, dtype=SEGMENT)
    runner_up[positions] = _whole_numbers(assignments["runner_up"], "runner_up")
    distance = np.full(n, np.nan, dtype=DISTANCE)
    try:
        distance[positions] = assignments["distance"].to_numpy(dtype=DISTANCE, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"assignment distances must be numbers: {exc}") from exc
    return EncodedAssignments(
        assigned.tobytes(), segment.tobytes(), distance.tobytes(), runner_up.tobytes()
    )


def decode_assignments(ids: pd.Index, encoded: EncodedAssignments) -> pd.DataFrame:
    """The assigned customers' rows as a frame indexed by customer id, in row order."""
    assigned = np.frombuffer(encoded.assigned, dtype=np.uint8).astype(bool)
    return pd.DataFrame(
        {
            "segment": np.frombuffer(encoded.segment, dtype=SEGMENT)[assigned].astype(np.int64),
            "distance": np.frombuffer(encoded.distance, dtype=DISTANCE)[assigned],
            "runner_up": np.frombuffer(encoded.runner_up, dtype=SEGMENT)[assigned].astype(np.int64),
        },
        index=ids[assigned],
    )


def _whole_numbers(series: pd.Series, name: str) -> np.ndarray:
    """A column of segment numbers as int32, refusing missing or fractional values."""
    try:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"assignment {name} must be numbers: {exc}") from exc
    if np.isnan(values).any():
        raise StoreError(f"every assigned customer needs a {name}")
    if (values != np.round(values)).any() or (np.abs(values) > np.iinfo(SEGMENT).max).any():
        raise StoreError(f"assignment {name} must be whole numbers")
    return values.astype(SEGMENT)
