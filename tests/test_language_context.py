"""The chat's language reaches every place an answer is worded: work that finishes later, a
fit process, a workbook read in a child process, the console before its first line; and what
the bot's own modules word (buttons, captions) fits Telegram in every language."""

from __future__ import annotations

import ast
import asyncio
import string
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fake_bot_api import FakeBotApi
from test_console import session
from test_telegram import (
    ALICE,
    BOB,
    GatedConversation,
    _english_left,
    has_photo,
    make_config,
    replies,
    running,
    say,
    texts,
    upload,
)

from bot.commands import BY_NAME
from bot.i18n import LANGUAGES, _, current_language, language
from bot.isolation import run_in_child
from bot.telegram_app import build_application
from bot.text import access as access_text
from bot.text import answers as answers_text
from bot.text import console as console_text
from bot.text import export as export_text
from bot.text import report as report_text
from bot.text import upload as upload_text
from bot.text.format import CAPTION_LIMIT, plain_text
from bot.uploads import main_buttons
from bot.workers import Workers
from segmentation import sample_csv

ROOT = Path(__file__).resolve().parent.parent
#: A button label longer than this wraps or is cut on a phone.
LABEL_LIMIT = 30


def in_language(lang: str, render: object) -> str:
    """``render()`` as a plain text in ``lang``."""
    assert callable(render)
    with language(lang):
        return plain_text(render())


# --- work that is answered later ----------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API; after the test, no call may have been refused."""
    async with FakeBotApi() as server:
        yield server
        assert [f"{c.method}: {c.description}" for c in server.errors] == []


async def test_an_upload_answered_after_other_chats_spoke_is_in_its_chat_s_language(
    fake: FakeBotApi, db_path: Path
) -> None:
    GatedConversation.gate = asyncio.Event()
    fake.user_languages[ALICE] = "ru"  # Alice's app speaks Russian; Bob's none segbot knows
    app = build_application(make_config(fake, db_path), conversation_factory=GatedConversation)
    async with running(app):
        await say(fake, BOB, BOB, "/language es")
        mark = fake.mark()
        fake.user_uploads(ALICE, ALICE, sample_csv(), "members.csv")
        await asyncio.sleep(0.3)
        # Meanwhile other updates are answered, each in its own chat's language ...
        bob = await say(fake, BOB, BOB, "/segments")
        assert bob[-1].text == in_language("es", upload_text.no_data)
        busy = await say(fake, ALICE, ALICE, "/segments")
        said = in_language("ru", lambda: upload_text.still_working("members.csv", 0))
        assert busy[-1].text.startswith(said.split("members.csv")[0]), busy[-1].text
        # ... and the upload, answered after them, is still in Alice's.
        GatedConversation.gate.set()
        answer = await replies(fake, ALICE, mark, has_photo, timeout=60)
    overview = answer[-1]
    with language("ru"):
        buttons = [button.label for row in main_buttons() for button in row]
    assert overview.labels[: len(buttons)] == buttons
    assert "сегмент" in overview.text
    assert not _english_left(texts(answer)), _english_left(texts(answer))


async def test_a_switch_after_a_change_of_language_shows_its_chart_in_the_new_one(
    fake: FakeBotApi, db_path: Path
) -> None:
    async with running(build_application(make_config(fake, db_path))):
        await upload(fake, ALICE, ALICE, sample_csv(), "members.csv")
        await say(fake, ALICE, ALICE, "/language pt")
        await upload(fake, ALICE, ALICE, sample_csv(150), "fewer.csv")
        await say(fake, ALICE, ALICE, "/language ru")
        # Upload 1's chart was drawn in English: the overview draws one in Russian.
        switched = await say(fake, ALICE, ALICE, "/use 1", has_photo)
    overview = switched[-1]
    assert overview.kind == "photo" and "сегмент" in overview.text
    with language("ru"):
        assert overview.labels[0] == main_buttons()[0][0].label


async def test_a_fit_process_words_its_texts_in_the_chat_s_language(db_path: Path) -> None:
    workers = Workers(db_path, fit_processes=1)
    await workers.start()
    try:
        for lang in ("ru", "es", "en"):  # the same process, one chat after another
            with language(lang):
                assert await workers.fit(current_language) == lang
                assert await workers.fit(upload_text.queued) == upload_text.queued()
        assert current_language() == "en"
    finally:
        await workers.close()


