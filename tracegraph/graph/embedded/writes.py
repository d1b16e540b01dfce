"""Write transactions of the embedded store; each runs inside one `BEGIN IMMEDIATE` transaction."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence

from tracegraph.graph import instances, not_found, report_time, trails
from tracegraph.graph.embedded import reads, rows
from tracegraph.graph.embedded.database import from_micros, to_micros
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
from tracegraph.graph.rules import utc_now
from tracegraph.graph.views import CommitsReported, ReportedSnapshot
from tracegraph.ingest.running_set import OpenRun, plan_changes

UPSERT_ORG = """
    INSERT INTO orgs (name, public, description, created_at) VALUES (:name, :public, :description, :now)
    ON CONFLICT (name) DO UPDATE SET public = excluded.public, description = excluded.description
"""
UPSERT_FLOW = """
    INSERT INTO flows (org, name, description, repo_url, created_at, template_yaml)
    VALUES (:org, :name, :description, :repo_url, :now, :template_yaml)
    ON CONFLICT (org, name) DO UPDATE SET description = excluded.description, repo_url = excluded.repo_url,
    template_yaml = coalesce(excluded.template_yaml, template_yaml)
"""
UPSERT_TRAIL = """
    INSERT INTO trails (org, flow, name, description, created_at, origin_url, user_data, git_commit, template_yaml)
    VALUES (:org, :flow, :name, :description, :now, :origin_url, :user_data, :git_commit, :template_yaml)
    ON CONFLICT (org, flow, name) DO UPDATE SET description = excluded.description, origin_url = excluded.origin_url,
    user_data = excluded.user_data, git_commit = coalesce(excluded.git_commit, git_commit),
    template_yaml = coalesce(excluded.template_yaml, template_yaml)
"""
# An artifact naming a trail its flow lacks creates it, as `kosli attest artifact --trail` does.
ENSURE_TRAIL = """
    INSERT OR IGNORE INTO trails (org, flow, name, description, created_at, user_data, git_commit)
    VALUES (:org, :flow, :name, '', :now, '{}', :git_commit)
"""
UPSERT_ENVIRONMENT = """
    INSERT INTO environments (org, name, type, description, created_at) VALUES (:org, :name, :type, :description, :now)
    ON CONFLICT (org, name) DO UPDATE SET type = excluded.type, description = excluded.description
"""
UPSERT_REPOSITORY = """
    INSERT INTO repositories (org, url, name, provider) VALUES (?, ?, ?, ?)
    ON CONFLICT (org, url) DO UPDATE SET name = coalesce(excluded.name, name),
    provider = coalesce(excluded.provider, provider)
"""
UPSERT_COMMIT = """
    INSERT INTO commits (org, sha, message, author, author_email, timestamp, branch, url, repo_url, parents_known, seq)
    VALUES (:org, :sha, coalesce(:message, ''), :author, :author_email, :timestamp, :branch, :url, :repo_url,
            :parents_known, :seq)
    ON CONFLICT (org, sha) DO UPDATE SET message = coalesce(:message, message), author = coalesce(:author, author),
    author_email = coalesce(:author_email, author_email), timestamp = coalesce(:timestamp, timestamp),
    branch = coalesce(:branch, branch), url = coalesce(:url, url), repo_url = coalesce(:repo_url, repo_url),
    parents_known = max(parents_known, :parents_known), seq = :seq
"""
# Every write of commits takes the org's next commit sequence number (see tracegraph/graph/ancestry.py).
NEXT_COMMIT_SEQ = "UPDATE orgs SET commit_seq = commit_seq + 1 WHERE name = ? RETURNING commit_seq"
DELETE_PARENTS = "DELETE FROM commit_parents WHERE org = ? AND child = ?"
INSERT_PARENT = "INSERT INTO commit_parents (org, child, position, parent) VALUES (?, ?, ?, ?)"
SELECT_EXISTING_SHAS = "SELECT sha FROM commits WHERE org = ? AND sha IN (SELECT value FROM json_each(?))"
INSERT_DIGEST = "INSERT OR IGNORE INTO digests (org, fingerprint) VALUES (?, ?)"
# A build naming a sha never reported as a commit: history the ancestry index has not seen (see build_commits).
NOTE_BUILD_COMMIT = """
    INSERT OR IGNORE INTO build_commits (org, sha) SELECT :org, :sha
    WHERE NOT EXISTS (SELECT 1 FROM commits WHERE org = :org AND sha = :sha)
