"""The deployment kits say what the README says: read as text, since Docker is not everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def instructions(path: Path) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (KEYWORD, argument), continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_image_runs_segbot_as_a_non_root_user_with_data_on_a_volume() -> None:
    steps = instructions(ROOT / "Dockerfile")
    keywords = [k for k, _ in steps]
    assert keywords[0] == "FROM" and "slim" in steps[0][1]
    user = [arg for k, arg in steps if k == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert json.loads(dict(steps)["VOLUME"]) == ["/data"]
    assert json.loads(dict(steps)["ENTRYPOINT"]) == ["segbot"]
    command = json.loads(dict(steps)["CMD"])
    assert command[0] == "run" and command[-1].startswith("/data/")
    assert "HEALTHCHECK" in keywords
    run = " ".join(arg for k, arg in steps if k == "RUN")
    assert "pip install ." in run and "findfont" in run  # font cache built at build time
    assert "useradd" in run and user[-1] in run
    # The user switch comes after everything that needs root.
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k == "RUN")


def test_the_image_leaves_local_files_and_secrets_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for pattern in (".venv", ".git", "*.db", "*.db-wal"):
        assert pattern in ignored


def test_compose_keeps_the_database_on_a_named_volume_and_the_token_in_a_file() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert re.search(r"^\s+- segbot-data:/data$", text, re.M)
    assert re.search(r"^\s+env_file: segbot\.env$", text, re.M)
    assert "SEGBOT_TOKEN=" not in text.replace("SEGBOT_TOKEN=...", "")


def test_the_systemd_unit_waits_for_the_network_and_keeps_the_token_out_of_the_unit() -> None:
    unit = (ROOT / "deploy" / "segbot.service").read_text(encoding="utf-8")
    settings = [line for line in unit.splitlines() if line and not line.startswith("#")]
    assert "Wants=network-online.target" in settings
    assert "After=network-online.target" in settings
    assert "EnvironmentFile=/etc/segbot/segbot.env" in settings
    assert not any(line.startswith("Environment=") for line in settings)
    assert "User=segbot" in settings
    assert "useradd" in unit and "-m 600" in unit
    assert any(line.startswith("ExecStart=") and " run " in line for line in settings)
    assert "RestartPreventExitStatus=2" in settings
