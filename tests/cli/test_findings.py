"""`tracegraph findings` and the findings marked in `tracegraph log` against a real `tracegraph serve --demo`."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.e2e.server import RunningServer, start_server
from tracegraph.demo.cyber_dojo import MINER_FINGERPRINT


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("findings"))
    yield running
    running.stop()


def test_findings_now_one_table_per_kind(server: RunningServer) -> None:
    printed = server.cli("--org", "cyber-dojo", "findings", "aws-beta").stdout
    lines = printed.splitlines()
    assert lines[0].startswith("2 finding(s) in aws-beta#200 as of ")
    assert "Running without provenance (no build reported it): 1" in lines
    assert any(line.startswith("xmrig/xmrig:latest") and MINER_FINGERPRINT in line for line in lines)
    assert "Non-compliant: 1" in lines
    assert any("attestation container-scan (snyk) failed" in line for line in lines)
    assert "Rolled back (started as a newer build of its flow stopped): 0" in lines


def test_findings_at_a_snapshot_of_one_kind_and_as_json(server: RunningServer) -> None:
    printed = server.cli("--org", "cyber-dojo", "findings", "aws-beta", "--snapshot", "7", "--kind", "ROLL_BACK").stdout
    lines = printed.splitlines()
    assert lines[0].startswith("1 finding(s) in aws-beta#7 as of ")
    assert lines[2] == "Rolled back (started as a newer build of its flow stopped): 1"
    assert lines[4].split()[-1] == "ANCESTRY"
    assert not any(line.startswith("Non-compliant") for line in lines)  # only the kind asked for
    found = json.loads(server.cli("--org", "cyber-dojo", "--output", "json", "findings", "aws-prod").stdout)
    assert (found["environment_name"], found["snapshot_index"], found["start_window_seconds"]) == ("aws-prod", 179, 600)
    assert [(item["flow_name"], item["deployment_number"]) for item in found["deployed_not_started"]] == [("saver", 16)]
    assert found["total"] == 3  # and differ's failed scan, saver's missing one (aws-prod's policy)
    assert [item["flow_name"] for item in found["non_compliant"]] == ["differ", "saver"]
    assert "prod-policy: missing attestation container-scan (snyk)" in found["non_compliant"][1]["reasons"]
    assert set(found) == {
        "environment_name",
        "snapshot_index",
        "as_of",
        "start_window_seconds",
        "total",
        "without_provenance",
        "deployed_not_started",
        "pending_deployments",
        "started_without_deployment",
        "non_compliant",
        "roll_backs",
    }  # the documented shape (docs/cli.md)
    rolled = json.loads(
        server.cli("--org", "cyber-dojo", "--output", "json", "findings", "aws-beta", "--snapshot", "7").stdout
    )
    (back,) = rolled["roll_backs"]
    assert (back["flow_name"], back["basis"], back["running_since_index"]) == ("custom-start-points", "ANCESTRY", 7)


def test_log_marks_the_events_that_raised_findings(server: RunningServer) -> None:
    printed = server.cli("--org", "cyber-dojo", "log", "env", "aws-beta", "--interval", "22").stdout
    assert "Findings: STARTED_WITHOUT_DEPLOYMENT" in printed
    quiet = server.cli("--org", "cyber-dojo", "log", "env", "aws-prod", "--interval", "176..177").stdout
    assert "Findings" not in quiet


def test_a_bad_kind_fails_with_one_line(server: RunningServer) -> None:
    bad = server.cli("--org", "cyber-dojo", "findings", "aws-beta", "--kind", "ROGUE", check=False)
    assert bad.returncode == 2
    assert bad.stdout == ""
    missing = server.cli("--org", "cyber-dojo", "findings", "nowhere", check=False)
    assert missing.returncode == 1
    assert "NOT_FOUND" in missing.stderr


def test_the_demo_policy_holds_aws_prod_to_its_evidence(server: RunningServer) -> None:
    gate = server.cli("--org", "cyber-dojo", "assert", "snapshot", "aws-prod", check=False)
    assert gate.returncode == 1
    assert gate.stdout.splitlines()[0] == "NON-COMPLIANT: aws-prod#179 (policies: prod-policy v1)"
    assert any(
        "differ:" in line and "attestation container-scan is non-compliant" in line for line in gate.stdout.splitlines()
    )
    assert any(
        "saver:" in line and "missing attestation container-scan (snyk)" in line for line in gate.stdout.splitlines()
    )
    printed = server.cli("--org", "cyber-dojo", "findings", "aws-prod", "--kind", "NON_COMPLIANT").stdout
    assert "Non-compliant: 2" in printed.splitlines()
    assert "prod-policy: missing attestation container-scan (snyk)" in printed


def test_versions_of_a_flow_in_every_environment(server: RunningServer) -> None:
    lines = server.cli("--org", "cyber-dojo", "versions", "--flow", "creator").stdout.splitlines()
    assert lines[0].split() == ["ENVIRONMENT", "SNAPSHOT", "NAME", "FLOW", "COMMIT", "FINGERPRINT", "INSTANCES"]
    assert [line.split()[:2] for line in lines[1:]] == [["aws-beta", "#200"], ["aws-prod", "#179"]]
    assert len({line.split()[5] for line in lines[1:]}) == 1  # the same build runs in both
    places = json.loads(server.cli("--org", "cyber-dojo", "--output", "json", "versions", "--flow", "creator").stdout)
    assert [(place["environment_name"], place["snapshot_index"]) for place in places] == [
        ("aws-beta", 200),
        ("aws-prod", 179),
    ]
    (artifact,) = places[1]["artifacts"]
    assert [flow["flow_name"] for flow in artifact["flows"]] == ["creator"]
    assert artifact["flows"][0]["git_commit"].startswith("e0f31af")
    wrong = server.cli("--org", "cyber-dojo", "versions", check=False)
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "Error: give exactly one of --flow and --name")