"""
FORGET_BUILD_COMMITS = "DELETE FROM build_commits WHERE org = ? AND sha IN (SELECT value FROM json_each(?))"
UPSERT_ARTIFACT = """
    INSERT INTO artifacts (org, flow, fingerprint, name, created_at, build_url, commit_url, git_commit, trail,
                           template_reference_name)
    VALUES (:org, :flow, :fingerprint, :name, :created_at, :build_url, :commit_url, :git_commit, :trail,
            :template_reference_name)
    ON CONFLICT (org, flow, fingerprint) DO UPDATE SET name = excluded.name,
    build_url = coalesce(excluded.build_url, build_url), commit_url = coalesce(excluded.commit_url, commit_url),
    git_commit = coalesce(excluded.git_commit, git_commit),
    template_reference_name = CASE WHEN excluded.trail IS NULL THEN template_reference_name
                                   ELSE excluded.template_reference_name END,
    trail = coalesce(excluded.trail, trail)
"""
SELECT_ARTIFACT = "SELECT * FROM artifact_states a WHERE a.org = ? AND a.flow = ? AND a.fingerprint = ?"
NEXT_DEPLOYMENT = "SELECT coalesce(max(number), 0) + 1 FROM deployments WHERE org = ? AND flow = ?"
INSERT_DEPLOYMENT = """
    INSERT INTO deployments (org, flow, number, fingerprint, environment, reported_at, user, description)
    VALUES (:org, :flow, :number, :fingerprint, :environment, :reported_at, :user, :description)
"""
INSERT_SNAPSHOT = "INSERT INTO snapshots (org, environment, idx, reported_at) VALUES (?, ?, ?, ?)"
CLOSE_RUN = "UPDATE runs SET to_index = ? WHERE org = ? AND environment = ? AND fingerprint = ? AND to_index IS NULL"
OPEN_RUN = """
    INSERT INTO runs (org, environment, fingerprint, name, instances, from_index, started_at, instances_detail)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
MARK_REPORTED = "UPDATE environments SET last_reported_at = ? WHERE org = ? AND name = ?"
MARK_CHANGED = """
    UPDATE environments SET last_reported_at = :at, last_changed_at = :at, latest_index = :index
    WHERE org = :org AND name = :name
"""
INSERT_ATTESTATION = """
    INSERT INTO attestations (org, id, flow, fingerprint, type, name, compliant, reported_at, url, data)
    VALUES (:org, :id, :flow, :fingerprint, :type, :name, :compliant, :reported_at, :url, :data)
"""
INSERT_TRAIL_ATTESTATION = """
    INSERT INTO trail_attestations (org, id, flow, trail, target_artifact, git_commit, type, name, compliant,
                                    reported_at, url, data)
    VALUES (:org, :id, :flow, :trail, :target_artifact, :git_commit, :type, :name, :compliant, :reported_at, :url,
            :data)
"""
# A pending attestation binds to an artifact reported into its slot, built from its commit when it names one.
_PENDING_FOR_SLOT = """
    FROM trail_attestations WHERE org = :org AND flow = :flow AND trail = :trail AND target_artifact = :slot
    AND (git_commit IS NULL OR git_commit = :git_commit)
"""
BIND_PENDING = (
    """
    INSERT INTO attestations (org, id, flow, fingerprint, type, name, compliant, reported_at, url, data)
    SELECT org, id, flow, :fingerprint, type, name, compliant, reported_at, url, data"""
    + _PENDING_FOR_SLOT
)
DROP_BOUND = "DELETE" + _PENDING_FOR_SLOT


def create_org(connection: sqlite3.Connection, org: OrgInput) -> Org:
    connection.execute(UPSERT_ORG, {**org.model_dump(), "now": to_micros(utc_now())})
    return rows.org(connection.execute(reads.SELECT_ORG, (org.name,)).fetchone())


