"""Each segment's most typical customers: the members closest to its centre."""

from __future__ import annotations

from segmentation.result import Segmentation

#: How many typical customers a report lists per segment.
TYPICAL_COUNT = 10


def typical_customers(seg: Segmentation, count: int = TYPICAL_COUNT) -> dict[int, list[str]]:
    """Segment number -> the ids of its ``count`` members nearest its centre, nearest first.

    Ties in distance are broken by id, so the list is the same on every run.

    Args:
        seg: A segmentation with its assignments.
        count: How many ids per segment.

    Returns:
        Ids as stored, for every segment (empty lists when the assignments are not loaded).
    """
    frame = seg.assignments
    found: dict[int, list[str]] = {s.number: [] for s in seg.segments}
    if frame.empty:
        return found
    ordered = frame.assign(_id=frame.index.astype(str)).sort_values(
        ["segment", "distance", "_id"], kind="mergesort"
    )
    for number, group in ordered.groupby("segment", sort=True):
        key = int(str(number))
        if key in found:
            found[key] = group["_id"].head(count).tolist()
    return found
