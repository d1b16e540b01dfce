"""Bulk ingest answers exactly as the single-item calls made in order (one org each, compared side by side)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.scenario import REPO, at, fp, report, sha, topology
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import ArtifactInput, AttestationInput, CommitInput, DeploymentInput
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.store import GraphStore

SINGLE, BULK = "one-by-one", "in-bulk"


def artifacts(org: str) -> list[ArtifactInput]:
    commit = CommitInput(sha=sha("c2"), parents=[sha("c1")], message="second", timestamp=at(1), branch="main")
    return [
        ArtifactInput(
            org=org, flow="web", fingerprint=fp("web-1"), name="web:1", git_commit=sha("c1"), created_at=at(1)
        ),
        ArtifactInput(
            org=org, flow="api", fingerprint=fp("api-1"), name="api:1", commit=commit, repo_url=REPO, created_at=at(2)
        ),
        # The same key again: the name moves, the first creation time and the commit stay.
        ArtifactInput(org=org, flow="web", fingerprint=fp("web-1"), name="web:1-renamed", created_at=at(5)),
        ArtifactInput(
            org=org, flow="web", fingerprint=fp("api-1"), name="web:shared", git_commit=sha("c2"), created_at=at(3)
        ),
    ]


def deployments(org: str) -> list[DeploymentInput]:
    return [
        DeploymentInput(org=org, flow="web", fingerprint=fp("web-1"), environment=env, reported_at=at(minutes))
        for minutes, env in enumerate(("beta", "prod", "prod"))
    ]


def attestations(org: str) -> list[AttestationInput]:
    return [
        AttestationInput(
            org=org, flow="web", fingerprint=fp("web-1"), type="junit", name=name, compliant=ok, reported_at=at(minutes)
        )
        for name, ok, minutes in (("unit", True, 3), ("e2e", False, 4))
    ]


def same(value: Any) -> Any:
    """A dump without what differs between the two orgs by design (the org itself, new ids)."""
    dumped = value.model_dump(mode="json") if hasattr(value, "model_dump") else value
    if isinstance(dumped, dict):
        skipped = ("org", "id", "created_at") if "latest_index" in dumped else ("org", "id")  # environments: now
        return {key: same(item) for key, item in dumped.items() if key not in skipped}
    if isinstance(dumped, list):
        return [same(item) for item in dumped]
    return dumped


async def test_bulk_ingest_answers_as_single_items(store: GraphStore) -> None:
    for org in (SINGLE, BULK):
        await topology(store, org=org)
    singles = [await store.report_artifact(item) for item in artifacts(SINGLE)]
    before = store.round_trips
    bulk = await store.report_artifacts(artifacts(BULK))
    assert store.round_trips == before + 1
    # Bulk answers are the artifacts after the whole batch: compare with the final single-path state.
    finals = {(a.flow, a.fingerprint): a for a in singles}
    assert same(bulk) == same([finals[(a.flow, a.fingerprint)] for a in singles])

    single_deployments = [await store.report_deployment(item) for item in deployments(SINGLE)]
    assert same(await store.report_deployments(deployments(BULK))) == same(single_deployments)
    single_attestations = [await store.attest(item) for item in attestations(SINGLE)]
    assert same(await store.attest_many(attestations(BULK))) == same(single_attestations)

    for org in (SINGLE, BULK):
        await report(store, "prod", {"web-1": 1, "api-1": 2}, minutes=10, org=org)
    answers = []
    for org in (SINGLE, BULK):
        answers.append(
            (
                same(await store.artifact(org, "web", fp("web-1")[:8])),
                same(await store.artifact(org, "api", fp("api-1"))),
                same(await store.commit(org, sha("c2"))),
                same(await store.commit_placements(org, [sha("c1")])),
                same(await store.snapshot(org, "prod", LATEST)),
            )
        )
    assert answers[0] == answers[1]


async def test_bulk_ingest_writes_nothing_when_an_item_fails(store: GraphStore) -> None:
    await topology(store, org=BULK)
    broken = [*artifacts(BULK), ArtifactInput(org=BULK, flow="nope", fingerprint=fp("x"), name="x")]
    with pytest.raises(NotFound, match="flow 'nope'"):
        await store.report_artifacts(broken)
    with pytest.raises(NotFound):
        await store.artifact(BULK, "web", fp("web-1"))
    assert await store.report_artifacts([]) == []
