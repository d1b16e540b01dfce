from __future__ import annotations

import asyncio

from tests.contract.scenario import ORG, build, fp, report, topology
from tracegraph.graph.inputs import DeploymentInput
from tracegraph.graph.selectors import LogQuery, parse_snapshot_expr
from tracegraph.graph.store import GraphStore

REPORTERS = 20


async def test_concurrent_reporters_get_gap_free_snapshots(store: GraphStore) -> None:
    await topology(store)
    answers = await asyncio.gather(*(report(store, "prod", {f"a{n}": 1, "common": n + 1}) for n in range(REPORTERS)))
    assert sorted(answer.snapshot.index for answer in answers) == list(range(1, REPORTERS + 1))
    page = await store.environment_log(LogQuery(org=ORG, environment="prod", limit=100))
    assert [s.snapshot.index for s in page.snapshots] == list(range(REPORTERS, 0, -1))
    last = max(answers, key=lambda answer: answer.snapshot.index)
    detail = await store.snapshot(ORG, "prod", parse_snapshot_expr("latest"))
    reported_last = {event.fingerprint for event in last.events if event.type.value != "STOPPED"}
    assert {running.fingerprint for running in detail.running} == reported_last | {fp("common")}
    assert len(detail.running) == 2


async def test_concurrent_identical_reports_make_one_snapshot(store: GraphStore) -> None:
    await topology(store)
    answers = await asyncio.gather(*(report(store, "prod", {"same": 2}) for _ in range(REPORTERS)))
    assert sum(answer.changed for answer in answers) == 1
    assert {answer.snapshot.index for answer in answers} == {1}
    assert (await store.get_environment(ORG, "prod")).latest_index == 1


async def test_concurrent_deployments_are_numbered_without_gaps(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    deployment = DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="prod")
    answers = await asyncio.gather(*(store.report_deployment(deployment) for _ in range(REPORTERS)))
    assert sorted(answer.number for answer in answers) == list(range(1, REPORTERS + 1))
