"""End to end: the real Application polls the fake Bot API; real engine, real SQLite file.

Each test plays managers with the fake server's ``user_*`` helpers and reads what the bot sent.
Every test also checks (in the ``fake`` fixture) that Telegram would have accepted every call.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_bot_api import BOT_USERNAME, TOKEN, FakeBotApi, Outgoing
from openpyxl import load_workbook
from pypdf import PdfReader
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import Application

from bot.commands import MENU
from bot.config import (
    AccessConfig,
    BotConfig,
    Config,
    ConfigError,
    StorageConfig,
    TelegramConfig,
)
from bot.conversation import Conversation
from bot.replies import Reply
from bot.state import Progress, no_progress
from bot.telegram_app import ALLOWED_UPDATES, build_application
from bot.telegram_run import RedactToken, run_bot
from bot.telegram_send import RetryingRateLimiter
from bot.text import access as access_text
from bot.text import compare as compare_text
from bot.text import export as export_text
from bot.text import forget as forget_text
from bot.text import help as help_text
from bot.text import upload as upload_text
from bot.text.format import plain_text
from segmentation.ingest.table import normalise_id
from segmentation.sample import sample_csv

ALICE = 111  # a manager; her private chat has the same id
BOB = 222  # another manager
STRANGER = 999  # not on the allow-list
TEAM = -1001  # a group chat Alice is in

NO_DATA = plain_text(upload_text.no_data())
FAILED = plain_text(access_text.internal_error("x")).split(".")[0]

Check = Callable[[list[Outgoing]], object]


def refused(user: int) -> str:
    """The refusal a user not on the allow-list reads, naming their own id."""
    return plain_text(access_text.not_allowed(user))


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API; after the test, no call may have been refused."""
    async with FakeBotApi() as server:
        yield server
        refused = [f"{c.method}: {c.status} {c.description}" for c in server.errors]
        assert refused == [], "Telegram would have refused calls"


def make_config(fake: FakeBotApi, db_path: Path, **access: object) -> Config:
    """Settings pointing at the fake server and a SQLite file in the test's folder."""
    allowed = access or {"allowed_user_ids": (ALICE, BOB)}
    return Config(
        telegram=TelegramConfig(
            token=TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url
        ),
        access=AccessConfig(**allowed),  # type: ignore[arg-type]
        storage=StorageConfig(path=str(db_path)),
    )


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """Run the application like ``run_polling`` does, on the test's event loop."""
    assert app.post_init is not None and app.post_shutdown is not None
    assert app.updater is not None
    async with app:
        await app.post_init(app)
        try:
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
            )
            await app.start()
            try:
                yield app
            finally:
                await app.updater.stop()
                await app.stop()
        finally:
            await app.post_shutdown(app)


@pytest.fixture
async def bot(fake: FakeBotApi, db_path: Path) -> AsyncIterator[Application]:
    """A running bot allowing Alice and Bob."""
    async with running(build_application(make_config(fake, db_path))) as app:
        yield app


async def replies(
    fake: FakeBotApi,
    chat: int,
    mark: int,
    until: Check = bool,
    *,
    timeout: float = 20.0,
    quiet: float = 0.15,
) -> list[Outgoing]:
    """Messages to ``chat`` after ``mark`` once ``until`` holds and the bot went quiet.

    Fails at once when the bot apologises for an internal error.
    """

    def done() -> object:
        sent = fake.since(mark, chat)
        failed = [m.text for m in sent if m.text.startswith(FAILED)]
        assert not failed, f"the bot failed: {failed[0]}"
        return until(sent)

    await fake.wait_for(done, timeout, what=f"chat {chat}")
    while True:
        count = len(fake.calls)
        await asyncio.sleep(quiet)
        if len(fake.calls) == count:
            return fake.since(mark, chat)


def has_photo(messages: list[Outgoing]) -> bool:
    """Stop waiting once a picture arrived."""
    return any(m.kind == "photo" for m in messages)


def has_document(messages: list[Outgoing]) -> bool:
    """Stop waiting once a file arrived."""
    return any(m.kind == "document" for m in messages)


def has_text(*needles: str) -> Check:
    """Stop waiting once a message contains every needle."""
    return lambda messages: any(all(n in m.text for n in needles) for m in messages)


async def say(
    fake: FakeBotApi, chat: int, user: int, text: str, until: Check = bool
) -> list[Outgoing]:
    """Send ``text`` as ``user`` in ``chat``; return the bot's answer."""
    mark = fake.mark()
    fake.user_says(chat, user, text)
    return await replies(fake, chat, mark, until)


