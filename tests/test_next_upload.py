"""A new month's upload keeps last month's automatic k, and with it every segment's identity."""

from __future__ import annotations

import io
import re

import numpy as np
from test_conversation import ask, plain, upload

from bot.conversation import Conversation
from segmentation import sample_csv


def resample(data: bytes, share: float, seed: int) -> bytes:
    """The CSV with a random ``share`` of its rows, in file order (members who left)."""
    header, *rows = data.decode().splitlines()
    keep = np.sort(np.random.default_rng(seed).choice(len(rows), int(share * len(rows)), False))
    return "\r\n".join([header, *(rows[i] for i in keep)]).encode()


async def segment_titles(conv: Conversation) -> list[str]:
    """``N. Name`` of every segment, from /segments."""
    text = plain(await ask(conv, "/segments"))
    lines = [line for line in text.splitlines() if line[:1].isdigit() and " — " in line]
    return [line.split(" — ")[0] for line in lines]


async def test_a_barely_changed_file_keeps_k_numbers_and_names(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "october.csv")
    first = plain(await ask(conv, "/features age,income,score"))
    assert "6 segments: the clearest separation" in first
    before = await segment_titles(conv)
    assert len(before) == 6

    # Alone, this file's search would take 8 segments (a hair clearer than 6).
    november = resample(mall_bytes, 0.9, seed=6)
    answer = plain(await upload(conv, november, "november.csv"))

    assert "6 of 6 segments matched" in answer
    assert "6 segments as last time (8 separates only slightly better" in answer
    assert await segment_titles(conv) == before

    fresh = plain(await ask(conv, "/k auto"))
    assert "Now 8 segments (was 6)." in fresh
    assert "as last time" not in fresh
    assert len(await segment_titles(conv)) == 8


async def test_numbers_come_back_small_after_fewer_then_more_segments(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "mall.csv")
    await ask(conv, "/features age,income,score")
    assert [t.split(".")[0] for t in await segment_titles(conv)] == ["1", "2", "3", "4", "5", "6"]

    await ask(conv, "/k 3")
    assert len(await segment_titles(conv)) == 3
    again = plain(await ask(conv, "/k auto"))
    assert "Now 6 segments (was 3)." in again

    # Nothing vanished just now, so every number the three segments left free is used again.
    assert "Gone:" not in again
    titles = await segment_titles(conv)
    assert [t.split(".")[0] for t in titles] == ["1", "2", "3", "4", "5", "6"]
    names = [t.split(". ", 1)[1] for t in titles]
    assert len(set(names)) == len(names)


async def test_names_follow_the_features_and_numbers_stay(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "mall.csv")
    await ask(conv, "/features age,income,score")
    before = dict(t.split(". ", 1) for t in await segment_titles(conv))
    assert any(re.search(r"\b(Older|Young)\b", name) for name in before.values())

    answer = plain(await ask(conv, "/features income,score"))

    assert "segments kept their number." in answer
    assert "kept their number and name" not in answer
    after = dict(t.split(". ", 1) for t in await segment_titles(conv))
    assert not any(re.search(r"\b(Older|Young)\b", name) for name in after.values())
    assert len(set(after.values())) == len(after)
    kept = re.search(r"(\d+) of \d+ segments kept", answer)
    assert kept is not None
    assert len(set(after) & set(before)) == int(kept.group(1)) > 0

    # The same features again: names carry over.
    answer = plain(await ask(conv, "/k 4"))
    assert "segments kept their number and name." in answer
    fewer = dict(t.split(". ", 1) for t in await segment_titles(conv))
    assert all(fewer[n] == after[n] for n in set(fewer) & set(after))


async def test_compare_names_what_a_change_of_columns_renamed(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "with-age.csv")
    await ask(conv, "/features age,income,score")
    without_age = "\n".join(
        ",".join(cell for i, cell in enumerate(line.split(",")) if i != 2)
        for line in mall_bytes.decode("utf-8-sig").splitlines()
    ).encode()
    receipt = plain(await upload(conv, without_age, "without-age.csv"))
    assert "segments matched" in receipt

    compared = plain(await ask(conv, "/compare"))

    assert "segmented on different columns" in compared
    assert "Renamed: " in compared
    assert re.search(r"\d+\. (Older|Young) .* is now ", compared)