def test_a_workbook_reader_s_child_process_speaks_the_caller_s_language() -> None:
    with language("pt_BR"):
        spoken = run_in_child(current_language, wall_seconds=60, memory_bytes=2**31)
        said = run_in_child(upload_text.queued, wall_seconds=60, memory_bytes=2**31)
        assert said == upload_text.queued()
    assert spoken == "pt_BR"


async def console(tmp_path: Path, script: str, **kwargs: object) -> str:
    """A console session on ``script`` in Russian; what it printed."""
    return await session(tmp_path, script, "ru", **kwargs)


async def test_the_console_greets_and_reads_its_first_file_in_the_chat_s_language(
    tmp_path: Path,
) -> None:
    out = await console(tmp_path, "", sample="members")
    assert out.startswith(in_language("ru", console_text.console_intro))
    sample = "sample_mall_customers.csv"
    assert in_language("ru", lambda: console_text.console_sending_sample(sample)) in out
    with language("ru"):
        assert _("[picture] {path}", path=tmp_path / "out" / "01-segments.png") in out
        assert plain_text(upload_text.progress_reading(sample, len(sample_csv()))) in out
    # A language chosen in the chat outlasts the session.
    await console(tmp_path, "/language es\n")
    again = await console(tmp_path, "")
    assert again.startswith(in_language("es", console_text.console_intro))


# --- what the bot's modules word fits Telegram ----------------------------------------------------


def _worded(node: ast.AST) -> list[str]:
    """The msgids of the ``_("…")`` calls inside ``node``."""
    return [
        str(part.args[0].value)
        for part in ast.walk(node)
        if isinstance(part, ast.Call)
        and getattr(part.func, "id", "") == "_"
        and part.args
        and isinstance(part.args[0], ast.Constant)
    ]


def _button_labels() -> list[tuple[str, str, str]]:
    """(module, what goes before it, msgid) of every inline button label the bot's modules
    word themselves: in the ``Button(…)`` call (``"⬇️ " + _(…)``), or in the name it is given
    (``label = _(…)`` in the same function)."""
    found = []
    for path in sorted((ROOT / "bot").glob("*.py")):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            named = {
                target.id: _worded(node.value)
                for node in ast.walk(function)
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Button":
                    label = node.args[0]
                    worded = named.get(label.id, []) if isinstance(label, ast.Name) else []
                    before = ""
                    if isinstance(label, ast.BinOp) and isinstance(label.left, ast.Constant):
                        before = str(label.left.value)
                    found += [(path.name, before, m) for m in _worded(label) + worded]
    return sorted(set(found))


def test_the_bot_words_its_buttons() -> None:
    labels = {msgid for _, _, msgid in _button_labels()}
    assert {
        "Try it with sample data",
        "Yes, delete everything",
        "Segments",
        "Export segment {number} (top target)",
    } <= labels


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_button_label_fits_a_phone_in_every_language(lang: str) -> None:
    longest_command = max(BY_NAME, key=len)
    values = {"number": "10", "command": longest_command}
    with language(lang):
        for module, before, msgid in _button_labels():
            fields = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
            label = before + (_(msgid, **{f: values[f] for f in fields}) if fields else _(msgid))
            assert len(label) <= LABEL_LIMIT, (module, label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_document_captions_fit_telegram_in_every_language_even_zipped(lang: str) -> None:
    name = "a-very-long-file-name-" * 12 + ".csv"
    with language(lang):
        captions = [
            export_text.export_caption(1_000_000),
            export_text.xlsx_caption(1_000_000, 10),
            export_text.segment_caption(1_000_000, 10, name, ["email", "phone"]),
            export_text.segment_caption(1_000_000, 10, name, []),
            export_text.moved_caption(1_000_000),
            report_text.report_caption(name, 99),
            answers_text.top_caption(100, "x" * 40),
        ]
        zipped = "\n" + export_text.zipped_note()  # how bot.replies.document adds it
        notices = [access_text.press_foreign(), access_text.press_stale()]
    for caption in captions:
        assert len(caption + zipped) <= CAPTION_LIMIT, caption
    for toast in notices:  # answerCallbackQuery takes at most 200 characters
        assert len(toast) <= 200, toast
