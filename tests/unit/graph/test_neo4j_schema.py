"""The Neo4j schema's numbered steps on the real server: a graph with the previous version's constraints and
indexes (made here by hand, as a tracegraph from before versioning left them) ends at the current version, and a
start on a current graph runs nothing (no backfill scan)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest_asyncio
from neo4j import AsyncDriver, AsyncGraphDatabase

from tracegraph.graph.inputs import AttestationTypeInput
from tracegraph.graph.neo4j import migrations, schema
from tracegraph.graph.neo4j.store import Neo4jStore
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.windows import SnapshotParts

# Version 1 as tracegraph before versioning created it (adaad28): every key and read index, no `artifact_pending`.
VERSION_1_NAMES = {
    "org_key", "flow_key", "environment_key", "repository_key", "commit_key", "artifact_key", "digest_key",
    "snapshot_key", "deployment_key", "attestation_key", "token_key", "token_secret", "run_opening", "run_closing",
    "run_open", "run_fingerprint", "snapshot_time", "commit_seq", "artifact_commit", "artifact_git_commit",
    "artifact_age", "deployment_target", "commit_sha_text", "digest_fingerprint_text",
}  # fmt: skip
VERSION_2_NAMES = VERSION_1_NAMES | {"artifact_pending", "tracegraph_schema_key"}
CURRENT_NAMES = VERSION_2_NAMES | {
    "trail_key",
    "trail_age",
    "attestation_type_key",
    "deployment_environment",
    "policy_key",
    "evaluation_key",
    "change_id",
    "change_feed_key",
    "change_time",
}
NAMES = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN collect(name) AS names"
PENDING = "MATCH (a:Artifact {org: 'migrated'}) RETURN a.fingerprint AS fingerprint, a.commit_pending AS pending"


@pytest_asyncio.fixture(loop_scope="session")
async def driver(neo4j_uri: str) -> AsyncIterator[AsyncDriver]:
    async with AsyncGraphDatabase.driver(neo4j_uri, auth=None) as opened:
        yield opened
        # Leave the server as every other test expects it: current schema, no data.
        await migrations.migrate(opened, None, wait_seconds=300)
        await opened.execute_query("MATCH (n) DETACH DELETE n")


async def names(driver: AsyncDriver) -> set[str]:
    records, _, _ = await driver.execute_query(NAMES)
    return set(records[0]["names"])


async def pending(driver: AsyncDriver) -> dict[str, bool | None]:
    records, _, _ = await driver.execute_query(PENDING)
    return {record["fingerprint"]: record["pending"] for record in records}


async def drop_after_version_1(driver: AsyncDriver) -> None:
    await driver.execute_query("DROP INDEX artifact_pending IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT tracegraph_schema_key IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT trail_key IF EXISTS")
    await driver.execute_query("DROP INDEX trail_age IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT attestation_type_key IF EXISTS")
    await driver.execute_query("DROP INDEX deployment_environment IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT policy_key IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT evaluation_key IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT change_id IF EXISTS")
    await driver.execute_query("DROP CONSTRAINT change_feed_key IF EXISTS")
    await driver.execute_query("DROP INDEX change_time IF EXISTS")


async def test_a_version_1_graph_is_brought_to_the_current_version(driver: AsyncDriver, neo4j_uri: str) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    # By hand: version 1's statements, and nothing of later steps (a graph from before versioning).
    await drop_after_version_1(driver)
    for statement in schema.CONSTRAINTS + schema.INDEXES:
        await driver.execute_query(statement)
    assert await names(driver) == VERSION_1_NAMES
    await driver.execute_query(
        "CREATE (:Artifact {org: 'migrated', flow: 'web', fingerprint: 'built', git_commit: 'abc'}),"
        " (:Artifact {org: 'migrated', flow: 'web', fingerprint: 'plain'}),"
        " (:Commit {org: 'migrated', sha: 'abc', reported: false})"
    )

    store = Neo4jStore(neo4j_uri)
    await store.start()
    await store.close()
    assert await names(driver) == CURRENT_NAMES
    records, _, _ = await driver.execute_query("MATCH (s:TracegraphSchema) RETURN s.version AS version")
    assert [record["version"] for record in records] == [schema.SCHEMA_VERSION]
    assert await pending(driver) == {"built": True, "plain": False}

    # Current: a start runs no step, so an artifact without the mark (as if written before step 2) keeps none.
    await driver.execute_query("CREATE (:Artifact {org: 'migrated', flow: 'web', fingerprint: 'late'})")
    assert await migrations.migrate(driver, None, wait_seconds=300) == schema.SCHEMA_VERSION
    assert (await pending(driver))["late"] is None


async def test_each_step_is_idempotent(driver: AsyncDriver) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")  # no version node: every step again, on a current schema
    assert await migrations.migrate(driver, None, wait_seconds=300) == 0
    assert await names(driver) == CURRENT_NAMES
    assert await migrations.migrate(driver, None, wait_seconds=300) == schema.SCHEMA_VERSION


async def test_a_version_2_graph_gets_trails_and_keeps_its_flows(driver: AsyncDriver, neo4j_uri: str) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    await drop_after_version_1(driver)
    for step in schema.STEPS[:2]:  # version 2 as 5ee12a7 left it: steps 1 and 2, the version node at 2
        for statement in step.schema:
            await driver.execute_query(statement)
    await driver.execute_query(schema.VERSION_CONSTRAINT)
    await driver.execute_query(schema.SET_VERSION, version=2)
    assert await names(driver) == VERSION_2_NAMES
    await driver.execute_query(
        "CREATE (:Org {name: 'migrated', created_at: datetime()}),"
        " (:Flow {org: 'migrated', name: 'web', description: '', created_at: datetime()})"
    )

    store = Neo4jStore(neo4j_uri)
    await store.start()
    try:
        assert (await store.get_flow("migrated", "web")).template_yaml is None
        assert await store.trails("migrated", "web", limit=5) == []
    finally:
        await store.close()
    assert await names(driver) == CURRENT_NAMES
    records, _, _ = await driver.execute_query("MATCH (s:TracegraphSchema) RETURN s.version AS version")
    assert [record["version"] for record in records] == [schema.SCHEMA_VERSION]


async def test_a_version_3_graph_gets_the_start_time_of_its_runs(driver: AsyncDriver, neo4j_uri: str) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    for step in schema.STEPS[:3]:  # version 3 as 156ae3e left it: steps 1 to 3, the version node at 3
        for statement in step.schema:
            await driver.execute_query(statement)
    await driver.execute_query(schema.VERSION_CONSTRAINT)
    await driver.execute_query(schema.SET_VERSION, version=3)
    # A Run as version 3 wrote it: no `started_at`, no `instances_detail`.
    await driver.execute_query(
        "CREATE (:Org {name: 'migrated', created_at: datetime()}),"
        " (e:Environment {org: 'migrated', name: 'prod', type: 'K8S', description: '', created_at: datetime(),"
        "  latest_index: 1, last_reported_at: datetime('2022-09-06T14:01:00Z')}),"
        " (:Snapshot {org: 'migrated', environment: 'prod', index: 1, reported_at: datetime('2022-09-06T14:01:00Z')}),"
        " (d:Digest {org: 'migrated', fingerprint: $fingerprint}),"
        " (r:Run {org: 'migrated', environment: 'prod', fingerprint: $fingerprint, name: 'web', instances: 2,"
        "  from_index: 1, open: true}), (r)-[:OF]->(d), (r)-[:IN]->(e)",
        fingerprint="f" * 64,
    )
    store = Neo4jStore(neo4j_uri)
    await store.start()
    try:
        found = await store.snapshot("migrated", "prod", LATEST, SnapshotParts(instances=True))
    finally:
        await store.close()
    (item,) = found.running
    assert item.since == datetime(2022, 9, 6, 14, 1, tzinfo=UTC)
    assert item.instances_detail == ()
    records, _, _ = await driver.execute_query("MATCH (s:TracegraphSchema) RETURN s.version AS version")
    assert [record["version"] for record in records] == [schema.SCHEMA_VERSION] == [8]


async def test_a_version_4_graph_gets_attestation_types(driver: AsyncDriver, neo4j_uri: str) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    await driver.execute_query("DROP CONSTRAINT attestation_type_key IF EXISTS")
    await driver.execute_query(schema.VERSION_CONSTRAINT)
    await driver.execute_query(schema.SET_VERSION, version=4)
    await driver.execute_query("CREATE (:Org {name: 'migrated', created_at: datetime(), public: false})")
    store = Neo4jStore(neo4j_uri)
    await store.start()
    try:
        made = await store.create_attestation_type(
            AttestationTypeInput(org="migrated", name="coverage", json_schema={"type": "object"}, jq_rules=[".ok"])
        )
        listed = await store.list_attestation_types("migrated")
    finally:
        await store.close()
    assert (made.version, listed) == (1, [made])
    assert "attestation_type_key" in await names(driver)
    records, _, _ = await driver.execute_query("MATCH (s:TracegraphSchema) RETURN s.version AS version")
    assert [record["version"] for record in records] == [schema.SCHEMA_VERSION] == [8]


async def test_a_version_4_graph_gets_the_deployments_by_environment_index(driver: AsyncDriver, neo4j_uri: str) -> None:
    await driver.execute_query("MATCH (n) DETACH DELETE n")
    await driver.execute_query("DROP INDEX deployment_environment IF EXISTS")
    for step in schema.STEPS[:4]:  # version 4: steps 1 to 4, the version node at 4
        for statement in step.schema:
            await driver.execute_query(statement)
    await driver.execute_query(schema.VERSION_CONSTRAINT)
    await driver.execute_query(schema.SET_VERSION, version=4)
    assert "deployment_environment" not in await names(driver)
    store = Neo4jStore(neo4j_uri)
    await store.start()
    await store.close()
    assert "deployment_environment" in await names(driver)
    records, _, _ = await driver.execute_query("MATCH (s:TracegraphSchema) RETURN s.version AS version")
    assert [record["version"] for record in records] == [schema.SCHEMA_VERSION] == [8]
