"""Request bodies of the kosli CLI v2.38 (SPEC §2), validated once here. Unknown fields are ignored: the CLI adds
optional ones over time. Values are checked again by the store inputs they are turned into (`translate`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class FlowBody(Body):
    """`create flow`: multipart `data_json` (template endpoint) or JSON (legacy endpoint)."""

    name: str
    description: str = ""
    visibility: Literal["public", "private"] | None = None
    template: list[str] | None = None


class EnvironmentBody(Body):
    name: str
    type: str
    description: str = ""
    include_scaling: bool | None = None
    require_provenance: bool | None = None
    included_environments: list[str] = Field(default_factory=list)


class GitCommitInfo(Body):
    """The CLI's BasicCommitInfo: `author` is `Name <email>`, `timestamp` the author time in Unix seconds."""

    sha1: str
    message: str = ""
    author: str = ""
    timestamp: int | None = None
    branch: str = ""
    url: str | None = None


class ListedCommit(GitCommitInfo):
    """An item of `report artifact`'s `commits_list`: a commit with its parents."""

    parents: list[str] = Field(default_factory=list)


class RepoInfo(Body):
    url: str | None = None
    name: str | None = None
    id: str | None = None
    provider: str | None = None


class TrailBody(Body):
    """`begin trail`'s `data_json` (everything but `name` is omitted when empty); `external_urls` is not kept."""

    name: str
    description: str | None = None
    user_data: Any = None
    git_commit_info: GitCommitInfo | None = None
    repo_info: RepoInfo | None = None
    origin_url: str | None = None


class ArtifactBody(Body):
    """`attest artifact` and the deprecated `report artifact` (which sends `commits_list` instead of
    `git_commit_info`, and no trail)."""

    fingerprint: str
    filename: str
    git_commit: str | None = None
    git_commit_info: GitCommitInfo | None = None
    repo_info: RepoInfo | None = None
    build_url: str | None = None
    commit_url: str | None = None
    repo_url: str | None = None
    template_reference_name: str | None = None
    trail_name: str | None = None
    commits_list: list[ListedCommit] | None = None


class Owner(Body):
    """A Kubernetes owner reference of a pod (`snapshot k8s`)."""

    apiVersion: str | None = None  # noqa: N815 - the CLI's key
    kind: str | None = None
    name: str | None = None
    uid: str | None = None
    controller: bool | None = None
    blockOwnerDeletion: bool | None = None  # noqa: N815 - the CLI's key


class ReportItem(Body):
    """One item of a snapshot report: every `digests` entry (name → sha256) is one running instance, described by
    the item's other fields, which depend on the environment type: a K8S pod, an ECS task, an Azure app, a Cloud Run
    revision or job (SPEC §2.10); kept per instance by `tracegraph.kosli.instances`."""

    digests: dict[str, str] = Field(default_factory=dict)
    creationTimestamp: int | None = None  # noqa: N815 - the CLI's key
    podName: str | None = None  # noqa: N815 - the CLI's key
    namespace: str | None = None
    owners: list[Owner] | None = None
    taskArn: str | None = None  # noqa: N815 - the CLI's key
    cluster_name: str | None = None
    service_name: str | None = None
    app_name: str | None = None
    app_kind: str | None = None
    digests_source: str | None = None
    kind: str | None = None
    serviceName: str | None = None  # noqa: N815 - the CLI's key
    revisionName: str | None = None  # noqa: N815 - the CLI's key
    jobName: str | None = None  # noqa: N815 - the CLI's key


class SnapshotReportBody(Body):
    type: str | None = None
    artifacts: list[ReportItem]


class AttestationBody(Body):
    """The common `data_json` fields of `attest generic|junit|snyk|custom` plus each type's own."""

    attestation_name: str
    artifact_fingerprint: str | None = None
    git_commit_info: GitCommitInfo | None = None
    target_artifacts: list[str] | None = None
    origin_url: str | None = None
    user_data: Any = None
    description: str | None = None
    annotations: dict[str, str] | None = None
    is_compliant: bool | None = None
    junit_results: list[dict[str, Any]] | None = None
    snyk_results: dict[str, Any] | None = None
    type_name: str | None = None
    attestation_data: Any = None
