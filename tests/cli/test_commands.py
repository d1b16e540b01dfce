"""The CLI against a real `tracegraph serve` (child process): bootstrap with `admin`, report with writer tokens,
read back with the query commands."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import RunningServer, start_server

REPO_ROOT = Path(__file__).resolve().parents[2]
FP_A = "a" * 64
FP_B = "b" * 64


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("cli"))
    yield running
    running.stop()


def admin(server: RunningServer, *args: str) -> str:
    data_dir = str(Path(server.env["HOME"]) / "data")
    return server.cli("admin", *args, "--data-dir", data_dir).stdout.strip()


@pytest.fixture(scope="module")
def writer(server: RunningServer) -> dict[str, str]:
    """An org `shop` with a flow and an environment, and a writer token's environment variables for it."""
    admin(server, "create-org", "shop", "--public", "--description", "the shop")
    assert admin(server, "create-org", "shop") == "Org shop (public)"  # what is not given stays as it was
    assert admin(server, "create-flow", "web", "--org", "shop", "--repo-url", "https://example.com/web") == (
        "Flow web in shop"
    )
    assert admin(server, "create-environment", "prod", "--org", "shop", "--type", "K8S") == (
        "Environment prod (K8S) in shop"
    )
    data_dir = str(Path(server.env["HOME"]) / "data")
    bad = server.cli("admin", "create-flow", "wéb", "--org", "shop", "--data-dir", data_dir, check=False)
    assert bad.returncode == 1
    assert "name" in bad.stderr
    admin_token = admin(server, "create-token", "--org", "shop", "--role", "admin", "--name", "bootstrap")
    as_admin = {"TRACEGRAPH_ORG": "shop", "TRACEGRAPH_API_TOKEN": admin_token}
    token = admin(server, "create-token", "--org", "shop", "--role", "writer", "--name", "ci", "--expires", "1d")
    assert token.startswith("tg_")
    assert token != admin_token
    listed = json.loads(admin(server, "list-tokens", "--org", "shop", "--json"))
    assert [(item["name"], item["role"]) for item in listed] == [("bootstrap", "admin"), ("ci", "writer")]
    assert token not in json.dumps(listed)
    return {**as_admin, "TRACEGRAPH_API_TOKEN": token}


def test_report_commits_imports_this_repository_once(server: RunningServer, writer: dict[str, str]) -> None:
    expected = int(subprocess.run(["git", "-C", str(REPO_ROOT), "rev-list", "--count", "--all"],
                                  capture_output=True, text=True, check=True).stdout)  # fmt: skip
    args = ("--output", "json", "report", "commits", "--repo", str(REPO_ROOT),
            "--repo-url", "https://github.com/example/tracegraph", "--batch-size", "7")  # fmt: skip
    first = json.loads(server.cli(*args, env=writer).stdout)
    assert (first["received"], first["created"]) == (expected, expected)
    second = json.loads(server.cli(*args, env=writer).stdout)  # incremental: the server has every tip's history
    assert (second["received"], second["created"]) == (0, 0)
    again = json.loads(server.cli(*args, "--full", env=writer).stdout)
    assert (again["received"], again["created"]) == (expected, 0)
    head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    found = json.loads(server.cli("--output", "json", "search", head[:8], env=writer).stdout)
    assert [commit["sha"] for commit in found["commits"]] == [head]


def test_report_build_deploy_snapshot_and_read_back(
    server: RunningServer, writer: dict[str, str], tmp_path: Path
) -> None:
    built = tmp_path / "app.tar"
    built.write_bytes(b"the build")
    server.cli("report", "artifact", "shop/web:1", "--flow", "web", "--path", str(built), env=writer)
    server.cli("report", "artifact", "shop/web:2", "--flow", "web", "--fingerprint", FP_B, env=writer)
    digest = server.cli("fingerprint", str(built)).stdout.strip()
    deployed = server.cli("report", "deployment", "--flow", "web", "--fingerprint", digest, "--environment", "prod",
                          env=writer).stdout  # fmt: skip
    assert "deployment #1 of web to prod" in deployed
    running = tmp_path / "running.yaml"
    running.write_text(f"- fingerprint: {digest}\n  name: registry/web:1\n  instances: 2\n")
    first = server.cli("report", "snapshot", "prod", "--file", str(running), env=writer).stdout
    assert first.startswith("Snapshot prod#1: registry/web:1: 2 instances started running")
    again = server.cli("report", "snapshot", "prod", "--file", str(running), env=writer).stdout
    assert again.strip() == "No change: prod is still at snapshot #1"
    second = server.cli("report", "snapshot", "prod", "--artifact", f"registry/web:2={FP_B}:3", env=writer).stdout
    assert "Snapshot prod#2" in second
    snapshot = server.cli("get", "snapshot", "prod#1", env=writer).stdout
    assert "registry/web:1" in snapshot
    assert digest in snapshot
    diff = server.cli("diff", "snapshots", "prod~1", "prod", env=writer).stdout
    assert "Only present in prod#1" in diff
    assert "Only present in prod#2" in diff
    environments = server.cli("list", "environments", env=writer).stdout
    assert environments.splitlines()[1].split()[:2] == ["prod", "K8S"]
    artifacts = server.cli("list", "artifacts", "--flow", "web", env=writer).stdout
    assert "shop/web:1" in artifacts
    assert "shop/web:2" in artifacts


def test_bad_input_and_wrong_tokens_fail_with_one_line(server: RunningServer, writer: dict[str, str]) -> None:
    bad = server.cli("report", "snapshot", "prod", "--artifact", "web=nothex", env=writer, check=False)
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.startswith("Error: --artifact (value 1, fingerprint): must be a SHA-256 fingerprint")
    assert "BAD_USER_INPUT" in bad.stderr
    reader_of_nothing = server.cli("list", "flows", env={**writer, "TRACEGRAPH_API_TOKEN": "tg_wrong"}, check=False)
    assert reader_of_nothing.returncode == 1
    assert "UNAUTHENTICATED" in reader_of_nothing.stderr
    assert "tg_wrong" not in reader_of_nothing.stderr
    unreachable = server.cli("--host", "http://127.0.0.1:9", "list", "flows", env=writer, check=False)
    assert unreachable.returncode == 1
    assert unreachable.stderr.startswith("Error: cannot reach http://127.0.0.1:9/graphql")
