"""``segbot run`` as a service: start-up troubles, webhooks, stop signals, backups, owners.

The bot runs as a real process (``python -m bot.cli run``) against the fake Bot API, and
everything it prints is read back: no traceback, no token, one line per trouble.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fake_bot_api import TOKEN, FakeBotApi
from storage_factories import make_customers, make_dataset, make_run, numbered_ids

from bot.config import AccessConfig, Config, StorageConfig
from bot.conversation import Conversation
from bot.replies import Reply, Text
from bot.workers import Workers
from segmentation import sample_csv
from storage import CustomerStore, StoreError, backup_database

ALICE = 111
BOB = 222
REPO_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(fake: FakeBotApi, tmp_path: Path, extra: str = "") -> Path:
    """A config file pointing at the fake Bot API and a database in ``tmp_path``."""
    path = tmp_path / "config.toml"
    path.write_text(
        "[telegram]\n"
        f'base_url = "{fake.base_url}"\n'
        f'base_file_url = "{fake.base_file_url}"\n'
        "poll_timeout = 1\n"
        f"{extra}"
        "[access]\n"
        f"allowed_user_ids = [{ALICE}]\n"
        "[storage]\n"
        f'path = "{tmp_path / "segbot.db"}"\n'
        "[logging]\n"
        'level = "DEBUG"\n',
        encoding="utf-8",
    )
    return path


class Served:
    """A running ``segbot`` process; its output is read as it comes (a full pipe would block
    the process) and kept once it ended."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.stdout = ""
        self.stderr = ""
        assert process.stdout is not None and process.stderr is not None
        self._readers = [
            asyncio.create_task(process.stdout.read()),
            asyncio.create_task(process.stderr.read()),
        ]

    async def stop(self, timeout: float = 30) -> float:
        """Send SIGTERM, wait for the exit and return how long it took."""
        started = time.monotonic()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        await self.finish(timeout)
        return time.monotonic() - started

    async def finish(self, timeout: float = 30) -> int:
        """Wait for the process to end by itself; keep its output."""
        await asyncio.wait_for(self.process.wait(), timeout)
        out, err = await asyncio.gather(*self._readers)
        self.stdout, self.stderr = out.decode(), err.decode()
        assert self.process.returncode is not None
        return self.process.returncode

    def check_clean(self, token: str = TOKEN) -> None:
        """No traceback and no trace of the token anywhere in the output."""
        output = self.stdout + self.stderr
        assert "Traceback" not in output, output[-3000:]
        for secret in (token, token.split(":")[1]):
            assert secret not in output


