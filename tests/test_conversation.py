"""The conversation, driven directly: real engine, real SQLite file, no Telegram."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from fake_bot_api import parse_html

from bot.config import Config, LimitsConfig, StorageConfig
from bot.conversation import Conversation, parse_command
from bot.replies import Document, Photo, Reply, Text
from bot.state import CHECKPOINT_AT_LEAST_EVERY
from bot.text.format import CALLBACK_LIMIT, CAPTION_LIMIT, MESSAGE_LIMIT
from bot.workers import Workers
from segmentation.sample import sample_csv
from storage import CustomerStore

CHAT, USER = 100, 7
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


class Progress:
    """Records the status messages a request shows."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, text: str) -> None:
        parse_html(text)
        self.seen.append(text)


def plain(replies: list[Reply]) -> str:
    """All texts and captions of the replies, as plain text, checked as Telegram would."""
    parts = []
    for reply in replies:
        if isinstance(reply, Text):
            text = parse_html(reply.html)
            assert 0 < len(text) <= MESSAGE_LIMIT
        else:
            text = parse_html(reply.caption)
            assert len(text) <= CAPTION_LIMIT
        buttons = reply.buttons if isinstance(reply, Text | Photo) else ()
        for row in buttons:
            for button in row:
                assert 0 < len(button.data.encode()) <= CALLBACK_LIMIT
        for line in text.splitlines():
            assert len(EMOJI.findall(line)) <= 1, line
        parts.append(text)
    return "\n".join(parts)


def fetcher(data: bytes) -> tuple[Callable[[], Awaitable[bytes]], list[int]]:
    """A fetch callback that counts its calls."""
    calls: list[int] = []

    async def fetch() -> bytes:
        calls.append(1)
        return data

    return fetch, calls


async def upload(
    conv: Conversation, data: bytes, name: str = "members.csv", chat: int = CHAT
) -> list[Reply]:
    """Send a file to the conversation."""
    fetch, _ = fetcher(data)
    return await conv.on_document(chat, USER, name, len(data), fetch, Progress())


async def ask(conv: Conversation, text: str, chat: int = CHAT) -> list[Reply]:
    """Send a text message."""
    return await conv.on_text(chat, USER, text, Progress())


