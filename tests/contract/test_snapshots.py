from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.selectors import parse_snapshot_expr
from tracegraph.graph.store import GraphStore


def summary(events: object) -> list[tuple[str, str, int, int]]:
    return [(e.type.value, e.name, e.from_instances, e.to_instances) for e in events]  # type: ignore[attr-defined]


async def test_first_report_creates_snapshot_one_with_started_events(store: GraphStore) -> None:
    await topology(store)
    reported = await report(store, "prod", {"web-1": 1, "api-1": 2}, minutes=1)
    assert reported.changed
    assert reported.snapshot.index == 1
    assert reported.snapshot.reported_at == at(1)
    assert summary(reported.events) == [("STARTED", "ecr/api-1", 0, 2), ("STARTED", "ecr/web-1", 0, 1)]
    assert reported.events[1].description == "1 instance started running (from 0 to 1)."
    assert reported.events[0].description == "2 instances started running (from 0 to 2)."
    env = await store.get_environment(ORG, "prod")
    assert (env.latest_index, env.last_reported_at, env.last_changed_at) == (1, at(1), at(1))


async def test_unchanged_report_creates_no_snapshot(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"web-1": 1}, minutes=1)
    again = await report(store, "prod", {"web-1": 1}, minutes=5)
    assert not again.changed
    assert again.snapshot.index == 1
    assert again.snapshot.reported_at == at(1)
    assert again.events == ()
    env = await store.get_environment(ORG, "prod")
    assert (env.latest_index, env.last_reported_at, env.last_changed_at) == (1, at(5), at(1))


async def test_scaling_stopping_and_empty_snapshots(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"web-1": 1, "api-1": 1}, minutes=1)
    scaled = await report(store, "prod", {"web-1": 3, "api-1": 1}, minutes=2)
    assert summary(scaled.events) == [("SCALED", "ecr/web-1", 1, 3)]
    assert scaled.events[0].description == "Scaled up (from 1 to 3)."
    emptied = await report(store, "prod", {}, minutes=3)
    assert emptied.snapshot.index == 3
    assert summary(emptied.events) == [("STOPPED", "ecr/api-1", 1, 0), ("STOPPED", "ecr/web-1", 3, 0)]
    assert emptied.events[1].description == "3 instances stopped running (from 3 to 0)."
    detail = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    assert detail.running == ()
    second = await store.snapshot(ORG, "prod", parse_snapshot_expr("#2"))
    assert [(r.name, r.instances, r.since_index) for r in second.running] == [("ecr/api-1", 1, 1), ("ecr/web-1", 3, 2)]


async def test_first_report_may_be_empty(store: GraphStore) -> None:
    await topology(store)
    reported = await report(store, "prod", {}, minutes=1)
    assert (reported.changed, reported.snapshot.index, reported.events) == (True, 1, ())
    assert not (await report(store, "prod", {}, minutes=2)).changed


async def test_snapshot_expressions(store: GraphStore) -> None:
    await topology(store)
    for minute, label in enumerate(["a", "b", "c", "d"], start=1):
        await report(store, "prod", {label: 1}, minutes=minute * 10)

    async def index_of(expr: str) -> int:
        return (await store.snapshot(ORG, "prod", parse_snapshot_expr(expr))).snapshot.index

    assert await index_of("") == 4
    assert await index_of("#2") == 2
    assert await index_of("3") == 3
    assert await index_of("~1") == 3
    assert await index_of("~0") == 4
    assert await index_of("@{" + at(25).isoformat() + "}") == 2
    assert await index_of("@{" + at(20).isoformat() + "}") == 2
    for missing in ("#5", "~4", "@{" + at(5).isoformat() + "}"):
        with pytest.raises(NotFound):
            await store.snapshot(ORG, "prod", parse_snapshot_expr(missing))
    with pytest.raises(NotFound, match="no snapshots"):
        await store.snapshot(ORG, "beta", parse_snapshot_expr("latest"))


async def test_running_without_provenance_and_late_provenance(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"rogue": 1, "web-1": 1}, minutes=1)
    detail = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    assert [(r.name, r.artifacts) for r in detail.running] == [("ecr/rogue", ()), ("ecr/web-1", ())]
    assert not detail.compliant
    await build(store, "web", "web-1", commit="c1", minutes=5)
    later = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    web = later.running[1]
    assert [p.artifact.flow for p in web.artifacts] == ["web"]
    assert web.artifacts[0].artifact.git_commit == sha("c1")
    assert web.artifacts[0].commit is None  # the commit itself was never reported
    assert later.events[1].artifacts[0].artifact.fingerprint == fp("web-1")


async def test_one_fingerprint_in_two_flows(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "shared", commit="c1")
    await build(store, "api", "shared", commit="c2")
    await report(store, "prod", {"shared": 2}, minutes=1)
    detail = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    assert [(p.artifact.flow, p.artifact.git_commit) for p in detail.running[0].artifacts] == [
        ("api", sha("c2")),
        ("web", sha("c1")),
    ]


async def test_report_validation_writes_nothing(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"a": 1}, minutes=10)
    with pytest.raises(InvalidInput) as error:
        await report(store, "prod", {"b": 1}, minutes=5)
    assert error.value.field == "reported_at"
    with pytest.raises(NotFound, match="environment 'nowhere'"):
        await report(store, "nowhere", {"b": 1}, minutes=20)
    env = await store.get_environment(ORG, "prod")
    assert env.latest_index == 1
    detail = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    assert [r.name for r in detail.running] == ["ecr/a"]


async def test_events_carry_deployments_to_that_environment(store: GraphStore) -> None:
    from tracegraph.graph.inputs import DeploymentInput

    await topology(store)
    await build(store, "web", "web-1", commit="c1")
    first = await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="beta")
    )
    second = await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="prod")
    )
    assert (first.number, second.number) == (1, 2)
    reported = await report(store, "prod", {"web-1": 1}, minutes=1)
    assert [d.number for d in reported.events[0].deployments] == [2]
