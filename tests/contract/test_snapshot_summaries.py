"""Snapshot summaries: many snapshots' time, running total and compliance in one read."""

from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import AttestationInput
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import SnapshotSummary


async def test_summaries_of_many_snapshots_in_one_read(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await report(store, "prod", {"a": 1}, minutes=1)  # #1 compliant: a has a build
    await report(store, "prod", {"a": 2, "rogue": 1}, minutes=2)  # #2 not: rogue has none
    await report(store, "prod", {"a": 2}, minutes=3)  # #3
    await report(store, "prod", {}, minutes=4)  # #4 empty
    before = store.round_trips
    found = await store.snapshot_summaries(ORG, "prod", [4, 2, 1, 3, 2, 9, 0])
    assert store.round_trips == before + 1
    assert found == [
        SnapshotSummary(index=1, reported_at=at(1), compliant=True, running_total=1),
        SnapshotSummary(index=2, reported_at=at(2), compliant=False, running_total=2),
        SnapshotSummary(index=3, reported_at=at(3), compliant=True, running_total=1),
        SnapshotSummary(index=4, reported_at=at(4), compliant=True, running_total=0),
    ]
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("a"), type="junit", name="tests", compliant=False)
    )
    assert [s.compliant for s in await store.snapshot_summaries(ORG, "prod", [1, 3, 4])] == [False, False, True]
    assert await store.snapshot_summaries(ORG, "prod", []) == []
    assert await store.snapshot_summaries(ORG, "prod", [7]) == []


async def test_summaries_agree_with_snapshot_reads(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await report(store, "prod", {"a": 1, "b": 1}, minutes=1)
    await report(store, "prod", {"a": 3}, minutes=2)
    for summary in await store.snapshot_summaries(ORG, "prod", [1, 2]):
        detail = await store.snapshot(ORG, "prod", SnapshotSelector(kind=SelectorKind.INDEX, value=summary.index))
        assert (summary.running_total, summary.compliant) == (detail.running_total, detail.compliant)


async def test_summary_limits_and_missing_environment(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(InvalidInput) as error:
        await store.snapshot_summaries(ORG, "prod", list(range(1, 1002)))
    assert error.value.field == "indexes"
    with pytest.raises(NotFound):
        await store.snapshot_summaries(ORG, "nowhere", [1])
