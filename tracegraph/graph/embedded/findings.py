"""The facts behind findings (tracegraph/graph/findings.py), read from SQLite in one transaction: a fixed number of
statements whatever the size of the running set."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from tracegraph.graph import findings, selectors
from tracegraph.graph.ancestry import AncestryIndex, CommitGraph
from tracegraph.graph.embedded import reads, rows
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.findings import ChangedRun, EventFlags, FindingKind, Findings
from tracegraph.graph.model import Deployment, Environment
from tracegraph.graph.selectors import SnapshotSelector
from tracegraph.graph.views import RunningArtifact
from tracegraph.policies.evaluation import PolicyEvaluation

SELECT_REPORTED_AT = "SELECT reported_at FROM snapshots WHERE org = ? AND environment = ? AND idx = ?"
SELECT_EVALUATIONS = """
    SELECT idx, evaluation FROM snapshot_evaluations
    WHERE org = :org AND environment = :environment AND idx IN (SELECT value FROM json_each(:indexes))
"""
# The failed attestations of the artifacts of some fingerprints: the reasons they are NON_COMPLIANT.
SELECT_FAILED = """
    SELECT a.flow, a.fingerprint, t.name, t.type FROM json_each(:fingerprints) AS k
    CROSS JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = k.value
    CROSS JOIN attestations AS t INDEXED BY attestations_by_state
    ON t.org = a.org AND t.flow = a.flow AND t.fingerprint = a.fingerprint AND t.compliant = 0
"""
# Deployments to the environment reported by :as_of whose fingerprint did not run there between the deployment and
# the end of its window (or :as_of, when sooner): a Run started by then and not stopped before the deployment.
SELECT_UNSTARTED = """
    SELECT d.* FROM deployments AS d INDEXED BY deployments_by_environment
    WHERE d.org = :org AND d.environment = :environment AND d.reported_at <= :as_of
    AND NOT EXISTS (
        SELECT 1 FROM runs AS r INDEXED BY runs_by_fingerprint
        LEFT JOIN snapshots AS s ON s.org = r.org AND s.environment = r.environment AND s.idx = r.to_index
        WHERE r.org = d.org AND r.fingerprint = d.fingerprint AND r.environment = d.environment
        AND r.started_at <= min(d.reported_at + :window, :as_of)
        AND (r.to_index IS NULL OR s.reported_at >= d.reported_at)
    )
"""


def _micros(window: timedelta) -> int:
    return window // timedelta(microseconds=1)


def _changed(connection: sqlite3.Connection, env: Environment, indexes: Iterable[int]) -> list[ChangedRun]:
    parameters = {"org": env.org, "environment": env.name, "indexes": json.dumps(sorted(set(indexes)))}
    return [
        ChangedRun(
            fingerprint=row["fingerprint"],
            name=row["name"],
            instances=row["instances"],
            from_index=row["from_index"],
            to_index=row["to_index"],
            started_at=from_micros(row["started_at"]),
        )
        for row in connection.execute(reads.SELECT_RUNS_CHANGING_AT, parameters)
    ]


def _deployments(
    connection: sqlite3.Connection, env: Environment, fingerprints: Iterable[str]
) -> dict[str, list[Deployment]]:
    found: dict[str, list[Deployment]] = defaultdict(list)
    for row in connection.execute(reads.SELECT_DEPLOYMENTS_TO, (env.org, env.name, json.dumps(sorted(fingerprints)))):
        found[row["fingerprint"]].append(rows.deployment(row))
    return found


def _graph(connection: sqlite3.Connection, org: str, index: AncestryIndex, needed: bool) -> CommitGraph | None:
    return reads.commit_graph(connection, org, index) if needed else None


def snapshot_findings(
    connection: sqlite3.Connection,
    org: str,
    environment_name: str,
    selector: SnapshotSelector,
    kinds: frozenset[FindingKind],
    window: timedelta,
    now: datetime,
    index: AncestryIndex,
) -> Findings:
    env = reads.environment(connection, org, environment_name)
    snapshot = None
    running: tuple[RunningArtifact, ...] = ()
    as_of = now
    if not selectors.nothing_reported(env, selector):
        number = reads.resolve_index(connection, env, selector)
        snapshot = reads.snapshot_row(connection, env, number)
        if number < env.latest_index:
            following = connection.execute(SELECT_REPORTED_AT, (org, env.name, number + 1)).fetchone()
            as_of = from_micros(following["reported_at"])
        running = reads.running(connection, env, number)
    changes: list[ChangedRun] = []
    if FindingKind.ROLL_BACK in kinds and running:
        changes = _changed(connection, env, {item.since_index for item in running})
    unstarted: list[Deployment] = []
    if FindingKind.DEPLOYED_NOT_STARTED in kinds:
        scope = {"org": org, "environment": env.name, "as_of": to_micros(as_of), "window": _micros(window)}
        unstarted = [rows.deployment(row) for row in connection.execute(SELECT_UNSTARTED, scope)]
    known = {item.fingerprint: item.artifacts for item in running}
    others = {run.fingerprint for run in changes} | {item.fingerprint for item in unstarted}
    known.update(reads.provenance(connection, org, others - known.keys()))
    failed: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    if FindingKind.NON_COMPLIANT in kinds and running:
        parameters = {"org": org, "fingerprints": json.dumps(sorted(known.keys() & {i.fingerprint for i in running}))}
        for row in connection.execute(SELECT_FAILED, parameters):
            failed[(row["flow"], row["fingerprint"])].append((row["name"], row["type"]))
    evaluation = None
    if FindingKind.NON_COMPLIANT in kinds and snapshot is not None:
        evaluation = _evaluations(connection, env, [snapshot.index]).get(snapshot.index)
    deployed: dict[str, list[Deployment]] = {}
    if FindingKind.STARTED_WITHOUT_DEPLOYMENT in kinds and running:
        deployed = _deployments(connection, env, {item.fingerprint for item in running if item.artifacts})
    return findings.assemble(
        findings.Facts(
            environment=env,
            snapshot=snapshot,
            as_of=as_of,
            window=window,
            kinds=kinds,
            running=running,
            provenance=known,
            failed=failed,
            deployed=deployed,
            unstarted=unstarted,
            changes=changes,
            graph=_graph(connection, org, index, any(run.to_index is not None for run in changes)),
            policy_reasons=findings.policy_reasons(evaluation),
        )
    )


def event_findings(
    connection: sqlite3.Connection,
    org: str,
    environment_name: str,
    indexes: Sequence[int],
    window: timedelta,
    index: AncestryIndex,
) -> EventFlags:
    env = reads.environment(connection, org, environment_name)
    changes = _changed(connection, env, indexes)
    known = reads.provenance(connection, org, {run.fingerprint for run in changes})
    started = {run.fingerprint for run in changes if run.from_index in set(indexes)}
    deployed = _deployments(connection, env, started)
    graph = _graph(connection, org, index, any(run.to_index is not None for run in changes))
    evaluations = _evaluations(connection, env, indexes)
    return findings.event_flags(indexes, changes, known, deployed, graph, window, evaluations)


def _evaluations(
    connection: sqlite3.Connection, env: Environment, indexes: Sequence[int]
) -> dict[int, PolicyEvaluation]:
    """The stored policy evaluations of those snapshots that have one (environments with policies)."""
    parameters = {"org": env.org, "environment": env.name, "indexes": json.dumps(sorted(set(indexes)))}
    return {
        row["idx"]: PolicyEvaluation.model_validate_json(row["evaluation"])
        for row in connection.execute(SELECT_EVALUATIONS, parameters)
    }
