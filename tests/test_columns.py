"""/columns: the manager says what opaque headers mean, and segbot reads the data with it."""

from __future__ import annotations

from pathlib import Path

from test_conversation import CHAT, Progress, ask, fetcher, plain, upload

from bot.config import AccessConfig, Config, StorageConfig
from bot.conversation import Conversation
from bot.replies import Photo, Text
from bot.workers import Workers
from segmentation.sample import sample_csv

OWNER, GUEST = 7, 8


def opaque(n: int = 200, seed: int = 7) -> bytes:
    """The generated sample with income and score under headers segbot cannot read."""
    text = sample_csv(n=n, seed=seed).decode()
    return (
        text.replace("Annual Income (k$)", "AI_k").replace("Spending Score (1-100)", "SS_1_100")
    ).encode()


async def test_columns_alone_says_what_each_header_was_taken_to_be(conv: Conversation) -> None:
    await upload(conv, opaque())
    text = plain(await ask(conv, "/columns"))
    assert "Your column meanings: none yet." in text
    assert "• CustomerID — customer id\n• Gender — gender\n• Age — age" in text
    assert "• AI_k — a number\n• SS_1_100 — a number" in text
    assert "/columns AI_k=income SS_1_100=score" in text


async def test_meanings_read_the_active_upload_again_and_answer_with_new_segments(
    conv: Conversation,
) -> None:
    await upload(conv, opaque())
    before = await conv.chats.active(CHAT)
    assert before is not None and "income" not in before.seg.features
    replies = await ask(conv, "/columns AI_k=income SS_1_100=score")
    text = plain(replies)
    assert text.startswith(
        "Read members.csv again as you said: AI_k as income and SS_1_100 as spending score."
    )
    # age adds no group structure to income and score here, so it is left out, as without meanings
    assert "Segmented on income and spending score (was " in text
    assert isinstance(replies[-1], Photo) and "segments in 200 customers" in plain(replies[-1:])
    after = await conv.chats.active(CHAT)
    assert after is not None and after.seg.features == ("income", "score")
    assert after.seg.left_out == ("age",)
    assert after.dataset.number == before.dataset.number
    listed = plain(await ask(conv, "/columns"))
    assert "Your column meanings: AI_k is income and SS_1_100 is spending score." in listed
    assert "• AI_k — income, as you said\n• SS_1_100 — spending score, as you said" in listed
    assert "Those are already your column meanings" in plain(
        await ask(conv, "/columns ai k=income, ss 1 100=score")
    )


async def test_meanings_hold_for_the_next_upload_and_after_the_cache_is_emptied(
    conv: Conversation,
) -> None:
    await upload(conv, opaque())
    await ask(conv, "/columns AI_k=income SS_1_100=score")
    receipt = plain(await upload(conv, opaque(n=150, seed=3), "feb.csv"))
    assert "Numbers: Age, AI_k (income, as you said), SS_1_100 (spending score, as you said)" in (
        receipt
    )
    active = await conv.chats.active(CHAT)
    assert active is not None and active.dataset.number == 2
    assert {"income", "score"} <= set(active.seg.features)
    conv.chats.forget_tables(CHAT)  # as after a restart: the table is read back from storage
    assert "Now 3 segments" in plain(await ask(conv, "/k 3"))
    active = await conv.chats.active(CHAT)
    assert active is not None and active.seg.features == ("income", "score")
    export = await ask(conv, "/export")
    assert len(export) == 1 and not isinstance(export[0], Text)


async def test_a_features_choice_follows_its_columns_to_their_new_meaning(
    conv: Conversation,
) -> None:
    await upload(conv, opaque())
    await ask(conv, "/features AI_k, SS_1_100")
    await ask(conv, "/columns AI_k=income SS_1_100=score")
    active = await conv.chats.active(CHAT)
    assert active is not None and active.seg.features == ("income", "score")


async def test_clear_and_auto_forget_meanings(conv: Conversation) -> None:
    await upload(conv, opaque())
    await ask(conv, "/columns AI_k=income SS_1_100=score")
    text = plain(await ask(conv, "/columns SS_1_100=auto"))
    assert "Read members.csv again as you said: AI_k as income." in text
    assert "Your column meanings: AI_k is income." in plain(await ask(conv, "/columns"))
    text = plain(await ask(conv, "/columns clear"))
    assert "Forgot your column meanings and read members.csv again by its headers." in text
    active = await conv.chats.active(CHAT)
    assert active is not None and "income" not in active.seg.features
    assert "You have no column meanings to forget" in plain(await ask(conv, "/columns clear"))
    receipt = plain(await upload(conv, opaque(n=150, seed=3), "feb.csv"))
    assert "Numbers: Age, AI_k, SS_1_100" in receipt


