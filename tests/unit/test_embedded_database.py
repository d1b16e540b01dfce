"""The embedded store's file: opened once per version, refused when a newer tracegraph wrote it, upgraded by
numbered steps (one transaction each) from the tables each earlier version really wrote."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.unit.graph.embedded_schema_history import (
    VERSION_1,
    VERSION_2,
    VERSION_3,
    VERSION_4,
    VERSION_5,
    VERSION_6,
)
from tracegraph.errors import Unavailable
from tracegraph.graph.embedded import database
from tracegraph.graph.embedded.database import from_micros
from tracegraph.graph.embedded.schema import SCHEMA_VERSION, STEPS
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import AttestationTypeInput, TrailAttestationInput
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.selectors import LATEST, SelectorKind, SnapshotSelector
from tracegraph.graph.windows import SnapshotParts

LENIENT = "_schema: https://kosli.com/schemas/policy/environment/v1\n"


async def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = EmbeddedStore(path)
    with pytest.raises(Unavailable, match="newer tracegraph"):
        await store.start()
    await store.close()


async def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    store = EmbeddedStore(path)
    with pytest.raises(Unavailable, match="cannot open"):
        await store.start()
    await store.close()


def shape(path: Path) -> dict[str, object]:
    """Every table's columns (name, type, not null, key) and every index and view, by name."""
    with sqlite3.connect(path) as connection:
        objects = connection.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY name").fetchall()
        found: dict[str, object] = {"objects": objects}
        for kind, name, _ in objects:
            if kind == "table":
                columns = connection.execute(f"PRAGMA table_info({name})").fetchall()  # names from sqlite_master
                found[name] = sorted((column[1], column[2], column[3], column[5]) for column in columns)
        return found


def old_file(path: Path, ddl: str, version: int, rows: str = "") -> None:
    with sqlite3.connect(path) as connection:
        connection.executescript(ddl + rows + f"PRAGMA user_version = {version};")


async def fresh_shape(path: Path) -> dict[str, object]:
    store = EmbeddedStore(path)
    await store.start()
    await store.close()
    return shape(path)


ROWS_1 = """
INSERT INTO orgs VALUES ('acme', 0, '', 0);
INSERT INTO commits (org, sha, message) VALUES ('acme', 'aaaa', ''), ('acme', 'bbbb', '');
INSERT INTO commit_parents VALUES ('acme', 'bbbb', 0, 'aaaa');
INSERT INTO artifacts (org, flow, fingerprint, name, created_at, git_commit)
VALUES ('acme', 'web', 'f1', 'w', 0, 'cccc');
"""


async def test_a_version_1_file_is_upgraded_step_by_step_and_its_roots_are_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    old_file(path, VERSION_1, 1, ROWS_1)
    store = EmbeddedStore(path)
    await store.start()
    # Version 1 did not tell a root from a commit whose parents were never reported: neither is trusted.
    assert await store.commits_with_history("acme", ["aaaa", "bbbb"]) == set()
    await store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        known = dict(connection.execute("SELECT sha, parents_known FROM commits").fetchall())
        pending = connection.execute("SELECT org, sha FROM build_commits").fetchall()
    assert known == {"aaaa": 0, "bbbb": 1}
    assert pending == [("acme", "cccc")]  # step 3 ran after step 2
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


ROWS_3 = """
INSERT INTO orgs (name, public, description, created_at) VALUES ('acme', 0, '', 0);
INSERT INTO flows (org, name, description, created_at) VALUES ('acme', 'web', '', 0);
INSERT INTO artifacts (org, flow, fingerprint, name, created_at, git_commit)
VALUES ('acme', 'web', 'f1', 'w', 0, 'cccc');
"""


