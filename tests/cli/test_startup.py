"""Client commands import neither the server stack nor each other's heavy dependencies (start-up time is measured in
bench/cli_startup.py, not here); the lazy group's one-line help matches each command's own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from tracegraph import __version__
from tracegraph.cli.lazy import load
from tracegraph.cli.main import Commands, app

SERVER_STACK = ("strawberry", "uvicorn", "neo4j", "starlette", "tracegraph.app", "tracegraph.graph.store")
# Each run as a real call would, then the modules it loaded are listed.
PROBE = """
import json, sys
from tracegraph.cli.main import app
try:
    app(sys.argv[1:], prog_name="tracegraph")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["log", "env", "--help"],
        ["get", "snapshot", "--help"],
        ["report", "snapshot", "--help"],
        ["--host", "http://127.0.0.1:9", "--org", "o", "log", "env", "prod"],
        ["--host", "http://127.0.0.1:9", "--org", "o", "get", "environment", "prod"],
    ],
)
def test_client_commands_do_not_import_the_server_stack(args: list[str]) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=60)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = [name for name in loaded if name.split(".")[0] in SERVER_STACK or name in SERVER_STACK]
    assert heavy == []
    assert "tracegraph.cli.admin" not in loaded
    assert "tracegraph.cli.serve" not in loaded


def test_top_level_help_lists_each_command_with_its_own_first_line() -> None:
    for name, entry in Commands.lazy.items():
        command = load(name, entry)
        own = " ".join((command.help or "").split())
        assert own.startswith(entry.help.rstrip(".")), name


def test_every_command_is_reachable() -> None:
    group = typer.main.get_command(app)
    with group.make_context("tracegraph", ["--help"], resilient_parsing=True) as ctx:
        assert group.list_commands(ctx) == list(Commands.lazy)  # type: ignore[attr-defined]
        assert all(group.get_command(ctx, name) is not None for name in Commands.lazy)  # type: ignore[attr-defined]


def test_version_and_short_help() -> None:
    runner = CliRunner()
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert (result.exit_code, result.output) == (0, f"tracegraph {__version__}\n")
    short = runner.invoke(app, ["log", "env", "-h"])
    assert short.exit_code == 0
    assert "--page-limit" in short.output


def test_help_text_is_printed_as_written() -> None:
    """Rich markup used to swallow `[env …; default …]`, leaving "Interface to listen on ."."""
    result = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200)
    assert "Interface to listen on [env TRACEGRAPH_LISTEN_HOST; default 127.0.0.1]." in result.output


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts(shell: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tracegraph.cli.main", "--show-completion", shell],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout.lower()
    assert "tracegraph" in done.stdout.lower()
