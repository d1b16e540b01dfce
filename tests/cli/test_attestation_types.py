"""`tracegraph attestation-type create | list` against a real `tracegraph serve`: versions, listing, and mistakes
named by the flag that holds them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.server import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("cli-types"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def as_admin(server: RunningServer) -> dict[str, str]:
    data_dir = str(Path(server.env["HOME"]) / "data")
    server.cli("admin", "create-org", "shop", "--data-dir", data_dir)
    token = server.cli("admin", "create-token", "--org", "shop", "--role", "admin", "--data-dir", data_dir)
    return {"TRACEGRAPH_ORG": "shop", "TRACEGRAPH_API_TOKEN": token.stdout.strip()}


def test_create_redefine_and_list(server: RunningServer, as_admin: dict[str, str], tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"coverage": {"type": "number"}}}))
    create = ("attestation-type", "create", "coverage-metrics", "--schema", str(schema))
    made = server.cli(*create, "--jq", ".coverage > 80", "--jq", ".coverage <= 100", env=as_admin)
    assert made.stdout.strip() == "Attestation type coverage-metrics version 1 in shop"
    same = server.cli(*create, "--jq", ".coverage > 80", "--jq", ".coverage <= 100", env=as_admin)
    assert same.stdout.strip() == made.stdout.strip()
    changed = server.cli("--output", "json", *create, "--jq", ".coverage > 90", "--description", "strict", env=as_admin)
    assert {key: value for key, value in json.loads(changed.stdout).items() if key != "created_at"} == {
        "name": "coverage-metrics",
        "version": 2,
        "description": "strict",
        "json_schema": {"type": "object", "properties": {"coverage": {"type": "number"}}},
        "jq_rules": [".coverage > 90"],
    }
    server.cli("attestation-type", "create", "ünïcode types", "--schema", str(schema), env=as_admin)
    listed = server.cli("attestation-type", "list", env=as_admin).stdout.splitlines()
    assert listed[0].split() == ["NAME", "VERSION", "RULES", "DESCRIPTION"]
    assert listed[1].split() == ["coverage-metrics", "2", "1", "strict"]
    assert listed[2].split() == ["ünïcode", "types", "1", "0", "-"]
    as_json = json.loads(server.cli("--output", "json", "attestation-type", "list", env=as_admin).stdout)
    assert [(item["name"], item["version"]) for item in as_json] == [("coverage-metrics", 2), ("ünïcode types", 1)]


def test_mistakes_name_the_flag_and_define_nothing(
    server: RunningServer, as_admin: dict[str, str], tmp_path: Path
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object"}')
    not_json = tmp_path / "broken.json"
    not_json.write_text("{type: object")
    not_a_schema = tmp_path / "bad.json"
    not_a_schema.write_text('{"type": "objekt"}')
    cases = {
        "--jq #2: does not compile": ("bad", "--schema", str(schema), "--jq", ".a", "--jq", ".b |"),
        "--schema: is not a valid JSON Schema": ("bad", "--schema", str(not_a_schema)),
        f"--schema: {not_json} is not JSON": ("bad", "--schema", str(not_json)),
        "--schema: cannot read": ("bad", "--schema", str(tmp_path / "missing.json")),
        "NAME: ": ("two\tparts", "--schema", str(schema)),
    }
    for expected, args in cases.items():
        failed = server.cli("attestation-type", "create", *args, env=as_admin, check=False)
        assert failed.returncode == 1, args
        assert failed.stdout == ""
        assert failed.stderr.startswith(f"Error: {expected}"), failed.stderr
    names = [item["name"] for item in json.loads(server.cli("--output", "json", "attestation-type", "list",
                                                            env=as_admin).stdout)]  # fmt: skip
    assert "bad" not in names
    stranger = server.cli("attestation-type", "create", "w", "--schema", str(schema), check=False,
                        env={**as_admin, "TRACEGRAPH_API_TOKEN": "tg_wrong"})  # fmt: skip
    assert stranger.returncode == 1
    assert "UNAUTHENTICATED" in stranger.stderr
