"""Write transaction functions of the Neo4j store, each run by one `execute_write`.

The driver retries a transaction function after a transient failure (a deadlock, a leader switch), so each one is
idempotent: nodes are MERGEd on their keys, and values that must not change between attempts (now, new ids) are
fixed by the caller before the first attempt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from tracegraph.graph import assembly, instances, not_found, report_time, trails
from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    CommitInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    FlowInput,
    OrgInput,
    SnapshotInput,
    TrailAttestationInput,
    TrailInput,
)
from tracegraph.graph.model import Artifact, Attestation, Deployment, Environment, Flow, Org, Trail
from tracegraph.graph.neo4j import cypher, reads, records
from tracegraph.graph.neo4j.transaction import Tx, execute, existing, fetch
from tracegraph.graph.views import CommitsReported, ReportedSnapshot
from tracegraph.ingest.running_set import events_at, plan_changes


async def create_org(tx: Tx, org: OrgInput, now: datetime) -> Org:
    rows = await fetch(tx, cypher.MERGE_ORG, name=org.name, public=org.public, description=org.description, now=now)
    return records.org(rows[0]["org"])


async def create_flow(tx: Tx, flow: FlowInput, now: datetime) -> Flow:
    rows = await fetch(
        tx,
        cypher.MERGE_FLOW,
        org=flow.org,
        name=flow.name,
        description=flow.description,
        repo_url=flow.repo_url,
        template_yaml=flow.template_yaml,
        now=now,
    )
    if not rows:
        raise not_found.org(flow.org)
    return records.flow(rows[0]["flow"])


async def create_environment(tx: Tx, environment: EnvironmentInput, now: datetime) -> Environment:
    rows = await fetch(
        tx,
        cypher.MERGE_ENVIRONMENT,
        org=environment.org,
        name=environment.name,
        type=environment.type.value,
        description=environment.description,
        now=now,
    )
    if not rows:
        raise not_found.org(environment.org)
    return records.environment(rows[0]["environment"])


async def upsert_commits(tx: Tx, org: str, repo_url: str | None, commits: Sequence[CommitInput]) -> int:
    """Store commits with their ordered parents; answer how many were not reported before. A field not given (None)
    keeps what is stored; parents given replace the stored ones."""
    latest: dict[str, CommitInput] = {}
    for commit in commits:
        earlier = latest.get(commit.sha)
        if earlier is not None:  # as if reported one after the other: what the later one leaves out survives
            commit = commit.model_copy(
                update={
                    field: getattr(earlier, field)
                    for field in CommitInput.model_fields
                    if getattr(commit, field) is None
                }
            )
        latest[commit.sha] = commit
    shas = list(latest)
    before = {row["sha"] for row in await fetch(tx, cypher.REPORTED_SHAS, org=org, shas=shas)}
    rows = [
        {
            "sha": commit.sha,
            "message": commit.message,
            "author": commit.author,
            "author_email": commit.author_email,
            "timestamp": commit.timestamp,
            "branch": commit.branch,
            "url": commit.url,
            "parents_known": commit.parents is not None,
        }
        for commit in latest.values()
    ]
    seq = (await fetch(tx, cypher.NEXT_COMMIT_SEQ, org=org))[0]["seq"]
    await execute(tx, cypher.UPSERT_COMMITS, org=org, repo_url=repo_url, rows=rows, seq=seq)
    with_parents = [commit.sha for commit in latest.values() if commit.parents is not None]
    await execute(tx, cypher.DELETE_PARENT_EDGES, org=org, shas=with_parents)
    if repo_url is not None:
        await execute(tx, cypher.LINK_REPOSITORY, org=org, url=repo_url, shas=shas)
    edges = [
        {"child": commit.sha, "parent": parent, "position": position}
        for commit in latest.values()
        for position, parent in enumerate(commit.parents or ())
    ]
    if edges:
        await execute(tx, cypher.LINK_PARENTS, org=org, edges=edges)
    await execute(tx, cypher.LINK_BUILT_FROM_COMMITS, org=org, shas=shas)
    return len(set(shas) - before)


async def report_commits(tx: Tx, batch: CommitsInput) -> CommitsReported:
    (await existing(tx, batch.org)).require_org()
    await execute(
        tx, cypher.MERGE_REPOSITORY, org=batch.org, url=batch.repo_url, name=batch.repo_name, provider=batch.provider
    )
    created = await upsert_commits(tx, batch.org, batch.repo_url, batch.commits)
    return CommitsReported(received=len(batch.commits), created=created)


def _commits_of(artifact: ArtifactInput) -> list[CommitInput]:
    """The commits an artifact report writes, in order: its history, then its own commit."""
    return [*artifact.history, *([artifact.commit] if artifact.commit is not None else [])]


async def _link_trails(tx: Tx, org: str, batch: Sequence[ArtifactInput], now: datetime) -> None:
    """Each trail named is created when missing (with the commit of the first artifact naming it); each artifact
    ends linked to the last trail named for it, as if reported one by one."""
    named = [artifact for artifact in batch if artifact.trail is not None]
    if not named:
        return
    created: dict[tuple[str, str], dict[str, object]] = {}
    linked: dict[tuple[str, str], dict[str, object]] = {}
    for artifact in named:
        git_commit = artifact.git_commit or (artifact.commit.sha if artifact.commit else None)
        created.setdefault(
            (artifact.flow, str(artifact.trail)),
            {"flow": artifact.flow, "trail": artifact.trail, "git_commit": git_commit},
        )
        linked[(artifact.flow, artifact.fingerprint)] = {
            "flow": artifact.flow,
            "fingerprint": artifact.fingerprint,
            "trail": artifact.trail,
            "template_reference_name": artifact.template_reference_name,
        }
    await execute(tx, cypher.ENSURE_TRAILS, org=org, rows=list(created.values()), now=now)
    await execute(tx, cypher.LINK_TRAILS, org=org, rows=list(linked.values()))
    slotted = [row for row in linked.values() if row["template_reference_name"] is not None]
    if slotted:
        await execute(tx, cypher.BIND_PENDING, org=org, rows=slotted)


async def begin_trail(tx: Tx, trail: TrailInput, now: datetime) -> Trail:
    (await existing(tx, trail.org, flow=trail.flow)).require_flow()
    if trail.git_commit is not None:
        if trail.repo_url is not None:
            await execute(tx, cypher.MERGE_REPOSITORY, org=trail.org, url=trail.repo_url, name=None, provider=None)
        await upsert_commits(tx, trail.org, trail.repo_url, [trail.git_commit])
    rows = await fetch(
        tx,
        cypher.MERGE_TRAIL,
        org=trail.org,
        flow=trail.flow,
        name=trail.name,
        description=trail.description,
        origin_url=trail.origin_url,
        user_data=json.dumps(trail.user_data, default=str),
        git_commit=trail.git_commit.sha if trail.git_commit else None,
        template_yaml=trail.template_yaml,
        now=now,
    )
    return records.trail(rows[0]["trail"])


async def report_artifact(tx: Tx, artifact: ArtifactInput, now: datetime) -> Artifact:
    (await existing(tx, artifact.org, flow=artifact.flow)).require_flow()
    if commits := _commits_of(artifact):
        if artifact.repo_url is not None:
            await execute(
                tx, cypher.MERGE_REPOSITORY, org=artifact.org, url=artifact.repo_url, name=None, provider=None
            )
        await upsert_commits(tx, artifact.org, artifact.repo_url, commits)
    key = {"org": artifact.org, "flow": artifact.flow, "fingerprint": artifact.fingerprint}
    await execute(
        tx,
        cypher.UPSERT_ARTIFACT,
        **key,
        name=artifact.name,
        created_at=artifact.created_at or now,
        build_url=artifact.build_url,
        commit_url=artifact.commit_url,
        git_commit=artifact.git_commit or (artifact.commit.sha if artifact.commit else None),
    )
    await execute(tx, cypher.RELINK_BUILT_FROM, **key)
    await _link_trails(tx, artifact.org, [artifact], now)
    found = await reads.artifacts_by_key(tx, artifact.org, [(artifact.flow, artifact.fingerprint)])
    return found[(artifact.flow, artifact.fingerprint)].artifact


async def report_deployment(tx: Tx, deployment: DeploymentInput, now: datetime) -> Deployment:
    found = await existing(
        tx,
        deployment.org,
        flow=deployment.flow,
        environment=deployment.environment,
        fingerprint=deployment.fingerprint,
    )
    found.require_artifact()
    found.require_environment()
    await execute(tx, cypher.LOCK_FLOW, org=deployment.org, flow=deployment.flow)
    rows = await fetch(
        tx,
        cypher.CREATE_DEPLOYMENT,
        org=deployment.org,
        flow=deployment.flow,
        fingerprint=deployment.fingerprint,
        environment=deployment.environment,
        reported_at=deployment.reported_at or now,
        user=deployment.user,
        description=deployment.description,
    )
    return records.deployment(rows[0]["deployment"])


async def report_snapshot(tx: Tx, report: SnapshotInput, now: datetime) -> ReportedSnapshot:
    scope = {"org": report.org, "environment": report.environment}
    if not await fetch(tx, cypher.LOCK_ENVIRONMENT, **scope):
        (await existing(tx, report.org, environment=report.environment)).require_environment()
    state = (await fetch(tx, cypher.LATEST_STATE, **scope))[0]
    env = records.environment(state["environment"])
    latest = env.latest_index
    previous = records.snapshot(state["snapshot"]) if latest else None
    reported_at = report_time.snapshot_time(report.reported_at, now=now, latest=previous)
    current = {run.fingerprint: run for run in (records.open_run(row) for row in state["runs"])}
    run_ids = {row["fingerprint"]: row["id"] for row in state["runs"]}
    changes = plan_changes(current, report.artifacts)
    if previous is not None and not changes.changed:
        await execute(tx, cypher.TOUCH_ENVIRONMENT, **scope, reported_at=reported_at)
        return ReportedSnapshot(snapshot=previous, changed=False, events=())
    index = latest + 1
    opened = [run.fingerprint for run in changes.open]
    await execute(tx, cypher.MERGE_DIGESTS, org=report.org, fingerprints=opened)
    rows = await fetch(tx, cypher.CREATE_SNAPSHOT, **scope, index=index, reported_at=reported_at)
    if changes.close:
        await execute(tx, cypher.CLOSE_RUNS, index=index, ids=[run_ids[fingerprint] for fingerprint in changes.close])
    if changes.open:
        # A Run keeps the instances detail of the report that opened it; later reports of the same count leave it.
        detail = {running.fingerprint: instances.dump(running.instances_detail) for running in report.artifacts}
        runs = [
            {
                "fingerprint": run.fingerprint,
                "name": run.name,
                "instances": run.instances,
                "instances_detail": detail[run.fingerprint],
            }
            for run in changes.open
        ]
        await execute(tx, cypher.OPEN_RUNS, **scope, index=index, reported_at=reported_at, runs=runs)
    # The events of the new snapshot are exactly the Runs this report opened and closed.
    shapes = events_at(changes.open, [current[fingerprint] for fingerprint in changes.close])
    fingerprints = {shape.fingerprint for shape in shapes}
    known, deployed = await reads.provenance_and_deployments(tx, env, fingerprints, fingerprints)
    return ReportedSnapshot(
        snapshot=records.snapshot(rows[0]["snapshot"]),
        changed=True,
        events=assembly.events(shapes, known, deployed),
    )


async def attest(tx: Tx, attestation: AttestationInput, now: datetime, attestation_id: str) -> Attestation:
    (await existing(tx, attestation.org, flow=attestation.flow, fingerprint=attestation.fingerprint)).require_artifact()
    rows = await fetch(
        tx,
        cypher.CREATE_ATTESTATION,
        org=attestation.org,
        id=attestation_id,
        flow=attestation.flow,
        fingerprint=attestation.fingerprint,
        type=attestation.type,
        name=attestation.name,
        compliant=attestation.compliant,
        reported_at=attestation.reported_at or now,
        url=attestation.url,
        data=json.dumps(attestation.data, default=str),
    )
    return records.attestation(rows[0]["attestation"])


async def attest_trail(tx: Tx, attestation: TrailAttestationInput, now: datetime, attestation_id: str) -> Attestation:
    (await existing(tx, attestation.org, flow=attestation.flow)).require_flow()
    key = {"org": attestation.org, "flow": attestation.flow, "trail": attestation.trail}
    if not await fetch(tx, cypher.GET_TRAIL, org=attestation.org, flow=attestation.flow, name=attestation.trail):
        raise not_found.trail(attestation.flow, attestation.trail)
    values = {
        "id": attestation_id,
        "type": attestation.type,
        "name": attestation.name,
        "compliant": attestation.compliant,
        "reported_at": attestation.reported_at or now,
        "url": attestation.url,
        "data": json.dumps(attestation.data, default=str),
    }
    if attestation.target_artifact is not None:
        slot = await fetch(tx, cypher.SLOT_ARTIFACTS, **key, slot=attestation.target_artifact)
        candidates = {row["fingerprint"]: row["git_commit"] for row in slot}
        bound = trails.binding(candidates, attestation.git_commit)
        if bound is not None:
            rows = await fetch(
                tx, cypher.CREATE_ATTESTATION, org=attestation.org, flow=attestation.flow, fingerprint=bound, **values
            )
            return records.attestation(rows[0]["attestation"])
    rows = await fetch(
        tx,
        cypher.CREATE_TRAIL_ATTESTATION,
        **key,
        target_artifact=attestation.target_artifact,
        git_commit=attestation.git_commit,
        **values,
    )
    return records.attestation(rows[0]["attestation"])


async def report_artifacts(tx: Tx, artifacts: Sequence[ArtifactInput], now: datetime) -> list[Artifact]:
    """The batch as UNWINDs per org: commits riding along first (per repository, as `report_artifact` does one by
    one), then the artifacts, then their BUILT_FROM edges."""
    by_org: dict[str, list[ArtifactInput]] = {}
    for artifact in artifacts:
        by_org.setdefault(artifact.org, []).append(artifact)
    found: dict[tuple[str, str, str], Artifact] = {}
    for org, batch in by_org.items():
        for flow in dict.fromkeys(artifact.flow for artifact in batch):
            (await existing(tx, org, flow=flow)).require_flow()
        # Consecutive artifacts of one repository share an upsert; the order of reports is kept (the last wins).
        with_commits: list[tuple[str | None, list[CommitInput]]] = []
        for artifact in batch:
            if not (commits := _commits_of(artifact)):
                continue
            if with_commits and with_commits[-1][0] == artifact.repo_url:
                with_commits[-1][1].extend(commits)
            else:
                with_commits.append((artifact.repo_url, commits))
        for repo_url, commits in with_commits:
            if repo_url is not None:
                await execute(tx, cypher.MERGE_REPOSITORY, org=org, url=repo_url, name=None, provider=None)
            await upsert_commits(tx, org, repo_url, commits)
        rows = [
            {
                "flow": artifact.flow,
                "fingerprint": artifact.fingerprint,
                "name": artifact.name,
                "created_at": artifact.created_at or now,
                "build_url": artifact.build_url,
                "commit_url": artifact.commit_url,
                "git_commit": artifact.git_commit or (artifact.commit.sha if artifact.commit else None),
            }
            for artifact in batch
        ]
        await execute(tx, cypher.UPSERT_ARTIFACTS, org=org, rows=rows)
        keys = list(dict.fromkeys((artifact.flow, artifact.fingerprint) for artifact in batch))
        await execute(tx, cypher.RELINK_BUILT_FROM_MANY, org=org, keys=[list(key) for key in keys])
        await _link_trails(tx, org, batch, now)
        stored = await reads.artifacts_by_key(tx, org, keys)
        found.update({(org, *key): item.artifact for key, item in stored.items()})
    return [found[(artifact.org, artifact.flow, artifact.fingerprint)] for artifact in artifacts]


async def report_deployments(tx: Tx, deployments: Sequence[DeploymentInput], now: datetime) -> list[Deployment]:
    return [await report_deployment(tx, deployment, now) for deployment in deployments]


async def attest_many(
    tx: Tx, attestations: Sequence[AttestationInput], now: datetime, attestation_ids: Sequence[str]
) -> list[Attestation]:
    return [
        await attest(tx, attestation, now, attestation_id)
        for attestation, attestation_id in zip(attestations, attestation_ids, strict=True)
    ]
