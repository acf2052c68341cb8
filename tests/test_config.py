"""Settings: defaults, the example file, the token from the environment, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    AccessConfig,
    Config,
    ConfigError,
    LimitsConfig,
    load_config,
)

REPO_ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    """Write a config file and return its path."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults() -> None:
    config = load_config(None, env={})
    assert config == Config()
    assert config.storage.path == "segbot.db"
    assert config.limits.max_upload_mb == 20
    assert config.limits.max_upload_bytes == 20 * 1024 * 1024
    assert (config.limits.max_rows, config.limits.max_cells) == (0, 0)  # automatic
    assert (config.segmentation.k_min, config.segmentation.k_max) == (2, 10)


def test_the_example_file_states_the_defaults() -> None:
    assert load_config(REPO_ROOT / "config.example.toml", env={}) == Config()


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[telegram]
token = "123:abc"
base_url = "http://127.0.0.1:8081/bot"
[access]
allowed_user_ids = [1, 2]
[storage]
path = "data/bot.db"
keep_datasets = 3
[limits]
max_upload_mb = 1.5
[segmentation]
k_max = 8
[logging]
level = "debug"
""",
    )
    config = load_config(path, env={})
    assert config.telegram.token == "123:abc"
    assert config.telegram.base_url == "http://127.0.0.1:8081/bot"
    assert config.access.allowed_user_ids == (1, 2)
    assert config.storage.keep_datasets == 3
    assert config.limits.max_upload_bytes == int(1.5 * 1024 * 1024)
    assert config.segmentation.k_max == 8
    assert config.source == str(path)


def test_the_environment_token_wins(tmp_path: Path) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "from-file"\n')
    assert load_config(path, env={"SEGBOT_TOKEN": "from-env"}).telegram.token == "from-env"
    assert load_config(path, env={}).telegram.token == "from-file"
    assert load_config(None, env={"SEGBOT_TOKEN": "x"}).telegram.token == "x"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[telegram]\ntokn = 'x'\n", ["telegram.tokn", "Unknown key"]),
        ("[telegrm]\n", ["[telegrm]", "Unknown section"]),
        ("[limits]\nmax_rows = '10'\n", ["limits.max_rows", "whole number"]),
        ("[limits]\nmax_rows = true\n", ["limits.max_rows"]),
        ("[access]\nallow_everyone = 1\n", ["access.allow_everyone", "true or false"]),
        ("[access]\nallowed_user_ids = ['42']\n", ["access.allowed_user_ids", "list"]),
        ("[access]\nallowed_user_ids = 42\n", ["access.allowed_user_ids"]),
        ("[storage]\npath = 3\n", ["storage.path", "string"]),
        ("[segmentation]\nk_min = 6\nk_max = 4\n", ["segmentation.k_max"]),
        ("[segmentation]\nk_min = 1\n", ["segmentation.k_min"]),
        ("[segmentation]\nk_max = 21\n", ["segmentation.k_max", "at most 20"]),
        ("[limits]\nmax_upload_mb = 0\n", ["limits.max_upload_mb"]),
        ("[logging]\nlevel = 'LOUD'\n", ["logging.level"]),
        ("telegram = 3\n", ["[telegram]", "table"]),
        ("[telegram\n", ["not valid TOML"]),
    ],
)
def test_bad_settings_name_the_key_and_the_file(
    tmp_path: Path, text: str, words: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_serving_needs_a_token_and_an_allow_list(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SEGBOT_TOKEN"):
        load_config(None, env={}).check_can_serve()
    with pytest.raises(ConfigError, match="allow_everyone"):
        load_config(None, env={"SEGBOT_TOKEN": "t"}).check_can_serve()
    open_bot = write(tmp_path, "[access]\nallow_everyone = true\n")
    load_config(open_bot, env={"SEGBOT_TOKEN": "t"}).check_can_serve()
    listed = write(tmp_path, "[access]\nallowed_chat_ids = [-100]\n")
    load_config(listed, env={"SEGBOT_TOKEN": "t"}).check_can_serve()


def test_access_by_user_or_by_chat() -> None:
    access = AccessConfig(allowed_user_ids=(7,), allowed_chat_ids=(-100,))
    assert access.allows(chat_id=5, user_id=7)
    assert access.allows(chat_id=-100, user_id=99)
    assert not access.allows(chat_id=5, user_id=99)
    assert AccessConfig(allow_everyone=True).allows(1, 2)
    assert not AccessConfig().allows(1, 2)


def test_the_largest_k_max_the_config_accepts_is_one_the_engine_fits(tmp_path: Path) -> None:
    from segmentation import SegmentOptions, load_customers, sample_csv, segment_customers

    config = load_config(write(tmp_path, "[segmentation]\nk_max = 20\n"), env={})
    cfg = config.segmentation
    table = load_customers(sample_csv(), "sample.csv")
    seg = segment_customers(table, SegmentOptions(k_min=cfg.k_min, k_max=cfg.k_max))
    assert 2 <= seg.k <= 20


def test_automatic_row_and_cell_limits_follow_the_machines_memory() -> None:
    limits = LimitsConfig()
    assert limits.row_and_cell_limits(16 * 1024**3) == (10_000_000, 100_000_000)
    assert limits.row_and_cell_limits(8 * 1024**3) == (10_000_000, 100_000_000)
    assert limits.row_and_cell_limits(4 * 1024**3) == (1_000_000, 20_000_000)
    assert limits.row_and_cell_limits(0) == (1_000_000, 20_000_000)
    chosen = LimitsConfig(max_rows=500, max_cells=9_000)
    assert chosen.row_and_cell_limits(16 * 1024**3) == (500, 9_000)
    ingest = LimitsConfig(max_rows=500).for_ingest()
    assert ingest.max_rows == 500 and ingest.max_cells in (20_000_000, 100_000_000)


def test_a_row_limit_below_ten_other_than_automatic_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "segbot.toml"
    path.write_text("[limits]\nmax_rows = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="automatic"):
        load_config(path, env={})


def test_the_time_zone_is_checked_and_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[bot]\ntimezone = "Asia/Jakarta"\ncontact = "@mall_it"\n', encoding="utf-8")
    config = load_config(path, env={})
    assert str(config.bot.zone()) == "Asia/Jakarta" and config.bot.contact == "@mall_it"
    path.write_text('[bot]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bot\.timezone"):
        load_config(path, env={})
    assert load_config(None, env={}).bot.zone() is not None