def edited(data: bytes, row: int, column: str, value: str) -> bytes:
    """Return the CSV with one cell changed."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    rows[row][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_commands_are_parsed_with_and_without_the_bot_name() -> None:
    assert parse_command("/whois@segbot_bot 42") == ("whois", "42")
    assert parse_command("/Segments") == ("segments", "")
    assert parse_command("/k  auto ") == ("k", "auto")
    assert parse_command("who is 42") is None
    assert parse_command("/") is None


async def test_questions_before_any_upload_say_what_to_do(conv: Conversation) -> None:
    for text in ("/whois 42", "/segments", "/target", "/plot", "/export", "who is 42"):
        assert "Send me your member list as a CSV file" in plain(await ask(conv, text))
    assert "I don't know the command /frobnicate" in plain(await ask(conv, "/frobnicate"))
    assert "Sorry, I did not get that" in plain(await ask(conv, "nice weather"))
    assert "/whois" in plain(await ask(conv, "/help"))
    assert "CSV file" in plain(await conv.on_photo(CHAT, USER))


async def test_an_upload_answers_with_receipt_overview_and_buttons(conv: Conversation) -> None:
    progress = Progress()
    data = sample_csv()
    fetch, _ = fetcher(data)
    replies = await conv.on_document(CHAT, USER, "members.csv", len(data), fetch, progress)
    assert isinstance(replies[0], Text)
    assert "members.csv: 200 rows read, 200 used." in plain(replies[:1])
    photo = replies[-1]
    assert isinstance(photo, Photo) and photo.png.startswith(b"\x89PNG")
    assert "segments in 200 customers of members.csv" in plain([photo])
    assert "Top target: segment" in plain([photo])
    labels = [b.label for row in photo.buttons for b in row]
    assert labels[:6] == ["Segments", "Target", "Plots", "Export", "Report (PDF)", "Excel"]
    payloads = [b.data for row in photo.buttons for b in row]
    assert payloads[6].startswith("/export segment ")  # the top target's audience
    assert all(len(p.encode()) <= 64 for p in payloads)
    statuses = " ".join(progress.seen)
    assert "Reading <b>members.csv</b>" in statuses
    assert "Choosing k…" in statuses and "Done in" in progress.seen[-1]


async def test_the_whole_conversation_on_the_sample(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    text = plain(await ask(conv, "/segments@segbot_bot"))
    assert "segments: the clearest separation" in text and "1. " in text
    assert "Action:" in plain(await ask(conv, "/segment 1"))
    assert "There is no segment 99" in plain(await ask(conv, "/segment 99"))
    assert "Target first: segment" in plain(await ask(conv, "which segment should we target?"))
    whois = plain(await ask(conv, "who is 0042"))
    assert whois.startswith("Customer 42: segment")
    assert "% of customers)" in whois
    unknown = plain(await ask(conv, "/whois 4x2"))
    assert "No customer with id 4x2" in unknown and "42" in unknown
    for name in ("scatter", "k", "profile"):
        (picture,) = await ask(conv, f"/plot {name}")
        assert isinstance(picture, Photo) and picture.png.startswith(b"\x89PNG")
        plain([picture])
    assert "Which plot?" in plain(await ask(conv, "/plot pie"))
    (menu,) = await conv.on_button(CHAT, USER, "plots", Progress())
    assert [b.data for row in menu.buttons for b in row] == [  # type: ignore[union-attr]
        "/plot scatter",
        "/plot k",
        "/plot profile",
        "/plot all",
    ]
    (document,) = await conv.on_button(CHAT, USER, "/export", Progress())
    assert isinstance(document, Document) and re.fullmatch(
        r"segments-members-\d{4}-\d{2}\.csv", document.filename
    )
    header = document.data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("customer_id,segment,persona,")
    assert len(document.data.decode("utf-8-sig").splitlines()) == 201
    assert "#1 members.csv ✅ active\n    200 rows · " in plain(await ask(conv, "/datasets"))
    assert "already the one in use" in plain(await ask(conv, "/use 1"))
    assert "out of date" in plain(await conv.on_button(CHAT, USER, "nonsense", Progress()))


async def test_greetings_and_thanks_know_the_data_is_there(conv: Conversation) -> None:
    assert "Send me your member list" in plain(await ask(conv, "hello"))
    await upload(conv, sample_csv())
    hello = plain(await ask(conv, "hello"))
    assert hello.startswith("Hi! Your customers from members.csv are ready in ")
    assert "Send me your member list" not in hello
    assert plain(await ask(conv, "thanks!")).startswith("You're welcome!")
    (picture,) = await ask(conv, "show me the profile")
    assert isinstance(picture, Photo) and "What sets each segment apart" in picture.caption


async def test_bad_files_leave_the_current_data_active(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    fetch, calls = fetcher(b"%PDF-1.4 ...")
    refused = await conv.on_document(CHAT, USER, "report.pdf", 100, fetch, Progress())
    assert "does not look like a CSV file" in plain(refused) and not calls
    big = conv.config.limits.max_upload_bytes + 1
    refused = await conv.on_document(CHAT, USER, "huge.csv", big, fetch, Progress())
    assert "I accept up to 20.0 MB" in plain(refused) and not calls
    hostile = b"<b>Name</b>,Note & more\nA,x\nB,y\n"
    refused = await upload(conv, hostile, "bad.csv")
    text = plain(refused)
    assert "I could not use that file" in text and "Your current data stays" in text
    assert "#1 members.csv" in plain(await ask(conv, "/datasets"))
    assert "Customer 42" in plain(await ask(conv, "/whois 42"))


async def test_the_actual_size_is_checked_when_none_was_declared(db_path: Path) -> None:
    config = Config(
        storage=StorageConfig(path=str(db_path)), limits=LimitsConfig(max_upload_mb=0.001)
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)
        fetch, calls = fetcher(sample_csv())
        replies = await conv.on_document(CHAT, USER, "m.csv", None, fetch, Progress())
        assert calls and "I accept up to 1 KB" in plain(replies)
    finally:
        await workers.close()


async def test_hostile_values_are_escaped_everywhere(conv: Conversation) -> None:
    rows = ["CustomerID,Gender,Age,Income & <i>k$</i>,Score,Club <b>&</b>"]
    rows += [f"C<x>{i}&,{'Female' if i % 2 else 'Male'},{20 + i % 40},{15 + i},{i % 100},"
             f"{'<gold>' if i % 3 else 'A&B'}" for i in range(60)]  # fmt: skip
    data = ("\n".join(rows) + "\n").encode()
    text = plain(await upload(conv, data, "<evil> & co.csv"))
    assert "Numbers: Age, Income & <i>k$</i>, Score" in text
    assert "Also profiled: Gender, Club <b>&</b>" in text
    assert "<evil> & co.csv" in text
    text = plain(await ask(conv, "/whois C<x>3&"))
    assert "Customer C<x>3&" in text
    plain(await ask(conv, "/segments"))
    plain(await ask(conv, "/segment 1"))
    (document,) = await ask(conv, "/export")
    assert isinstance(document, Document) and re.fullmatch(
        r"segments-evil-co-\d{4}-\d{2}\.csv", document.filename
    )


async def test_the_same_file_again_is_recognised(conv: Conversation) -> None:
    await upload(conv, sample_csv(), "jan.csv")
    await upload(conv, sample_csv(n=150, seed=3), "feb.csv")
    again = plain(await upload(conv, sample_csv(), "jan-again.csv"))
    assert "I already have this exact file as upload #1 (jan.csv); switched to it." in again
    listing = plain(await ask(conv, "/datasets"))
    assert "#1 jan.csv ✅ active\n    200 rows · " in listing and "#2 feb.csv\n" in listing


async def test_month_over_month(conv: Conversation, mall_bytes: bytes) -> None:
    await upload(conv, mall_bytes, "jan.csv")
    changed = edited(edited(mall_bytes, 0, "Spending Score (1-100)", "95"), 1, "Age", "60")
    text = plain(await upload(conv, changed, "feb.csv"))
    assert "Since last upload:" in text and "segments matched" in text
    compared = plain(await ask(conv, "what changed?"))
    assert "What changed: #1 jan.csv → #2 feb.csv" in compared
    assert "Customers in both: 200" in compared
    assert compared == plain(await ask(conv, "/compare 1 2"))
    assert "no upload #7" in plain(await ask(conv, "/compare 1 7"))
    moved = await ask(conv, "/export moved")
    if isinstance(moved[0], Document):
        assert moved[0].data.decode("utf-8-sig").startswith("customer_id,")
    else:
        assert "Nobody changed segment" in plain(moved)
    switched = plain(await ask(conv, "/use 1"))
    assert "Switched to upload #1 (jan.csv)" in switched
    assert "no upload #9" in plain(await ask(conv, "/use 9"))


async def test_engine_reasons_quoting_long_headers_fit_one_message(conv: Conversation) -> None:
    headers = [f"Measure {i:03d} " + "x" * 50 for i in range(100)] + ["Tier"]
    rows = [",".join(headers)]
    rows += [
        ",".join([*(str((r * 7 + i) % 90) for i in range(100)), "ab"[r % 2]]) for r in range(40)
    ]
    await upload(conv, ("\n".join(rows) + "\n").encode())
    text = plain(await ask(conv, "/features Tier"))
    # A text column is used as one column, its levels one-hot
    assert "Segmented on tier" in text.replace("Tier", "tier")
    assert len(text) <= 4096
    only_headers = ",".join(f"Column {i} " + "h" * 450 for i in range(20)) + "\n"
    text = plain(await upload(conv, only_headers.encode(), "empty.csv"))
    assert "I could not use that file.\nThe file has a header row (Column 0 hhh" in text
    assert "#1 members.csv ✅ active" in plain(await ask(conv, "/datasets"))


async def test_numbers_that_are_not_plain_digits_get_the_usage_answer(
    conv: Conversation,
) -> None:
    await upload(conv, sample_csv())
    await upload(conv, sample_csv(n=150, seed=3), "feb.csv")
    assert "Send /k and a number from 2 to 10" in plain(await ask(conv, "/k ²"))
    assert "There is no segment ²" in plain(await ask(conv, "/segment ²"))
    assert "Which upload? Send /use" in plain(await ask(conv, "/use ²"))
    assert "Send /compare for the latest" in plain(await ask(conv, "/compare ² 1"))
    huge = "9" * 25
    assert "Which upload? Send /use" in plain(await ask(conv, f"/use {huge}"))
    assert "Send /compare for the latest" in plain(await ask(conv, f"/compare {huge} 1"))
    assert "There is no segment 9999" in plain(await ask(conv, f"/segment {huge}"))
    assert "#2 feb.csv ✅ active" in plain(await ask(conv, "/datasets"))


async def test_k_and_features_resegment_and_say_what_changed(
    conv: Conversation, mall_bytes: bytes
) -> None:
    await upload(conv, mall_bytes, "mall.csv")
    # By default age is left out: it adds no group structure to income and score here
    assert "already the active choice" in plain(await ask(conv, "/features income,score"))
    text = plain(await ask(conv, "/features age,income,score"))
    assert "Segmented on age, income and spending score (was income and spending score)" in text
    assert "6 segments: the clearest separation" in text
    assert "Now 3 segments (was 6)" in plain(await ask(conv, "/k 3"))
    assert "3 segments, as you asked" in plain(await ask(conv, "/segments"))
    assert "already the active choice" in plain(await ask(conv, "/k 3"))
    assert "6 segments: the clearest separation" in plain(await ask(conv, "/k auto"))
    assert "Send /k and a number from 2 to 10" in plain(await ask(conv, "/k 50"))
    assert "I have no column <code>" not in plain(await ask(conv, "/features nope"))
    assert "I have no column nope" in plain(await ask(conv, "/features nope"))
    next_month = edited(mall_bytes, 0, "Age", "20")
    receipt = plain(await upload(conv, next_month, "next.csv"))
    assert "Segmented on age, income and spending score, as you chose before" in receipt
    assert "6 segments: the clearest separation" in receipt


async def test_forget_asks_first(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    (question,) = await ask(conv, "/forget")
    assert isinstance(question, Text)
    yes, no = (b.data for row in question.buttons for b in row)
    assert yes.startswith("forget:yes:") and len(yes.encode()) <= 64 and no.startswith("forget:no:")
    assert "Nothing deleted" in plain(await conv.on_button(CHAT, USER, no, Progress()))
    assert "Customer 42" in plain(await ask(conv, "/whois 42"))
    # Cancel closed that prompt: its "Yes" no longer deletes anything.
    assert await conv.check_press(CHAT, USER, yes) != ""
    assert "nothing was deleted" in plain(await conv.on_button(CHAT, USER, yes))
    assert "nothing was deleted" in plain(await conv.on_button(CHAT, USER, "forget:yes"))
    (question,) = await ask(conv, "/forget")
    assert isinstance(question, Text)
    yes = question.buttons[0][0].data
    assert await conv.check_press(CHAT, USER + 1, yes) != ""
    assert await conv.check_press(CHAT, USER, yes) == ""
    done = plain(await conv.on_button(CHAT, USER, yes, Progress()))
    assert "everything this chat stored is deleted" in done
    assert "no customer data" in plain(await ask(conv, "/whois 42"))


async def test_chats_are_kept_apart(conv: Conversation) -> None:
    await upload(conv, sample_csv(), chat=1)
    await upload(conv, sample_csv(n=120, seed=11), "other.csv", chat=2)
    assert "#1 members.csv ✅ active\n    200 rows" in plain(await ask(conv, "/datasets", chat=1))
    assert "#1 other.csv ✅ active\n    120 rows" in plain(await ask(conv, "/datasets", chat=2))
    assert "no customer data" in plain(await ask(conv, "/segments", chat=3))


async def test_other_chats_are_served_while_an_upload_waits(conv: Conversation) -> None:
    await upload(conv, sample_csv(), chat=2)
    release = asyncio.Event()

    async def slow_fetch() -> bytes:
        await release.wait()
        return sample_csv(n=150)

    pending = asyncio.create_task(
        conv.on_document(1, USER, "slow.csv", 5000, slow_fetch, Progress())
    )
    await asyncio.sleep(0)
    answer = await asyncio.wait_for(ask(conv, "/whois 42", chat=2), timeout=5)
    assert "Customer 42" in plain(answer)
    queued = Progress()
    second = asyncio.create_task(
        conv.on_document(1, USER, "next.csv", 100, fetcher(sample_csv(n=100))[0], queued)
    )
    await asyncio.sleep(0.05)
    assert queued.seen == ["Still working on your previous request; this one is next."]
    assert not pending.done()
    release.set()
    await pending
    await second
    assert "#2 next.csv" in plain(await ask(conv, "/datasets", chat=1))


def test_access_follows_the_config(db_path: Path) -> None:
    from bot.config import AccessConfig

    config = Config(access=AccessConfig(allowed_user_ids=(7,), allowed_chat_ids=(-5,)))
    conv = Conversation(config, Workers.from_config(config))
    assert conv.is_allowed(1, 7) and conv.is_allowed(-5, 8)
    assert not conv.is_allowed(1, 8)


async def test_questions_do_not_wait_for_a_write_in_progress(conv: Conversation) -> None:
    await upload(conv, sample_csv(), chat=2)
    writing = threading.Event()
    finish = threading.Event()

    def long_write(store: object) -> None:
        writing.set()
        finish.wait(10)

    blocker = asyncio.create_task(conv.workers.db(long_write))
    await asyncio.to_thread(writing.wait, 5)
    try:
        answer = await asyncio.wait_for(ask(conv, "/whois 42", chat=2), timeout=5)
        assert "Customer 42" in plain(answer)
        assert not blocker.done()
    finally:
        finish.set()
        await blocker


async def test_big_exports_are_zipped_off_the_event_loop(
    conv: Conversation, mall_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    await upload(conv, mall_bytes, "jan.csv")
    await upload(conv, edited(mall_bytes, 0, "Spending Score (1-100)", "95"), "feb.csv")
    threads: list[threading.Thread] = []
    writestr = zipfile.ZipFile.writestr

    def recording(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        threads.append(threading.current_thread())
        writestr(self, *args, **kwargs)

    monkeypatch.setattr("bot.replies.DOCUMENT_LIMIT", 10)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", recording)
    for command in ("/export", "/export moved"):
        (document,) = await ask(conv, command)
        assert isinstance(document, Document) and document.filename.endswith(".zip"), command
    assert len(threads) == 2 and threading.main_thread() not in threads


def test_a_file_too_big_for_telegram_is_zipped() -> None:
    import zipfile

    from bot.replies import document
    from bot.text.format import DOCUMENT_LIMIT

    small = document(b"a,b\n", "x.csv", "caption")
    assert small.filename == "x.csv" and small.data == b"a,b\n"
    data = b"customer_id,segment\n" + b"1,2\n" * (DOCUMENT_LIMIT // 4 + 1)
    big = document(data, "segments-x.csv", "caption")
    assert big.filename == "segments-x.zip" and big.mime_type == "application/zip"
    assert len(big.data) < DOCUMENT_LIMIT
    assert zipfile.ZipFile(io.BytesIO(big.data)).read("segments-x.csv") == data
    assert "50 MB" in parse_html(big.caption)


async def test_a_restart_keeps_the_data_and_rebuilds_the_table(
    db_path: Path, mall_bytes: bytes
) -> None:
    config = Config(storage=StorageConfig(path=str(db_path)))
    exports = []
    for restart in (False, True):
        workers = Workers.from_config(config)
        await workers.start()
        try:
            conv = Conversation(config, workers)
            if not restart:
                await upload(conv, mall_bytes, "mall.csv")
            (document,) = await ask(conv, "/export")
            assert isinstance(document, Document)
            exports.append(document.data)
            assert "Customer 42" in plain(await ask(conv, "/whois 42"))
            if restart:
                assert "Now 3 segments" in plain(await ask(conv, "/k 3"))
                assert "Segmented on age and spending score" in plain(
                    await ask(conv, "/features Age, Spending Score (1-100)")
                )
        finally:
            await workers.close()
    assert exports[0] == exports[1]


def without_column(data: bytes, column: str) -> bytes:
    """Return the CSV without one column."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    names = [name for name in rows[0] if name != column]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def test_a_features_choice_the_next_file_cannot_follow_is_said_naming_the_column(
    conv: Conversation,
) -> None:
    await upload(conv, sample_csv())
    await ask(conv, "/features age,income")
    next_month = without_column(sample_csv(seed=8), "Age")
    receipt = plain(await upload(conv, next_month, "next.csv"))
    assert "Your /features choice used age and income, which this file" not in receipt
    assert "Your /features choice used age, which this file does not have" in receipt
    assert "default columns" in receipt
    active = await conv.chats.active(CHAT)
    assert active is not None and "age" not in active.seg.features


