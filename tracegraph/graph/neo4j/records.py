"""Neo4j map projections (`n {.*}`) → domain models, once per noun.

Temporal values arrive as `neo4j.time.DateTime`; they leave as aware UTC `datetime`s. A property that was never
set (or set to null) is simply absent from a projection, hence `.get`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j.time import DateTime

from tracegraph.graph.model import (
    Artifact,
    Attestation,
    Commit,
    Deployment,
    Environment,
    Flow,
    Org,
    Role,
    Snapshot,
    Token,
    Trail,
    artifact_state,
)
from tracegraph.graph.views import Provenance
from tracegraph.ingest.running_set import OpenRun

Props = Mapping[str, Any]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_datetime(value: object) -> datetime:
    """A stored time as an aware UTC datetime: a `DateTime`, or microseconds since the epoch where a query
    projected it so (cheaper to decode in bulk)."""
    if isinstance(value, int):
        return _EPOCH + timedelta(microseconds=value)
    if isinstance(value, DateTime):
        native = value.to_native()
    elif isinstance(value, datetime):
        native = value
    else:
        raise TypeError(f"expected a DateTime, got {type(value).__name__}")
    return native.astimezone(UTC)


def maybe_datetime(value: object) -> datetime | None:
    return None if value is None else to_datetime(value)


def org(props: Props) -> Org:
    return Org(
        name=props["name"],
        public=bool(props.get("public", False)),
        description=props.get("description", ""),
        created_at=to_datetime(props["created_at"]),
    )


def flow(props: Props) -> Flow:
    return Flow(
        org=props["org"],
        name=props["name"],
        description=props.get("description", ""),
        repo_url=props.get("repo_url"),
        created_at=to_datetime(props["created_at"]),
        template_yaml=props.get("template_yaml"),
        last_deployment_at=None
        if props.get("last_deployment_at") is None
        else to_datetime(props["last_deployment_at"]),
    )


def trail(props: Props) -> Trail:
    return Trail(
        org=props["org"],
        flow=props["flow"],
        name=props["name"],
        description=props.get("description", ""),
        created_at=to_datetime(props["created_at"]),
        origin_url=props.get("origin_url"),
        user_data=json.loads(props.get("user_data") or "{}"),
        git_commit=props.get("git_commit"),
        template_yaml=props.get("template_yaml"),
    )


def environment(props: Props) -> Environment:
    return Environment(
        org=props["org"],
        name=props["name"],
        type=props["type"],
        description=props.get("description", ""),
        created_at=to_datetime(props["created_at"]),
        last_reported_at=maybe_datetime(props.get("last_reported_at")),
        last_changed_at=maybe_datetime(props.get("last_changed_at")),
        latest_index=int(props.get("latest_index", 0)),
    )


def snapshot(props: Props) -> Snapshot:
    return Snapshot(
        org=props["org"],
        environment=props["environment"],
        index=int(props["index"]),
        reported_at=to_datetime(props["reported_at"]),
    )


def commit(props: Props, parents: Sequence[str]) -> Commit:
    return Commit(
        org=props["org"],
        sha=props["sha"],
        message=props.get("message", ""),
        author=props.get("author"),
        author_email=props.get("author_email"),
        timestamp=maybe_datetime(props.get("timestamp")),
        branch=props.get("branch"),
        url=props.get("url"),
        repo_url=props.get("repo_url"),
        parents=tuple(parents),
    )


def artifact(props: Props, compliance: Sequence[bool]) -> Artifact:
    return Artifact(
        org=props["org"],
        flow=props["flow"],
        fingerprint=props["fingerprint"],
        name=props["name"],
        created_at=to_datetime(props["created_at"]),
        build_url=props.get("build_url"),
        commit_url=props.get("commit_url"),
        git_commit=props.get("git_commit"),
        state=artifact_state([bool(value) for value in compliance]),
        trail=props.get("trail"),
    )


def provenance(record: Props) -> Provenance:
    """A row of a query ending in the shared provenance tail: `artifact, compliance, commit, parents`."""
    found = record["commit"]
    return Provenance(
        artifact=artifact(record["artifact"], record["compliance"]),
        commit=None if found is None else commit(found, record["parents"] or ()),
    )


def deployment(props: Props) -> Deployment:
    return Deployment(
        org=props["org"],
        flow=props["flow"],
        number=int(props["number"]),
        fingerprint=props["fingerprint"],
        environment=props["environment"],
        reported_at=to_datetime(props["reported_at"]),
        user=props.get("user"),
        description=props.get("description", ""),
    )


def attestation(props: Props) -> Attestation:
    data = json.loads(props["data"]) if props.get("data") else {}
    return Attestation(
        org=props["org"],
        id=props["id"],
        flow=props["flow"],
        fingerprint=props.get("fingerprint"),
        type=props["type"],
        name=props["name"],
        compliant=bool(props["compliant"]),
        reported_at=to_datetime(props["reported_at"]),
        url=props.get("url"),
        data=data,
        trail=props.get("trail"),
        target_artifact=props.get("target_artifact"),
        git_commit=props.get("git_commit"),
    )


def open_run(props: Props) -> OpenRun:
    return OpenRun(props["fingerprint"], props["name"], int(props["instances"]))


def token(props: Props) -> Token:
    return Token(
        org=props["org"],
        id=props["id"],
        name=props["name"],
        role=Role(props["role"]),
        created_at=to_datetime(props["created_at"]),
        expires_at=maybe_datetime(props.get("expires_at")),
        revoked_at=maybe_datetime(props.get("revoked_at")),
    )
