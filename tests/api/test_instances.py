"""Instance details and snapshot summaries over GraphQL: reported with a snapshot, read only when selected, and
many snapshots summarised in one store round trip."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from tests.api.conftest import Api, make_settings
from tests.contract.scenario import ORG, at, fp, topology
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

REPORT = """
mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { changed snapshot { index } } }
"""
RUNNING = """
query($org: String!) {
  environment(org: $org, name: "prod") {
    snapshot { running(first: 10) { nodes { name instances sinceIndex since
      instanceDetails { name namespace startedAt context } } } }
  }
}
"""
PLAIN = """
query($org: String!) {
  environment(org: $org, name: "prod") { snapshot { running(first: 10) { nodes { name since } } } }
}
"""
SUMMARIES = """
query($org: String!, $indexes: [Int!]!) {
  environment(org: $org, name: "prod") {
    snapshotSummaries(indexes: $indexes) { index reportedAt compliant runningTotal }
  }
}
"""
TOKEN_CHECK = 1  # every request checks its token first (no cache here, as in test_round_trips)


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, token_cache_seconds=0)


def pods(*names: str) -> list[dict[str, object]]:
    return [
        {"name": name, "namespace": "prod", "startedAt": "2022-09-06T13:58:01Z", "context": {"node": "n1"}}
        for name in names
    ]


async def report(api: Api, minutes: float, details: list[dict[str, object]]) -> dict[str, object]:
    running = [{"fingerprint": fp("web"), "name": "ecr/web", "instancesDetail": details}]
    variables = {
        "input": {"org": ORG, "environment": "prod", "artifacts": running, "reportedAt": at(minutes).isoformat()}
    }
    answer: dict[str, object] = (await api.data(REPORT, variables))["reportSnapshot"]
    return answer


async def test_instance_details_are_reported_and_read_when_selected(api: Api, store: GraphStore) -> None:
    await topology(store)
    assert await report(api, 1, pods("web-1", "web-2")) == {"changed": True, "snapshot": {"index": 1}}
    assert await report(api, 2, pods("web-1", "web-9")) == {"changed": False, "snapshot": {"index": 1}}
    nodes = (await api.data(RUNNING, {"org": ORG}))["environment"]["snapshot"]["running"]["nodes"]
    assert nodes == [
        {
            "name": "ecr/web",
            "instances": 2,
            "sinceIndex": 1,
            "since": "2022-09-06T14:01:00+00:00",
            "instanceDetails": [
                {
                    "name": "web-1",
                    "namespace": "prod",
                    "startedAt": "2022-09-06T13:58:01+00:00",
                    "context": {"node": "n1"},
                },
                {
                    "name": "web-2",
                    "namespace": "prod",
                    "startedAt": "2022-09-06T13:58:01+00:00",
                    "context": {"node": "n1"},
                },
            ],
        }
    ]
    before = store.round_trips
    await api.data(PLAIN, {"org": ORG})
    assert store.round_trips - before == TOKEN_CHECK + 1
    before = store.round_trips
    await api.data(RUNNING, {"org": ORG})
    assert store.round_trips - before == TOKEN_CHECK + 1  # the detail rides in the same read


async def test_a_count_disagreeing_with_the_details_is_refused(api: Api, store: GraphStore) -> None:
    await topology(store)
    running = [{"fingerprint": fp("web"), "name": "ecr/web", "instances": 3, "instancesDetail": pods("web-1")}]
    error = await api.error(REPORT, {"input": {"org": ORG, "environment": "prod", "artifacts": running}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "must equal the number of instances_detail" in error["message"]


async def test_snapshot_summaries_cost_one_round_trip(api: Api, store: GraphStore) -> None:
    await topology(store)
    for minutes, names in ((1, ("a",)), (2, ("a", "b")), (3, ("a", "b", "c"))):
        await report(api, minutes, pods(*names))
    before = store.round_trips
    await api.data(SUMMARIES, {"org": ORG, "indexes": [2]})
    one = store.round_trips - before
    before = store.round_trips
    found = (await api.data(SUMMARIES, {"org": ORG, "indexes": [3, 1, 2, 1]}))["environment"]["snapshotSummaries"]
    # The token, the environment (its NOT_FOUND), then one read for every summary, whatever their number.
    assert store.round_trips - before == one == TOKEN_CHECK + 2
    assert [(s["index"], s["runningTotal"], s["compliant"]) for s in found] == [
        (1, 1, False),
        (2, 1, False),
        (3, 1, False),
    ]
    assert found[0]["reportedAt"] == "2022-09-06T14:01:00+00:00"
    error = await api.error(SUMMARIES, {"org": ORG, "indexes": list(range(1, 1002))})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "indexes" in error["message"]
