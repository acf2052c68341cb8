"""Fingerprints of what the bot answers about the public datasets and the synthetic sample.

Each case is uploaded to a fresh conversation (real engine, real SQLite file); then the
overview, ``/segments``, ``/target``, ``/whois`` for three stored ids and an unknown one, and
``/export`` read back from the file (the in-memory table is dropped first, so the stored
customers and assignments are what is exported). Texts are kept whole, the export as a digest.

``tests/data/answers.json`` holds the fingerprints of the code as it was when they were
written; ``tests/test_same_answers.py`` checks that the code gives them still. After a change
that is meant to change answers, write them anew::

    .venv/bin/python -m tests.answers
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot.config import Config, StorageConfig, WorkersConfig
from bot.conversation import Conversation
from bot.replies import Document, Photo, Reply, Text
from bot.workers import Workers
from segmentation import sample_csv

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
ANSWERS = Path(__file__).resolve().parent / "data" / "answers.json"

#: The public files answered (all beside the clone, see tests/conftest.py).
DATASET_CASES = (
    "mall_customers.csv",
    "wholesale_customers.csv",
    "marketing_campaign.csv",
    "cc_general.csv",
    "customer_segmentation_train.csv",
    "CDNOW_master.txt",
)

#: The synthetic case: the sample generator's rows (fixed seed), under this file name.
SAMPLE_CASE = "sample-20000.csv"
SAMPLE_ROWS = 20_000

CHAT, USER = 1, 1


def case_bytes(name: str) -> bytes:
    """The bytes uploaded for case ``name``."""
    if name == SAMPLE_CASE:
        return sample_csv(SAMPLE_ROWS)
    return (DATASETS / name).read_bytes()


def _texts(replies: list[Reply]) -> list[str]:
    """The HTML of every text and caption, in order."""
    out: list[str] = []
    for reply in replies:
        if isinstance(reply, Text):
            out.append(reply.html)
        elif isinstance(reply, Photo | Document):
            out.append(reply.caption)
    return out


def _export(replies: list[Reply]) -> bytes:
    """The exported file's bytes."""
    (document,) = [r for r in replies if isinstance(r, Document)]
    return document.data


def _ids_to_ask(export: bytes) -> list[str]:
    """First, middle and last customer id of an export (CSV, first column the id)."""
    rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))[1:]
    return [rows[0][0], rows[len(rows) // 2][0], rows[-1][0]]


async def _answers_for(name: str, data: bytes, folder: Path, processes: int) -> dict[str, Any]:
    """Upload ``data`` to a fresh conversation and collect its answers."""
    config = Config(
        storage=StorageConfig(path=str(folder / f"{name}.db")),
        workers=WorkersConfig(fit_processes=processes),
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)

        async def fetch() -> bytes:
            return data

        async def ask(text: str) -> list[Reply]:
            return await conv.on_text(CHAT, USER, text)

        upload = await conv.on_document(CHAT, USER, name, len(data), fetch)
        found: dict[str, Any] = {"upload": _texts(upload)}
        found["segments"] = _texts(await ask("/segments"))
        found["target"] = _texts(await ask("/target"))
        conv.chats.forget_tables(CHAT)
        export_replies = await ask("/export")
        export = _export(export_replies)
        found["export"] = {
            "caption": _texts(export_replies),
            "sha256": hashlib.sha256(export).hexdigest(),
            "bytes": len(export),
        }
        whois: dict[str, list[str]] = {}
        for customer in [*_ids_to_ask(export), "no-such-customer-42"]:
            whois[customer] = _texts(await ask(f"/whois {customer}"))
        found["whois"] = whois
        return found
    finally:
        await workers.close()


def answers(names: tuple[str, ...], processes: int = 0) -> dict[str, dict[str, Any]]:
    """The fingerprints of cases ``names``, each on its own fresh SQLite file (``processes``:
    the ``[workers] fit_processes`` setting)."""
    with tempfile.TemporaryDirectory() as folder:
        return {
            name: asyncio.run(_answers_for(name, case_bytes(name), Path(folder), processes))
            for name in names
        }


def stored() -> dict[str, dict[str, Any]]:
    """The fingerprints kept in ``tests/data/answers.json``."""
    loaded: dict[str, dict[str, Any]] = json.loads(ANSWERS.read_text(encoding="utf-8"))
    return loaded


def main() -> int:
    """Write the fingerprints of every case to ``tests/data/answers.json``."""
    if not DATASETS.is_dir():
        print(f"the public datasets are not at {DATASETS}", file=sys.stderr)
        return 1
    found = answers((*DATASET_CASES, SAMPLE_CASE))
    ANSWERS.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(found)} cases to {ANSWERS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
