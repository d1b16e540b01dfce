"""Builders for contract tests: deterministic fingerprints, shas and times, and short report helpers."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from tracegraph.graph.inputs import (
    ArtifactInput,
    CommitInput,
    CommitsInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    OrgInput,
    RunningArtifactInput,
    SnapshotInput,
)
from tracegraph.graph.model import Artifact
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import ReportedSnapshot

ORG = "acme"
T0 = datetime(2022, 9, 6, 14, 0, tzinfo=UTC)
REPO = "https://github.com/acme/shop"


def fp(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def sha(label: str) -> str:
    return hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def topology(store: GraphStore, *, org: str = ORG) -> None:
    """An org with flows `web` and `api` and environments `prod` (K8S) and `beta` (ECS)."""
    await store.create_org(OrgInput(name=org))
    for flow in ("web", "api"):
        await store.create_flow(FlowInput(org=org, name=flow, repo_url=REPO))
    await store.create_environment(EnvironmentInput(org=org, name="prod", type=EnvironmentType.K8S))
    await store.create_environment(EnvironmentInput(org=org, name="beta", type=EnvironmentType.ECS))


async def build(
    store: GraphStore, flow: str, label: str, *, commit: str | None = None, minutes: float = 0, org: str = ORG
) -> Artifact:
    """Report artifact `flow:label` (fingerprint fp(label)), built from commit sha(commit) if given."""
    return await store.report_artifact(
        ArtifactInput(
            org=org,
            flow=flow,
            fingerprint=fp(label),
            name=f"registry.example/{flow}:{label}",
            git_commit=sha(commit) if commit else None,
            commit_url=f"{REPO}/commit/{sha(commit)}" if commit else None,
            build_url=f"https://ci.example/{label}",
            created_at=at(minutes),
        )
    )


async def report(
    store: GraphStore, environment: str, running: dict[str, int], *, minutes: float | None = None, org: str = ORG
) -> ReportedSnapshot:
    """Report `running` (label → instances) as the whole running set of `environment`."""
    return await store.report_snapshot(
        SnapshotInput(
            org=org,
            environment=environment,
            artifacts=[
                RunningArtifactInput(fingerprint=fp(label), name=f"ecr/{label}", instances=instances)
                for label, instances in running.items()
            ],
            reported_at=at(minutes) if minutes is not None else None,
        )
    )


async def history(store: GraphStore, edges: dict[str, list[str]], *, org: str = ORG) -> int:
    """Report commits given as label → parent labels; answer how many were new."""
    commits = [
        CommitInput(
            sha=sha(label),
            parents=[sha(parent) for parent in parents],
            message=f"commit {label}",
            author="Ada <ada@example.com>",
            timestamp=at(position),
        )
        for position, (label, parents) in enumerate(edges.items())
    ]
    reported = await store.report_commits(CommitsInput(org=org, repo_url=REPO, commits=commits))
    return reported.created