def create_flow(connection: sqlite3.Connection, flow: FlowInput) -> Flow:
    reads.require_org(connection, flow.org)
    connection.execute(UPSERT_FLOW, {**flow.model_dump(), "now": to_micros(utc_now())})
    return rows.flow(connection.execute(reads.SELECT_FLOW, (flow.org, flow.name)).fetchone())


def create_environment(connection: sqlite3.Connection, environment: EnvironmentInput) -> Environment:
    reads.require_org(connection, environment.org)
    connection.execute(UPSERT_ENVIRONMENT, {**environment.model_dump(mode="json"), "now": to_micros(utc_now())})
    return reads.environment(connection, environment.org, environment.name)


def upsert_commits(
    connection: sqlite3.Connection, org: str, repo_url: str | None, commits: Sequence[CommitInput]
) -> int:
    """Store commits and their ordered parents (fields not given keep the stored ones); answer how many were not
    stored before."""
    shas = [commit.sha for commit in commits]
    existing = {row[0] for row in connection.execute(SELECT_EXISTING_SHAS, (org, json.dumps(shas)))}
    connection.execute(FORGET_BUILD_COMMITS, (org, json.dumps(shas)))
    seq = connection.execute(NEXT_COMMIT_SEQ, (org,)).fetchone()[0]
    for commit in commits:
        connection.execute(
            UPSERT_COMMIT,
            {
                "org": org,
                "sha": commit.sha,
                "message": commit.message,
                "author": commit.author,
                "author_email": commit.author_email,
                "timestamp": to_micros(commit.timestamp) if commit.timestamp else None,
                "branch": commit.branch,
                "url": commit.url,
                "repo_url": repo_url,
                "parents_known": commit.parents is not None,
                "seq": seq,
            },
        )
        if commit.parents is not None:  # parents not given: the stored ones stay
            connection.execute(DELETE_PARENTS, (org, commit.sha))
            connection.executemany(
                INSERT_PARENT, [(org, commit.sha, position, parent) for position, parent in enumerate(commit.parents)]
            )
    return len(set(shas) - existing)


def report_commits(connection: sqlite3.Connection, batch: CommitsInput) -> CommitsReported:
    reads.require_org(connection, batch.org)
    connection.execute(UPSERT_REPOSITORY, (batch.org, batch.repo_url, batch.repo_name, batch.provider))
    created = upsert_commits(connection, batch.org, batch.repo_url, batch.commits)
    return CommitsReported(received=len(batch.commits), created=created)


def _artifact(connection: sqlite3.Connection, org: str, flow: str, fingerprint: str) -> Artifact:
    row = connection.execute(SELECT_ARTIFACT, (org, flow, fingerprint)).fetchone()
    if row is None:
        reads.require_flow(connection, org, flow)
        raise not_found.artifact(flow, fingerprint)
    return rows.artifact(row)


def begin_trail(connection: sqlite3.Connection, trail: TrailInput) -> Trail:
    reads.require_flow(connection, trail.org, trail.flow)
    if trail.git_commit is not None:
        if trail.repo_url is not None:
            connection.execute(UPSERT_REPOSITORY, (trail.org, trail.repo_url, None, None))
        upsert_commits(connection, trail.org, trail.repo_url, [trail.git_commit])
    connection.execute(
        UPSERT_TRAIL,
        {
            "org": trail.org,
            "flow": trail.flow,
            "name": trail.name,
            "description": trail.description,
            "now": to_micros(utc_now()),
            "origin_url": trail.origin_url,
            "user_data": json.dumps(trail.user_data, default=str),
            "git_commit": trail.git_commit.sha if trail.git_commit else None,
            "template_yaml": trail.template_yaml,
        },
    )
    return rows.trail(connection.execute(reads.SELECT_TRAIL, (trail.org, trail.flow, trail.name)).fetchone())


SELECT_SLOT_ARTIFACTS = """
    SELECT fingerprint, git_commit FROM artifacts
    WHERE org = ? AND flow = ? AND trail = ? AND template_reference_name = ?
"""


