"""SQLite rows → domain models, once per noun."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from tracegraph.graph.embedded.database import from_micros
from tracegraph.graph.model import (
    Artifact,
    ArtifactState,
    Attestation,
    Commit,
    Deployment,
    Environment,
    Flow,
    Org,
    Snapshot,
    Token,
    Trail,
)


def _maybe_time(value: int | None) -> datetime | None:
    return None if value is None else from_micros(value)


def org(row: sqlite3.Row) -> Org:
    return Org(
        name=row["name"],
        public=bool(row["public"]),
        description=row["description"],
        created_at=from_micros(row["created_at"]),
    )


def flow(row: sqlite3.Row) -> Flow:
    return Flow(
        org=row["org"],
        name=row["name"],
        description=row["description"],
        repo_url=row["repo_url"],
        created_at=from_micros(row["created_at"]),
        template_yaml=row["template_yaml"],
        last_deployment_at=None if row["last_deployment_at"] is None else from_micros(row["last_deployment_at"]),
    )


def trail(row: sqlite3.Row) -> Trail:
    return Trail(
        org=row["org"],
        flow=row["flow"],
        name=row["name"],
        description=row["description"],
        created_at=from_micros(row["created_at"]),
        origin_url=row["origin_url"],
        user_data=json.loads(row["user_data"]),
        git_commit=row["git_commit"],
        template_yaml=row["template_yaml"],
    )


def environment(row: sqlite3.Row) -> Environment:
    return Environment(
        org=row["org"],
        name=row["name"],
        type=row["type"],
        description=row["description"],
        created_at=from_micros(row["created_at"]),
        last_reported_at=_maybe_time(row["last_reported_at"]),
        last_changed_at=_maybe_time(row["last_changed_at"]),
        latest_index=row["latest_index"],
    )


def snapshot(row: sqlite3.Row) -> Snapshot:
    return Snapshot(
        org=row["org"],
        environment=row["environment"],
        index=row["idx"],
        reported_at=from_micros(row["reported_at"]),
    )


def commit(row: sqlite3.Row, parents: tuple[str, ...]) -> Commit:
    return Commit(
        org=row["org"],
        sha=row["sha"],
        message=row["message"],
        author=row["author"],
        author_email=row["author_email"],
        timestamp=_maybe_time(row["timestamp"]),
        branch=row["branch"],
        url=row["url"],
        repo_url=row["repo_url"],
        parents=parents,
    )


def artifact(row: sqlite3.Row) -> Artifact:
    """Expects a row of the `artifact_states` view (with `state`)."""
    return Artifact(
        org=row["org"],
        flow=row["flow"],
        fingerprint=row["fingerprint"],
        name=row["name"],
        created_at=from_micros(row["created_at"]),
        build_url=row["build_url"],
        commit_url=row["commit_url"],
        git_commit=row["git_commit"],
        state=ArtifactState(row["state"]),
        trail=row["trail"],
    )


def deployment(row: sqlite3.Row) -> Deployment:
    return Deployment(
        org=row["org"],
        flow=row["flow"],
        number=row["number"],
        fingerprint=row["fingerprint"],
        environment=row["environment"],
        reported_at=from_micros(row["reported_at"]),
        user=row["user"],
        description=row["description"],
    )


def attestation(row: sqlite3.Row) -> Attestation:
    """A row of `attestations`, or of `trail_attestations` (no fingerprint; its trail and slot)."""
    columns = row.keys()  # `in row` would look among the values
    own = row if "trail" in columns else None
    return Attestation(
        org=row["org"],
        id=row["id"],
        flow=row["flow"],
        fingerprint=row["fingerprint"] if own is None else None,
        type=row["type"],
        name=row["name"],
        compliant=bool(row["compliant"]),
        reported_at=from_micros(row["reported_at"]),
        url=row["url"],
        data=json.loads(row["data"]),
        trail=None if own is None else own["trail"],
        target_artifact=None if own is None else own["target_artifact"],
        git_commit=None if own is None else own["git_commit"],
    )


def token(row: sqlite3.Row) -> Token:
    return Token(
        org=row["org"],
        id=row["id"],
        name=row["name"],
        role=row["role"],
        created_at=from_micros(row["created_at"]),
        expires_at=_maybe_time(row["expires_at"]),
        revoked_at=_maybe_time(row["revoked_at"]),
    )
