"""Plain values the store takes and returns.

The store knows nothing of the engine: uploads and runs come in as dicts (``to_dict()``
output) and DataFrames, and go out the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


class StoreError(Exception):
    """A request the store cannot satisfy: no such dataset or run in the chat, bad data."""


@dataclass(frozen=True)
class NewDataset:
    """An upload to keep.

    Attributes:
        filename: The name the file was sent under.
        size_bytes: Size of the upload in bytes.
        sha256: Hex digest of the upload's bytes; the same digest in the same chat is the
            same upload.
        uploaded_by: Telegram user id of the sender.
        receipt: ``Receipt.to_dict()``: what was read and what was skipped.
        customers: One row per customer, index ``customer_id`` (text, unique). Numeric
            columns are kept as float (integers and booleans included), every other column
            as text; missing values stay missing.
        padded_ids: A last column to keep, given as the width each row's id was written
            with (its zero padding: ``0042`` for ``42`` is 4), with its name; read back it
            is text like the others.
    """

    filename: str
    size_bytes: int
    sha256: str
    uploaded_by: int
    receipt: dict[str, Any]
    customers: pd.DataFrame
    padded_ids: tuple[str, np.ndarray] | None = None


@dataclass(frozen=True)
class NewRun:
    """A segmentation of a dataset to keep.

    Attributes:
        options: ``SegmentOptions.to_dict()``.
        k: Number of segments.
        summary: ``Segmentation.summary_dict()``.
        segments: ``Segment.to_dict()`` for each segment; each has ``number`` and
            ``persona`` (``name``, ``description``, ``action``).
        assignments: Index ``customer_id`` (every id must be one of the dataset's
            customers), columns ``segment`` (int), ``distance`` (float), ``runner_up`` (int).
        plots: Plot name -> PNG bytes, e.g. ``{"scatter": b"..."}``.
        alignment: How this run lines up with the chat's previous run, or ``None``.
    """

    options: dict[str, Any]
    k: int
    summary: dict[str, Any]
    segments: list[dict[str, Any]]
    assignments: pd.DataFrame
    plots: dict[str, bytes] = field(default_factory=dict)
    alignment: dict[str, Any] | None = None


@dataclass(frozen=True)
class DatasetInfo:
    """A kept upload, without its customers.

    Attributes:
        id: Store-wide id (pass it to ``runs``, ``customers``, ``add_run``).
        number: 1-based per chat in upload order; stable (pruning never renumbers).
        filename: The name the file was sent under.
        size_bytes: Size of the upload in bytes.
        sha256: Hex digest of the upload's bytes.
        uploaded_by: Telegram user id of the sender.
        uploaded_at: ISO 8601 time in UTC.
        rows: Number of customers kept.
        receipt: The receipt dict as saved.
        active: True when this is the chat's active dataset.
        columns: The customers' columns in saved order.
    """

    id: int
    number: int
    filename: str
    size_bytes: int
    sha256: str
    uploaded_by: int
    uploaded_at: str
    rows: int
    receipt: dict[str, Any]
    active: bool
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunInfo:
    """A kept segmentation, without its assignments.

    Attributes:
        id: Store-wide id.
        dataset_id: The dataset it segments.
        created_at: ISO 8601 time in UTC.
        options: The options dict as saved.
        k: Number of segments.
        summary: The summary dict as saved.
        segments: The segment dicts as saved, in number order.
        alignment: The alignment dict as saved, or ``None``.
        active: True when this is the chat's active run.
        plots: Names of the plots kept for this run, sorted.
    """

    id: int
    dataset_id: int
    created_at: str
    options: dict[str, Any]
    k: int
    summary: dict[str, Any]
    segments: list[dict[str, Any]]
    alignment: dict[str, Any] | None
    active: bool
    plots: tuple[str, ...] = ()


@dataclass(frozen=True)
class CustomerRecord:
    """One customer of a run.

    Attributes:
        customer_id: The id as saved.
        values: Column -> value: float (NaN when missing) for numeric columns, str (``None``
            when missing) for text columns.
        segment: Segment number in the run.
        distance: Distance to the segment's centre.
        runner_up: The next-nearest segment.
    """

    customer_id: str
    values: dict[str, object]
    segment: int
    distance: float
    runner_up: int


@dataclass(frozen=True)
class SavedUpload:
    """What ``save_upload`` kept.

    Attributes:
        dataset: The dataset, now active.
        run: The run, now active (for a duplicate: the dataset's latest run).
        duplicate: True when the same bytes were already kept in this chat and nothing new
            was written.
    """

    dataset: DatasetInfo
    run: RunInfo
    duplicate: bool
