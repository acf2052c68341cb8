"""The fake Bot API answers like Telegram: a plain python-telegram-bot ``Bot`` talks to it."""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator

import pytest
from fake_bot_api import TOKEN, FakeBotApi, check_photo, parse_html
from PIL import Image
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter
from telegram.ext import Defaults, ExtBot

CHAT = 4242


def png(width: int = 40, height: int = 30) -> bytes:
    """A small valid PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """A running fake server."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    """A bot pointed at the fake server, sending HTML like segbot does."""
    async with ExtBot(
        TOKEN,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        defaults=Defaults(parse_mode="HTML"),
    ) as client:
        yield client


async def test_get_me_names_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == "segbot_test_bot"
    assert me.is_bot


async def test_wrong_token_is_unauthorized(fake: FakeBotApi) -> None:
    from telegram.error import InvalidToken

    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=fake.base_url):
            pass


async def test_send_message_is_recorded_with_buttons(fake: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Segments", callback_data="segments")]])
    sent = await bot.send_message(CHAT, "<b>5</b> segments &amp; more", reply_markup=markup)
    (message,) = fake.sent_to(CHAT)
    assert message.message_id == sent.message_id
    assert message.text == "5 segments & more"
    assert message.buttons == [[("Segments", "segments")]]
    assert fake.errors == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x" * 4097, "too long"),
        ("", "non-empty"),
        ("   ", "non-empty"),
        ("<b>open", "end tag"),
        ("<blink>hi</blink>", "unsupported start tag"),
        ("a < b", "unsupported start tag"),
        ("fish & chips", "bare '&'"),
        ("<b>x</i>", "start tag for end tag"),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(
    fake: FakeBotApi, text: str, reason: str
) -> None:
    # A plain Bot: with Defaults, python-telegram-bot sends an empty text as "[]".
    async with Bot(TOKEN, base_url=fake.base_url) as plain:
        with pytest.raises(BadRequest, match=rf"(?i){re.escape(reason)}"):
            await plain.send_message(CHAT, text, parse_mode="HTML")
    assert [call.status for call in fake.errors] == [400]


async def test_text_must_be_sent_as_html(fake: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=fake.base_url) as plain:
        with pytest.raises(BadRequest, match="parse_mode"):
            await plain.send_message(CHAT, "<b>raw tags</b>")


def test_length_is_counted_after_entity_parsing() -> None:
    assert len(parse_html("<b>" + "&lt;" * 4096 + "</b>")) == 4096
    assert parse_html('<a href="https://x">link</a> <span class="tg-spoiler">s</span>') == "link s"
    assert parse_html("&#8364; &#x20AC; &quot;") == '€ € "'


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "hi", reply_markup=markup)


async def test_photo_must_be_a_valid_png_or_jpeg(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_photo(CHAT, png(), caption="<i>plot</i>", filename="plot.png")
    (message,) = fake.sent_to(CHAT)
    assert (message.kind, message.width, message.height, message.text) == ("photo", 40, 30, "plot")
    with pytest.raises(BadRequest, match=r"(?i)not a PNG"):
        await bot.send_photo(CHAT, b"GIF89a....", filename="x.gif")
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, png()[:60], filename="cut.png")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(CHAT, png(), caption="c" * 1025)


def test_photo_dimension_rules() -> None:
    with pytest.raises(Exception, match=r"(?i)PHOTO_INVALID_DIMENSIONS"):
        check_photo(png(6000, 4001))
    with pytest.raises(Exception, match=r"(?i)PHOTO_INVALID_DIMENSIONS"):
        check_photo(png(2100, 100))
    assert check_photo(png(1600, 900)) == (1600, 900)


async def test_document_is_recorded_with_its_bytes(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_document(CHAT, b"customer_id,segment\n1,2\n", filename="segments.csv")
    (message,) = fake.sent_to(CHAT)
    assert (message.kind, message.filename, message.file) == (
        "document",
        "segments.csv",
        b"customer_id,segment\n1,2\n",
    )


async def test_edit_replaces_text_and_refuses_no_change(fake: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Reading…")
    await bot.edit_message_text("Done.", chat_id=CHAT, message_id=sent.message_id)
    (message,) = fake.sent_to(CHAT)
    assert (message.text, message.edits) == ("Done.", ["Done."])
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Done.", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)


async def test_updates_are_served_once_confirmed(fake: FakeBotApi, bot: Bot) -> None:
    fake.user_says(CHAT, 7, "/whois@segbot_test_bot 42")
    fake.user_uploads(CHAT, 7, b"a,b\n1,2\n", "c.csv")
    first = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == [1, 2]
    assert first[0].message is not None
    assert first[0].message.text == "/whois@segbot_test_bot 42"
    assert first[0].message.entities[0].length == len("/whois@segbot_test_bot")
    assert await bot.get_updates(offset=3, timeout=0) == ()


async def test_long_poll_returns_when_an_update_arrives(fake: FakeBotApi, bot: Bot) -> None:
    import asyncio

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    fake.user_says(CHAT, 7, "hello")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0].message is not None
    assert updates[0].message.text == "hello"


async def test_files_are_fetched_and_downloads_recorded(fake: FakeBotApi, bot: Bot) -> None:
    file_id = fake.user_uploads(CHAT, 7, b"id,x\n1,2\n", "weird name é.csv")
    file = await bot.get_file(file_id)
    assert file.file_size == 9
    assert bytes(await file.download_as_bytearray()) == b"id,x\n1,2\n"
    assert fake.downloads == [file_id]


async def test_big_files_cannot_be_fetched(fake: FakeBotApi, bot: Bot) -> None:
    fake.max_download_bytes = 10
    file_id = fake.user_uploads(CHAT, 7, b"x" * 11, "big.csv")
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(file_id)
    assert fake.downloads == []


async def test_set_my_commands_is_checked(fake: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("whois", "Who is a customer")])
    (call,) = fake.calls_of("setMyCommands")
    assert json.loads(call.params["commands"]) == [
        {"command": "whois", "description": "Who is a customer"}
    ]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Who-Is", "bad name")])


async def test_callback_queries_are_answered_once(fake: FakeBotApi, bot: Bot) -> None:
    query_id = fake.user_presses_data(CHAT, 7, "segments")
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_chat_actions_are_checked(fake: FakeBotApi, bot: Bot) -> None:
    await bot.send_chat_action(CHAT, "upload_photo")
    with pytest.raises(BadRequest):
        await bot.send_chat_action(CHAT, "dancing")


async def test_fault_injection_flood_wait(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "hi")
    await bot.send_message(CHAT, "hi")
    assert fake.texts_to(CHAT) == ["hi"]
    assert fake.errors == []
