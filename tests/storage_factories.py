"""Small builders of store inputs, shared by the storage tests and the SIGKILL writer."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from storage import NewDataset, NewRun

#: Every table of the schema, to count what a chat left behind.
TABLES = (
    "chats",
    "datasets",
    "customer_id_blocks",
    "customer_columns",
    "runs",
    "segments",
    "run_assignments",
    "plots",
    "chat_state",
    "chat_settings",
)


def make_customers(ids: list[str], seed: int = 0) -> pd.DataFrame:
    """Customers with a text column and three float columns, one row per id."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    return pd.DataFrame(
        {
            "gender": pd.array(rng.choice(["Female", "Male"], n), dtype="str"),
            "age": rng.integers(18, 71, n).astype(float),
            "income": rng.integers(15, 141, n).astype(float),
            "score": rng.integers(1, 100, n).astype(float),
        },
        index=pd.Index(ids, dtype="str", name="customer_id"),
    )


def make_dataset(customers: pd.DataFrame, tag: str = "a", *, by: int = 7) -> NewDataset:
    """An upload around ``customers``; ``tag`` stands for the file's bytes."""
    return NewDataset(
        filename=f"{tag}.csv",
        size_bytes=100 + len(customers),
        sha256=hashlib.sha256(tag.encode()).hexdigest(),
        uploaded_by=by,
        receipt={"rows_read": len(customers), "tag": tag},
        customers=customers,
    )


def make_run(customers: pd.DataFrame, k: int = 3, seed: int = 0, **extra: object) -> NewRun:
    """A run assigning every customer to one of ``k`` segments."""
    rng = np.random.default_rng(seed)
    n = len(customers)
    segment = rng.integers(1, k + 1, n)
    assignments = pd.DataFrame(
        {"segment": segment, "distance": rng.random(n), "runner_up": segment % k + 1},
        index=customers.index,
    )
    segments = [
        {
            "number": number,
            "size": int((segment == number).sum()),
            "share": float((segment == number).mean()) if n else 0.0,
            "persona": {"name": f"Group {number}", "description": "desc", "action": "act"},
            "centroid": {"income": 40.0 + number},
            "distance_quantiles": [0.0, 0.5, 1.0],
        }
        for number in range(1, k + 1)
    ]
    values: dict[str, object] = {
        "options": {"k": k, "features": None},
        "k": k,
        "summary": {"features": ["income"], "seed": seed},
        "segments": segments,
        "assignments": assignments,
        "plots": {"scatter": b"\x89PNG scatter"},
    }
    values.update(extra)
    return NewRun(**values)  # type: ignore[arg-type]


def numbered_ids(n: int, prefix: str = "") -> list[str]:
    """``n`` ids: ``prefix`` + 1..n."""
    return [f"{prefix}{i}" for i in range(1, n + 1)]
