"""Shared fixtures: paths to the public datasets and fresh SQLite files."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Config, StorageConfig
from bot.conversation import Conversation
from bot.workers import Workers
from storage import CustomerStore

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASETS = REPO_ROOT.parent / "shared" / "datasets"
TEST_DATA = Path(__file__).resolve().parent / "data"


REQUIRE_DATASETS = os.environ.get("SEGBOT_REQUIRE_DATASETS") == "1"


@pytest.fixture
def datasets_dir() -> Path:
    """The folder of real public customer datasets beside the repository.

    A clone with nothing beside it skips the tests that read them, with one reason; CI sets
    ``SEGBOT_REQUIRE_DATASETS=1`` so that their absence fails instead of hiding.
    """
    if not DATASETS.is_dir():
        if REQUIRE_DATASETS:
            pytest.fail(f"SEGBOT_REQUIRE_DATASETS=1 but the public datasets are not at {DATASETS}")
        pytest.skip("public datasets not beside this clone (../shared/datasets)")
    return DATASETS


@pytest.fixture
def mall_bytes(datasets_dir: Path) -> bytes:
    """The published mall customers file, byte for byte."""
    return (datasets_dir / "mall_customers.csv").read_bytes()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite file in a temporary folder."""
    return tmp_path / "segbot.db"


@pytest.fixture
async def conv(db_path: Path) -> AsyncIterator[Conversation]:
    """A conversation (real engine, real SQLite file), its workers closed after the test."""
    config = Config(storage=StorageConfig(path=str(db_path)))
    workers = Workers.from_config(config)
    await workers.start()
    try:
        yield Conversation(config, workers)
    finally:
        await workers.close()


@pytest.fixture
def store(db_path: Path) -> Iterator[CustomerStore]:
    """A store on a fresh SQLite file, closed after the test."""
    with CustomerStore(db_path) as opened:
        yield opened


@pytest.fixture
def frame_table():
    """Build a CustomerTable straight from a frame (index = ids), without ingestion.

    Float columns become numeric features (canonical ``age``/``income``/``score`` first), text
    columns attributes; ``headers`` maps a column to its source header for the receipt.
    """
    import pandas as pd

    from segmentation.ingest.table import CANONICAL_FIELDS, ColumnRole, CustomerTable, Receipt

    def build(
        frame: pd.DataFrame,
        *,
        labels: dict[str, str] | None = None,
        units: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> CustomerTable:
        frame = frame.copy()
        frame.index = pd.Index(frame.index.astype(str), name="customer_id")
        numeric = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
        numeric.sort(key=lambda c: CANONICAL_FIELDS.index(c) if c in CANONICAL_FIELDS else 9)
        text = [c for c in frame.columns if c not in numeric]
        attributes = sorted(text, key=lambda c: c != "gender")
        headers = headers or {}
        roles = [ColumnRole(headers.get("customer_id", "customer_id"), "customer_id", "id")]
        for column in frame.columns:
            kind = (
                "numeric" if column in numeric else "gender" if column == "gender" else "attribute"
            )
            roles.append(ColumnRole(headers.get(column, column), column, kind))
        receipt = Receipt("frame.csv", 0, "utf-8", ",", len(frame), len(frame), tuple(roles))
        return CustomerTable(
            frame, receipt, tuple(numeric), tuple(attributes), labels or {}, units or {}
        )

    return build


@pytest.fixture
def mall_frame(mall_bytes: bytes):
    """The mall file as canonical columns (index customer_id), read with pandas."""
    import io

    import pandas as pd

    raw = pd.read_csv(io.BytesIO(mall_bytes), dtype={"CustomerID": str})
    frame = pd.DataFrame(
        {
            "gender": raw["Genre"].astype(str),
            "age": raw["Age"].astype(float),
            "income": raw["Annual Income (k$)"].astype(float),
            "score": raw["Spending Score (1-100)"].astype(float),
        }
    )
    frame.index = pd.Index(raw["CustomerID"].str.lstrip("0"), name="customer_id")
    return frame
