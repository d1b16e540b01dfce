"""The change feed: a row per report that changed something, in its transaction, numbered in commit order."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.changes import ChangeKind, StartedArtifact
from tracegraph.graph.inputs import ArtifactInput, DeploymentInput
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore


async def test_reports_write_changes_in_order(store: GraphStore) -> None:
    assert await store.last_change_id() == 0
    assert await store.changes_after(0, limit=10) == []
    await topology(store)
    assert await store.last_change_id() == 0  # topology is not a report
    await build(store, "web", "web-1", commit="c1")
    await report(store, "prod", {"web-1": 2, "rogue": 1}, minutes=1)
    await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="prod", reported_at=at(2))
    )
    found = await store.changes_after(0, limit=10)
    assert [(c.id, c.kind) for c in found] == [
        (1, ChangeKind.ARTIFACT_REPORTED),
        (2, ChangeKind.SNAPSHOT_REPORTED),
        (3, ChangeKind.DEPLOYMENT_REPORTED),
    ]
    artifact, snapshot, deployment = found
    assert (artifact.org, artifact.flow, artifact.fingerprint) == (ORG, "web", fp("web-1"))
    assert (snapshot.environment, snapshot.snapshot_index) == ("prod", 1)
    assert sorted(snapshot.started, key=lambda s: s.fingerprint) == sorted(
        [
            StartedArtifact(flow="web", fingerprint=fp("web-1"), commit=sha("c1")),
            StartedArtifact(flow=None, fingerprint=fp("rogue"), commit=None),
        ],
        key=lambda s: s.fingerprint,
    )
    assert (deployment.environment, deployment.flow, deployment.deployment_number) == ("prod", "web", 1)
    assert all(abs(c.at - utc_now()) < timedelta(minutes=1) for c in found)
    assert await store.last_change_id() == 3
    assert [c.id for c in await store.changes_after(1, limit=1)] == [2]


async def test_reports_that_change_nothing_write_no_change(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1", commit="c1")
    await report(store, "prod", {"web-1": 1}, minutes=1)
    last = await store.last_change_id()
    await build(store, "web", "web-1", commit="c1")  # the same artifact again
    await report(store, "prod", {"web-1": 1}, minutes=2)  # the same running set again
    assert await store.last_change_id() == last
    await report(store, "prod", {}, minutes=3)  # stopping is a new snapshot, with nothing started
    await build(store, "web", "web-1", commit="c2")  # built from another commit: stored differently
    changes = await store.changes_after(last, limit=10)
    assert [(c.kind, c.snapshot_index, c.started) for c in changes] == [
        (ChangeKind.SNAPSHOT_REPORTED, 2, ()),
        (ChangeKind.ARTIFACT_REPORTED, None, ()),
    ]


async def test_a_failed_report_writes_no_change(store: GraphStore) -> None:
    await topology(store)
    good = ArtifactInput(org=ORG, flow="web", fingerprint=fp("a"), name="a")
    bad = ArtifactInput(org=ORG, flow="nope", fingerprint=fp("b"), name="b")
    with pytest.raises(NotFound):
        await store.report_artifacts([good, bad])
    with pytest.raises(NotFound):
        await report(store, "nowhere", {"a": 1})
    assert await store.last_change_id() == 0
    renamed, other_flow = good.model_copy(update={"name": "a2"}), good.model_copy(update={"flow": "api"})
    await store.report_artifacts([good, renamed, other_flow])
    assert [(c.flow, c.fingerprint) for c in await store.changes_after(0, limit=10)] == [
        ("web", fp("a")),
        ("api", fp("a")),
    ]


async def test_changes_of_some_orgs(store: GraphStore) -> None:
    await topology(store)
    await topology(store, org="other")
    await build(store, "web", "w", org="other")
    await build(store, "web", "w")
    await build(store, "api", "x", org="other")
    assert [c.org for c in await store.changes_after(0, limit=10, orgs=[ORG])] == [ORG]
    assert [c.id for c in await store.changes_after(0, limit=10, orgs=["other"])] == [1, 3]
    assert await store.changes_after(0, limit=10, orgs=[]) == []


async def test_concurrent_reports_take_distinct_ids_in_commit_order(store: GraphStore) -> None:
    await topology(store)
    await asyncio.gather(*(build(store, "web", f"w{n}") for n in range(20)))
    found = await store.changes_after(0, limit=100)
    assert [c.id for c in found] == list(range(1, 21))
    assert sorted(c.fingerprint or "" for c in found) == sorted(fp(f"w{n}") for n in range(20))


async def test_pruned_changes_refuse_a_resume_before_them(store: GraphStore) -> None:
    await topology(store)
    for n in range(3):
        await build(store, "web", f"w{n}")
    assert await store.prune_changes(utc_now() - timedelta(days=1)) == 0
    assert await store.prune_changes(utc_now() + timedelta(seconds=1)) == 3
    assert await store.last_change_id() == 3  # ids are never given again
    with pytest.raises(InvalidInput, match="after: change 1 is older than the changes retained"):
        await store.changes_after(1, limit=10)
    assert await store.changes_after(3, limit=10) == []
    await build(store, "web", "w9")
    assert [c.id for c in await store.changes_after(3, limit=10)] == [4]
    with pytest.raises(InvalidInput, match="after: change 2 is older"):
        await store.changes_after(2, limit=10)
    with pytest.raises(InvalidInput, match="after: no change 9 yet"):
        await store.changes_after(9, limit=10)


async def test_page_arguments_are_checked(store: GraphStore) -> None:
    with pytest.raises(InvalidInput, match="limit: must be between 1 and 1000"):
        await store.changes_after(0, limit=0)
    with pytest.raises(InvalidInput, match="after: must be 0 or a change id"):
        await store.changes_after(-1, limit=1)
