from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, at, build, report, topology
from tracegraph.errors import NotFound
from tracegraph.graph.selectors import LogQuery
from tracegraph.graph.store import GraphStore


async def seeded(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    await build(store, "api", "api-1")
    await build(store, "web", "web-2")
    await report(store, "prod", {"web-1": 1}, minutes=1)  # 1
    await report(store, "prod", {"web-1": 1, "api-1": 1}, minutes=2)  # 2
    await report(store, "prod", {"web-2": 1, "api-1": 1}, minutes=3)  # 3
    await report(store, "prod", {"web-2": 1}, minutes=4)  # 4
    await report(store, "prod", {"web-2": 2}, minutes=5)  # 5


async def test_log_interval_newest_first(store: GraphStore) -> None:
    await seeded(store)
    page = await store.environment_log(LogQuery(org=ORG, environment="prod", min_index=3, max_index=4))
    assert [s.snapshot.index for s in page.snapshots] == [4, 3]
    assert page.total == 2
    assert not page.has_more
    assert [(e.type.value, e.name) for e in page.snapshots[1].events] == [
        ("STOPPED", "ecr/web-1"),
        ("STARTED", "ecr/web-2"),
    ]
    assert page.snapshots[0].snapshot.reported_at == at(4)


async def test_log_keyset_paging_both_ways(store: GraphStore) -> None:
    await seeded(store)
    first = await store.environment_log(LogQuery(org=ORG, environment="prod", limit=2))
    assert ([s.snapshot.index for s in first.snapshots], first.total, first.has_more) == ([5, 4], 5, True)
    second = await store.environment_log(LogQuery(org=ORG, environment="prod", limit=2, before=4))
    assert [s.snapshot.index for s in second.snapshots] == [3, 2]
    last = await store.environment_log(LogQuery(org=ORG, environment="prod", limit=2, before=2))
    assert ([s.snapshot.index for s in last.snapshots], last.has_more) == ([1], False)
    oldest = await store.environment_log(LogQuery(org=ORG, environment="prod", limit=3, oldest_first=True, after=1))
    assert [s.snapshot.index for s in oldest.snapshots] == [2, 3, 4]


async def test_log_filters_by_time_and_flow(store: GraphStore) -> None:
    await seeded(store)
    timed = await store.environment_log(LogQuery(org=ORG, environment="prod", since=at(2), until=at(3)))
    assert [s.snapshot.index for s in timed.snapshots] == [3, 2]
    api = await store.environment_log(LogQuery(org=ORG, environment="prod", flow="api"))
    assert [s.snapshot.index for s in api.snapshots] == [4, 2]
    assert api.total == 2
    assert [e.name for e in api.snapshots[0].events] == ["ecr/api-1"]
    with pytest.raises(NotFound):
        await store.environment_log(LogQuery(org=ORG, environment="prod", flow="missing"))
    empty = await store.environment_log(LogQuery(org=ORG, environment="beta"))
    assert (empty.snapshots, empty.total) == ((), 0)
