"""Domain nodes as the store returns them: frozen, typed, free of any driver or GraphQL type."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Org(Node):
    name: str
    public: bool
    description: str
    created_at: datetime


class Flow(Node):
    org: str
    name: str
    description: str
    repo_url: str | None
    created_at: datetime
    template_yaml: str | None = None  # a Kosli flow template, kept as given, never evaluated
    last_deployment_at: datetime | None = None  # when its newest deployment was reported


class Trail(Node):
    """One run of a flow (`kosli begin trail`): groups the artifacts reported with its name."""

    org: str
    flow: str
    name: str
    description: str
    created_at: datetime
    origin_url: str | None
    user_data: dict[str, Any] | list[Any]  # a JSON object or array, as reported
    git_commit: str | None
    template_yaml: str | None


class Repository(Node):
    org: str
    url: str
    name: str | None
    provider: str | None


class Commit(Node):
    org: str
    sha: str
    message: str
    author: str | None
    author_email: str | None
    timestamp: datetime | None
    branch: str | None
    url: str | None
    repo_url: str | None
    parents: tuple[str, ...]

    @classmethod
    def bare(cls, org: str, sha: str, *, url: str | None = None) -> Commit:
        """A sha known only from an artifact's `git_commit`: no details until its commit is reported."""
        return cls(
            org=org,
            sha=sha,
            message="",
            author=None,
            author_email=None,
            timestamp=None,
            branch=None,
            url=url,
            repo_url=None,
            parents=(),
        )


class ArtifactState(StrEnum):
    """NON_COMPLIANT when any attestation of the artifact failed, else COMPLIANT — as in Kosli, where an artifact
    with no required evidence is compliant. "Running without evidence" is a question of its own (no attestation)."""

    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"


class Artifact(Node):
    org: str
    flow: str
    fingerprint: str
    name: str
    created_at: datetime
    build_url: str | None
    commit_url: str | None
    git_commit: str | None
    state: ArtifactState
    trail: str | None = None  # the trail (of its flow) it was last reported in


class Environment(Node):
    org: str
    name: str
    type: str
    description: str
    created_at: datetime
    last_reported_at: datetime | None
    last_changed_at: datetime | None
    latest_index: int  # 0 until the first snapshot


class Snapshot(Node):
    org: str
    environment: str
    index: int
    reported_at: datetime


class Run(Node):
    """One fingerprint running in one environment from snapshot `from_index` until `to_index` (exclusive; None =
    still running)."""

    org: str
    environment: str
    fingerprint: str
    name: str
    instances: int
    from_index: int
    to_index: int | None


class Deployment(Node):
    org: str
    flow: str
    number: int
    fingerprint: str
    environment: str
    reported_at: datetime
    user: str | None
    description: str


class Attestation(Node):
    """Evidence on an artifact (`fingerprint`), or on a trail: trail-level (`fingerprint` and `target_artifact`
    None) or pending for the template slot `target_artifact` until an artifact is reported there."""

    org: str
    id: str
    flow: str
    fingerprint: str | None
    type: str
    name: str
    compliant: bool
    reported_at: datetime
    url: str | None
    data: dict[str, Any]
    trail: str | None = None  # set on trail-level and pending attestations
    target_artifact: str | None = None
    git_commit: str | None = None


class Role(StrEnum):
    """What a token may do in its org: read; also report; also administer (flows, environments, tokens)."""

    READER = "reader"
    WRITER = "writer"
    ADMIN = "admin"


class Token(Node):
    """An API token as stored: never its secret, only what identifies and limits it."""

    org: str
    id: str
    name: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def artifact_state(compliance: list[bool]) -> ArtifactState:
    return ArtifactState.COMPLIANT if all(compliance) else ArtifactState.NON_COMPLIANT


class AttestationType(Node):
    """A custom attestation type of an org, one version of it: `attestation_data` of a `custom:<name>` attestation
    must satisfy `json_schema`, and is compliant when every jq rule yields `true`. Redefining it differently makes
    the next version; attestations keep the version they were evaluated against."""

    org: str
    name: str
    version: int
    description: str
    json_schema: dict[str, Any]
    jq_rules: tuple[str, ...]
    created_at: datetime
