"""Shared fixtures: paths to the public datasets and fresh SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATASETS = REPO_ROOT.parent / "shared" / "datasets"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def datasets_dir() -> Path:
    """The folder of real public customer datasets beside the repository."""
    if not DATASETS.is_dir():
        pytest.fail(f"public datasets not found at {DATASETS}")
    return DATASETS


@pytest.fixture
def mall_bytes(datasets_dir: Path) -> bytes:
    """The published mall customers file, byte for byte."""
    return (datasets_dir / "mall_customers.csv").read_bytes()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh SQLite file in a temporary folder."""
    return tmp_path / "segbot.db"
