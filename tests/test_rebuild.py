"""A table read back from storage (after a restart or a cache eviction) segments as first read."""

from __future__ import annotations

import numpy as np

from bot.conversation import Conversation
from segmentation import load_customers, rebuild_table


def with_account_numbers(n: int = 200, seed: int = 3) -> bytes:
    """Members with an id-like numeric column that must never be clustered on."""
    rng = np.random.default_rng(seed)
    rows = ["CustomerID,Account Number,Gender,Age,Annual Income (k$),Spending Score (1-100)"]
    for i in range(n):
        rows.append(
            f"{i + 1},{500_001 + i},{rng.choice(['Male', 'Female'])},{rng.integers(18, 70)},"
            f"{rng.integers(15, 140)},{rng.integers(1, 100)}"
        )
    return ("\n".join(rows) + "\n").encode()


def test_the_engine_rebuilds_the_table_ingestion_made() -> None:
    table = load_customers(with_account_numbers(), "members.csv")
    assert "Account Number" not in table.numeric
    rebuilt = rebuild_table(table.customers, table.receipt.to_dict(), table.labels, table.units)
    assert rebuilt.numeric == table.numeric
    assert rebuilt.attributes == table.attributes


async def test_an_id_like_column_stays_out_after_the_table_cache_is_emptied(
    conv: Conversation,
) -> None:
    async def fetch() -> bytes:
        return with_account_numbers()

    await conv.on_document(5, 5, "members.csv", None, fetch)
    conv.chats.forget_tables(5)  # as after a restart, or when other chats pushed it out
    await conv.on_text(5, 5, "/k 3")
    active = await conv.chats.active(5)
    assert active is not None and active.seg.k == 3
    assert "Account Number" not in active.seg.features
