from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tracegraph.cli.config import config_path, load_config, save_config
from tracegraph.cli.context import Output
from tracegraph.cli.main import resolve_options

SAVED = {"host": "http://127.0.0.1:8000", "org": "cyber-dojo", "api_token": "tg_saved"}


def test_flags_beat_the_config_and_its_token_stays_with_its_server() -> None:
    same = resolve_options(SAVED, host=None, org=None, api_token=None, output=Output.TABLE)
    assert (same.host, same.org, same.api_token) == ("http://127.0.0.1:8000", "cyber-dojo", "tg_saved")
    elsewhere = resolve_options(
        SAVED, host="https://tracegraph.example", org="acme", api_token=None, output=Output.JSON
    )
    assert (elsewhere.host, elsewhere.org, elsewhere.api_token) == ("https://tracegraph.example", "acme", None)
    explicit = resolve_options(SAVED, host="https://tracegraph.example", org=None, api_token="tg_x", output=Output.JSON)
    assert explicit.api_token == "tg_x"


def test_config_is_private_and_kept_when_pointing_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    save_config(**SAVED)
    assert stat.S_IMODE(config_path().stat().st_mode) == 0o600
    save_config(host="http://127.0.0.1:8000", api_token="tg_new")
    assert load_config() == {**SAVED, "api_token": "tg_new"}
    save_config(host="http://127.0.0.1:9000", org="demo", api_token="tg_demo")
    assert load_config() == {"host": "http://127.0.0.1:9000", "org": "demo", "api_token": "tg_demo"}
    backup = json.loads(config_path().with_suffix(".json.bak").read_text())
    assert backup == {**SAVED, "api_token": "tg_new"}