def report_artifact(connection: sqlite3.Connection, artifact: ArtifactInput) -> Artifact:
    reads.require_flow(connection, artifact.org, artifact.flow)
    if artifact.repo_url is not None and (artifact.commit is not None or artifact.history):
        connection.execute(UPSERT_REPOSITORY, (artifact.org, artifact.repo_url, None, None))
    if artifact.history:
        upsert_commits(connection, artifact.org, artifact.repo_url, artifact.history)
    if artifact.commit is not None:
        upsert_commits(connection, artifact.org, artifact.repo_url, [artifact.commit])
    connection.execute(INSERT_DIGEST, (artifact.org, artifact.fingerprint))
    git_commit = artifact.git_commit or (artifact.commit.sha if artifact.commit else None)
    if artifact.trail is not None:
        connection.execute(
            ENSURE_TRAIL,
            {
                "org": artifact.org,
                "flow": artifact.flow,
                "name": artifact.trail,
                "now": to_micros(utc_now()),
                "git_commit": git_commit,
            },
        )
    connection.execute(
        UPSERT_ARTIFACT,
        {
            "org": artifact.org,
            "flow": artifact.flow,
            "fingerprint": artifact.fingerprint,
            "name": artifact.name,
            "created_at": to_micros(artifact.created_at or utc_now()),
            "build_url": artifact.build_url,
            "commit_url": artifact.commit_url,
            "git_commit": git_commit,
            "trail": artifact.trail,
            "template_reference_name": artifact.template_reference_name,
        },
    )
    if git_commit is not None:  # None keeps the stored sha, noted when it was written
        connection.execute(NOTE_BUILD_COMMIT, {"org": artifact.org, "sha": git_commit})
    if artifact.template_reference_name is not None:
        slot = {
            "org": artifact.org,
            "flow": artifact.flow,
            "trail": artifact.trail,
            "slot": artifact.template_reference_name,
            "git_commit": git_commit,
        }
        connection.execute(BIND_PENDING, {**slot, "fingerprint": artifact.fingerprint})
        connection.execute(DROP_BOUND, slot)
    return _artifact(connection, artifact.org, artifact.flow, artifact.fingerprint)


def report_deployment(connection: sqlite3.Connection, deployment: DeploymentInput) -> Deployment:
    _artifact(connection, deployment.org, deployment.flow, deployment.fingerprint)
    reads.environment(connection, deployment.org, deployment.environment)
    number = connection.execute(NEXT_DEPLOYMENT, (deployment.org, deployment.flow)).fetchone()[0]
    values = {
        "org": deployment.org,
        "flow": deployment.flow,
        "number": number,
        "fingerprint": deployment.fingerprint,
        "environment": deployment.environment,
        "reported_at": to_micros(deployment.reported_at or utc_now()),
        "user": deployment.user,
        "description": deployment.description,
    }
    connection.execute(INSERT_DEPLOYMENT, values)
    return Deployment(**{**values, "reported_at": from_micros(values["reported_at"])})


def report_snapshot(connection: sqlite3.Connection, report: SnapshotInput) -> ReportedSnapshot:
    env = reads.environment(connection, report.org, report.environment)
    latest = env.latest_index
    previous = reads.snapshot_row(connection, env, latest) if latest else None
    reported_at = report_time.snapshot_time(report.reported_at, now=utc_now(), latest=previous)
    current = {
        row["fingerprint"]: OpenRun(row["fingerprint"], row["name"], row["instances"])
        for row in connection.execute(reads.SELECT_OPEN_RUNS, (env.org, env.name))
    }
    changes = plan_changes(current, report.artifacts)
    at = to_micros(reported_at)
    if previous is not None and not changes.changed:
        connection.execute(MARK_REPORTED, (at, env.org, env.name))
        return ReportedSnapshot(snapshot=previous, changed=False, events=())
    index = latest + 1
    connection.execute(INSERT_SNAPSHOT, (env.org, env.name, index, at))
    connection.executemany(CLOSE_RUN, [(index, env.org, env.name, fingerprint) for fingerprint in changes.close])
    # A Run keeps the instances detail of the report that opened it; later reports of the same count leave it.
    detail = {running.fingerprint: running.instances_detail for running in report.artifacts}
    connection.executemany(
        OPEN_RUN,
        [
            (
                env.org,
                env.name,
                run.fingerprint,
                run.name,
                run.instances,
                index,
                at,
                instances.dump(detail[run.fingerprint]),
            )
            for run in changes.open
        ],
    )
    connection.executemany(INSERT_DIGEST, [(env.org, run.fingerprint) for run in changes.open])
    connection.execute(MARK_CHANGED, {"at": at, "index": index, "org": env.org, "name": env.name})
    env = env.model_copy(update={"latest_index": index})
    return ReportedSnapshot(
        snapshot=reads.snapshot_row(connection, env, index),
        changed=True,
        events=reads.events(connection, env, [index])[index],
    )


