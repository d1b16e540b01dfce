"""The change feed on Neo4j: `(:Change {id, org, kind, at, ...})` nodes numbered by one `(:ChangeFeed)` counter
(schema step 8). The writes record their change in their own transaction; the rules are in
tracegraph/graph/changes.py.

Why one counter node: Neo4j Community has no change data capture, so the feed is written by the reports
themselves. Incrementing the counter takes its write lock, held until the transaction commits, so the next report
cannot take an id before this one is committed: ids follow commit order, and a follower reading `id > last` never
sees a later id before an earlier one. The cost is that reports (of every org) serialise on that lock for the
end of their transaction; it is taken last, so it is held only from the increment to the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracegraph.graph import changes as feed
from tracegraph.graph.changes import Change, ChangeKind, NewChange
from tracegraph.graph.inputs import ArtifactInput, DeploymentInput, SnapshotInput
from tracegraph.graph.model import Artifact, Deployment
from tracegraph.graph.neo4j import policies as governed
from tracegraph.graph.neo4j import reads, writes
from tracegraph.graph.neo4j.records import to_datetime
from tracegraph.graph.neo4j.transaction import Row, Tx, execute, fetch
from tracegraph.graph.views import ReportedSnapshot

# SET reads the counter after taking the node's write lock (Neo4j's documented safe increment).
RECORD_CHANGES = """
MERGE (f:ChangeFeed {key: 'tracegraph'})
SET f.last = coalesce(f.last, 0) + size($changes)
WITH f.last - size($changes) AS base
UNWIND range(0, size($changes) - 1) AS i
WITH base, i, $changes[i] AS c
CREATE (:Change {id: base + i + 1, org: c.org, kind: c.kind, at: $at, environment: c.environment,
                 snapshot_index: c.snapshot_index, flow: c.flow, fingerprint: c.fingerprint,
                 deployment_number: c.deployment_number, started: c.started})
"""
# The Change id index (step 8) serves `id > $after` in order: a seek, however many changes are retained.
CHANGES_AFTER = """
MATCH (c:Change)
WHERE c.id > $after AND ($orgs IS NULL OR c.org IN $orgs)
RETURN c {.*} AS change
ORDER BY c.id
LIMIT $limit
"""
FEED_STATE = """
OPTIONAL MATCH (f:ChangeFeed {key: 'tracegraph'})
CALL { OPTIONAL MATCH (c:Change) WHERE c.id IS NOT NULL RETURN c.id AS oldest ORDER BY c.id LIMIT 1 }
RETURN coalesce(f.last, 0) AS last, oldest
"""
LAST_CHANGE = "OPTIONAL MATCH (f:ChangeFeed {key: 'tracegraph'}) RETURN coalesce(f.last, 0) AS last"
PRUNE_CHANGES = """
MATCH (c:Change) WHERE c.at < $before
WITH c LIMIT 100000
DETACH DELETE c
RETURN count(*) AS pruned
"""


async def record(tx: Tx, changes: Sequence[NewChange], now: datetime) -> None:
    if changes:
        await execute(tx, RECORD_CHANGES, changes=[change.row() for change in changes], at=now)


def _change(props: Row) -> Change:
    return Change(
        id=props["id"],
        org=props["org"],
        kind=ChangeKind(props["kind"]),
        at=to_datetime(props["at"]),
        environment=props.get("environment"),
        snapshot_index=props.get("snapshot_index"),
        flow=props.get("flow"),
        fingerprint=props.get("fingerprint"),
        deployment_number=props.get("deployment_number"),
        started=feed.load_started(props.get("started")),
    )


async def changes_after(tx: Tx, after: int, limit: int, orgs: Sequence[str] | None) -> list[Change]:
    state = (await fetch(tx, FEED_STATE))[0]
    feed.check_after(after, oldest_retained=state["oldest"], last=state["last"])
    wanted = None if orgs is None else sorted(set(orgs))
    rows = await fetch(tx, CHANGES_AFTER, after=after, limit=limit, orgs=wanted)
    return [_change(row["change"]) for row in rows]


async def last_change_id(tx: Tx) -> int:
    return int((await fetch(tx, LAST_CHANGE))[0]["last"])


async def prune(tx: Tx, before: datetime) -> int:
    return int((await fetch(tx, PRUNE_CHANGES, before=before))[0]["pruned"])


# --- the writes that record their change (the store calls these) ---


async def report_snapshot(tx: Tx, report: SnapshotInput, now: datetime) -> ReportedSnapshot:
    reported = await governed.report_snapshot(tx, report, now)
    change = feed.snapshot_change(reported)
    if change is not None:
        await record(tx, [change], now)
    return reported


async def _stored(tx: Tx, artifacts: Sequence[ArtifactInput]) -> dict[feed.ArtifactKey, Artifact]:
    found: dict[feed.ArtifactKey, Artifact] = {}
    for org in dict.fromkeys(artifact.org for artifact in artifacts):
        keys = [(a.flow, a.fingerprint) for a in artifacts if a.org == org]
        for (flow, fingerprint), item in (await reads.artifacts_by_key(tx, org, keys)).items():
            found[(org, flow, fingerprint)] = item.artifact
    return found


async def report_artifact(tx: Tx, artifact: ArtifactInput, now: datetime) -> Artifact:
    before = await _stored(tx, [artifact])
    reported = await governed.report_artifact(tx, artifact, now)
    await record(tx, feed.artifact_changes(before, [reported]), now)
    return reported


async def report_artifacts(tx: Tx, artifacts: Sequence[ArtifactInput], now: datetime) -> list[Artifact]:
    before = await _stored(tx, artifacts)
    reported = await governed.report_artifacts(tx, artifacts, now)
    await record(tx, feed.artifact_changes(before, reported), now)
    return reported


async def report_deployment(tx: Tx, deployment: DeploymentInput, now: datetime) -> Deployment:
    reported = await writes.report_deployment(tx, deployment, now)
    await record(tx, [feed.deployment_change(reported)], now)
    return reported


async def report_deployments(tx: Tx, deployments: Sequence[DeploymentInput], now: datetime) -> list[Deployment]:
    reported = await writes.report_deployments(tx, deployments, now)
    await record(tx, [feed.deployment_change(deployment) for deployment in reported], now)
    return reported
