from __future__ import annotations

from tests.contract.scenario import ORG, fp, report, topology
from tracegraph.graph.selectors import parse_snapshot_expr
from tracegraph.graph.store import GraphStore


async def test_diff_within_and_across_environments(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"a": 1, "b": 1, "c": 2}, minutes=1)
    await report(store, "prod", {"a": 1, "c": 3, "d": 1}, minutes=2)
    await report(store, "beta", {"a": 1, "d": 2, "e": 1}, minutes=3)
    same = await store.diff(ORG, ("prod", parse_snapshot_expr("#1")), ("prod", parse_snapshot_expr("latest")))
    assert [r.fingerprint for r in same.only_in_source] == [fp("b")]
    assert [r.fingerprint for r in same.only_in_target] == [fp("d")]
    assert [(s.before.instances, s.after.instances) for s in same.scaled] == [(2, 3)]
    assert [r.fingerprint for r in same.unchanged] == [fp("a")]
    assert (same.source.snapshot.index, same.target.snapshot.index) == (1, 2)  # type: ignore[union-attr]
    across = await store.diff(ORG, ("beta", parse_snapshot_expr("")), ("prod", parse_snapshot_expr("")))
    assert [r.name for r in across.only_in_source] == ["ecr/e"]
    assert [r.name for r in across.only_in_target] == ["ecr/c"]
    assert [s.after.name for s in across.scaled] == ["ecr/d"]
    assert [r.name for r in across.unchanged] == ["ecr/a"]


async def test_diff_with_a_never_reported_environment(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"a": 1}, minutes=1)
    found = await store.diff(ORG, ("beta", parse_snapshot_expr("")), ("prod", parse_snapshot_expr("")))
    assert found.source.snapshot is None
    assert [r.name for r in found.only_in_target] == ["ecr/a"]
