"""`segbot chat`: a scripted session through the console adapter."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.config import BotConfig, Config, StorageConfig
from bot.console import run_console


async def session(
    tmp_path: Path, script: str, default_language: str = "en", **kwargs: object
) -> str:
    """Run a console session on a scripted input and return what it printed."""
    config = Config(
        storage=StorageConfig(path=str(tmp_path / "chat.db")),
        bot=BotConfig(default_language=default_language),
    )
    stdout = io.StringIO()
    status = await run_console(
        config,
        stdin=io.StringIO(script),
        stdout=stdout,
        out_dir=tmp_path / "out",
        **kwargs,  # type: ignore[arg-type]
    )
    assert status == 0
    return stdout.getvalue()


async def test_a_scripted_session_on_the_sample(tmp_path: Path) -> None:
    lines = ["2", "1", "2", "who is 42", "/whois 4x2", "/use 1", "3", "2", "/forget", "1", ""]
    script = "\n".join(lines)
    out = await session(tmp_path, script, sample="members")
    assert "… Read 200 rows. Done in" in out
    assert "sample_mall_customers.csv: 200 rows read, 200 used." in out
    assert "Choose: [1] Segments  [2] Target  [3] Plots  [4] Export" in out
    assert "Target first: segment" in out
    # [1] Segments, then [2] picks segment 2 from the numbered segment buttons.
    assert "> 1\n" in out and "Segment 2: " in out
    assert "Customer 42: segment" in out
    assert "Close ids: 42" in out
    assert "Choose: [1] Scatter  [2] k chart  [3] Profile" in out
    pictures = sorted((tmp_path / "out").glob("*.png"))
    # /use 1 on the upload in use says so (with the buttons) instead of redrawing it
    assert "Upload #1 (sample_mall_customers.csv) is already the one in use." in out
    assert [p.name for p in pictures] == ["01-segments.png", "02-k.png"]
    assert f"[picture] {tmp_path / 'out' / '02-k.png'}" in out
    assert "<b>" not in out and "&amp;" not in out
    assert "everything this chat stored is deleted" in out


async def test_upload_command_and_quit(tmp_path: Path, mall_bytes: bytes) -> None:
    data = tmp_path / "mall & co.csv"
    data.write_bytes(mall_bytes)
    script = f'/upload "{data}"\n/upload\n/upload /no/such/file.csv\n/export\n/quit\n/segments\n'
    out = await session(tmp_path, script)
    assert "mall & co.csv: 200 rows read, 200 used." in out
    assert "Usage: /upload PATH" in out
    assert "No such file: /no/such/file.csv" in out
    assert "[file] " in out
    assert len(list((tmp_path / "out").glob("02-segments-mall-co-????-??.csv"))) == 1
    assert "> /segments" not in out


async def test_a_data_file_is_uploaded_at_start(tmp_path: Path, mall_bytes: bytes) -> None:
    data = tmp_path / "mall.csv"
    data.write_bytes(mall_bytes)
    out = await session(tmp_path, "how many segments?\n", data_file=data)
    assert "mall.csv: 200 rows read" in out
    assert "> how many segments?" in out and "segments: the clearest separation" in out


def test_segbot_chat_runs_from_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "cli.db"}"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--sample", "--config", str(config),
         "--out", str(tmp_path / "out")],
        input="/target\n", capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Target first: segment" in done.stdout
    assert "Traceback" not in done.stderr
    assert (tmp_path / "cli.db").is_file()