async def press(
    fake: FakeBotApi, chat: int, user: int, label: str, until: Check = bool
) -> list[Outgoing]:
    """Press the latest button labelled ``label``; return the bot's answer."""
    mark = fake.mark()
    query_id = fake.user_presses(chat, user, label)
    answered = await replies(fake, chat, mark, until)
    acks = [c for c in fake.calls_of("answerCallbackQuery") if c.params["callback_query_id"]]
    assert query_id in [c.params["callback_query_id"] for c in acks], "button not acknowledged"
    return answered


async def upload(
    fake: FakeBotApi,
    chat: int,
    user: int,
    data: bytes,
    name: str = "customers.csv",
    until: Check = has_photo,
    **kwargs: object,
) -> list[Outgoing]:
    """Upload a file as ``user`` in ``chat``; return the bot's answer."""
    mark = fake.mark()
    fake.user_uploads(chat, user, data, name, **kwargs)  # type: ignore[arg-type]
    return await replies(fake, chat, mark, until, timeout=60)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    """Parse a CSV document the bot sent."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def texts(messages: Sequence[Outgoing]) -> str:
    """Every message's plain text, one after another."""
    return "\n---\n".join(m.text for m in messages)


# --- the whole conversation ---------------------------------------------------------------------


async def test_whole_conversation_on_the_sample_file(fake: FakeBotApi, bot: Application) -> None:
    answer = await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
    status, receipt, overview = answer[0], answer[-2], answer[-1]
    assert status.edits, "the status message is edited as stages finish"
    assert "200 rows" in receipt.text
    assert overview.kind == "photo" and overview.file is not None
    assert overview.file.startswith(b"\x89PNG")
    assert {"Segments", "Target", "Plots", "Export"} <= set(overview.labels)

    listed = await press(fake, ALICE, ALICE, "Segments")
    assert "\n1. " in texts(listed)
    # Segment buttons carry the number and the short name; one more explains the method.
    assert listed[-1].labels[0].startswith("1 · ") and len(listed[-1].labels[0]) > 5
    assert listed[-1].labels[-1] == "How was this found?"
    await press(fake, ALICE, ALICE, "Target")
    menu = await press(fake, ALICE, ALICE, "Plots")
    assert {"Scatter", "k chart", "Profile"} <= set(menu[-1].labels)
    profile = await press(fake, ALICE, ALICE, "Profile", until=has_photo)
    assert profile[-1].kind == "photo"
    exported = await press(fake, ALICE, ALICE, "Export", until=has_document)
    assert len(csv_rows(exported[-1].file or b"")) == 200

    segments = await say(fake, ALICE, ALICE, "/segments")
    segment = await say(fake, ALICE, ALICE, "/segment 1")
    assert texts(segment) != texts(segments)
    who = await say(fake, ALICE, ALICE, "/whois 0042")
    assert "Customer 42" in texts(who) and "segment" in texts(who)
    unknown = await say(fake, ALICE, ALICE, "/whois 99999")
    assert "99999" in texts(unknown)
    target = await say(fake, ALICE, ALICE, "/target")
    assert "egment" in texts(target)
    k_chart = await say(fake, ALICE, ALICE, "/plot k", until=has_photo)
    assert k_chart[-1].kind == "photo" and k_chart[-1].text

    three = await say(fake, ALICE, ALICE, "/k 3", until=has_photo)
    assert "3 segments" in texts(three)
    two_features = await say(fake, ALICE, ALICE, "/features age,score", until=has_photo)
    assert two_features[-1].kind == "photo"

    exported = await say(fake, ALICE, ALICE, "/export", until=has_document)
    document = exported[-1]
    assert document.filename and document.filename.endswith(".csv")
    rows = csv_rows(document.file or b"")
    assert len(rows) == 200
    assert list(rows[0])[:3] == ["customer_id", "segment", "persona"]


