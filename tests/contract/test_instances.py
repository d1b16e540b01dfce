"""Per-instance context of a running artifact: kept with the Run its report opened, read only when asked; and
`since`, the time of the snapshot that opened the Run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, topology
from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import InstanceInput, RunningArtifactInput, SnapshotInput, parse
from tracegraph.graph.selectors import LATEST, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import Instance, ReportedSnapshot
from tracegraph.graph.windows import SnapshotParts, Window

STARTED = datetime(2022, 9, 6, 13, 58, 1, tzinfo=UTC)


def pod(name: str, **context: str) -> InstanceInput:
    return InstanceInput(name=name, namespace="prod", started_at=STARTED, context=context)


async def report_pods(store: GraphStore, pods: list[InstanceInput], *, minutes: float) -> ReportedSnapshot:
    running = {"fingerprint": fp("web"), "name": "ecr/web", "instances_detail": pods}
    return await store.report_snapshot(
        SnapshotInput(
            org=ORG,
            environment="prod",
            artifacts=[RunningArtifactInput.model_validate(running)],
            reported_at=at(minutes),
        )
    )


WITH_INSTANCES = SnapshotParts(instances=True)


async def test_instances_detail_is_kept_and_read_when_asked(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web")
    first = await report_pods(store, [pod("web-1", owner="ReplicaSet/web-5f"), pod("web-2")], minutes=1)
    assert first.changed
    assert first.events[0].to_instances == 2  # instances derived from the detail
    found = await store.snapshot(ORG, "prod", LATEST, WITH_INSTANCES)
    (item,) = found.running
    assert item.instances == 2
    assert item.instances_detail == (
        Instance(name="web-1", namespace="prod", started_at=STARTED, context={"owner": "ReplicaSet/web-5f"}),
        Instance(name="web-2", namespace="prod", started_at=STARTED, context={}),
    )
    assert (item.since, item.since_index) == (at(1), 1)
    plain = await store.snapshot(ORG, "prod", LATEST, SnapshotParts())
    assert plain.running[0].instances_detail is None  # not asked for: not read
    assert plain.running[0].since == at(1)


async def test_a_change_of_context_alone_makes_no_snapshot_and_the_first_context_stays(store: GraphStore) -> None:
    await topology(store)
    await report_pods(store, [pod("web-1"), pod("web-2")], minutes=1)
    again = await report_pods(store, [pod("web-1"), pod("web-3", restarted="yes")], minutes=2)
    assert not again.changed
    found = await store.snapshot(ORG, "prod", LATEST, WITH_INSTANCES)
    assert found.snapshot.index == 1
    assert [i.name for i in found.running[0].instances_detail or ()] == ["web-1", "web-2"]
    scaled = await report_pods(store, [pod("web-4")], minutes=3)  # a new count opens a new Run with its detail
    assert (scaled.changed, scaled.snapshot.index) == (True, 2)
    latest = await store.snapshot(ORG, "prod", LATEST, WITH_INSTANCES)
    assert [i.name for i in latest.running[0].instances_detail or ()] == ["web-4"]
    assert latest.running[0].since == at(3)
    older = await store.snapshot(ORG, "prod", SnapshotSelector(kind=SelectorKind.INDEX, value=1), WITH_INSTANCES)
    assert [i.name for i in older.running[0].instances_detail or ()] == ["web-1", "web-2"]
    assert older.running[0].since == at(1)


async def test_runs_reported_without_detail_read_as_none_given(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"a": 1, "b": 3}, minutes=1)
    await report(store, "prod", {"a": 1, "b": 2}, minutes=2)
    found = await store.snapshot(ORG, "prod", LATEST, SnapshotParts(running=Window(limit=1), instances=True))
    assert [(i.name, i.instances_detail, i.since) for i in found.running] == [("ecr/a", (), at(1))]
    diff = await store.diff(ORG, ("prod", LATEST), ("prod", SnapshotSelector(kind=SelectorKind.INDEX, value=1)))
    assert [(i.fingerprint, i.since) for i in diff.unchanged] == [(fp("a"), at(1))]
    assert [(s.before.since, s.after.since) for s in diff.scaled] == [(at(2), at(1))]


def test_instances_must_match_the_detail() -> None:
    detail = [{"name": "web-1"}, {"name": "web-2"}]
    assert parse(RunningArtifactInput, {"fingerprint": fp("a"), "name": "a", "instances_detail": detail}).instances == 2
    with pytest.raises(InvalidInput, match=r"instances \(3\) must equal the number of instances_detail \(2\)"):
        parse(RunningArtifactInput, {"fingerprint": fp("a"), "name": "a", "instances": 3, "instances_detail": detail})
    too_much = {f"k{n}": "v" for n in range(33)}
    with pytest.raises(InvalidInput) as error:
        parse(RunningArtifactInput, {"fingerprint": fp("a"), "name": "a", "instances_detail": [{"context": too_much}]})
    assert error.value.field == "instances_detail.0.context"
    with pytest.raises(InvalidInput) as error:
        parse(InstanceInput, {"namespace": "a\nb"})
    assert error.value.field == "namespace"
