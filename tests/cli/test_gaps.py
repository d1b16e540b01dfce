"""The CLI's rough edges next to kosli's, each against a real `tracegraph serve --demo` (issue 13, item 6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.server import RunningServer, start_server
from tracegraph.cli.client import CliError, server_url
from tracegraph.cli.main import app

CREATOR = "https://github.com/cyber-dojo/creator"
FP = "c" * 64


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("gaps"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writer(server: RunningServer) -> dict[str, str]:
    data_dir = str(Path(server.env["HOME"]) / "data")
    made = server.cli("admin", "create-token", "--org", "cyber-dojo", "--role", "writer", "--name", "ci",
                      "--data-dir", data_dir)  # fmt: skip
    return {"TRACEGRAPH_API_TOKEN": made.stdout.strip()}


def test_host_without_a_scheme_means_http(server: RunningServer) -> None:
    bare = server.url.removeprefix("http://")
    found = server.cli("get", "environment", "aws-prod", env={"TRACEGRAPH_HOST": bare})
    assert found.stdout.startswith("Name:")
    assert server_url("localhost:8000/") == "http://localhost:8000"
    with pytest.raises(CliError, match=r"--host: 'ftp://x' must be an http:// or https:// URL"):
        server_url("ftp://x")
    refused = server.cli("get", "environment", "aws-prod", env={"TRACEGRAPH_HOST": "ftp://x"}, check=False)
    assert (refused.returncode, refused.stderr) == (1, "Error: --host: 'ftp://x' must be an http:// or https:// URL\n")


def test_serve_log_level_is_one_of_its_choices() -> None:
    result = CliRunner().invoke(app, ["serve", "--log-level", "verbose"])
    assert result.exit_code == 2
    assert "'verbose' is not one of 'debug', 'info', 'warning', 'error'" in result.output
    assert "Traceback" not in result.output


def test_list_tokens_follows_the_global_output(server: RunningServer, writer: dict[str, str]) -> None:
    data_dir = str(Path(server.env["HOME"]) / "data")
    listed = server.cli("--output", "json", "admin", "list-tokens", "--org", "cyber-dojo", "--data-dir", data_dir)
    names = [token["name"] for token in json.loads(listed.stdout)]
    assert "ci" in names


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["get", "snapshot", "aws-prod#abc"], "Error: EXPRESSION: must be a snapshot expression"),
        (["log", "env", "aws-prod", "--interval", "abc"], "Error: --interval: must be an interval"),
        (["log", "env", "aws-prod", "--repo", "nope"], "Error: --repo (value 1): must be an http or https URL"),
        (["report", "commits", "--repo", "/nonexistent"], "Error: --repo: no such directory: /nonexistent"),
        (["report", "commits", "--repo", ".", "--repo-url", "nope"], "Error: --repo-url: must be an http or https URL"),
        (["search", "abc"], "Error: PREFIX: must be a prefix of 5 to 64 hexadecimal characters"),
        (["versions", "--name", ""], "Error: --name: must be 1 to 512 characters"),
    ],
)
def test_errors_name_the_flags(server: RunningServer, args: list[str], error: str) -> None:
    failed = server.cli(*args, check=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith(error), failed.stderr
    assert failed.stdout == ""


def test_a_running_artifacts_error_names_its_flag_and_position(server: RunningServer, writer: dict[str, str]) -> None:
    failed = server.cli("report", "snapshot", "aws-beta", "--artifact", f"one={FP}", "--artifact", "two=zz",
                        env=writer, check=False)  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: --artifact (value 2, fingerprint): must be a SHA-256 fingerprint")


def test_report_snapshot_ends_its_sentence_once(server: RunningServer, writer: dict[str, str]) -> None:
    args = ("report", "snapshot", "gaps-env", "--artifact", f"one={FP}", "--artifact", f"two={'d' * 64}:2")
    server.cli("admin", "create-environment", "gaps-env", "--org", "cyber-dojo", "--type", "K8S",
               "--data-dir", str(Path(server.env["HOME"]) / "data"))  # fmt: skip
    printed = server.cli(*args, env=writer).stdout
    assert printed == (
        "Snapshot gaps-env#1: one: 1 instance started running (from 0 to 1); "
        "two: 2 instances started running (from 0 to 2).\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["log", "env", "aws-prod"],
        ["get", "snapshot", "aws-prod"],
        ["get", "environment", "aws-prod"],
        ["list", "environments"],
        ["findings", "aws-prod"],
        ["versions", "--flow", "creator"],
        ["diff", "snapshots", "aws-prod~1", "aws-prod"],
        ["search", "b7a5908"],
    ],
)
def test_output_to_a_pipe_starts_with_content(server: RunningServer, args: list[str]) -> None:
    printed = server.cli(*args).stdout
    assert printed.strip()
    assert not printed.startswith("\n")


def test_log_filtered_by_repository(server: RunningServer) -> None:
    everything = server.cli("--output", "json", "log", "env", "aws-beta", "--page-limit", "5").stdout
    filtered = server.cli("--output", "json", "log", "env", "aws-beta", "--page-limit", "5", "--repo", CREATOR).stdout
    all_names = {event["artifact_name"] for event in json.loads(everything)}
    names = {event["artifact_name"] for event in json.loads(filtered)}
    assert any("creator" not in name for name in all_names)  # something to filter out
    assert names
    assert all("/creator:" in name for name in names)
    second = server.cli("--output", "json", "log", "env", "aws-beta", "--page-limit", "5", "--repo", CREATOR,
                        "--page", "2").stdout  # fmt: skip
    assert {e["snapshot_index"] for e in json.loads(second)}.isdisjoint(
        {e["snapshot_index"] for e in json.loads(filtered)}
    )


def test_json_shapes_are_kosli_named_and_flat(server: RunningServer) -> None:
    """docs/cli.md's shapes, field for field: a script reading them must not see the GraphQL query's nesting."""
    events = json.loads(server.cli("--output", "json", "log", "env", "aws-prod", "--page-limit", "2").stdout)
    assert events
    assert all(set(event) == LOG_EVENT for event in events)
    assert events[0]["snapshot_index"] == 179
    assert events[0]["pipeline"] == "creator"
    snapshot = json.loads(server.cli("--output", "json", "get", "snapshot", "aws-prod#179").stdout)
    assert set(snapshot) == {"environment_name", "index", "timestamp", "artifacts"}
    assert snapshot["index"] == 179
    assert all(set(artifact) == SNAPSHOT_ARTIFACT for artifact in snapshot["artifacts"])
    environment = json.loads(server.cli("--output", "json", "get", "environment", "aws-prod").stdout)
    assert environment["latest_snapshot_index"] == 179
    assert set(environment) == {"name", "type", "description", "created_at", "last_reported_at", "last_modified_at",
                                "latest_snapshot_index"}  # fmt: skip
    flow = json.loads(server.cli("--output", "json", "get", "flow", "creator").stdout)
    assert flow == {**flow, "name": "creator", "repo_url": CREATOR}
    assert set(flow) == {"name", "description", "repo_url", "created_at"}


LOG_EVENT = {"environment_name", "snapshot_index", "reported_at", "artifact_name", "sha256", "description", "type",
             "pipeline", "flows", "deployments", "findings"}  # fmt: skip
SNAPSHOT_ARTIFACT = {"name", "fingerprint", "flow_name", "git_commit", "instances", "running_since_index", "flows"}