async def test_report_and_workbook_through_the_bot_api(fake: FakeBotApi, bot: Application) -> None:
    await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
    reported = await say(fake, ALICE, ALICE, "/report", until=has_document)
    report = reported[-1]
    assert report.filename and re.fullmatch(r"report-members-\d{4}-\d{2}\.pdf", report.filename)
    pdf = PdfReader(io.BytesIO(report.file or b""))
    assert len(pdf.pages) == 2 + 5
    assert "Target first" in pdf.pages[0].extract_text()
    assert len(report.text) <= 1024

    asked = await say(fake, ALICE, ALICE, "a report for my boss please", until=has_document)
    assert asked[-1].file == report.file  # same data, same bytes

    book = await say(fake, ALICE, ALICE, "/export xlsx", until=has_document)
    assert book[-1].filename and book[-1].filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(book[-1].file or b""))
    assert len(workbook.sheetnames) == 1 + 5
    ids = [
        row[0]
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert len(ids) == 200 and "0042" in ids

    detail = await say(fake, ALICE, ALICE, "/segment 2")
    assert "Export this segment" in detail[-1].labels
    audience = await press(fake, ALICE, ALICE, "Export this segment", until=has_document)
    rows = csv_rows(audience[-1].file or b"")
    assert audience[-1].filename == "segbot-members-segment-2.csv"
    assert {r["audience"] for r in rows} == {"segbot-members-segment-2"}
    assert str(len(rows)) in audience[-1].text

    await upload(fake, ALICE, ALICE, sample_csv(300, seed=11), "members-2.csv")
    listing = await say(fake, ALICE, ALICE, "/datasets")
    assert "members.csv" in texts(listing) and "members-2.csv" in texts(listing)
    switched = await say(fake, ALICE, ALICE, "/use 1", until=has_text("members.csv"))
    assert "#1" in texts(switched)

    for question in (
        "which segment should we target?",
        "who is 42",
        "show me the plot",
        "how many segments?",
        "help",
    ):
        answered = await say(fake, ALICE, ALICE, question)
        assert answered, question
        assert plain_text(help_text.fallback_hint()) not in texts(answered), question

    confirm = await say(fake, ALICE, ALICE, "/forget")
    assert "Cancel" in confirm[-1].labels
    kept = await press(fake, ALICE, ALICE, "Cancel")
    assert plain_text(forget_text.forget_cancelled()) in texts(kept)
    await say(fake, ALICE, ALICE, "/forget")
    gone = await press(fake, ALICE, ALICE, "Yes, delete everything")
    assert plain_text(forget_text.forget_done()) in texts(gone)
    assert NO_DATA in texts(await say(fake, ALICE, ALICE, "/whois 0042"))


async def test_start_help_and_a_chat_action_for_slow_answers(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    start = await say(fake, BOB, BOB, "/start")
    assert plain_text(help_text.welcome()) == texts(start)
    help_ = await say(fake, BOB, BOB, "/help")
    for name, _ in MENU:
        assert f"/{name}" in texts(help_)
    hint = await say(fake, BOB, BOB, "what's the weather like?")
    assert plain_text(help_text.fallback_hint()) in texts(hint)
    sticker = {"file_id": "s1", "file_unique_id": "s1", "type": "regular"}
    mark = fake.mark()
    fake.user_sends(
        BOB,
        BOB,
        sticker={**sticker, "width": 512, "height": 512, "is_animated": False, "is_video": False},
    )
    assert plain_text(help_text.fallback_hint()) in texts(await replies(fake, BOB, mark))


async def test_set_my_commands_publishes_every_command(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    calls = fake.calls_of("setMyCommands")
    by_language = {c.params.get("language_code", ""): c for c in calls}
    assert sorted(by_language) == ["", "en", "es", "id", "pt", "ru"]
    for call in calls:
        published = [c["command"] for c in json.loads(call.params["commands"])]
        assert published == [name for name, _ in MENU]
    russian = json.loads(by_language["ru"].params["commands"])
    assert russian[0]["description"] == "Что я умею и с чего начать"
    default = json.loads(by_language[""].params["commands"])
    assert default == json.loads(by_language["en"].params["commands"])


async def test_a_russian_app_gets_russian_and_language_switches_the_chat(
    fake: FakeBotApi, bot: Application
) -> None:
    fake.user_languages[STRANGER] = "ru"
    fake.user_says(STRANGER, STRANGER, "/start")
    (refusal,) = await replies(fake, STRANGER, 0, quiet=0.3)
    assert refusal.text.startswith("Извините, это закрытый бот.") and str(STRANGER) in refusal.text
    fake.user_languages[ALICE] = "ru"
    answered = await say(fake, ALICE, ALICE, "/language")
    assert "В этом чате я отвечаю на языке: Русский." in texts(answered)
    assert "языке вашего приложения" in texts(answered) or "языком вашего" in texts(answered)
    answered = await say(fake, ALICE, ALICE, "/language es")
    assert texts(answered).startswith("Desde ahora respondo en español en este chat.")
    # the choice belongs to the chat: it holds for Alice's Russian app from now on
    answered = await say(fake, ALICE, ALICE, "/language")
    assert "En este chat respondo en Español." in texts(answered)
    assert "Alguien lo eligió aquí con /language." in texts(answered)
    answered = await say(fake, ALICE, ALICE, "/language klingon")
    assert "Todavía no hablo" in texts(answered)
    answered = await say(fake, ALICE, ALICE, "/language auto")
    assert texts(answered) == "Теперь я отвечаю каждому на языке его приложения Telegram."


# --- bad input ------------------------------------------------------------------------------------


async def test_every_bad_input_gets_one_clear_answer(fake: FakeBotApi, bot: Application) -> None:
    assert texts(await say(fake, BOB, BOB, "/whois 42")) == NO_DATA
    unknown = await say(fake, BOB, BOB, "/frobnicate now")
    assert texts(unknown) == plain_text(help_text.unknown_command("frobnicate"))

    await upload(fake, BOB, BOB, sample_csv(), "members.csv")
    before = texts(await say(fake, BOB, BOB, "/segments"))

    pdf = await upload(fake, BOB, BOB, b"%PDF-1.4 not a table", "report.pdf", until=bool)
    assert texts(pdf) == plain_text(upload_text.not_a_table("report.pdf"))

    mark = fake.mark()
    fake.user_sends_photo(BOB, BOB)
    assert texts(await replies(fake, BOB, mark)) == plain_text(upload_text.photo_received())

    downloads, get_files = len(fake.downloads), len(fake.calls_of("getFile"))
    claimed = 25 * 1024 * 1024
    huge = await upload(fake, BOB, BOB, b"id,age\n1,2\n", "huge.csv", until=bool, file_size=claimed)
    assert texts(huge) == plain_text(upload_text.too_big(claimed, 20 * 1024 * 1024))
    assert (len(fake.downloads), len(fake.calls_of("getFile"))) == (downloads, get_files)

    junk = b"name,colour\nann,red\nbob,blue\n"
    refused = await upload(fake, BOB, BOB, junk, "colours.csv", until=has_text("could not use"))
    assert "Your current data stays as it is" in texts(refused)

    assert texts(await say(fake, BOB, BOB, "/segments")) == before, "previous data stays active"


async def test_an_unauthorised_user_gets_one_refusal_and_nothing_is_downloaded(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    fake.user_uploads(STRANGER, STRANGER, sample_csv(), "members.csv")
    fake.user_says(STRANGER, STRANGER, "/whois 42")
    fake.user_says(STRANGER, STRANGER, "who is 42")
    fake.user_sends_photo(STRANGER, STRANGER)
    query = fake.user_presses_data(STRANGER, STRANGER, "/segments")
    await fake.wait_for(
        lambda: (
            query in [c.params["callback_query_id"] for c in fake.calls_of("answerCallbackQuery")]
        )
    )
    answered = await replies(fake, STRANGER, 0, quiet=0.3)
    assert [m.text for m in answered] == [refused(STRANGER)]
    assert fake.calls_of("getFile") == [] and fake.downloads == []
    assert [c.params["text"] for c in fake.calls_of("answerCallbackQuery")] == [refused(STRANGER)]


async def test_a_group_chat_listed_in_the_config_is_served_and_commands_name_the_bot(
    fake: FakeBotApi, db_path: Path
) -> None:
    config = make_config(fake, db_path, allowed_chat_ids=(TEAM,))
    async with running(build_application(config)):
        await upload(fake, TEAM, STRANGER, sample_csv(), "team.csv")
        mine = await say(fake, TEAM, ALICE, f"/segments@{BOT_USERNAME}")
        assert "egment" in texts(mine)
        mark = fake.mark()
        fake.user_says(TEAM, ALICE, "/segments@some_other_bot")
        await asyncio.sleep(0.4)
        assert fake.since(mark, TEAM) == [], "a command for another bot is not ours"
        assert texts(await say(fake, ALICE, ALICE, "/segments")) == refused(ALICE)


# --- data belongs to its chat and survives a restart ----------------------------------------


async def test_two_chats_with_clashing_customer_ids_keep_their_own_data(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    alice_file, bob_file = sample_csv(200, seed=1), sample_csv(200, seed=2)
    await upload(fake, ALICE, ALICE, alice_file)
    await upload(fake, BOB, BOB, bob_file)
    alice_row = csv_rows(alice_file)[6]
    bob_row = csv_rows(bob_file)[6]
    assert alice_row["CustomerID"] == bob_row["CustomerID"] == "0007"
    alice_says = texts(await say(fake, ALICE, ALICE, "/whois 0007"))
    bob_says = texts(await say(fake, BOB, BOB, "/whois 0007"))
    assert alice_says != bob_says
    alice_export = await say(fake, ALICE, ALICE, "/export", until=has_document)
    exported = {r["customer_id"]: r for r in csv_rows(alice_export[-1].file or b"")}
    assert exported["0007"]["Age"] == alice_row["Age"]  # the id as the file wrote it
    assert exported["0007"]["CustomerID"] == "0007"


async def test_a_restarted_bot_keeps_every_chat_s_data(fake: FakeBotApi, db_path: Path) -> None:
    config = make_config(fake, db_path)
    async with running(build_application(config)):
        await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
        before = texts(await say(fake, ALICE, ALICE, "/whois 0042"))
        segments = texts(await say(fake, ALICE, ALICE, "/segments"))
    async with running(build_application(config)):
        assert texts(await say(fake, ALICE, ALICE, "/whois 0042")) == before
        assert texts(await say(fake, ALICE, ALICE, "/segments")) == segments
        assert "members.csv" in texts(await say(fake, ALICE, ALICE, "/datasets"))
        exported = await say(fake, ALICE, ALICE, "/export", until=has_document)
        assert len(csv_rows(exported[-1].file or b"")) == 200


# --- concurrency ---------------------------------------------------------------------------------


async def test_another_chat_is_answered_while_a_big_upload_is_segmented(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    await upload(fake, BOB, BOB, sample_csv(), "small.csv")
    big = sample_csv(300_000)
    mark = fake.mark()
    fake.user_uploads(ALICE, ALICE, big, "big.csv")
    await fake.wait_for(lambda: fake.since(mark, ALICE), 30, what="the big upload's status")
    bob_mark = fake.mark()
    fake.user_says(BOB, BOB, "/whois 0042")
    who = await fake.wait_for_message(BOB, bob_mark, timeout=30)
    overview = await fake.wait_for_message(ALICE, mark, lambda m: m.kind == "photo", timeout=60)
    assert who.seq < overview.seq, "Bob waited for Alice's upload"
    working = [c for c in fake.calls_of("sendChatAction") if c.chat_id == ALICE]
    assert working and working[0].params["action"] == "upload_photo"
    assert working[0].seq < overview.seq
    assert "Customer 42" in who.text


# --- month over month --------------------------------------------------------------------------


def moved_sample() -> tuple[bytes, bytes, set[str]]:
    """Two uploads of the same customers where ten of them changed income and spending."""
    before = sample_csv(200, seed=5)
    rows = csv_rows(before)
    lowest = sorted(rows, key=lambda r: float(r["Annual Income (k$)"]))[:10]
    moved = {r["CustomerID"] for r in lowest}
    for row in rows:
        if row["CustomerID"] in moved:
            row["Annual Income (k$)"], row["Spending Score (1-100)"] = "130", "90"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return before, out.getvalue().encode(), moved


async def test_compare_and_export_moved_after_two_uploads(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    before, after, moved = moved_sample()
    await upload(fake, ALICE, ALICE, before, "january.csv")
    needs_two = texts(await say(fake, ALICE, ALICE, "/compare"))
    assert needs_two == plain_text(compare_text.compare_needs_two())
    second = await upload(fake, ALICE, ALICE, after, "february.csv")
    assert "Since last upload" in texts(second)
    compared = await say(fake, ALICE, ALICE, "/compare", until=has_photo)
    assert any(m.kind == "photo" for m in compared)
    assert "moved" in texts(compared).lower()
    exported = await say(fake, ALICE, ALICE, "/export moved", until=has_document)
    rows = csv_rows(exported[-1].file or b"")
    assert {normalise_id(m) for m in moved} <= {r["customer_id"] for r in rows}
    assert exported[-1].text == plain_text(export_text.moved_caption(len(rows)))
    who = texts(await say(fake, ALICE, ALICE, f"/whois {sorted(moved)[0]}"))
    assert "In upload #1 they were in segment" in who, who


# --- the adapter's own rules ----------------------------------------------------------------------


class FailingConversation(Conversation):
    """The real conversation, except that ``/boom`` fails inside it."""

    async def on_text(
        self, chat_id: int, user_id: int, text: str, progress: Progress = no_progress
    ) -> list[Reply]:
        """Fail on /boom, answer anything else as usual."""
        if text.startswith("/boom"):
            raise RuntimeError("kaboom in the engine")
        return await super().on_text(chat_id, user_id, text, progress)


async def test_an_unexpected_error_is_logged_with_a_reference_the_user_sees(
    fake: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = make_config(fake, db_path)
    app = build_application(config, conversation_factory=FailingConversation)
    async with running(app):
        mark = fake.mark()
        fake.user_says(ALICE, ALICE, "/boom")
        answer = (await fake.wait_for_message(ALICE, mark)).text
        assert "kaboom" not in answer and "Traceback" not in answer
        assert texts(await say(fake, ALICE, ALICE, "/start")) == plain_text(help_text.welcome())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    ref = errors[0].getMessage().split()[1]
    assert answer == plain_text(access_text.internal_error(ref))
    assert all(TOKEN not in r.getMessage() for r in caplog.records), "the token was logged"


async def test_flood_limits_and_dropped_connections_are_retried(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    fake.fail_next("sendMessage", retry_after=1)
    fake.drop_next("sendMessage")
    answer = await say(fake, ALICE, ALICE, "/start")
    assert texts(answer) == plain_text(help_text.welcome())
    statuses = [c.status for c in fake.calls_of("sendMessage")]
    assert statuses == [429, 0, 200]


def test_the_token_is_redacted_from_log_lines_and_tracebacks() -> None:
    redact = RedactToken(TOKEN)
    try:
        raise RuntimeError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError as err:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/x",), (type(err), err, None)
        )
    assert redact.filter(record)
    assert TOKEN not in record.getMessage() and "<token>" in record.getMessage()
    assert record.exc_text is not None and TOKEN not in record.exc_text


def test_run_bot_refuses_to_start_without_an_allow_list(db_path: Path) -> None:
    config = Config(telegram=TelegramConfig(token=TOKEN), storage=StorageConfig(path=str(db_path)))
    with pytest.raises(ConfigError, match="allow"):
        run_bot(config)
    assert not db_path.exists()


async def test_segbot_run_serves_until_sigterm_then_shuts_down_cleanly(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        "[telegram]\n"
        f'base_url = "{fake.base_url}"\n'
        f'base_file_url = "{fake.base_file_url}"\n'
        "poll_timeout = 1\n"
        "[access]\n"
        f"allowed_user_ids = [{ALICE}]\n"
        "[storage]\n"
        f'path = "{tmp_path / "segbot.db"}"\n'
        "[logging]\n"
        'level = "DEBUG"\n'
    )
    env = {**os.environ, "SEGBOT_TOKEN": TOKEN}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_for(lambda: fake.calls_of("setMyCommands"), 30, what="start-up")
        assert texts(await say(fake, ALICE, ALICE, "/start")) == plain_text(help_text.welcome())
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "bot stopped; store closed" in log


PUBLIC_FILES = [
    "mall_customers.csv",
    "wholesale_customers.csv",
    "marketing_campaign.csv",
    "customer_segmentation_train.csv",
    "cc_general.csv",
]


@pytest.mark.parametrize("name", PUBLIC_FILES)
async def test_every_answer_about_a_public_dataset_is_one_telegram_accepts(
    fake: FakeBotApi,
    bot: Application,
    datasets_dir: Path,
    name: str,
) -> None:
    overview = await upload(fake, BOB, BOB, (datasets_dir / name).read_bytes(), name)
    assert overview[-1].kind == "photo", texts(overview)
    exported = await say(fake, BOB, BOB, "/export", until=has_document)
    first_id = csv_rows(exported[-1].file or b"")[0]["customer_id"]
    for command in ("/segments", "/segment 1", "/target", "/whois " + first_id, "/datasets"):
        assert await say(fake, BOB, BOB, command), command
    for plot in ("k", "profile"):  # the overview above was the scatter
        answer = await say(fake, BOB, BOB, f"/plot {plot}", until=has_photo)
        assert answer[-1].width <= 1600 and answer[-1].file is not None
        assert len(answer[-1].file) <= 500_000


async def test_a_button_pressed_while_the_bot_was_down_is_still_answered(
    fake: FakeBotApi,
    bot: Application,
) -> None:
    mark = fake.mark()
    fake.user_presses_data(ALICE, ALICE, "/start", expired=True)
    answer = await replies(fake, ALICE, mark)
    assert texts(answer) == plain_text(help_text.welcome())
    (ack,) = fake.calls_of("answerCallbackQuery")
    assert ack.status == 400 and ack.expected


async def test_only_requests_telegram_never_answered_are_retried() -> None:
    limiter = RetryingRateLimiter(network_retries=2, backoff=0.01)
    await limiter.initialize()
    calls: list[str] = []

    def failing(*errors: Exception) -> Callable[..., Coroutine[Any, Any, bool]]:
        pending = list(errors)

        async def callback(*args: object, **kwargs: object) -> bool:
            calls.append("call")
            if pending:
                raise pending.pop(0)
            return True

        return callback

    dropped = NetworkError("httpx.RemoteProtocolError: Server disconnected")
    dropped.__cause__ = httpx.RemoteProtocolError("Server disconnected")
    assert await limiter.process_request(failing(dropped, dropped), (), {}, "sendMessage", {}, None)
    assert len(calls) == 3
    for refusal in (NetworkError("Request Entity Too Large"), BadRequest("x"), TimedOut()):
        calls.clear()
        with pytest.raises(type(refusal)):
            await limiter.process_request(failing(refusal), (), {}, "sendDocument", {}, None)
        assert len(calls) == 1, refusal
    await limiter.shutdown()


async def toast_after(fake: FakeBotApi, mark: int) -> str:
    """The text of the first button acknowledgement after ``mark`` (``""`` for none)."""

    def answered() -> list[str]:
        return [c.param("text") or "" for c in fake.calls_of("answerCallbackQuery") if c.seq > mark]

    await fake.wait_for(answered, 10, what="a button acknowledgement")
    return answered()[0]


async def test_forget_buttons_are_bound_to_the_asker_and_the_data_and_close_once_pressed(
    fake: FakeBotApi, db_path: Path
) -> None:
    config = make_config(fake, db_path, allowed_chat_ids=(TEAM,))
    async with running(build_application(config)):
        await upload(fake, TEAM, ALICE, sample_csv(), "team.csv")
        (prompt,) = await say(fake, TEAM, ALICE, "/forget")
        yes = prompt.data_for("Yes, delete everything")
        # Bob presses the button Alice asked for: a toast, nothing deleted, the prompt stays.
        mark = fake.mark()
        fake.user_presses_data(TEAM, BOB, yes, prompt)
        assert await toast_after(fake, mark) == access_text.press_foreign()
        await asyncio.sleep(0.2)
        assert fake.since(mark, TEAM) == []
        assert prompt.labels == ["Yes, delete everything", "Cancel"]
        assert "Customer 42" in texts(await say(fake, TEAM, ALICE, "/whois 0042"))
        # New data, then Alice's old button (still on her screen): a toast, nothing deleted.
        await upload(fake, TEAM, ALICE, sample_csv(seed=11), "next.csv")
        mark = fake.mark()
        fake.user_presses_data(TEAM, ALICE, yes, prompt)
        assert await toast_after(fake, mark) == access_text.press_stale()
        await asyncio.sleep(0.2)
        assert fake.since(mark, TEAM) == []
        assert "#2 next.csv" in texts(await say(fake, TEAM, ALICE, "/datasets"))
        # A fresh prompt, pressed by the asker: done, and its buttons are gone.
        (prompt,) = await say(fake, TEAM, ALICE, "/forget")
        mark = fake.mark()
        fake.user_presses_data(TEAM, ALICE, prompt.data_for("Yes, delete everything"), prompt)
        done = await replies(fake, TEAM, mark)
        assert plain_text(forget_text.forget_done()) in texts(done)
        assert prompt.buttons == []


# --- first contact, albums, groups, plain words ---------------------------------------------------


async def test_the_bot_describes_itself_at_start_up(fake: FakeBotApi, bot: Application) -> None:
    assert fake.descriptions["description"] == help_text.bot_description()
    assert fake.descriptions["short_description"] == help_text.bot_short_description()
    assert len(help_text.bot_short_description()) <= 120
    for code in ("en", "ru", "es", "pt", "id"):
        assert fake.descriptions[f"description:{code}"]
        assert len(fake.descriptions[f"short_description:{code}"]) <= 120
    assert fake.descriptions["description:en"] == fake.descriptions["description"]


async def test_the_sample_loads_from_the_deep_link_and_the_start_button(
    fake: FakeBotApi, bot: Application
) -> None:
    # t.me/<bot>?start=sample arrives as "/start sample".
    loaded = await say(fake, ALICE, ALICE, "/start sample", until=has_photo)
    assert "sample_mall_customers.csv" in texts(loaded) and loaded[-1].kind == "photo"
    assert "Customer 42" in texts(await say(fake, ALICE, ALICE, "/whois 42"))
    welcome = await say(fake, BOB, BOB, "/start")
    assert welcome[-1].labels == ["Try it with sample data"]
    pressed = await press(fake, BOB, BOB, "Try it with sample data", until=has_photo)
    assert pressed[-1].kind == "photo"
    # The status ("Done in …") is removed once the answer is there.
    assert all(m.deleted for m in pressed if m.kind == "text" and "Done in" in m.text)


async def test_the_three_charts_come_as_one_album(fake: FakeBotApi, bot: Application) -> None:
    await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
    album = await say(fake, ALICE, ALICE, "/plot all", until=lambda m: len(m) >= 3)
    photos = [m for m in album if m.kind == "photo"]
    assert len(photos) == 3 and len({m.album for m in photos}) == 1 and photos[0].album
    assert all(m.file and m.file.startswith(b"\x89PNG") for m in photos)
    assert fake.calls_of("sendMediaGroup")


async def test_in_a_group_answers_reply_to_the_message_that_asked(
    fake: FakeBotApi, db_path: Path
) -> None:
    config = make_config(fake, db_path, allowed_chat_ids=(TEAM,))
    async with running(build_application(config)):
        await upload(fake, TEAM, ALICE, sample_csv(), "team.csv")
        mark = fake.mark()
        asked = fake.user_says(TEAM, BOB, "how many women in segment 2?")
        (answer,) = await replies(fake, TEAM, mark)
        assert answer.reply_to == asked and " of " in answer.text
    async with running(build_application(make_config(fake, db_path))):
        (private,) = await say(fake, ALICE, ALICE, "/help")
        assert private.reply_to is None


async def test_a_refusal_names_the_users_id_and_whom_to_ask(
    fake: FakeBotApi, db_path: Path
) -> None:
    config = make_config(fake, db_path)
    config = Config(
        telegram=config.telegram,
        access=config.access,
        storage=config.storage,
        bot=BotConfig(contact="@mall_it"),
    )
    async with running(build_application(config)):
        fake.user_says(STRANGER, STRANGER, "/start")
        (refusal,) = await replies(fake, STRANGER, 0)
        assert str(STRANGER) in refusal.text and "@mall_it" in refusal.text


class GatedConversation(Conversation):
    """Holds every upload's download until the test opens the gate."""

    gate: asyncio.Event

    async def on_document(self, chat_id, user_id, filename, size, fetch, progress=no_progress):  # type: ignore[no-untyped-def]
        async def gated() -> bytes:
            await GatedConversation.gate.wait()
            return await fetch()

        return await super().on_document(chat_id, user_id, filename, size, gated, progress)


async def test_a_question_during_the_first_upload_gets_the_busy_answer(
    fake: FakeBotApi, db_path: Path
) -> None:
    GatedConversation.gate = asyncio.Event()
    app = build_application(make_config(fake, db_path), conversation_factory=GatedConversation)
    async with running(app):
        mark = fake.mark()
        fake.user_uploads(ALICE, ALICE, sample_csv(), "members.csv")
        await asyncio.sleep(0.3)
        for question in ("/segments", "how many customers do I have?"):
            answer = await say(fake, ALICE, ALICE, question)
            assert "Still working on members.csv" in texts(answer), question
            assert NO_DATA not in texts(answer)
        GatedConversation.gate.set()
        overview = await replies(fake, ALICE, mark, has_photo, timeout=60)
        assert overview[-1].kind == "photo"


#: Analyst words a manager should not meet in daily answers (they stay with /plot k).
JARGON = ("silhouette", "projection", " pp", "k=", "k chart", "davies", "calinski", "0–1")


async def test_daily_answers_in_telegram_carry_no_analyst_words(
    fake: FakeBotApi, bot: Application
) -> None:
    overview = await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
    answers = [overview[-1].text]
    for question in ("/segments", "/segment 2", "/whois 42", "/target"):
        answers.append(texts(await say(fake, ALICE, ALICE, question)))
    for text in answers:
        found = [word for word in JARGON if word in text.lower()]
        assert found == [], text


# --- languages ------------------------------------------------------------------------------------

#: Latin words a Russian answer may carry: commands, the file's own headers and values, units and
#: the names of measures (silhouette scores are not said in the manager's answers).
_LATIN_ALLOWED = re.compile(
    r"/\w+(?: \w+)?|@\w+|\b(?:CustomerID|Gender|Age|Annual|Income|Spending|Score|members|csv|"
    r"xlsx|pdf|png|PDF|CSV|Excel|Telegram|segbot|RFM)\b|\bk\$|\(k\$\)|\$\d+k"
)


def _english_left(text: str) -> list[str]:
    """Latin words of four letters or more left in ``text`` once allowed words are removed."""
    return re.findall(r"[A-Za-z]{4,}", _LATIN_ALLOWED.sub(" ", text))


def _russian_export(data: bytes) -> bytes:
    """The sample as a Russian mall would export it: its own headers and gender words."""
    body = data.decode("utf-8").partition("\n")[2]
    body = body.replace(",Female,", ",женский,").replace(",Male,", ",мужской,")
    header = "ID клиента,Пол,Возраст,Годовой доход (тыс. $),Оценка трат (1-100)\n"
    return (header + body).encode()


async def test_a_russian_manager_gets_every_answer_in_russian(
    fake: FakeBotApi, bot: Application
) -> None:
    fake.user_languages[ALICE] = "ru"
    started = await say(fake, ALICE, ALICE, "/start")
    assert "сегмент" in texts(started).lower() and not _english_left(texts(started))
    answer = await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
    overview = answer[-1]
    assert overview.kind == "photo" and "сегмент" in overview.text
    assert not _english_left(texts(answer)), _english_left(texts(answer))
    assert not any(_english_left(label) for label in overview.labels), overview.labels
    listed = await say(fake, ALICE, ALICE, "/segments")
    assert not _english_left(texts(listed)), _english_left(texts(listed))
    names = [label for label in listed[-1].labels if " · " in label]
    assert len(names) == 5 and not any(_english_left(name) for name in names), names
    target = await say(fake, ALICE, ALICE, "/target")
    assert "сегмент" in texts(target).lower() and not _english_left(texts(target))
    who = await say(fake, ALICE, ALICE, "/whois 42")
    assert "42" in texts(who) and not _english_left(texts(who)), _english_left(texts(who))
    asked = await say(fake, ALICE, ALICE, "какой сегмент выбрать?")
    assert texts(asked) == texts(target)
    # A Russian export of the same members: the same segments under the same (Russian) names.
    fake.user_languages[BOB] = "ru"
    await upload(fake, BOB, BOB, _russian_export(sample_csv()), "клиенты.csv")
    theirs = await say(fake, BOB, BOB, "/segments")
    assert [label for label in theirs[-1].labels if " · " in label] == names
    # The chat's choice wins over the app's language.
    await say(fake, ALICE, ALICE, "/language es")
    target = await say(fake, ALICE, ALICE, "/target")
    assert "segmento" in texts(target).lower() and not re.search("[а-яА-Я]", texts(target))