async def test_meanings_given_before_any_upload_apply_to_the_first(conv: Conversation) -> None:
    text = plain(await ask(conv, "/columns AI_k=income"))
    assert text == "Noted: AI_k is income. I will read your next uploads with these meanings."
    assert "No upload yet" in plain(await ask(conv, "/columns"))
    receipt = plain(await upload(conv, opaque()))
    assert "AI_k (income, as you said)" in receipt


async def test_a_meaning_for_a_header_the_file_lacks_is_noted(conv: Conversation) -> None:
    await upload(conv, opaque())
    text = plain(await ask(conv, "/columns Spend idx=score"))
    assert "none of your column meanings names one of its columns" in text
    assert "no such column in this file: Spend idx (spending score)" in text
    receipt = plain(await upload(conv, opaque(n=150, seed=3), "feb.csv"))
    assert "no such column in this file: Spend idx (spending score)" in receipt


async def test_bad_meanings_get_one_clear_answer_and_change_nothing(conv: Conversation) -> None:
    await upload(conv, opaque())
    before = await conv.chats.active(CHAT)
    assert before is not None
    unknown = plain(await ask(conv, "/columns AI_k=salary"))
    assert unknown.startswith("salary is not a meaning I know (for AI_k).")
    assert "for example /columns AI_k=income SS_1_100=score" in unknown
    malformed = plain(await ask(conv, "/columns AI_k income"))
    assert malformed.startswith("I could not read AI_k income as a column and its meaning.")
    assert "/columns Annual Inc=income, Spend Idx=score" in malformed
    refused = plain(await ask(conv, "/columns Gender=income"))
    assert refused.startswith("⚠️ Your column meanings stay as they were.\nYou said 'Gender'")
    assert "not numbers (for example 'Female'" in refused
    twice = plain(await ask(conv, "/columns AI_k=income, ai k=score"))
    assert "given two meanings" in twice
    after = await conv.chats.active(CHAT)
    assert after is not None and after.run.id == before.run.id
    assert "none yet" in plain(await ask(conv, "/columns"))


async def test_what_the_manager_typed_is_escaped(conv: Conversation) -> None:
    await upload(conv, opaque())
    for command in (
        "/columns <b>AI</b>=<i>",
        "/columns a&b <x>",
        "/columns <script>=income",
    ):
        text = plain(await ask(conv, command))  # plain() parses the HTML as Telegram would
        assert "<" in text, command
    assert "<script> (income)" in plain(await ask(conv, "/columns"))


async def test_only_owners_change_meanings_but_everyone_may_list_them(db_path: Path) -> None:
    config = Config(
        access=AccessConfig(allowed_chat_ids=(CHAT,), admin_user_ids=(OWNER,)),
        storage=StorageConfig(path=str(db_path)),
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)
        fetch, _ = fetcher(opaque())
        await conv.on_document(CHAT, GUEST, "members.csv", None, fetch, Progress())
        for command in ("/columns AI_k=income", "/columns clear", "/columns nonsense"):
            answer = plain(await conv.on_text(CHAT, GUEST, command, Progress()))
            assert "Only the bot's owners may use /columns" in answer, command
        listed = plain(await conv.on_text(CHAT, GUEST, "/columns", Progress()))
        assert "• AI_k — a number" in listed
        assert await conv.chats.meanings(CHAT) == {}
        changed = plain(await conv.on_text(CHAT, OWNER, "/columns AI_k=income", Progress()))
        assert "Read members.csv again as you said: AI_k as income." in changed
        assert await conv.chats.meanings(CHAT) == {"AI_k": "income"}
    finally:
        await workers.close()


async def test_meanings_are_kept_per_chat(conv: Conversation) -> None:
    await upload(conv, opaque(), chat=1)
    await upload(conv, opaque(), chat=2)
    await ask(conv, "/columns AI_k=income", chat=1)
    assert "Your column meanings: AI_k is income." in plain(await ask(conv, "/columns", chat=1))
    assert "none yet" in plain(await ask(conv, "/columns", chat=2))
    assert await conv.chats.meanings(2) == {}