@asynccontextmanager
async def segbot(*args: str, token: str = TOKEN) -> AsyncIterator[Served]:
    """Run ``segbot ARGS`` with ``SEGBOT_TOKEN`` set; kill it if the test left it running."""
    env = {**os.environ, "SEGBOT_TOKEN": token}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env,
        cwd=str(REPO_ROOT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    served = Served(process)
    try:
        yield served
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await asyncio.gather(*served._readers)


async def test_a_rejected_token_is_one_line_with_status_2_and_never_shown(
    tmp_path: Path,
) -> None:
    wrong = "123456:WRONG-token-nobody-issued"
    async with FakeBotApi() as fake:
        config = write_config(fake, tmp_path)
        async with segbot("run", "--config", str(config), token=wrong) as served:
            assert await served.finish() == 2
    served.check_clean(wrong)
    lines = served.stderr.strip().splitlines()
    message = [line for line in lines if line.startswith("segbot:")]
    assert len(message) == 1, served.stderr
    assert "rejected the bot token" in message[0] and "SEGBOT_TOKEN" in message[0]
    assert served.stdout == ""


async def test_no_network_at_start_then_the_bot_starts_without_a_restart(
    tmp_path: Path,
) -> None:
    async with FakeBotApi() as fake:
        for _ in range(3):
            fake.drop_next("getMe")
        async with segbot("run", "--config", str(write_config(fake, tmp_path))) as served:
            await fake.wait_for(lambda: fake.calls_of("setMyCommands"), 60, what="start-up")
            mark = fake.mark()
            fake.user_says(ALICE, ALICE, "/help")
            await fake.wait_for(lambda: fake.since(mark, ALICE), 20, what="an answer")
            assert await served.stop() < 10
    assert served.process.returncode == 0
    served.check_clean()
    assert len(fake.calls_of("getMe")) >= 4
    assert served.stderr.count("cannot reach Telegram") == 1, served.stderr


async def test_another_poller_is_one_line_a_minute(tmp_path: Path) -> None:
    async with FakeBotApi() as fake:
        for _ in range(3):
            fake.fail_next(
                "getUpdates",
                409,
                retry_after=None,
                description="Conflict: terminated by other getUpdates request; make sure "
                "that only one bot instance is running",
            )
        async with segbot("run", "--config", str(write_config(fake, tmp_path))) as served:
            await fake.wait_for(
                lambda: sum(c.status == 409 for c in fake.calls_of("getUpdates")) == 3,
                60,
                what="three conflicts",
            )
            mark = fake.mark()
            fake.user_says(ALICE, ALICE, "/help")
            await fake.wait_for(lambda: fake.since(mark, ALICE), 30, what="polling again")
            await served.stop()
    served.check_clean()
    assert served.stderr.count("another copy of this bot is polling") == 1, served.stderr


async def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    port = free_port()
    secret = "s3cret_token-for-tests"
    extra = (
        'webhook_url = "https://bot.example.org/segbot/hook"\n'
        f"port = {port}\n"
        f'secret_token = "{secret}"\n'
    )
    async with FakeBotApi() as fake:
        config = write_config(fake, tmp_path, extra)
        async with segbot("run", "--webhook", "--config", str(config)) as served:
            await fake.wait_for(lambda: fake.calls_of("setWebhook"), 60, what="start-up")
            hook = fake.calls_of("setWebhook")[-1]
            assert hook.params["url"] == "https://bot.example.org/segbot/hook"
            assert hook.params["secret_token"] == secret
            assert not fake.calls_of("getUpdates")
            url = f"http://127.0.0.1:{port}/segbot/hook"
            async with httpx.AsyncClient() as client:
                for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                    update = fake.text_update(ALICE, ALICE, "/help")
                    refused = await client.post(url, json=update, headers=headers)
                    assert refused.status_code == 403
                await asyncio.sleep(0.3)
                assert fake.sent_to(ALICE) == []
                update = fake.text_update(ALICE, ALICE, "/help")
                accepted = await client.post(
                    url,
                    content=json.dumps(update),
                    headers={
                        "X-Telegram-Bot-Api-Secret-Token": secret,
                        "Content-Type": "application/json",
                    },
                )
                assert accepted.status_code == 200
            await fake.wait_for(lambda: fake.sent_to(ALICE), 20, what="the answer")
            assert "/segments" in fake.sent_to(ALICE)[0].text
            assert await served.stop() < 10
    served.check_clean()
    assert served.process.returncode == 0


async def test_webhook_without_a_url_is_a_clear_config_error(tmp_path: Path) -> None:
    async with FakeBotApi() as fake:
        config = write_config(fake, tmp_path)
        async with segbot("run", "--webhook", "--config", str(config)) as served:
            assert await served.finish() == 2
    assert "webhook_url" in served.stderr
    served.check_clean()


async def test_sigterm_during_an_upload_exits_within_ten_seconds_and_keeps_the_data(
    tmp_path: Path,
) -> None:
    big = sample_csv(300_000, seed=5)
    async with (
        FakeBotApi() as fake,
        segbot("run", "--config", str(write_config(fake, tmp_path))) as served,
    ):
        await fake.wait_for(lambda: fake.calls_of("setMyCommands"), 60, what="start-up")
        mark = fake.mark()
        fake.user_uploads(ALICE, ALICE, sample_csv(), "first.csv")
        await fake.wait_for(lambda: any(m.kind == "photo" for m in fake.since(mark, ALICE)), 60)
        fake.user_uploads(ALICE, ALICE, big, "second.csv")
        await fake.wait_for(lambda: fake.downloads and len(fake.downloads) == 2, 30)
        took = await served.stop()
    assert took < 10
    assert served.process.returncode == 0
    served.check_clean()
    db = tmp_path / "segbot.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with CustomerStore(db) as store:
        active = store.active_dataset(ALICE)
    assert active is not None and active.filename in ("first.csv", "second.csv")


def test_backup_of_a_database_being_written_holds_every_committed_upload(
    tmp_path: Path,
) -> None:
    db = tmp_path / "segbot.db"
    customers = make_customers(numbered_ids(2000))
    committed: list[int] = []
    stop = threading.Event()

    def writer() -> None:
        with CustomerStore(db, keep_datasets=100) as store:
            for i in range(200):
                if stop.is_set():
                    return
                store.save_upload(7, make_dataset(customers, f"u{i}"), make_run(customers))
                committed.append(i)

    with CustomerStore(db):
        pass
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 3:
            time.sleep(0.01)
        before = len(committed)
        report = backup_database(db, tmp_path / "backup.db")
    finally:
        stop.set()
        thread.join()
    assert report.uploads >= before
    with sqlite3.connect(report.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = conn.execute("SELECT count(*) FROM datasets").fetchone()[0]
    assert saved == report.uploads
    assert not (tmp_path / "backup.db.partial").exists()


def test_backup_refuses_a_missing_database_and_writing_over_itself(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        backup_database(tmp_path / "nope.db", tmp_path / "b.db")
    db = tmp_path / "segbot.db"
    with CustomerStore(db):
        pass
    with pytest.raises(StoreError, match="another file"):
        backup_database(db, db)


async def test_segbot_backup_command_writes_a_checked_copy(tmp_path: Path) -> None:
    db = tmp_path / "segbot.db"
    customers = make_customers(numbered_ids(50))
    with CustomerStore(db) as store:
        store.save_upload(7, make_dataset(customers, "a"), make_run(customers))
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\npath = "{db}"\n', encoding="utf-8")
    async with segbot("backup", str(tmp_path), "--config", str(config)) as served:
        assert await served.finish() == 0
    assert re.search(r"Backed up 1 uploads to .*segbot-backup\.db", served.stdout)
    assert (tmp_path / "segbot-backup.db").is_file()


def first_text(replies: list[Reply]) -> str:
    """The HTML of the first text reply."""
    return next(r.html for r in replies if isinstance(r, Text))


async def test_only_owners_change_settings_or_delete_but_everyone_allowed_reads(
    db_path: Path,
) -> None:
    config = Config(
        access=AccessConfig(allowed_chat_ids=(-5,), admin_user_ids=(ALICE,)),
        storage=StorageConfig(path=str(db_path)),
    )
    workers = Workers.from_config(config)
    await workers.start()
    try:
        conv = Conversation(config, workers)

        async def fetch() -> bytes:
            return sample_csv()

        await conv.on_document(-5, BOB, "members.csv", None, fetch)
        assert await workers.read(lambda s: s.active_dataset(-5)) is not None
        for command in ("/forget", "/k 3", "/features age,income", "/use 1"):
            answer = await conv.on_text(-5, BOB, command)
            assert "Only the bot's owners" in first_text(answer), command
        pressed = await conv.on_button(-5, BOB, "forget:yes")
        assert "Only the bot's owners" in first_text(pressed)
        assert await workers.read(lambda s: s.active_dataset(-5)) is not None
        for command in ("/segments", "/k", "/whois 1"):
            answer = await conv.on_text(-5, BOB, command)
            assert "Only the bot's owners" not in first_text(answer)
        changed = await conv.on_text(-5, ALICE, "/k 3")
        assert "Only the bot's owners" not in first_text(changed)
    finally:
        await workers.close()


async def test_sigterm_while_a_workbook_is_being_read_exits_within_ten_seconds(
    tmp_path: Path,
) -> None:
    from test_hostile import raw_workbook

    slow = raw_workbook(300_000)  # about 11 s for the reader here
    async with (
        FakeBotApi() as fake,
        segbot("run", "--config", str(write_config(fake, tmp_path))) as served,
    ):
        await fake.wait_for(lambda: fake.calls_of("setMyCommands"), 60, what="start-up")
        fake.user_uploads(ALICE, ALICE, slow, "big.xlsx")
        await fake.wait_for(lambda: fake.downloads, 30, what="the download")
        await asyncio.sleep(1.0)
        took = await served.stop()
    assert took < 10
    assert served.process.returncode == 0
    served.check_clean()
    assert "abandoned" in served.stderr
