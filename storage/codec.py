"""Small conversions between Python values and the store's rows: JSON, times, row -> info."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storage.records import DatasetInfo, RunInfo, StoreError


def now_iso() -> str:
    """The current time in UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_json(value: object) -> str:
    """Serialise a dict or list; numpy scalars and arrays become plain numbers and lists."""
    try:
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"value cannot be stored as JSON: {exc}") from exc


def from_json(text: str | None) -> Any:
    """Parse what :func:`to_json` wrote (``None`` stays ``None``)."""
    return None if text is None else json.loads(text)


def _json_default(value: object) -> object:
    """JSON fallback for numpy values."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def segment_row(run_id: int, segment: dict[str, Any]) -> tuple[object, ...]:
    """A ``segments`` row from a ``Segment.to_dict()`` value."""
    try:
        number = int(segment["number"])
        persona = segment["persona"]
        name, description, action = persona["name"], persona["description"], persona["action"]
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"segment needs a number and a persona: missing {exc}") from exc
    stats = {k: v for k, v in segment.items() if k not in ("number", "persona", "centroid")}
    return (
        run_id,
        number,
        str(name),
        str(description),
        str(action),
        to_json(segment.get("centroid", {})),
        to_json(stats),
    )


def segment_dict(row: sqlite3.Row) -> dict[str, Any]:
    """Rebuild the segment dict a ``segments`` row was made from."""
    stats: dict[str, Any] = from_json(row["stats"])
    return {
        "number": row["number"],
        **stats,
        "persona": {
            "name": row["name"],
            "description": row["description"],
            "action": row["action"],
        },
        "centroid": from_json(row["centroid"]),
    }


def dataset_info(row: sqlite3.Row, columns: tuple[str, ...]) -> DatasetInfo:
    """A :class:`DatasetInfo` from a ``datasets`` row joined with the chat's state."""
    return DatasetInfo(
        id=row["id"],
        number=row["number"],
        filename=row["filename"],
        size_bytes=row["size_bytes"],
        sha256=row["sha256"],
        uploaded_by=row["uploaded_by"],
        uploaded_at=row["uploaded_at"],
        rows=row["rows"],
        receipt=from_json(row["receipt"]),
        active=bool(row["active"]),
        columns=columns,
    )


def run_info(row: sqlite3.Row, segments: list[dict[str, Any]], plots: tuple[str, ...]) -> RunInfo:
    """A :class:`RunInfo` from a ``runs`` row joined with the chat's state."""
    return RunInfo(
        id=row["id"],
        dataset_id=row["dataset_id"],
        created_at=row["created_at"],
        options=from_json(row["options"]),
        k=row["k"],
        summary=from_json(row["summary"]),
        segments=segments,
        alignment=from_json(row["alignment"]),
        active=bool(row["active"]),
        plots=plots,
    )
