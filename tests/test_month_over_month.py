"""Month over month through the conversation, across a restart: identities come from the store."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from test_conversation import ask, plain, upload

from bot.config import Config, StorageConfig
from bot.conversation import Conversation
from bot.replies import Document
from bot.workers import Workers
from segmentation.sample import sample_frame

INCOME, SCORE = "Annual Income (k$)", "Spending Score (1-100)"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV upload."""
    return frame.to_csv(index=False).encode()


def january_and_february() -> tuple[bytes, bytes, set[str]]:
    """Two uploads: in February ten careful high earners start spending like big spenders."""
    january = sample_frame(400, seed=7)
    careful = january[(january[INCOME] > 75) & (january[SCORE] < 35)]
    movers = careful.head(10)
    february = january.copy()
    february.loc[movers.index, SCORE] = 85
    ids = {str(int(i)) for i in movers["CustomerID"]}
    return csv_bytes(january), csv_bytes(february), ids


async def segment_names(conv: Conversation) -> list[str]:
    """The /segments lines that carry a number and a persona."""
    text = plain(await ask(conv, "/segments"))
    return [line for line in text.splitlines() if line[:1].isdigit() and " — " in line]


async def test_a_restart_between_uploads_keeps_identities_and_finds_the_movers(
    db_path: Path,
) -> None:
    january, february, movers = january_and_february()
    config = Config(storage=StorageConfig(path=str(db_path)))

    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)
        await upload(conv, january, "january.csv")
        await ask(conv, "/features income,score")
        before = [line.split(" — ")[0] for line in await segment_names(conv)]
    finally:
        await workers.close()

    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)
        receipt = plain(await upload(conv, february, "february.csv"))
        assert f"{len(before)} of {len(before)} segments matched" in receipt
        after = [line.split(" — ")[0] for line in await segment_names(conv)]
        assert after == before

        compared = plain(await ask(conv, "/compare"))
        assert "Customers in both: 400 — 10 moved, 390 stayed." in compared

        (moved,) = await ask(conv, "/export moved")
        assert isinstance(moved, Document)
        rows = list(csv.DictReader(io.StringIO(moved.data.decode("utf-8-sig"))))
        assert {row["customer_id"] for row in rows} == movers
        assert len({(row["from_segment"], row["to_segment"]) for row in rows}) == 1

        mover = sorted(movers)[0]
        assert "In upload #1 they were in segment" in plain(await ask(conv, f"/whois {mover}"))
    finally:
        await workers.close()