def attest(connection: sqlite3.Connection, attestation: AttestationInput) -> Attestation:
    _artifact(connection, attestation.org, attestation.flow, attestation.fingerprint)
    values = {
        "org": attestation.org,
        "id": uuid.uuid4().hex,
        "flow": attestation.flow,
        "fingerprint": attestation.fingerprint,
        "type": attestation.type,
        "name": attestation.name,
        "compliant": attestation.compliant,
        "reported_at": to_micros(attestation.reported_at or utc_now()),
        "url": attestation.url,
        "data": json.dumps(attestation.data, default=str),
    }
    connection.execute(INSERT_ATTESTATION, values)
    return rows.attestation(
        connection.execute(
            "SELECT * FROM attestations WHERE org = ? AND id = ?", (values["org"], values["id"])
        ).fetchone()
    )


def attest_trail(connection: sqlite3.Connection, attestation: TrailAttestationInput) -> Attestation:
    reads.require_flow(connection, attestation.org, attestation.flow)
    if (
        connection.execute(reads.SELECT_TRAIL, (attestation.org, attestation.flow, attestation.trail)).fetchone()
        is None
    ):
        raise not_found.trail(attestation.flow, attestation.trail)
    attestation_id = uuid.uuid4().hex
    values = {
        "org": attestation.org,
        "id": attestation_id,
        "flow": attestation.flow,
        "type": attestation.type,
        "name": attestation.name,
        "compliant": attestation.compliant,
        "reported_at": to_micros(attestation.reported_at or utc_now()),
        "url": attestation.url,
        "data": json.dumps(attestation.data, default=str),
    }
    if attestation.target_artifact is not None:
        slot = connection.execute(
            SELECT_SLOT_ARTIFACTS, (attestation.org, attestation.flow, attestation.trail, attestation.target_artifact)
        )
        bound = trails.binding({row["fingerprint"]: row["git_commit"] for row in slot}, attestation.git_commit)
        if bound is not None:
            connection.execute(INSERT_ATTESTATION, {**values, "fingerprint": bound})
            return _attestation(connection, attestation.org, attestation_id)
    connection.execute(
        INSERT_TRAIL_ATTESTATION,
        {
            **values,
            "trail": attestation.trail,
            "target_artifact": attestation.target_artifact,
            "git_commit": attestation.git_commit,
        },
    )
    row = connection.execute(reads.SELECT_TRAIL_ATTESTATION, (attestation.org, attestation_id)).fetchone()
    return rows.attestation(row)


def _attestation(connection: sqlite3.Connection, org: str, attestation_id: str) -> Attestation:
    row = connection.execute("SELECT * FROM attestations WHERE org = ? AND id = ?", (org, attestation_id)).fetchone()
    return rows.attestation(row)


def report_artifacts(connection: sqlite3.Connection, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
    for artifact in artifacts:
        report_artifact(connection, artifact)
    return [_artifact(connection, artifact.org, artifact.flow, artifact.fingerprint) for artifact in artifacts]


def report_deployments(connection: sqlite3.Connection, deployments: Sequence[DeploymentInput]) -> list[Deployment]:
    return [report_deployment(connection, deployment) for deployment in deployments]


def attest_many(connection: sqlite3.Connection, attestations: Sequence[AttestationInput]) -> list[Attestation]:
    return [attest(connection, attestation) for attestation in attestations]
