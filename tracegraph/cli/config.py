"""The CLI's config file, `$XDG_CONFIG_HOME/tracegraph/config.json` (default `~/.config/...`): defaults for
`--host`, `--org` and `--api-token` below flags and TRACEGRAPH_* variables. `serve --demo` writes it so the
tutorial works without extra steps. The file is created readable by its owner only: it may hold a token.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

KEYS = ("host", "org", "api_token")


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tracegraph" / "config.json"


def load_config() -> dict[str, str]:
    try:
        loaded: Any = json.loads(config_path().read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {key: str(loaded[key]) for key in KEYS if isinstance(loaded.get(key), str)}


def save_config(**values: str) -> Path:
    """Merge `values` into the config; when it pointed at another server, the old file is kept as `.bak`."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = load_config()
    if previous.get("host") not in (None, values.get("host")):
        path.replace(path.with_suffix(".json.bak"))
    merged = {**load_config(), **values}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        json.dump(merged, stream, indent=2)
    os.chmod(path, 0o600)
    return path
