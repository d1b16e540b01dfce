"""Policies on Neo4j: `(:Policy {org, name, version})` nodes, the attached names on the Environment (`policies`, a
sorted list), and each evaluated snapshot's answer on `(:Evaluation {org, environment, index})` (one JSON document,
kept off the Snapshot so snapshot projections stay small).

Every function runs inside the caller's transaction. Writes that change what an environment's evaluation depends on
take the Environment's write lock first (as a report does), so a concurrent report and attachment are serialised;
new versions take the Org's, so two creators cannot both make version N+1."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from tracegraph.graph import policies
from tracegraph.graph.inputs import ArtifactInput, AttestationInput, SnapshotInput, TrailAttestationInput
from tracegraph.graph.model import Artifact, Attestation, Environment
from tracegraph.graph.neo4j import cypher, reads, records, writes
from tracegraph.graph.neo4j.transaction import Row, Tx, execute, existing, fetch
from tracegraph.graph.policies import Policy, PolicyInput
from tracegraph.graph.selectors import SnapshotSelector
from tracegraph.graph.views import ReportedSnapshot
from tracegraph.policies import ArtifactFacts, PolicyEvaluation

LOCK_ORG = "MATCH (o:Org {name: $org}) SET o.policy_lock = randomUUID() RETURN o.name AS name"
LATEST_POLICY = """
MATCH (p:Policy {org: $org, name: $name})
RETURN p {.*} AS policy ORDER BY p.version DESC LIMIT 1
"""
CREATE_POLICY = """
CREATE (p:Policy {org: $org, name: $name, version: $version, description: $description, yaml: $yaml,
                  created_at: $created_at})
RETURN p {.*} AS policy
"""
LIST_POLICIES = """
MATCH (p:Policy {org: $org})
WITH p.name AS name, max(p.version) AS version
MATCH (p:Policy {org: $org, name: name, version: version})
RETURN p {.*} AS policy ORDER BY name
"""
ATTACHED = """
MATCH (e:Environment {org: $org, name: $environment})
UNWIND coalesce(e.policies, []) AS name
MATCH (p:Policy {org: $org, name: name})
WITH name, max(p.version) AS version
MATCH (p:Policy {org: $org, name: name, version: version})
RETURN p {.*} AS policy ORDER BY name
"""
SET_ATTACHED = "MATCH (e:Environment {org: $org, name: $environment}) SET e.policies = $policies"
ATTACHED_NAMES = "MATCH (e:Environment {org: $org, name: $environment}) RETURN coalesce(e.policies, []) AS names"
ENVIRONMENTS_OF = "MATCH (e:Environment {org: $org}) WHERE $name IN e.policies RETURN e.name AS name"
ATTACHMENTS = """
MATCH (e:Environment {org: $org})
WHERE size(coalesce(e.policies, [])) > 0
RETURN e.name AS environment, e.policies AS policies ORDER BY e.name
"""
OPEN_RUNS = """
MATCH (r:Run {org: $org, environment: $environment, open: true})
RETURN r.fingerprint AS fingerprint, r.name AS name
"""
# A build's trail is compliant when it has one and neither the trail nor any artifact in it holds a failed
# attestation. Builds are reached through the Digest hub (the Artifact key leads with the flow).
BUILDS = """
UNWIND $fingerprints AS fingerprint
MATCH (:Digest {org: $org, fingerprint: fingerprint})<-[:HAS_DIGEST]-(a:Artifact)
WHERE $flow IS NULL OR a.flow = $flow
OPTIONAL MATCH (a)-[:IN_TRAIL]->(t:Trail)
RETURN fingerprint, a.flow AS flow, a.name AS name,
       t IS NOT NULL
       AND NOT EXISTS { MATCH (x:Attestation)-[:ON_TRAIL]->(t) WHERE NOT x.compliant }
       AND NOT EXISTS { MATCH (t)<-[:IN_TRAIL]-(:Artifact)<-[:ATTESTS]-(x:Attestation) WHERE NOT x.compliant }
       AS trail_ok,
       COLLECT { MATCH (a)<-[:ATTESTS]-(x:Attestation)
                 RETURN x {.name, .type, .compliant, .reported_at, .id} AS evidence } AS evidence