def forget_button(replies: list[Reply]) -> str:
    """The payload of the "Yes, delete everything" button of a /forget prompt."""
    (question,) = replies
    assert isinstance(question, Text)
    return question.buttons[0][0].data


async def test_a_forget_confirmation_is_bound_to_the_asker_the_data_and_a_time_limit(
    conv: Conversation,
) -> None:
    await upload(conv, sample_csv())
    yes = forget_button(await ask(conv, "/forget"))
    # Someone else in the chat presses it: nothing changes, and it stays the asker's.
    foreign = plain(await conv.on_button(CHAT, USER + 1, yes, Progress()))
    assert "nothing was deleted" in foreign
    assert "Customer 42" in plain(await ask(conv, "/whois 42"))
    # New data arrives before the press: the old prompt no longer applies.
    await upload(conv, sample_csv(seed=11), "next.csv")
    stale = plain(await conv.on_button(CHAT, USER, yes, Progress()))
    assert "nothing was deleted" in stale
    assert "#2 next.csv ✅ active" in plain(await ask(conv, "/datasets"))
    # A fresh prompt answered too late changes nothing either.
    late = forget_button(await ask(conv, "/forget"))
    clock = conv.chats.confirmations.clock
    conv.chats.confirmations.clock = lambda: clock() + 301
    assert "nothing was deleted" in plain(await conv.on_button(CHAT, USER, late, Progress()))
    conv.chats.confirmations.clock = clock
    assert "#2 next.csv ✅ active" in plain(await ask(conv, "/datasets"))
    # Each button works once, for its asker, in time, on the data it was shown for.
    fresh = forget_button(await ask(conv, "/forget"))
    assert "everything this chat stored is deleted" in plain(
        await conv.on_button(CHAT, USER, fresh, Progress())
    )
    assert "nothing was deleted" in plain(await conv.on_button(CHAT, USER, fresh, Progress()))