async def test_the_receipt_says_which_segment_no_longer_fits_its_name(
    conv: Conversation, mall_bytes: bytes
) -> None:
    import pandas as pd

    await upload(conv, mall_bytes, "october.csv")
    frame = pd.read_csv(io.BytesIO(mall_bytes))
    score = "Spending Score (1-100)"
    frame[score] = (frame[score] - 15).clip(1, 99)
    answer = plain(await upload(conv, frame.to_csv(index=False).encode(), "november.csv"))

    assert "segments matched" in answer
    renamed = re.findall(
        r"\d+\. (.+) is now (.+): its customers no longer fit the old name", answer
    )
    assert ("Mainstream middle", renamed[0][1]) in renamed
    assert all(old != new for old, new in renamed)


async def test_gone_segments_say_where_their_customers_went_and_gaps_are_explained(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "mall.csv")
    await ask(conv, "/features age,income,score")
    fewer = plain(await ask(conv, "/k 3"))
    gone = re.findall(r"^Gone: segment (\d+) \(.*?\); its customers went to (.+)\.$", fewer, re.M)
    assert len(gone) == 3, fewer
    for _, destinations in gone:
        counts = [int(c) for c in re.findall(r"\((\d+)\)", destinations)]
        assert counts == sorted(counts, reverse=True) and sum(counts) > 0
    listing = plain(await ask(conv, "/segments"))
    numbers = [int(t.split(".")[0]) for t in await segment_titles(conv)]
    missing = [n for n in range(1, max(numbers)) if n not in numbers]
    explained = [int(n) for n in re.findall(r"^No segment (\d+): it disappeared", listing, re.M)]
    assert explained == missing
    for number in missing:
        assert any(int(g) == number for g, _ in gone)


async def test_a_file_without_ids_follows_no_one_from_the_last_upload(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "mall.csv")
    before = [int(t.split(".")[0]) for t in await segment_titles(conv)]
    # Another table altogether, without an id column: its rows are numbered 1, 2, 3…, which
    # are the mall's ids too, but not the same customers.
    rng = np.random.default_rng(3)
    spend = rng.lognormal([7.0, 8.5], 0.4, size=(300, 2)) * rng.choice([1, 4], size=(300, 1))
    other = "Fresh,Milk\r\n" + "\r\n".join(f"{a:.0f},{b:.0f}" for a, b in spend)
    answer = plain(await upload(conv, other.encode(), "wholesale.csv"))
    assert "I numbered the rows" in answer

    listing = plain(await ask(conv, "/segments"))
    assert "went to" not in listing
    gaps = [line for line in listing.splitlines() if line.startswith("No segment")]
    assert len(gaps) == 1, listing
    numbers = re.findall(r"\d+", gaps[0].split(":")[0])
    assert [int(n) for n in numbers] == before
    assert "none of their customers could be found in this file" in gaps[0]


async def test_ids_another_file_shares_by_chance_follow_no_one(conv: Conversation) -> None:
    await upload(conv, sample_csv(200), "mall.csv")
    before = [int(t.split(".")[0]) for t in await segment_titles(conv)]
    # Another shop's customers, on other columns: their ids are small numbers too, and some
    # fifty of them are the mall's ids, but their incomes have nothing to do with the mall's.
    rng = np.random.default_rng(11)
    ids = rng.choice(np.arange(1, 1501), 400, replace=False)
    rows = [
        f"{i},{rng.integers(1950, 2000)},{rng.integers(2, 160) * 1000},{rng.integers(0, 99)},"
        f"{rng.lognormal(5, 1):.0f}"
        for i in ids
    ]
    other = "ID,Year_Birth,Income,Recency,MntWines\n" + "\n".join(rows)
    await upload(conv, other.encode(), "campaign.csv")

    listing = plain(await ask(conv, "/segments"))
    assert "went to" not in listing
    gaps = [line for line in listing.splitlines() if line.startswith("No segment")]
    assert len(gaps) == 1, listing
    assert [int(n) for n in re.findall(r"\d+", gaps[0].split(":")[0])] == before
    assert "none of their customers could be found in this file" in gaps[0]

    compared = plain(await ask(conv, "/compare"))
    assert "do not belong to the same customers" in compared
    assert "moved" not in compared.split("Only sizes")[0]