async def test_a_version_3_file_gets_trails_and_keeps_its_artifacts(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    old_file(path, VERSION_3, 3, ROWS_3)
    store = EmbeddedStore(path)
    await store.start()
    assert (await store.get_flow("acme", "web")).template_yaml is None
    assert await store.trails("acme", "web", limit=10) == []
    await store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        artifact = connection.execute("SELECT fingerprint, trail, state FROM artifact_states").fetchall()
    assert artifact == [("f1", None, "COMPLIANT")]  # the view was made again with the new columns
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


ROWS_4 = """
INSERT INTO orgs (name, public, description, created_at) VALUES ('acme', 0, '', 0);
INSERT INTO environments (org, name, type, description, created_at, latest_index)
VALUES ('acme', 'prod', 'K8S', '', 0, 2);
INSERT INTO snapshots VALUES ('acme', 'prod', 1, 60000000), ('acme', 'prod', 2, 120000000);
INSERT INTO runs (org, environment, fingerprint, name, instances, from_index, to_index)
VALUES ('acme', 'prod', 'f1', 'web', 1, 1, 2), ('acme', 'prod', 'f1', 'web', 2, 2, NULL);
"""


async def test_a_version_4_file_gets_the_start_time_of_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    old_file(path, VERSION_4, 4, ROWS_4)
    store = EmbeddedStore(path)
    await store.start()
    latest = await store.snapshot("acme", "prod", LATEST, SnapshotParts(instances=True))
    first = await store.snapshot("acme", "prod", SnapshotSelector(kind=SelectorKind.INDEX, value=1))
    await store.close()
    assert [(item.since, item.instances_detail) for item in latest.running] == [(from_micros(120000000), ())]
    assert [item.since for item in first.running] == [from_micros(60000000)]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_version_5_file_gets_trail_attestations_and_keeps_its_attestations(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    rows = """
INSERT INTO orgs VALUES ('acme', 0, '', 0, 1);
INSERT INTO flows (org, name, description, created_at) VALUES ('acme', 'web', '', 0);
INSERT INTO trails (org, flow, name, description, created_at, user_data) VALUES ('acme', 'web', 't1', '', 0, '{}');
INSERT INTO artifacts (org, flow, fingerprint, name, created_at, trail, template_reference_name)
VALUES ('acme', 'web', 'f1', 'w', 0, 't1', 'web');
INSERT INTO attestations VALUES ('acme', 'x1', 'web', 'f1', 'generic', 'lint', 1, 0, NULL, '{}');
"""
    old_file(path, VERSION_5, 5, rows)
    store = EmbeddedStore(path)
    await store.start()
    await store.attest_trail(
        TrailAttestationInput(org="acme", flow="web", trail="t1", type="generic", name="review", compliant=True)
    )
    detail = await store.trail("acme", "web", "t1")
    await store.close()
    assert [item.id for item in detail.attestations] == ["x1"]
    assert [item.name for item in detail.trail_attestations] == ["review"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_version_6_file_gets_attestation_types_and_keeps_its_attestations(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    rows = """
INSERT INTO orgs VALUES ('acme', 0, '', 0, 1);
INSERT INTO flows (org, name, description, created_at) VALUES ('acme', 'web', '', 0);
INSERT INTO artifacts (org, flow, fingerprint, name, created_at) VALUES ('acme', 'web', 'f1', 'w', 0);
INSERT INTO attestations VALUES ('acme', 'x1', 'web', 'f1', 'generic', 'lint', 0, 0, NULL, '{}');
"""
    old_file(path, VERSION_6, 6, rows)
    store = EmbeddedStore(path)
    await store.start()
    made = await store.create_attestation_type(
        AttestationTypeInput(org="acme", name="coverage", json_schema={"type": "object"}, jq_rules=[".ok"])
    )
    listed = await store.list_attestation_types("acme")
    artifact = await store.artifact("acme", "web", "f1")
    await store.close()
    assert made.version == 1
    assert listed == [made]
    assert [item.id for item in artifact.attestations] == ["x1"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_version_6_file_gets_the_deployments_by_environment_index_and_keeps_its_deployments(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    rows = """
INSERT INTO orgs VALUES ('acme', 0, '', 0, 1);
INSERT INTO deployments VALUES ('acme', 'web', 1, 'f1', 'prod', 5, NULL, '');
"""
    old_file(path, VERSION_6, 6, rows)
    store = EmbeddedStore(path)
    await store.start()
    await store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
        # INDEXED BY fails when the index is missing.
        query = "SELECT number FROM deployments INDEXED BY deployments_by_environment WHERE org = 'acme'"
        assert connection.execute(query + " AND environment = 'prod'").fetchall() == [(1,)]
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_version_6_file_gets_policies_and_its_snapshots_keep_the_rule_without_them(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    rows = """
INSERT INTO orgs VALUES ('acme', 0, '', 0, 1);
INSERT INTO environments (org, name, type, description, created_at, latest_index)
VALUES ('acme', 'prod', 'K8S', '', 0, 1);
INSERT INTO snapshots VALUES ('acme', 'prod', 1, 60000000);
INSERT INTO runs (org, environment, fingerprint, name, instances, from_index, to_index, started_at)
VALUES ('acme', 'prod', 'f1', 'miner', 1, 1, NULL, 60000000);
"""
    old_file(path, VERSION_6, 6, rows)
    store = EmbeddedStore(path)
    await store.start()
    compliance = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=True)
    before = (await store.snapshot("acme", "prod", LATEST, compliance)).compliant
    await store.create_policy(PolicyInput(org="acme", name="lenient", yaml=LENIENT))
    await store.attach_policy("acme", "prod", "lenient")
    after = (await store.snapshot("acme", "prod", LATEST, compliance)).compliant
    await store.close()
    assert (before, after) == (False, True)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_version_2_file_gets_steps_3_and_4(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    old_file(path, VERSION_2, 2)
    store = EmbeddedStore(path)
    await store.start()
    await store.close()
    assert shape(path) == await fresh_shape(tmp_path / "fresh.sqlite3")


async def test_a_failing_step_leaves_the_file_at_the_version_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    old_file(path, VERSION_1, 1, ROWS_1)
    monkeypatch.setattr(database, "STEPS", {**STEPS, 3: STEPS[3] + "SELECT no_such_function();"})
    store = EmbeddedStore(path)
    with pytest.raises(Unavailable):
        await store.start()
    await store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2  # step 2 committed, step 3 not at all
        assert connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'build_commits'").fetchone() == (0,)


async def test_writes_are_synchronous_full(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "tracegraph.sqlite3")
    await store.start()
    level = await store._database.read(lambda connection: connection.execute("PRAGMA synchronous").fetchone()[0])
    assert level == 2  # FULL
    await store.close()
