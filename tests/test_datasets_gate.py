"""The public datasets are optional for a clone, required in CI."""

from __future__ import annotations

import pytest
from answers import DATASET_CASES as EXPECTED
from conftest import DATASETS, REQUIRE_DATASETS


@pytest.mark.skipif(not REQUIRE_DATASETS, reason="SEGBOT_REQUIRE_DATASETS is not set")
def test_required_datasets_are_all_present() -> None:
    missing = [name for name in EXPECTED if not (DATASETS / name).is_file()]
    assert missing == [], f"missing under {DATASETS}: {missing}"
