"""The seed tutorial end to end: `tracegraph serve --demo` in a child process, then the tutorial's commands with
`tracegraph` in place of `kosli`, compared with the tutorial's printed output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import RunningServer, start_server
from tracegraph.demo.cyber_dojo import INCIDENT_SHA

EXPECTED = Path(__file__).parent / "expected"


def normalised(text: str) -> list[str]:
    """Lines with whitespace runs collapsed, blank lines and the relative age ("• 21 hours ago") left out."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return [re.sub(r" • .* ago$", "", line) for line in lines if line]


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    extra: list[str] = []
    if request.param == "neo4j":
        import asyncio

        from tests.conftest import wipe_neo4j

        uri = request.getfixturevalue("neo4j_uri")
        asyncio.run(wipe_neo4j(uri))
        extra = ["--neo4j-uri", uri]
    running = start_server(tmp_path_factory.mktemp(f"tutorial-{request.param}"), extra=extra)
    yield running
    running.stop()


def test_log_env_with_interval_prints_the_tutorial_table(server: RunningServer) -> None:
    printed = server.cli("--org", "cyber-dojo", "log", "env", "aws-prod", "--interval", "176..177").stdout
    assert normalised(printed) == normalised((EXPECTED / "log-env-aws-prod-176-177.txt").read_text())


def test_unfiltered_log_starts_after_the_incident(server: RunningServer) -> None:
    printed = server.cli("--org", "cyber-dojo", "log", "env", "aws-prod").stdout
    first = re.search(r"^#(\d+)", printed, re.MULTILINE)
    assert first is not None
    assert int(first.group(1)) > 177


def test_get_artifact_prints_the_tutorial_block(server: RunningServer) -> None:
    printed = normalised(server.cli("--org", "cyber-dojo", "get", "artifact", "creator@860ad17").stdout)
    expected = normalised((EXPECTED / "get-artifact-creator-860ad17.txt").read_text())
    # The tutorial was captured right after the incident; the demo moved on (the fix replaced the artifact), so
    # the history continues after the tutorial's lines.
    assert printed[: len(expected)] == expected
    assert printed[len(expected) :] == [
        "No longer running in aws-beta#199 environment Tue, 06 Sep 2022 17:43:00 CEST",
        "No longer running in aws-prod#179 environment Tue, 06 Sep 2022 17:46:00 CEST",
    ]


def test_follow_to_the_commit_and_search_by_its_prefix(server: RunningServer) -> None:
    by_commit = server.cli("--org", "cyber-dojo", "get", "artifact", "creator:b7a5908").stdout
    assert f"Git commit:  {INCIDENT_SHA}" in by_commit
    found = server.cli("--org", "cyber-dojo", "search", "b7a5908").stdout
    assert f"Search result resolved to commit {INCIDENT_SHA}" in found
    assert "Message:     Simplify the respond_to helper" in found
    # The fix is built on the incident commit: the change still runs, inside the fix's artifact.
    assert re.search(r"aws-prod#179\s+cyberdojo/creator:\w+\s+\(built \d+ commit\(s\) later", found)


def test_errors_are_one_line_on_stderr(server: RunningServer) -> None:
    missing = server.cli("--org", "cyber-dojo", "get", "artifact", "creator@0000000", check=False)
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert missing.stderr.count("\n") == 1
    assert "NOT_FOUND" in missing.stderr


def test_snapshot_at_a_local_time(server: RunningServer) -> None:
    """A time without a zone is the user's local time (TZ=Europe/Berlin here): 16:52:30 CEST is just after #176."""
    printed = server.cli("--org", "cyber-dojo", "get", "snapshot", "aws-prod@{2022-09-06T16:52:30}").stdout
    assert printed.splitlines()[0] == "Snapshot aws-prod#176, reported at Tue, 06 Sep 2022 16:52:28 CEST"
    diff = server.cli("--org", "cyber-dojo", "diff", "snapshots", "aws-prod#175", "aws-prod#177").stdout
    assert diff.splitlines()[0] == "Only present in aws-prod#175"
    assert "creator:31dee35" in diff
    assert "Only present in aws-prod#177" in diff
