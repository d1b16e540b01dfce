"""The change feed on SQLite (`changes`, schema step 10): the writes that record a change in their own
transaction, and the feed's reads. The rules (what a change says, which resume points are retained) are in
tracegraph/graph/changes.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from tracegraph.graph import changes as feed
from tracegraph.graph.changes import Change, ChangeKind, NewChange
from tracegraph.graph.embedded import policies as governed
from tracegraph.graph.embedded import rows, writes
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.inputs import ArtifactInput, DeploymentInput, SnapshotInput
from tracegraph.graph.model import Artifact, Deployment
from tracegraph.graph.rules import utc_now
from tracegraph.graph.views import ReportedSnapshot

INSERT_CHANGE = """
    INSERT INTO changes (org, kind, at, environment, snapshot_index, flow, fingerprint, deployment_number, started)
    VALUES (:org, :kind, :at, :environment, :snapshot_index, :flow, :fingerprint, :deployment_number, :started)
"""
SELECT_AFTER = "SELECT * FROM changes WHERE id > ? ORDER BY id LIMIT ?"
# Per org through (org, id): a subscriber of one org does not walk the others' changes.
SELECT_AFTER_IN_ORGS = """
    SELECT c.* FROM json_each(?) AS o CROSS JOIN changes AS c INDEXED BY changes_by_org
    WHERE c.org = o.value AND c.id > ? ORDER BY c.id LIMIT ?
"""
# AUTOINCREMENT's counter survives pruning, so it is the last id ever given.
SELECT_LAST = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)"
SELECT_OLDEST = "SELECT min(id) FROM changes"
PRUNE = "DELETE FROM changes WHERE at < ?"
SELECT_ARTIFACT = "SELECT * FROM artifact_states a WHERE a.org = ? AND a.flow = ? AND a.fingerprint = ?"


def record(connection: sqlite3.Connection, changes: Sequence[NewChange]) -> None:
    at = to_micros(utc_now())
    connection.executemany(INSERT_CHANGE, [change.row() | {"at": at} for change in changes])


def _change(row: sqlite3.Row) -> Change:
    return Change(
        id=row["id"],
        org=row["org"],
        kind=ChangeKind(row["kind"]),
        at=from_micros(row["at"]),
        environment=row["environment"],
        snapshot_index=row["snapshot_index"],
        flow=row["flow"],
        fingerprint=row["fingerprint"],
        deployment_number=row["deployment_number"],
        started=feed.load_started(row["started"]),
    )


def changes_after(connection: sqlite3.Connection, after: int, limit: int, orgs: Sequence[str] | None) -> list[Change]:
    last = int(connection.execute(SELECT_LAST).fetchone()[0])
    oldest = connection.execute(SELECT_OLDEST).fetchone()[0]
    feed.check_after(after, oldest_retained=oldest, last=last)
    if orgs is None:
        found = connection.execute(SELECT_AFTER, (after, limit))
    else:
        found = connection.execute(SELECT_AFTER_IN_ORGS, (json.dumps(sorted(set(orgs))), after, limit))
    return [_change(row) for row in found]


def last_change_id(connection: sqlite3.Connection) -> int:
    return int(connection.execute(SELECT_LAST).fetchone()[0])


def prune(connection: sqlite3.Connection, before: datetime) -> int:
    return connection.execute(PRUNE, (to_micros(before),)).rowcount


# --- the writes that record their change (the store calls these) ---


def report_snapshot(connection: sqlite3.Connection, report: SnapshotInput) -> ReportedSnapshot:
    reported = governed.report_snapshot(connection, report)
    change = feed.snapshot_change(reported)
    if change is not None:
        record(connection, [change])
    return reported


def _stored(connection: sqlite3.Connection, artifacts: Sequence[ArtifactInput]) -> dict[feed.ArtifactKey, Artifact]:
    found: dict[feed.ArtifactKey, Artifact] = {}
    for artifact in artifacts:
        row = connection.execute(SELECT_ARTIFACT, (artifact.org, artifact.flow, artifact.fingerprint)).fetchone()
        if row is not None:
            found[(artifact.org, artifact.flow, artifact.fingerprint)] = rows.artifact(row)
    return found


def report_artifact(connection: sqlite3.Connection, artifact: ArtifactInput) -> Artifact:
    before = _stored(connection, [artifact])
    reported = governed.report_artifact(connection, artifact)
    record(connection, feed.artifact_changes(before, [reported]))
    return reported


def report_artifacts(connection: sqlite3.Connection, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
    before = _stored(connection, artifacts)
    reported = governed.report_artifacts(connection, artifacts)
    record(connection, feed.artifact_changes(before, reported))
    return reported


def report_deployment(connection: sqlite3.Connection, deployment: DeploymentInput) -> Deployment:
    reported = writes.report_deployment(connection, deployment)
    record(connection, [feed.deployment_change(reported)])
    return reported


def report_deployments(connection: sqlite3.Connection, deployments: Sequence[DeploymentInput]) -> list[Deployment]:
    reported = writes.report_deployments(connection, deployments)
    record(connection, [feed.deployment_change(deployment) for deployment in reported])
    return reported