ORDER BY a.flow
"""
STORE_EVALUATION = """
MERGE (v:Evaluation {org: $org, environment: $environment, index: $index})
SET v.compliant = $compliant, v.document = $document
"""
DROP_EVALUATION = "MATCH (v:Evaluation {org: $org, environment: $environment, index: $index}) DELETE v"
GET_EVALUATION = "MATCH (v:Evaluation {org: $org, environment: $environment, index: $index}) RETURN v.document AS doc"
EVALUATED = """
UNWIND $indexes AS index
MATCH (v:Evaluation {org: $org, environment: $environment, index: index})
RETURN index, v.compliant AS compliant
"""
# Environments with a policy whose latest snapshot runs one of the fingerprints.
GOVERNED_RUNNING = """
UNWIND $fingerprints AS fingerprint
MATCH (r:Run {org: $org, fingerprint: fingerprint})
WHERE r.open
MATCH (e:Environment {org: $org, name: r.environment})
WHERE size(coalesce(e.policies, [])) > 0
RETURN DISTINCT e.name AS name
"""
TRAIL_FINGERPRINTS = """
MATCH (a:Artifact)-[:IN_TRAIL]->(:Trail {org: $org, flow: $flow, name: $trail})
RETURN a.fingerprint AS fingerprint
"""


def _policy(props: Row) -> Policy:
    return Policy(
        org=props["org"],
        name=props["name"],
        version=int(props["version"]),
        description=props["description"],
        yaml=props["yaml"],
        created_at=records.to_datetime(props["created_at"]),
    )


async def latest(tx: Tx, org: str, name: str) -> Policy | None:
    rows = await fetch(tx, LATEST_POLICY, org=org, name=name)
    return _policy(rows[0]["policy"]) if rows else None


async def require(tx: Tx, org: str, name: str) -> Policy:
    found = await latest(tx, org, name)
    if found is None:
        (await existing(tx, org)).require_org()
        raise policies.not_found(org, name)
    return found


async def create_policy(tx: Tx, policy: PolicyInput, now: datetime) -> Policy:
    if not await fetch(tx, LOCK_ORG, org=policy.org):
        (await existing(tx, policy.org)).require_org()
    before = await latest(tx, policy.org, policy.name)
    if before is not None and policies.unchanged(before, policy):
        return before
    version = 1 if before is None else before.version + 1
    rows = await fetch(tx, CREATE_POLICY, **policy.model_dump(), version=version, created_at=now)
    for row in await fetch(tx, ENVIRONMENTS_OF, org=policy.org, name=policy.name):
        await evaluate_latest(tx, await _locked(tx, policy.org, row["name"]), now)
    return _policy(rows[0]["policy"])


async def list_policies(tx: Tx, org: str) -> list[Policy]:
    (await existing(tx, org)).require_org()
    return [_policy(row["policy"]) for row in await fetch(tx, LIST_POLICIES, org=org)]


async def attached(tx: Tx, env: Environment) -> list[Policy]:
    return [_policy(row["policy"]) for row in await fetch(tx, ATTACHED, org=env.org, environment=env.name)]


async def environment_policies(tx: Tx, org: str, environment: str) -> list[Policy]:
    return await attached(tx, await reads.environment(tx, org, environment))


async def attachments(tx: Tx, org: str) -> dict[str, list[str]]:
    (await existing(tx, org)).require_org()
    return {row["environment"]: list(row["policies"]) for row in await fetch(tx, ATTACHMENTS, org=org)}


async def _locked(tx: Tx, org: str, environment: str) -> Environment:
    if not await fetch(tx, cypher.LOCK_ENVIRONMENT, org=org, environment=environment):
        (await existing(tx, org, environment=environment)).require_environment()
    return await reads.environment(tx, org, environment)


async def attach(
    tx: Tx, org: str, environment: str, policy: str, now: datetime, *, detach: bool = False
) -> list[Policy]:
    env = await _locked(tx, org, environment)
    await require(tx, org, policy)
    names = set((await fetch(tx, ATTACHED_NAMES, org=org, environment=env.name))[0]["names"])
    wanted = names - {policy} if detach else names | {policy}
    if wanted != names:  # attaching twice (or detaching what is not attached) changes nothing, re-evaluates nothing
        await execute(tx, SET_ATTACHED, org=org, environment=env.name, policies=sorted(wanted))
        await evaluate_latest(tx, env, now)
    return await attached(tx, env)


async def running_facts(
    tx: Tx, org: str, running: Sequence[tuple[str, str]], flow: str | None = None
) -> tuple[list[ArtifactFacts], dict[str, str]]:
    """The facts of `running` (fingerprint, name), and the name of each fingerprint's first build."""
    rows = await fetch(tx, BUILDS, org=org, fingerprints=[fingerprint for fingerprint, _ in running], flow=flow)
    builds = [(row["fingerprint"], row["flow"], bool(row["trail_ok"])) for row in rows]
    evidence = sorted(
        ((row["fingerprint"], item) for row in rows for item in row["evidence"]),
        key=lambda pair: (records.to_datetime(pair[1]["reported_at"]), pair[1]["id"]),
    )
    found = policies.facts(
        running, builds, [(fp, item["name"], item["type"], bool(item["compliant"])) for fp, item in evidence]
    )
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row["fingerprint"], row["name"])
    return found, names


