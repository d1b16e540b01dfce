"""`tracegraph report commits` against a real `tracegraph serve`: a second run sends only what the server lacks."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import RunningServer, start_server
from tracegraph.cli.client import CliError, GraphQLClient
from tracegraph.cli.commands.report import _known_history

REPO_URL = "https://example.com/acme/shop"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("report-commits"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writer(server: RunningServer) -> dict[str, str]:
    data_dir = str(Path(server.env["HOME"]) / "data")
    server.cli("admin", "create-org", "acme", "--data-dir", data_dir)
    token = server.cli("admin", "create-token", "--org", "acme", "--role", "writer", "--data-dir", data_dir)
    return {"TRACEGRAPH_ORG": "acme", "TRACEGRAPH_API_TOKEN": token.stdout.strip()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "Ada Lovelace")
    git(tmp_path, "config", "user.email", "ada@example.com")
    # Named after the test, so that two tests' repositories never share commits (same author, second and tree).
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", f"first in {tmp_path.name}")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on feature")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "on main")
    git(tmp_path, "merge", "-q", "--no-ff", "feature", "-m", "merge feature")
    return tmp_path


def report(server: RunningServer, writer: dict[str, str], repo: Path, *flags: str) -> dict[str, Any]:
    args = ("--output", "json", "report", "commits", "--repo", str(repo), "--repo-url", REPO_URL, *flags)
    answer: dict[str, Any] = json.loads(server.cli(*args, env=writer).stdout)
    return answer


def test_a_second_import_sends_only_new_commits(server: RunningServer, writer: dict[str, str], repo: Path) -> None:
    first = report(server, writer, repo, "--batch-size", "2")
    assert (first["received"], first["created"], first["incremental"], first["normalised"]) == (4, 4, True, {})
    again = report(server, writer, repo)
    assert (again["received"], again["created"]) == (0, 0)
    git(repo, "commit", "-q", "--allow-empty", "-m", "one more")
    git(repo, "branch", "-q", "-f", "feature", "main")  # every tip moved: the probes behind them are known
    newer = report(server, writer, repo)
    assert (newer["received"], newer["created"]) == (1, 1)
    everything = report(server, writer, repo, "--full")
    assert (everything["received"], everything["created"], everything["incremental"]) == (5, 0, False)


def test_the_summary_line_names_what_was_normalised(server: RunningServer, writer: dict[str, str], repo: Path) -> None:
    tree = git(repo, "mktree")
    raw = f"tree {tree}\nparent {git(repo, 'rev-parse', 'HEAD')}\nauthor Ada <> 1313584730 +051800\n"
    raw += "committer Ada <ada@example.com> 1313584730 +0000\n\nodd\n"
    crafted = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        input=raw.encode(), capture_output=True, check=True,
    ).stdout.decode().strip()  # fmt: skip
    git(repo, "update-ref", "refs/heads/odd", crafted)
    args = ("report", "commits", "--repo", str(repo), "--repo-url", "https://example.com/acme/odd", "--full")
    summary = server.cli(*args, env=writer).stdout.strip()
    assert summary == (
        "Reported 5 commits of https://example.com/acme/odd: 5 new; "
        "normalised: 1 malformed time zone (read as UTC), 1 missing email"
    )
    nothing = server.cli(*args[:-1], env=writer).stdout.strip()
    assert nothing == "Nothing new: the server has the history of https://example.com/acme/odd"


def test_an_older_server_gets_everything(repo: Path) -> None:
    def older(request: httpx.Request) -> httpx.Response:
        message = 'Cannot query field "commitsWithHistory" on type "Query".'
        return httpx.Response(200, json={"data": None, "errors": [{"message": message}]})

    with GraphQLClient("http://server", transport=httpx.MockTransport(older)) as graphql:
        assert _known_history(graphql, "acme", repo, None) is None


def test_other_errors_are_not_mistaken_for_an_older_server(repo: Path) -> None:
    def refusing(request: httpx.Request) -> httpx.Response:
        error = {"message": "not allowed", "extensions": {"code": "FORBIDDEN"}}
        return httpx.Response(200, json={"data": None, "errors": [error]})

    with (
        GraphQLClient("http://server", transport=httpx.MockTransport(refusing)) as graphql,
        pytest.raises(CliError, match="FORBIDDEN"),
    ):
        _known_history(graphql, "acme", repo, None)
