"""Relay conventions: opaque global ids refetched by `node(id:)`, connections with keyset cursors."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.scenario import C3, NEW, OLD, ORG, REPORT_SNAPSHOT, report_seed, running

NODES = """
query($org: String!, $fp: String!, $sha: String!) {
  org(name: $org) { id name }
  flow(org: $org, name: "creator") { id name }
  environment(org: $org, name: "aws-prod") { id name snapshot(index: 2) { id index } }
  artifact(org: $org, flow: "creator", fingerprint: $fp) { id fingerprint }
  commit(org: $org, sha: $sha) { id sha }
}
"""

REFETCH = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Org { name }
    ... on Flow { name }
    ... on Environment { name }
    ... on Snapshot { index }
    ... on Artifact { fingerprint }
    ... on Commit { sha }
  }
}
"""


async def test_node_refetches_every_kind_by_its_opaque_id(api: Api) -> None:
    await report_seed(api)
    data = await api.data(NODES, {"org": ORG, "fp": NEW[:7], "sha": C3})
    objects = [
        data["org"],
        data["flow"],
        data["environment"],
        data["environment"]["snapshot"],
        data["artifact"],
        data["commit"],
    ]
    for expected, kind in zip(objects, ["Org", "Flow", "Environment", "Snapshot", "Artifact", "Commit"], strict=True):
        assert ORG not in expected["id"]  # opaque, not a readable key
        node = (await api.data(REFETCH, {"id": expected["id"]}))["node"]
        assert node["__typename"] == kind
        assert {key: node[key] for key in expected if key != "snapshot"} == {
            key: value for key, value in expected.items() if key != "snapshot"
        }


async def test_node_rejects_a_made_up_id(api: Api) -> None:
    error = await api.error(REFETCH, {"id": "not-an-id!"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    gone = await api.error(REFETCH, {"id": "T3JnOm5vYm9keQ"})  # Org:nobody
    assert gone["extensions"]["code"] == "NOT_FOUND"


LOG = """
query($org: String!, $first: Int, $after: String, $last: Int, $before: String, $interval: String) {
  environment(org: $org, name: "prod") {
    snapshots(first: $first, after: $after, last: $last, before: $before, interval: $interval) {
      totalCount
      edges { cursor node { index } }
      nodes { index events { nodes { type } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""


async def twenty_snapshots(api: Api) -> None:
    await api.data('mutation { createOrg(input: {name: "acme"}) { org { name } } }')
    await api.data(
        'mutation { createEnvironment(input: {org: "acme", name: "prod", type: K8S}) { environment { name } } }'
    )
    for n in range(1, 21):
        artifacts = running((f"{n:064x}", f"app:{n}", 1))
        await api.data(REPORT_SNAPSHOT, {"input": {"org": "acme", "environment": "prod", "artifacts": artifacts}})


def indexes(connection: dict[str, Any]) -> list[int]:
    return [node["index"] for node in connection["nodes"]]


async def log(api: Api, **variables: Any) -> dict[str, Any]:
    data = await api.data(LOG, {"org": "acme", **variables})
    snapshots: dict[str, Any] = data["environment"]["snapshots"]
    return snapshots


async def test_snapshots_page_newest_first_with_keyset_cursors(api: Api) -> None:
    await twenty_snapshots(api)
    first = await log(api)
    assert first["totalCount"] == 20
    assert indexes(first) == list(range(20, 5, -1))  # 15 by default
    assert [edge["node"]["index"] for edge in first["edges"]] == indexes(first)
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]

    second = await log(api, after=first["pageInfo"]["endCursor"])
    assert indexes(second) == [5, 4, 3, 2, 1]
    assert second["pageInfo"] | {"startCursor": None, "endCursor": None} == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }

    back = await log(api, last=3, before=second["pageInfo"]["startCursor"])
    assert indexes(back) == [8, 7, 6]
    assert back["pageInfo"]["hasPreviousPage"] is True

    window = await log(api, interval="3..5")
    assert (indexes(window), window["totalCount"]) == ([5, 4, 3], 3)
    assert window["nodes"][0]["events"]["nodes"] == [{"type": "STOPPED"}, {"type": "STARTED"}]  # app:4, app:5

    counted = await log(api, first=0)
    assert (counted["nodes"], counted["totalCount"]) == ([], 20)


async def test_paging_arguments_are_checked(api: Api) -> None:
    await twenty_snapshots(api)
    too_many = await api.error(LOG, {"org": "acme", "first": 101})
    assert too_many["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert "100" in too_many["message"]
    bad_cursor = await api.error(LOG, {"org": "acme", "after": "bm9wZQ"})
    assert bad_cursor["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    both = await api.error(LOG, {"org": "acme", "first": 2, "last": 2})
    assert both["extensions"]["code"] == "BAD_USER_INPUT"
    interval = await api.error(LOG, {"org": "acme", "interval": "9..3"})
    assert interval["extensions"] == {"code": "BAD_USER_INPUT", "field": "interval"}


RUNNING = """
query($first: Int, $after: String) {
  environment(org: "cyber-dojo", name: "aws-prod") {
    snapshot {
      index
      running(first: $first, after: $after) {
        totalCount nodes { name hasProvenance } pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""


async def test_running_set_pages_by_name_then_fingerprint(api: Api) -> None:
    await report_seed(api)
    first = (await api.data(RUNNING, {"first": 2}))["environment"]["snapshot"]
    assert first["index"] == 3
    assert first["running"]["totalCount"] == 3
    assert [node["name"] for node in first["running"]["nodes"]] == ["ecr/creator:b7a5908", "ecr/saver:1"]
    assert first["running"]["pageInfo"]["hasNextPage"] is True
    after = first["running"]["pageInfo"]["endCursor"]
    rest = (await api.data(RUNNING, {"first": 2, "after": after}))["environment"]["snapshot"]["running"]
    assert rest["nodes"] == [{"name": "ecr/xmrig:latest", "hasProvenance": False}]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_flows_and_environments_are_connections(api: Api) -> None:
    await report_seed(api)
    data = await api.data(
        """query { flows(org: "cyber-dojo", first: 1) { totalCount nodes { name repoUrl } pageInfo { hasNextPage } }
        environments(org: "cyber-dojo") { totalCount nodes { name type latestIndex } } }"""
    )
    assert data["flows"] == {
        "totalCount": 2,
        "nodes": [{"name": "creator", "repoUrl": "https://github.com/cyber-dojo/creator"}],
        "pageInfo": {"hasNextPage": True},
    }
    assert data["environments"]["nodes"] == [
        {"name": "aws-beta", "type": "ECS", "latestIndex": 1},
        {"name": "aws-prod", "type": "ECS", "latestIndex": 3},
    ]


FLOW_ARTIFACTS = """
query($after: String) {
  flow(org: "cyber-dojo", name: "creator") {
    artifacts(first: 1, after: $after) { totalCount nodes { fingerprint } pageInfo { hasNextPage endCursor } }
  }
}
"""


async def test_flow_artifacts_page_newest_first(api: Api) -> None:
    await report_seed(api)
    first = (await api.data(FLOW_ARTIFACTS))["flow"]["artifacts"]
    assert first["nodes"] == [{"fingerprint": NEW}]
    assert first["totalCount"] is None  # counting a flow's artifacts would need a full scan
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await api.data(FLOW_ARTIFACTS, {"after": first["pageInfo"]["endCursor"]}))["flow"]["artifacts"]
    assert rest["nodes"] == [{"fingerprint": OLD}]
    assert rest["pageInfo"]["hasNextPage"] is False
