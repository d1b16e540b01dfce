from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, at, build, fp, history, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import ArtifactInput, AttestationInput, CommitInput, DeploymentInput
from tracegraph.graph.store import GraphStore


async def test_artifact_upsert_keeps_first_creation_time(store: GraphStore) -> None:
    await topology(store)
    first = await build(store, "web", "web-1", commit="c1", minutes=1)
    assert (first.state, first.git_commit, first.created_at) == ("COMPLIANT", sha("c1"), at(1))
    again = await store.report_artifact(
        ArtifactInput(org=ORG, flow="web", fingerprint=fp("web-1").upper(), name="renamed", created_at=at(9))
    )
    assert (again.name, again.created_at, again.git_commit) == ("renamed", at(1), sha("c1"))
    assert again.fingerprint == fp("web-1")


async def test_artifact_needs_its_flow(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(NotFound, match="flow 'nope'"):
        await build(store, "nope", "x")
    with pytest.raises(NotFound, match="org 'ghost'"):
        await build(store, "web", "x", org="ghost")


async def test_artifact_history_and_state(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1", commit="c1", minutes=0)
    await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="beta", reported_at=at(1))
    )
    await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="prod", reported_at=at(2))
    )
    await store.attest(
        AttestationInput(
            org=ORG,
            flow="web",
            fingerprint=fp("web-1"),
            type="junit",
            name="unit-tests",
            compliant=True,
            data={"passed": 12},
            reported_at=at(0.5),
        )
    )
    await report(store, "beta", {"web-1": 1}, minutes=3)
    await report(store, "prod", {"web-1": 1}, minutes=4)
    await report(store, "prod", {"web-1": 2}, minutes=5)  # scaling keeps one placement
    await report(store, "beta", {}, minutes=6)
    detail = await store.artifact(ORG, "web", fp("web-1")[:7])
    assert detail.provenance.artifact.state == "COMPLIANT"
    assert [h.description for h in detail.history] == [
        "Artifact created",
        "Attestation unit-tests reported",
        "Deployment #1 to beta environment",
        "Deployment #2 to prod environment",
        "Started running in beta#1 environment",
        "Started running in prod#1 environment",
        "No longer running in beta#2 environment",
    ]
    assert [h.at for h in detail.history] == [at(0), at(0.5), at(1), at(2), at(3), at(4), at(6)]
    assert [(p.environment, p.from_index, p.to_index, p.instances) for p in detail.placements] == [
        ("beta", 1, 2, 1),
        ("prod", 1, None, 2),
    ]
    assert detail.attestations[0].data == {"passed": 12}
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("web-1"), type="snyk", name="scan", compliant=False)
    )
    assert (await store.artifact(ORG, "web", fp("web-1"))).provenance.artifact.state == "NON_COMPLIANT"


def labels_sharing_a_prefix(length: int) -> tuple[str, str]:
    seen: dict[str, str] = {}
    for number in range(1_000_000):
        label = f"x{number}"
        prefix = fp(label)[:length]
        if prefix in seen:
            return seen[prefix], label
        seen[prefix] = label
    raise AssertionError("unreachable")


async def test_artifact_prefix_ambiguous_and_missing(store: GraphStore) -> None:
    await topology(store)
    first, second = labels_sharing_a_prefix(5)
    await build(store, "web", first)
    await build(store, "web", second)
    shared = fp(first)[:5]
    with pytest.raises(InvalidInput) as error:
        await store.artifact(ORG, "web", shared)
    assert error.value.field == "fingerprint"
    assert error.value.candidates == tuple(sorted([fp(first), fp(second)]))
    longer = fp(first)[:12]
    assert (await store.artifact(ORG, "web", longer)).provenance.artifact.fingerprint == fp(first)
    with pytest.raises(NotFound):
        await store.artifact(ORG, "web", "00000000")
    with pytest.raises(NotFound, match="flow 'nope'"):
        await store.artifact(ORG, "nope", "00000")


async def test_artifacts_for_commit_and_listing(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"]})
    await build(store, "web", "web-1", commit="c1", minutes=1)
    await build(store, "api", "api-1", commit="c1", minutes=2)
    await build(store, "web", "web-2", commit="c2", minutes=3)
    built = await store.artifacts_for_commit(ORG, sha("c1")[:7])
    assert [(d.provenance.artifact.flow, d.provenance.artifact.name) for d in built] == [
        ("api", "registry.example/api:api-1"),
        ("web", "registry.example/web:web-1"),
    ]
    assert built[0].provenance.commit is not None
    assert built[0].provenance.commit.message == "commit c1"
    only_web = await store.artifacts_for_commit(ORG, sha("c1"), flow="web")
    assert [d.provenance.artifact.fingerprint for d in only_web] == [fp("web-1")]
    listed = await store.list_artifacts(ORG, "web", limit=1)
    assert [a.fingerprint for a in listed] == [fp("web-2")]
    rest = await store.list_artifacts(ORG, "web", limit=5, after=listed[-1].fingerprint)
    assert [a.fingerprint for a in rest] == [fp("web-1")]


async def test_artifact_with_inline_commit(store: GraphStore) -> None:
    await topology(store)
    await store.report_artifact(
        ArtifactInput(
            org=ORG,
            flow="web",
            fingerprint=fp("w"),
            name="w",
            git_commit=sha("c9"),
            commit=CommitInput(sha=sha("c9"), parents=[sha("c8")], message="fix typo", author="Bob"),
        )
    )
    commit = await store.commit(ORG, sha("c9")[:6])
    assert (commit.message, commit.author, commit.parents) == ("fix typo", "Bob", (sha("c8"),))
    with pytest.raises(NotFound):
        await store.commit(ORG, sha("c8"))  # a parent never reported is not a commit of its own
