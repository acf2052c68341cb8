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


def test_a_fit_process_answers_as_the_threads_do() -> None:
    # The assignments cross back from the process without their ids and are put on the
    # table's own: every answer that reads them (sizes, /whois, the export) is unchanged.
    found = answers((SAMPLE_CASE,), processes=1)[SAMPLE_CASE]
    expected = stored()[SAMPLE_CASE]
    for part in ("upload", "segments", "target", "whois", "export"):
        assert found[part] == expected[part], f"{part} changed in a fit process"


def test_assignments_cross_back_without_their_ids_and_get_the_tables_own(tmp_path: Path) -> None:
    import asyncio

    import pandas as pd

    from bot.uploads import segment_align_draw, segment_align_draw_apart, with_ids
    from bot.workers import Workers
    from segmentation import SegmentOptions, load_customers, sample_csv

    table = load_customers(sample_csv(3000), "members.csv")

    async def in_a_process() -> tuple[bool, pd.DataFrame]:
        workers = Workers(tmp_path / "apart.db", fit_processes=1)
        await workers.start()
        try:
            fitted = await workers.fit(segment_align_draw_apart, table, SegmentOptions(), None)
        finally:
            await workers.close()
        apart = fitted.ids_apart
        assert isinstance(fitted.seg.assignments.index, pd.RangeIndex)
        return apart, with_ids(fitted, table).seg.assignments

    apart, assignments = asyncio.run(in_a_process())
    assert apart
    assert assignments.index is table.customers.index
    here = segment_align_draw(table, SegmentOptions(), None).seg.assignments
    pd.testing.assert_frame_equal(assignments, here)
