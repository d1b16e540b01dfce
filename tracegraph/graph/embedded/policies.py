"""Policies on SQLite: versions in `policies`, attachments in `environment_policies`, each evaluated snapshot's
answer in `snapshot_evaluations` (one JSON document, so reading it is one row whatever the number of artifacts).

Every function runs inside the caller's transaction: `evaluate_latest` is called by the write that changed what
the latest snapshot's evaluation depends on (a report, an attachment, a new version, evidence), never later."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from tracegraph.graph import policies
from tracegraph.graph.embedded import reads, writes
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.inputs import ArtifactInput, AttestationInput, SnapshotInput, TrailAttestationInput
from tracegraph.graph.model import Artifact, Attestation, Environment
from tracegraph.graph.policies import Policy, PolicyInput
from tracegraph.graph.rules import utc_now
from tracegraph.graph.selectors import SnapshotSelector
from tracegraph.graph.views import ReportedSnapshot
from tracegraph.policies import ArtifactFacts, PolicyEvaluation

_LATEST = """
    SELECT * FROM policies AS p WHERE p.org = :org AND p.name = :name ORDER BY p.version DESC LIMIT 1
"""
INSERT_POLICY = """
    INSERT INTO policies (org, name, version, description, yaml, created_at)
    VALUES (:org, :name, :version, :description, :yaml, :created_at)
"""
# The latest version of each policy of the org.
SELECT_POLICIES = """
    SELECT p.* FROM policies AS p WHERE p.org = :org
    AND p.version = (SELECT max(q.version) FROM policies AS q WHERE q.org = p.org AND q.name = p.name)
    ORDER BY p.name
"""
SELECT_ATTACHED = """
    SELECT p.* FROM environment_policies AS e
    JOIN policies AS p ON p.org = e.org AND p.name = e.policy
    AND p.version = (SELECT max(q.version) FROM policies AS q WHERE q.org = p.org AND q.name = p.name)
    WHERE e.org = :org AND e.environment = :environment ORDER BY p.name
"""
SELECT_ATTACHMENTS = "SELECT environment, policy FROM environment_policies WHERE org = ? ORDER BY environment, policy"
SELECT_ENVIRONMENTS_OF = """
    SELECT environment FROM environment_policies INDEXED BY environment_policies_by_policy WHERE org = ? AND policy = ?
"""
ATTACH = "INSERT OR IGNORE INTO environment_policies (org, environment, policy, attached_at) VALUES (?, ?, ?, ?)"
DETACH = "DELETE FROM environment_policies WHERE org = ? AND environment = ? AND policy = ?"
STORE_EVALUATION = """
    INSERT OR REPLACE INTO snapshot_evaluations (org, environment, idx, compliant, evaluation)
    VALUES (:org, :environment, :index, :compliant, :evaluation)
"""
DROP_EVALUATION = "DELETE FROM snapshot_evaluations WHERE org = :org AND environment = :environment AND idx = :index"
SELECT_EVALUATION = "SELECT evaluation FROM snapshot_evaluations WHERE org = ? AND environment = ? AND idx = ?"
SELECT_OPEN = (
    "SELECT r.fingerprint, r.name FROM runs AS r INDEXED BY runs_closing"
    " WHERE r.org = ? AND r.environment = ? AND r.to_index IS NULL"
)
# A build's trail is compliant when it has one and neither the trail nor any artifact in it holds a failed
# attestation.
SELECT_BUILDS = """
    SELECT a.fingerprint, a.flow, (a.trail IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM trail_attestations AS ta INDEXED BY trail_attestations_by_trail
                        WHERE ta.org = a.org AND ta.flow = a.flow AND ta.trail = a.trail AND ta.compliant = 0)
        AND NOT EXISTS (SELECT 1 FROM artifacts AS b INDEXED BY artifacts_by_trail
                        JOIN attestations AS t INDEXED BY attestations_by_state
                        ON t.org = b.org AND t.flow = b.flow AND t.fingerprint = b.fingerprint AND t.compliant = 0
                        WHERE b.org = a.org AND b.flow = a.flow AND b.trail = a.trail)) AS trail_ok
    FROM (SELECT DISTINCT value AS fingerprint FROM json_each(:fingerprints)) AS k
    JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = k.fingerprint
    WHERE :flow IS NULL OR a.flow = :flow
"""
SELECT_EVIDENCE = """
    SELECT a.fingerprint, t.name, t.type, t.compliant
    FROM (SELECT DISTINCT value AS fingerprint FROM json_each(:fingerprints)) AS k
    JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = k.fingerprint
    JOIN attestations AS t INDEXED BY attestations_by_artifact
    ON t.org = a.org AND t.flow = a.flow AND t.fingerprint = a.fingerprint
    WHERE :flow IS NULL OR a.flow = :flow
    ORDER BY t.reported_at, t.id
