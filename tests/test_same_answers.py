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


def test_a_fit_process_answers_as_the_threads_do(tmp_path: Path) -> None:
    import asyncio

    from answers import SAMPLE_ROWS, _texts

    from bot.config import Config, StorageConfig, WorkersConfig
    from bot.conversation import Conversation
    from bot.workers import Workers
    from segmentation import sample_csv

    data = sample_csv(SAMPLE_ROWS)

    async def overview() -> list[str]:
        config = Config(
            storage=StorageConfig(path=str(tmp_path / "processes.db")),
            workers=WorkersConfig(fit_processes=1),
        )
        workers = Workers.from_config(config)
        await workers.start()
        try:

            async def fetch() -> bytes:
                return data

            conv = Conversation(config, workers)
            return _texts(await conv.on_document(1, 1, "sample-20000.csv", len(data), fetch))
        finally:
            await workers.close()

    assert asyncio.run(overview()) == stored()["sample-20000.csv"]["upload"]
