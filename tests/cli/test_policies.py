"""`tracegraph policy` and `tracegraph assert` against a real `tracegraph serve` (child process)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import RunningServer, start_server

FP_WEB = "c" * 64
FP_MINER = "d" * 64
POLICY = """_schema: https://kosli.com/schemas/policy/environment/v1
artifacts:
  provenance:
    required: true
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("cli-policies"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def as_admin(server: RunningServer) -> dict[str, str]:
    data_dir = str(Path(server.env["HOME"]) / "data")

    def admin(*args: str) -> str:
        return server.cli("admin", *args, "--data-dir", data_dir).stdout.strip()

    admin("create-org", "gated")
    admin("create-flow", "web", "--org", "gated")
    admin("create-environment", "prod", "--org", "gated", "--type", "K8S")
    token = admin("create-token", "--org", "gated", "--role", "admin", "--name", "ci")
    return {"TRACEGRAPH_ORG": "gated", "TRACEGRAPH_API_TOKEN": token}


def test_policy_commands_and_the_snapshot_gate(server: RunningServer, as_admin: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "policy.yml"
    document.write_text(POLICY)
    created = server.cli("policy", "create", "prod-policy", "--file", str(document), env=as_admin).stdout
    assert created.strip() == "policy prod-policy is at version 1"
    attached = server.cli("policy", "attach", "prod-policy", "--environment", "prod", env=as_admin).stdout
    assert attached.strip() == "policy prod-policy is attached to prod: prod-policy"
    listed = json.loads(server.cli("--output", "json", "policy", "list", env=as_admin).stdout)
    assert [(item["name"], item["version"], item["environments"]) for item in listed] == [("prod-policy", 1, ["prod"])]

    server.cli("report", "artifact", "web:1", "--flow", "web", "--fingerprint", FP_WEB, env=as_admin)
    running = f"web:1={FP_WEB}:1"
    server.cli("report", "snapshot", "prod", "--artifact", running, "--artifact", f"miner={FP_MINER}:1", env=as_admin)
    failed = server.cli("assert", "snapshot", "prod", env=as_admin, check=False)
    assert failed.returncode == 1
    assert "NON-COMPLIANT: prod#1 (policies: prod-policy v1)" in failed.stdout
    assert "miner" in failed.stdout
    assert "no provenance" in failed.stdout
    assert failed.stderr.strip() == "Error: [tracegraph assert snapshot] prod#1 is NON-COMPLIANT"
    as_json = server.cli("--output", "json", "assert", "snapshot", "prod#1", env=as_admin, check=False)
    assert as_json.returncode == 1
    answer = json.loads(as_json.stdout)
    assert [item["fingerprint"] for item in answer["non_compliant"]] == [FP_MINER]
    assert answer["policy_evaluations"] == [{"policy_name": "prod-policy", "policy_version": 1,
                                             "status": "NON-COMPLIANT"}]  # fmt: skip

    gate = server.cli("assert", "artifact", f"web@{FP_WEB[:8]}", "--environment", "prod", env=as_admin)
    assert gate.stdout.startswith("COMPLIANT: web@cccccccc in prod")

    server.cli("report", "snapshot", "prod", "--artifact", running, env=as_admin)
    passed = server.cli("assert", "snapshot", "prod", env=as_admin)
    assert passed.stdout.strip() == "COMPLIANT: prod#2 (policies: prod-policy v1)"
    assert server.cli("assert", "snapshot", "prod#1", env=as_admin, check=False).returncode == 1  # history stays

    detached = server.cli("policy", "detach", "prod-policy", "--environment", "prod", env=as_admin).stdout
    assert detached.strip() == "policy prod-policy is detached from prod; its policies now: none"


def test_errors_name_the_flags(server: RunningServer, as_admin: dict[str, str], tmp_path: Path) -> None:
    document = tmp_path / "bad.yml"
    document.write_text(POLICY + "  attestations:\n    - name: unit-test\n      type: nope\n")
    bad = server.cli("policy", "create", "bad", "--file", str(document), env=as_admin, check=False)
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert "--file: line 7: artifacts.attestations[0].type: must be one of" in bad.stderr
    missing = server.cli("policy", "create", "bad", "--file", str(tmp_path / "none.yml"), env=as_admin, check=False)
    assert "--file: cannot read" in missing.stderr
    unknown = server.cli("policy", "attach", "nope", "--environment", "prod", env=as_admin, check=False)
    assert "policy 'nope' not found in org 'gated'" in unknown.stderr
    no_env = server.cli("assert", "artifact", f"web@{FP_WEB}", env=as_admin, check=False)
    assert no_env.returncode == 2
    assert "--environment" in no_env.stderr