async def test_a_question_during_the_first_upload_gets_the_busy_answer(
    conv: Conversation,
) -> None:
    release = asyncio.Event()

    async def slow_fetch() -> bytes:
        await release.wait()
        return sample_csv()

    reading = asyncio.create_task(conv.on_document(CHAT, USER, "members.csv", None, slow_fetch))
    await asyncio.sleep(0.05)
    busy = plain(await ask(conv, "/segments"))
    assert busy.startswith("Still working on members.csv (started 0 s ago)")
    assert "no customer data" not in busy
    assert "/segments" in plain(await ask(conv, "/help"))
    release.set()
    await reading
    assert "Still working" not in plain(await ask(conv, "/segments"))


async def test_questions_during_a_resegmentation_get_the_busy_answer(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    resegmenting = asyncio.create_task(ask(conv, "/k 3"))
    answers: list[str] = []
    while not resegmenting.done() and not any("Still working" in a for a in answers):
        answers.append(plain(await ask(conv, "how many customers do I have?")))
        await asyncio.sleep(0.005)
    assert any(a.startswith("Still working on members.csv") for a in answers), answers
    assert "Now 3 segments" in plain(await resegmenting)
    assert "You have 200 customers in 3 segments" in plain(await ask(conv, "how many customers?"))


async def test_uploads_at_once_copy_the_log_into_the_file_once_after_the_last(
    conv: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies: list[int] = []
    checkpoint = CustomerStore.checkpoint

    def counted(store: CustomerStore) -> None:
        copies.append(1)
        checkpoint(store)

    monkeypatch.setattr(CustomerStore, "checkpoint", counted)
    files = [sample_csv(300, seed=seed) for seed in range(3)]
    await asyncio.gather(*(upload(conv, data, chat=CHAT + n) for n, data in enumerate(files)))
    await asyncio.sleep(0.2)  # the copy is queued after the answers
    assert copies == [1]
    await upload(conv, sample_csv(300, seed=9))
    await asyncio.sleep(0.2)
    assert copies == [1, 1]  # one upload alone: copied after it


async def test_uploads_that_never_stop_still_copy_the_log_now_and_then(conv: Conversation) -> None:
    chats = conv.chats
    queued: list[int] = []
    tasks = chats._background
    await chats.begin_upload(CHAT, "members.csv")  # one upload that stays under way
    try:
        for _ in range(2 * CHECKPOINT_AT_LEAST_EVERY):
            before = len(tasks)
            chats.checkpoint_soon()
            queued.append(len(tasks) - before)
            await asyncio.sleep(0)
    finally:
        await chats.end_upload(CHAT)
    assert sum(queued) == 2
    assert queued.index(1) == CHECKPOINT_AT_LEAST_EVERY - 1
