"""The docs stay honest: every setting in config.example.toml, every command in the README."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.commands import BY_NAME, COMMAND_TABLE, MENU
from bot.config import section_types
from bot.text import help as help_text

REPO_ROOT = Path(__file__).resolve().parents[1]


def example_sections() -> dict[str, list[str]]:
    """Return section -> its lines in config.example.toml."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in (REPO_ROOT / "config.example.toml").read_text(encoding="utf-8").splitlines():
        header = re.fullmatch(r"\[(\w+)\]", line.strip())
        if header:
            current = header.group(1)
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


SETTINGS = [
    (section, item.name) for section, cls in section_types().items() for item in fields(cls)
]


@pytest.mark.parametrize(("section", "key"), SETTINGS)
def test_every_setting_is_in_the_example_with_a_comment(section: str, key: str) -> None:
    lines = example_sections().get(section)
    assert lines is not None, f"[{section}] missing from config.example.toml"
    found = [i for i, line in enumerate(lines) if re.match(rf"{key}\s*=", line)]
    assert found, f"{section}.{key} missing from config.example.toml"
    above = lines[found[0] - 1] if found[0] else ""
    assert above.lstrip().startswith("#"), f"{section}.{key} has no comment above it"


def test_the_example_has_no_setting_the_code_lacks() -> None:
    known = set(SETTINGS)
    for section, lines in example_sections().items():
        for line in lines:
            key = re.match(r"(\w+)\s*=", line)
            if key:
                assert (section, key.group(1)) in known, f"{section}.{key.group(1)} is unknown"


def readme() -> str:
    """Return the README's text."""
    path = REPO_ROOT / "README.md"
    if not path.is_file():
        pytest.fail("README.md is missing")
    return path.read_text(encoding="utf-8")


def readme_command_table() -> set[str]:
    """The commands the README's table of commands lists (its first column)."""
    names: set[str] = set()
    for line in readme().splitlines():
        if line.startswith("| `/"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`/(\w+)", first_cell))
    return names


def test_the_readme_menu_help_and_telegram_menu_list_exactly_the_command_table() -> None:
    table = {entry.name for entry in COMMAND_TABLE if entry.menu}
    assert {name for name, _ in MENU} == table
    listed_in_help = set(re.findall(r"^/(\w+) — ", help_text.help_text(MENU), re.M))
    assert listed_in_help == table
    assert readme_command_table() == table


@pytest.mark.parametrize("command", [entry.name for entry in COMMAND_TABLE if entry.menu])
def test_every_bot_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"/{command}\b", readme()), f"/{command} is not in README.md"


def test_every_intent_leads_to_a_command_of_the_table() -> None:
    from bot.intents import intent_targets

    assert intent_targets() <= set(BY_NAME)


def subcommands() -> list[str]:
    """Return the names of the segbot subcommands."""
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    raise AssertionError("segbot has no subcommands")


@pytest.mark.parametrize("sub", subcommands())
def test_every_cli_subcommand_is_in_the_readme(sub: str) -> None:
    assert f"segbot {sub}" in readme(), f"`segbot {sub}` is not in README.md"


def readme_commands() -> list[str]:
    """Return the shell commands of the README's ``sh`` blocks, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", readme(), flags=re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_opens_with_the_demo_then_the_test_command() -> None:
    first, second = readme_commands()[:2]
    assert first.startswith("python3 -m venv .venv && ") and first.endswith("segbot chat --sample")
    assert second.startswith("python3 -m venv .venv && ") and second.endswith("pytest -q")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