"""
# Environments with a policy whose latest snapshot runs one of the fingerprints.
SELECT_GOVERNED_RUNNING = """
    SELECT DISTINCT r.environment FROM (SELECT DISTINCT value AS fingerprint FROM json_each(?)) AS k
    JOIN runs AS r INDEXED BY runs_by_fingerprint ON r.org = ? AND r.fingerprint = k.fingerprint
    WHERE r.to_index IS NULL
    AND EXISTS (SELECT 1 FROM environment_policies AS e WHERE e.org = r.org AND e.environment = r.environment)
"""
SELECT_BUILD = """
    SELECT name FROM artifacts INDEXED BY artifacts_by_fingerprint
    WHERE org = :org AND fingerprint = :fingerprint AND (:flow IS NULL OR flow = :flow) ORDER BY flow LIMIT 1
"""
SELECT_TRAIL_FINGERPRINTS = (
    "SELECT fingerprint FROM artifacts INDEXED BY artifacts_by_trail WHERE org = ? AND flow = ? AND trail = ?"
)


def _policy(row: sqlite3.Row) -> Policy:
    return Policy(
        org=row["org"],
        name=row["name"],
        version=row["version"],
        description=row["description"],
        yaml=row["yaml"],
        created_at=from_micros(row["created_at"]),
    )


def latest(connection: sqlite3.Connection, org: str, name: str) -> Policy | None:
    row = connection.execute(_LATEST, {"org": org, "name": name}).fetchone()
    return None if row is None else _policy(row)


def require(connection: sqlite3.Connection, org: str, name: str) -> Policy:
    found = latest(connection, org, name)
    if found is None:
        reads.require_org(connection, org)
        raise policies.not_found(org, name)
    return found


def create_policy(connection: sqlite3.Connection, policy: PolicyInput) -> Policy:
    reads.require_org(connection, policy.org)
    before = latest(connection, policy.org, policy.name)
    if before is not None and policies.unchanged(before, policy):
        return before
    values = policy.model_dump() | {
        "version": 1 if before is None else before.version + 1,
        "created_at": to_micros(utc_now()),
    }
    connection.execute(INSERT_POLICY, values)
    created = require(connection, policy.org, policy.name)
    for (name,) in connection.execute(SELECT_ENVIRONMENTS_OF, (policy.org, policy.name)).fetchall():
        evaluate_latest(connection, reads.environment(connection, policy.org, name))
    return created


def list_policies(connection: sqlite3.Connection, org: str) -> list[Policy]:
    reads.require_org(connection, org)
    return [_policy(row) for row in connection.execute(SELECT_POLICIES, {"org": org})]


def attached(connection: sqlite3.Connection, env: Environment) -> list[Policy]:
    return [_policy(row) for row in connection.execute(SELECT_ATTACHED, {"org": env.org, "environment": env.name})]


def environment_policies(connection: sqlite3.Connection, org: str, environment: str) -> list[Policy]:
    return attached(connection, reads.environment(connection, org, environment))


def attachments(connection: sqlite3.Connection, org: str) -> dict[str, list[str]]:
    reads.require_org(connection, org)
    found: dict[str, list[str]] = {}
    for environment, policy in connection.execute(SELECT_ATTACHMENTS, (org,)):
        found.setdefault(environment, []).append(policy)
    return found


def attach(
    connection: sqlite3.Connection, org: str, environment: str, policy: str, *, detach: bool = False
) -> list[Policy]:
    env = reads.environment(connection, org, environment)
    require(connection, org, policy)
    if detach:
        changed = connection.execute(DETACH, (org, env.name, policy)).rowcount
    else:
        changed = connection.execute(ATTACH, (org, env.name, policy, to_micros(utc_now()))).rowcount
    if changed:  # attaching twice (or detaching what is not attached) changes nothing, so re-evaluates nothing
        evaluate_latest(connection, env)
    return attached(connection, env)


def running_facts(
    connection: sqlite3.Connection, org: str, running: Sequence[tuple[str, str]], flow: str | None = None
) -> list[ArtifactFacts]:
    scope = {"org": org, "fingerprints": json.dumps([fingerprint for fingerprint, _ in running]), "flow": flow}
    builds = [(row[0], row[1], bool(row[2])) for row in connection.execute(SELECT_BUILDS, scope)]
    evidence = [(row[0], row[1], row[2], bool(row[3])) for row in connection.execute(SELECT_EVIDENCE, scope)]
    return policies.facts(running, builds, evidence)


def evaluate_latest(connection: sqlite3.Connection, env: Environment) -> None:
    """Evaluate the latest snapshot of `env` against the policies attached now; with none attached, drop its
    evaluation, so it answers by the rule without policies. Older snapshots keep theirs."""
    if not env.latest_index:
        return
    scope = {"org": env.org, "environment": env.name, "index": env.latest_index}
    found = attached(connection, env)
    if not found:
        connection.execute(DROP_EVALUATION, scope)
        return
    running = [(row[0], row[1]) for row in connection.execute(SELECT_OPEN, (env.org, env.name))]
    result = policies.evaluation(found, running_facts(connection, env.org, running), utc_now())
    connection.execute(
        STORE_EVALUATION, scope | {"compliant": result.compliant, "evaluation": result.model_dump_json()}
    )


def evidence_arrived(connection: sqlite3.Connection, org: str, fingerprints: Iterable[str]) -> None:
    """Re-evaluate the latest snapshot of every environment with a policy that runs one of `fingerprints`."""
    wanted = sorted(set(fingerprints))
    if not wanted:
        return
    for (name,) in connection.execute(SELECT_GOVERNED_RUNNING, (json.dumps(wanted), org)).fetchall():
        evaluate_latest(connection, reads.environment(connection, org, name))


def trail_evidence_arrived(connection: sqlite3.Connection, org: str, flow: str, trail: str) -> None:
    found = connection.execute(SELECT_TRAIL_FINGERPRINTS, (org, flow, trail)).fetchall()
    evidence_arrived(connection, org, (row[0] for row in found))


def snapshot_evaluation(
    connection: sqlite3.Connection, org: str, environment: str, selector: SnapshotSelector
) -> PolicyEvaluation | None:
    env = reads.environment(connection, org, environment)
    index = reads.resolve_index(connection, env, selector)
    row = connection.execute(SELECT_EVALUATION, (org, env.name, index)).fetchone()
    return None if row is None else PolicyEvaluation.model_validate_json(row[0])


def evaluate_artifact(
    connection: sqlite3.Connection,
    org: str,
    flow: str | None,
    fingerprint: str,
    *,
    environment: str | None,
    names: Sequence[str],
) -> PolicyEvaluation:
    """One artifact against the policies attached to `environment`, or those named: its name as it runs there
    (else as built)."""
    if environment is not None:
        env = reads.environment(connection, org, environment)
        chosen = attached(connection, env)
        running = dict(connection.execute(SELECT_OPEN, (org, env.name)).fetchall())
    else:
        chosen = [require(connection, org, name) for name in dict.fromkeys(names)]
        running = {}
    build = connection.execute(SELECT_BUILD, {"org": org, "flow": flow, "fingerprint": fingerprint}).fetchone()
    if build is None:
        reads.require_org(connection, org)
        raise policies.artifact_not_found(org, flow, fingerprint)
    name = running.get(fingerprint, build["name"])
    return policies.evaluation(chosen, running_facts(connection, org, [(fingerprint, name)], flow), utc_now())


# --- the writes whose transaction also re-evaluates what they change (the store calls these) ---


def report_snapshot(connection: sqlite3.Connection, report: SnapshotInput) -> ReportedSnapshot:
    reported = writes.report_snapshot(connection, report)
    if reported.changed:
        evaluate_latest(connection, reads.environment(connection, report.org, report.environment))
    return reported


def report_artifacts(connection: sqlite3.Connection, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
    found = writes.report_artifacts(connection, artifacts)
    for org in {artifact.org for artifact in artifacts}:
        evidence_arrived(connection, org, (a.fingerprint for a in artifacts if a.org == org))
    return found


def report_artifact(connection: sqlite3.Connection, artifact: ArtifactInput) -> Artifact:
    found = writes.report_artifact(connection, artifact)
    evidence_arrived(connection, artifact.org, [artifact.fingerprint])
    return found


def attest_many(connection: sqlite3.Connection, attestations: Sequence[AttestationInput]) -> list[Attestation]:
    found = writes.attest_many(connection, attestations)
    for org in {attestation.org for attestation in attestations}:
        evidence_arrived(connection, org, (a.fingerprint for a in attestations if a.org == org))
    return found


def attest(connection: sqlite3.Connection, attestation: AttestationInput) -> Attestation:
    found = writes.attest(connection, attestation)
    evidence_arrived(connection, attestation.org, [attestation.fingerprint])
    return found


def attest_trail(connection: sqlite3.Connection, attestation: TrailAttestationInput) -> Attestation:
    found = writes.attest_trail(connection, attestation)
    trail_evidence_arrived(connection, attestation.org, attestation.flow, attestation.trail)
    return found
