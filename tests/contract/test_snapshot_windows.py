"""Snapshots read in parts: keyset windows on the running set and the events, totals, and details only when asked."""

from __future__ import annotations

from tests.contract.scenario import ORG, build, fp, history, report, topology
from tracegraph.graph.selectors import LATEST, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.windows import SnapshotParts, Window

LABELS = [f"svc-{n:02d}" for n in range(12)]


def first(selector_index: int | None = None) -> SnapshotSelector:
    return LATEST if selector_index is None else SnapshotSelector(kind=SelectorKind.INDEX, value=selector_index)


async def twelve_running(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": []})
    for label in LABELS[:6]:
        await build(store, "web", label, commit="c1")
    await report(store, "prod", dict.fromkeys(LABELS, 1), minutes=1)  # #1: 12 started
    await report(store, "prod", dict.fromkeys(LABELS[2:], 2), minutes=2)  # #2: 2 stopped, 10 scaled


def names(items: tuple[object, ...]) -> list[str]:
    return [item.name for item in items]  # type: ignore[attr-defined]


async def test_running_windows_page_by_key_in_both_directions(store: GraphStore) -> None:
    await twelve_running(store)
    page = SnapshotParts(running=Window(limit=5), events=None, provenance=False, deployments=False, compliance=False)
    one = await store.snapshot(ORG, "prod", LATEST, page)
    assert names(one.running) == [f"ecr/{label}" for label in LABELS[2:7]]
    assert (one.running_total, one.events, one.compliant) == (10, (), None)
    assert all(item.artifacts == () for item in one.running)  # provenance not asked for
    key = (one.running[-1].name, one.running[-1].fingerprint)
    two = await store.snapshot(ORG, "prod", LATEST, SnapshotParts(running=Window(limit=5, key=key), events=None))
    assert names(two.running) == [f"ecr/{label}" for label in LABELS[7:12]]
    assert [p.artifact.flow for p in two.running[0].artifacts] == []  # svc-07 has no build
    back = await store.snapshot(
        ORG, "prod", LATEST, SnapshotParts(running=Window(limit=3, key=key, backward=True), events=None)
    )
    assert names(back.running) == [f"ecr/{label}" for label in LABELS[3:6]]
    assert [p.artifact.flow for p in back.running[0].artifacts] == ["web"]  # with provenance by default
    last = await store.snapshot(ORG, "prod", LATEST, SnapshotParts(running=Window(limit=2, backward=True)))
    assert names(last.running) == ["ecr/svc-10", "ecr/svc-11"]


async def test_an_older_snapshot_is_windowed_the_same_way(store: GraphStore) -> None:
    await twelve_running(store)
    older = await store.snapshot(ORG, "prod", first(1), SnapshotParts(running=Window(limit=4), events=Window(limit=3)))
    assert names(older.running) == [f"ecr/{label}" for label in LABELS[:4]]
    assert (older.running_total, older.events_total) == (12, 12)
    assert names(older.events) == [f"ecr/{label}" for label in LABELS[:3]]
    assert older.compliant is False  # svc-06.. have no build


async def test_event_windows_and_details_on_demand(store: GraphStore) -> None:
    await twelve_running(store)
    bare = SnapshotParts(running=None, events=Window(limit=2), provenance=False, deployments=False, compliance=False)
    latest = await store.snapshot(ORG, "prod", LATEST, bare)
    assert latest.events_total == 12  # 2 stopped, 10 scaled
    assert [(event.name, event.type) for event in latest.events] == [
        ("ecr/svc-00", "STOPPED"),
        ("ecr/svc-01", "STOPPED"),
    ]
    assert latest.events[0].artifacts == ()
    key = (latest.events[-1].name, latest.events[-1].fingerprint)
    rest = await store.snapshot(ORG, "prod", LATEST, SnapshotParts(running=None, events=Window(key=key)))
    assert len(rest.events) == 10
    assert rest.events[0].fingerprint == fp("svc-02")
    assert [p.artifact.flow for p in rest.events[0].artifacts] == ["web"]
    assert rest.running == ()
    assert rest.running_total == 10


async def test_compliance_covers_the_whole_set_whatever_the_window(store: GraphStore) -> None:
    await twelve_running(store)
    await report(store, "beta", dict.fromkeys(LABELS[:6], 1), minutes=3)  # every one of them built
    one = SnapshotParts(running=Window(limit=1), events=None, provenance=False, deployments=False, compliance=True)
    assert (await store.snapshot(ORG, "beta", LATEST, one)).compliant is True
    assert (await store.snapshot(ORG, "prod", LATEST, one)).compliant is False


async def test_a_log_page_reads_event_details_only_when_asked(store: GraphStore) -> None:
    from tracegraph.graph.selectors import LogQuery

    await twelve_running(store)
    bare = await store.environment_log(LogQuery(org=ORG, environment="prod", provenance=False, deployments=False))
    full = await store.environment_log(LogQuery(org=ORG, environment="prod"))
    assert [len(row.events) for row in bare.snapshots] == [len(row.events) for row in full.snapshots] == [12, 12]
    assert all(event.artifacts == () for row in bare.snapshots for event in row.events)
    assert any(event.artifacts for row in full.snapshots for event in row.events)
    flow = await store.environment_log(LogQuery(org=ORG, environment="prod", flow="web", provenance=False))
    # web built svc-00..05: at #2 two stopped and four scaled, at #1 six started
    assert [len(row.events) for row in flow.snapshots] == [6, 6]


async def test_a_diff_reads_provenance_only_when_asked(store: GraphStore) -> None:
    await twelve_running(store)
    bare = await store.diff(ORG, ("prod", first(1)), ("prod", LATEST), provenance=False)
    full = await store.diff(ORG, ("prod", first(1)), ("prod", LATEST))
    assert [item.fingerprint for item in bare.only_in_source] == [item.fingerprint for item in full.only_in_source]
    assert len(bare.scaled) == len(full.scaled) == 10
    assert all(item.artifacts == () for item in bare.only_in_source)
    assert [p.artifact.flow for p in full.only_in_source[0].artifacts] == ["web"]
