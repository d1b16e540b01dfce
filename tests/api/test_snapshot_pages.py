"""A snapshot's running set and events page by keyset over HTTP: every page costs what the first costs."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.test_round_trips import running_sets
from tests.contract.scenario import ORG
from tracegraph.graph.store import GraphStore

PAGE = """
query($org: String!, $after: String, $events: String) {
  environment(org: $org, name: "prod") {
    snapshot {
      running(first: 100, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { name artifacts { flow { name } } }
      }
      events(first: 100, after: $events) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
    }
  }
}
"""
LAST = """
query($org: String!) {
  environment(org: $org, name: "prod") {
    snapshot { running(last: 3) { pageInfo { hasNextPage hasPreviousPage } nodes { name } } }
  }
}
"""


async def test_every_page_costs_the_same(api: Api, store: GraphStore) -> None:
    await running_sets(store)
    names: list[str] = []
    events: list[str] = []
    costs = []
    after = events_after = None
    while True:
        before = store.round_trips
        snapshot = (await api.data(PAGE, {"org": ORG, "after": after, "events": events_after}))["environment"][
            "snapshot"
        ]
        costs.append(store.round_trips - before)
        running = snapshot["running"]
        assert running["totalCount"] == 500
        assert snapshot["events"]["totalCount"] == 500
        names += [node["name"] for node in running["nodes"]]
        events += [node["name"] for node in snapshot["events"]["nodes"]]
        assert all(node["artifacts"][0]["flow"]["name"] == "web" for node in running["nodes"])
        assert running["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not running["pageInfo"]["hasNextPage"]:
            break
        after, events_after = running["pageInfo"]["endCursor"], snapshot["events"]["pageInfo"]["endCursor"]
    assert names == sorted(names)
    assert len(set(names)) == 500
    assert events == names
    assert len(set(costs[1:])) == 1  # the first request may also check the token; every page after costs the same
    assert costs[1] <= 2


async def test_the_last_items(api: Api, store: GraphStore) -> None:
    await running_sets(store)
    running = (await api.data(LAST, {"org": ORG}))["environment"]["snapshot"]["running"]
    assert [node["name"] for node in running["nodes"]] == ["ecr/a497", "ecr/a498", "ecr/a499"]
    assert running["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}
