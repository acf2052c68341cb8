"""`segbot analyze` and `segbot run`: outputs, exit codes, one clear line on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main


def test_analyze_the_sample_prints_findings_and_writes_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--sample", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "sample_mall_customers.csv: 200 rows read, 200 used." in out
    assert "segments: the clearest separation" in out
    assert "Action:" in out and "Target first: segment" in out and "Full ranking" in out
    for name in ("scatter.png", "k.png", "profile.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
        assert str(tmp_path / name) in out
    lines = (tmp_path / "assignments.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("customer_id,segment,persona,")
    assert len(lines) == 201
    assert "<b>" not in out and "&amp;" not in out


def test_analyze_the_mall_file_on_income_and_score(
    tmp_path: Path, datasets_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = datasets_dir / "mall_customers.csv"
    args = ["analyze", str(path), "--features", "income,score", "--out", str(tmp_path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "5 segments: the clearest separation" in out
    assert "— 81 (40%)" in out
    assert main([*args, "--k", "3"]) == 0
    assert "3 segments, as you asked" in capsys.readouterr().out


def test_analyze_reads_opaque_headers_with_the_meanings_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from segmentation.sample import sample_csv

    text = sample_csv().decode().replace("Annual Income (k$)", "AI_k")
    path = tmp_path / "members.csv"
    path.write_text(text.replace("Spending Score (1-100)", "SS_1_100"), encoding="utf-8")
    args = ["analyze", str(path), "--out", str(tmp_path / "out")]
    assert main([*args, "--columns", "AI_k=income,SS_1_100=score,Gone=age"]) == 0
    out = capsys.readouterr().out
    assert "Numbers: Age, AI_k (income, as you said), SS_1_100 (spending score, as you said)" in out
    assert "no such column in this file: Gone (age)" in out
    assert "ss 1 100" not in out
    assert main([*args, "--columns", "Gender=income"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("segbot: You said 'Gender' is income") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze"], "give a FILE to analyse, or --sample"),
        (["analyze", "/no/such/file.csv"], "no such file: /no/such/file.csv"),
        (["analyze", "--sample", "--features", "nope"], "nope"),
        (["analyze", "--sample", "--k", "1"], "k must be"),
        (["analyze", "--sample", "--columns", "AI_k=wage"], "'wage' is not a meaning"),
        (["analyze", "--sample", "--columns", "AI_k"], "cannot read 'AI_k' as header=meaning"),
        (["run"], "SEGBOT_TOKEN"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SEGBOT_TOKEN", raising=False)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("segbot: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_refused_file_and_a_bad_config_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert main(["analyze", str(bad)]) == 2
    assert "segbot: " in capsys.readouterr().err
    config = tmp_path / "config.toml"
    config.write_text("[limits]\nmax_rowz = 5\n", encoding="utf-8")
    assert main(["analyze", "--sample", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "limits.max_rowz" in err and str(config) in err


def test_run_refuses_to_serve_without_an_allow_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGBOT_TOKEN", "123:secret")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "allow_everyone" in err and "123:secret" not in err


def test_the_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    text = tmp_path / "notes.csv"
    text.write_text("just some words\n", encoding="utf-8")
    for args in (["analyze", str(text)], ["analyze", str(tmp_path)], ["analyze", "--k", "x"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.strip()