async def evaluate_latest(tx: Tx, env: Environment, now: datetime) -> None:
    """Evaluate the latest snapshot of `env` (locked by the caller) against the policies attached now; with none
    attached, drop its evaluation. Older snapshots keep theirs."""
    if not env.latest_index:
        return
    scope = {"org": env.org, "environment": env.name, "index": env.latest_index}
    found = await attached(tx, env)
    if not found:
        await execute(tx, DROP_EVALUATION, **scope)
        return
    running = [
        (row["fingerprint"], row["name"]) for row in await fetch(tx, OPEN_RUNS, org=env.org, environment=env.name)
    ]
    result = policies.evaluation(found, (await running_facts(tx, env.org, running))[0], now)
    await execute(tx, STORE_EVALUATION, **scope, compliant=result.compliant, document=result.model_dump_json())


async def evidence_arrived(tx: Tx, org: str, fingerprints: Iterable[str], now: datetime) -> None:
    wanted = sorted(set(fingerprints))
    if not wanted:
        return
    for row in await fetch(tx, GOVERNED_RUNNING, org=org, fingerprints=wanted):
        await evaluate_latest(tx, await _locked(tx, org, row["name"]), now)


async def snapshot_evaluation(
    tx: Tx, org: str, environment: str, selector: SnapshotSelector
) -> PolicyEvaluation | None:
    env = await reads.environment(tx, org, environment)
    index = await reads.resolve_index(tx, env, selector)
    rows = await fetch(tx, GET_EVALUATION, org=org, environment=env.name, index=index)
    return PolicyEvaluation.model_validate_json(rows[0]["doc"]) if rows else None


async def evaluated_compliance(tx: Tx, env: Environment, indexes: Sequence[int]) -> dict[int, bool]:
    rows = await fetch(tx, EVALUATED, org=env.org, environment=env.name, indexes=list(indexes))
    return {int(row["index"]): bool(row["compliant"]) for row in rows}


async def evaluate_artifact(
    tx: Tx,
    org: str,
    flow: str | None,
    fingerprint: str,
    *,
    environment: str | None,
    names: Sequence[str],
    now: datetime,
) -> PolicyEvaluation:
    running: dict[str, str] = {}
    if environment is not None:
        env = await reads.environment(tx, org, environment)
        chosen = await attached(tx, env)
        rows = await fetch(tx, OPEN_RUNS, org=org, environment=env.name)
        running = {row["fingerprint"]: row["name"] for row in rows}
    else:
        chosen = [await require(tx, org, name) for name in dict.fromkeys(names)]
    probe, built = await running_facts(tx, org, [(fingerprint, "")], flow)
    if fingerprint not in built:
        (await existing(tx, org)).require_org()
        raise policies.artifact_not_found(org, flow, fingerprint)
    name = running.get(fingerprint, built[fingerprint])
    return policies.evaluation(chosen, [dataclasses.replace(probe[0], name=name)], now)


# --- the writes whose transaction also re-evaluates what they change (the store calls these) ---


async def report_snapshot(tx: Tx, report: SnapshotInput, now: datetime) -> ReportedSnapshot:
    reported = await writes.report_snapshot(tx, report, now)
    if reported.changed:  # the report holds the Environment's lock already
        await evaluate_latest(tx, await reads.environment(tx, report.org, report.environment), now)
    return reported


async def report_artifact(tx: Tx, artifact: ArtifactInput, now: datetime) -> Artifact:
    found = await writes.report_artifact(tx, artifact, now)
    await evidence_arrived(tx, artifact.org, [artifact.fingerprint], now)
    return found


async def report_artifacts(tx: Tx, artifacts: Sequence[ArtifactInput], now: datetime) -> list[Artifact]:
    found = await writes.report_artifacts(tx, artifacts, now)
    for org in sorted({artifact.org for artifact in artifacts}):
        await evidence_arrived(tx, org, (a.fingerprint for a in artifacts if a.org == org), now)
    return found


async def attest(tx: Tx, attestation: AttestationInput, now: datetime, attestation_id: str) -> Attestation:
    found = await writes.attest(tx, attestation, now, attestation_id)
    await evidence_arrived(tx, attestation.org, [attestation.fingerprint], now)
    return found


async def attest_many(
    tx: Tx, attestations: Sequence[AttestationInput], now: datetime, attestation_ids: Sequence[str]
) -> list[Attestation]:
    found = await writes.attest_many(tx, attestations, now, attestation_ids)
    for org in sorted({attestation.org for attestation in attestations}):
        await evidence_arrived(tx, org, (a.fingerprint for a in attestations if a.org == org), now)
    return found


async def attest_trail(tx: Tx, attestation: TrailAttestationInput, now: datetime, attestation_id: str) -> Attestation:
    found = await writes.attest_trail(tx, attestation, now, attestation_id)
    key = {"org": attestation.org, "flow": attestation.flow, "trail": attestation.trail}
    rows = await fetch(tx, TRAIL_FINGERPRINTS, **key)
    await evidence_arrived(tx, attestation.org, (row["fingerprint"] for row in rows), now)
    return found
