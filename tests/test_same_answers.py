"""Faster code must answer the same: segments, sizes, personas, targets, /whois and the export.

The fingerprints in ``tests/data/answers.json`` were taken from the code before its speed-ups
(see ``tests/answers.py``); a change meant to alter answers writes them anew with
``python -m tests.answers`` and says why in its commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from answers import DATASET_CASES, SAMPLE_CASE, answers, stored


def _check(name: str) -> None:
    expected = stored()[name]
    found = answers((name,))[name]
    for part in ("upload", "segments", "target", "whois", "export"):
        assert found[part] == expected[part], f"{name}: {part} changed"


def test_the_sample_is_answered_as_before() -> None:
    _check(SAMPLE_CASE)


@pytest.mark.parametrize("name", DATASET_CASES)
def test_each_public_file_is_answered_as_before(datasets_dir: Path, name: str) -> None:
    _check(name)


def test_every_case_has_a_fingerprint() -> None:
    assert set(stored()) == {*DATASET_CASES, SAMPLE_CASE}
