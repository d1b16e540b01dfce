"""The facts behind findings (tracegraph/graph/findings.py), read from Neo4j in one transaction: a fixed number of
statements whatever the size of the running set."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from tracegraph.graph import findings, selectors
from tracegraph.graph.ancestry import AncestryIndex
from tracegraph.graph.findings import ChangedRun, EventFlags, FindingKind, Findings
from tracegraph.graph.model import Deployment, Environment
from tracegraph.graph.neo4j import cypher, reads, records
from tracegraph.graph.neo4j.transaction import Row, Tx, fetch
from tracegraph.graph.selectors import SnapshotSelector
from tracegraph.graph.views import Provenance, RunningArtifact
from tracegraph.policies.evaluation import PolicyEvaluation

# The failed attestations of the artifacts of some fingerprints: the reasons they are NON_COMPLIANT.
EVALUATIONS = """
UNWIND $indexes AS index
MATCH (v:Evaluation {org: $org, environment: $environment, index: index})
RETURN index, v.document AS doc
"""
FAILED_ATTESTATIONS = """
UNWIND $fingerprints AS fingerprint
MATCH (:Digest {org: $org, fingerprint: fingerprint})<-[:HAS_DIGEST]-(a:Artifact)<-[:ATTESTS]-(t:Attestation)
WHERE NOT t.compliant
RETURN collect([a.flow, a.fingerprint, t.name, t.type]) AS failed
"""

# Deployments to the environment reported by $as_of whose fingerprint did not run there between the deployment and
# the end of its window (or $as_of, when sooner): a Run started by then and not stopped before the deployment.
# Seeks on deployment_environment, then on run_fingerprint per deployment.
UNSTARTED_DEPLOYMENTS = """
MATCH (d:Deployment {org: $org, environment: $environment})
WHERE d.reported_at <= $as_of
WITH d, CASE WHEN d.reported_at + $window < $as_of THEN d.reported_at + $window ELSE $as_of END AS until
WHERE NOT EXISTS {
    MATCH (r:Run {org: $org, fingerprint: d.fingerprint})
    WHERE r.environment = $environment AND r.started_at <= until
      AND (r.open OR EXISTS {
          MATCH (s:Snapshot {org: $org, environment: $environment, index: r.to_index})
          WHERE s.reported_at >= d.reported_at
      })
}
RETURN collect(d {.*}) AS deployments
"""


def _changed(rows: Iterable[Row]) -> list[ChangedRun]:
    return [
        ChangedRun(
            fingerprint=run["fingerprint"],
            name=run["name"],
            instances=int(run["instances"]),
            from_index=int(run["from_index"]),
            to_index=None if run.get("to_index") is None else int(run["to_index"]),
            started_at=records.to_datetime(run["started_at"]),
        )
        for run in rows
    ]


async def _changes(tx: Tx, env: Environment, indexes: Iterable[int]) -> list[ChangedRun]:
    wanted = sorted(set(indexes))
    if not wanted:
        return []
    rows = await fetch(tx, cypher.RUNS_CHANGING_AT, org=env.org, environment=env.name, indexes=wanted)
    return _changed(rows[0]["runs"])


async def snapshot_findings(
    tx: Tx,
    org: str,
    environment_name: str,
    selector: SnapshotSelector,
    kinds: frozenset[FindingKind],
    window: timedelta,
    now: datetime,
    index: AncestryIndex,
) -> Findings:
    env = await reads.environment(tx, org, environment_name)
    snapshot = None
    runs: list[Row] = []
    as_of = now
    if not selectors.nothing_reported(env, selector):
        number = await reads.resolve_index(tx, env, selector)
        snapshot = await reads.snapshot_row(tx, env, number)
        if number < env.latest_index:
            as_of = (await reads.snapshot_row(tx, env, number + 1)).reported_at
        runs = await reads.running_runs(tx, env, number)
    fingerprints = {run["fingerprint"] for run in runs}
    changes: list[ChangedRun] = []
    if FindingKind.ROLL_BACK in kinds:
        changes = await _changes(tx, env, {int(run["from_index"]) for run in runs})
    unstarted: list[Deployment] = []
    if FindingKind.DEPLOYED_NOT_STARTED in kinds:
        found = await fetch(tx, UNSTARTED_DEPLOYMENTS, org=org, environment=env.name, as_of=as_of, window=window)
        unstarted = [records.deployment(row) for row in found[0]["deployments"]]
    wanted = fingerprints | {run.fingerprint for run in changes} | {item.fingerprint for item in unstarted}
    known, deployed = await reads.provenance_and_deployments(
        tx, env, wanted, fingerprints if FindingKind.STARTED_WITHOUT_DEPLOYMENT in kinds else ()
    )
    failed: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    if FindingKind.NON_COMPLIANT in kinds and fingerprints:
        found = await fetch(tx, FAILED_ATTESTATIONS, org=org, fingerprints=sorted(fingerprints & known.keys()))
        for flow, fingerprint, name, kind in found[0]["failed"]:
            failed[(flow, fingerprint)].append((name, kind))
    evaluation = None
    if FindingKind.NON_COMPLIANT in kinds and snapshot is not None:
        evaluation = (await _evaluations(tx, env, [snapshot.index])).get(snapshot.index)
    running: tuple[RunningArtifact, ...] = reads.running_set(runs, known)
    needs_graph = any(run.to_index is not None for run in changes)
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
            graph=await reads.commit_graph(tx, org, index) if needs_graph else None,
            policy_reasons=findings.policy_reasons(evaluation),
        )
    )


async def event_findings(
    tx: Tx, org: str, environment_name: str, indexes: Sequence[int], window: timedelta, index: AncestryIndex
) -> EventFlags:
    env = await reads.environment(tx, org, environment_name)
    changes = await _changes(tx, env, indexes)
    wanted = set(indexes)
    started = {run.fingerprint for run in changes if run.from_index in wanted}
    known: dict[str, tuple[Provenance, ...]]
    known, deployed = await reads.provenance_and_deployments(tx, env, {run.fingerprint for run in changes}, started)
    needs_graph = any(run.to_index is not None for run in changes)
    graph = await reads.commit_graph(tx, org, index) if needs_graph else None
    evaluations = await _evaluations(tx, env, indexes)
    return findings.event_flags(indexes, changes, known, deployed, graph, window, evaluations)


async def _evaluations(tx: Tx, env: Environment, indexes: Sequence[int]) -> dict[int, PolicyEvaluation]:
    """The stored policy evaluations of those snapshots that have one (environments with policies)."""
    rows = await fetch(tx, EVALUATIONS, org=env.org, environment=env.name, indexes=sorted(set(indexes)))
    return {int(row["index"]): PolicyEvaluation.model_validate_json(row["doc"]) for row in rows}
