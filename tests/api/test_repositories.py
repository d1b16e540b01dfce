"""Repository filters over GraphQL: an environment's log narrowed to repositories, and a repository's artifacts."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.contract.scenario import ORG, REPO, fp
from tests.contract.test_repositories import OTHER, two_repositories
from tracegraph.graph.store import GraphStore

LOG = """
query($org: String!, $repos: [String!]) {
  environment(org: $org, name: "prod") {
    snapshots(repos: $repos) { totalCount nodes { index events { nodes { fingerprint } } } }
  }
}
"""
ARTIFACTS = """
query($org: String!, $url: String!, $after: String) {
  org(name: $org) {
    repositoryArtifacts(url: $url, first: 1, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { flow { name } fingerprint }
    }
  }
}
"""


async def test_the_log_by_repository(api: Api, store: GraphStore) -> None:
    await two_repositories(store)
    log = (await api.data(LOG, {"org": ORG, "repos": [OTHER]}))["environment"]["snapshots"]
    assert log["totalCount"] == 1
    assert log["nodes"] == [{"index": 2, "events": {"nodes": [{"fingerprint": fp("w2")}]}}]
    everything = (await api.data(LOG, {"org": ORG, "repos": None}))["environment"]["snapshots"]
    assert everything["totalCount"] == 4


async def test_a_repository_s_artifacts_page_by_page(api: Api, store: GraphStore) -> None:
    await two_repositories(store)
    first = (await api.data(ARTIFACTS, {"org": ORG, "url": REPO}))["org"]["repositoryArtifacts"]
    assert first["nodes"] == [{"flow": {"name": "api"}, "fingerprint": fp("a1")}]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    second = (await api.data(ARTIFACTS, {"org": ORG, "url": REPO, "after": after}))["org"]["repositoryArtifacts"]
    assert second["nodes"] == [{"flow": {"name": "web"}, "fingerprint": fp("w1")}]
    assert second["pageInfo"]["hasNextPage"] is False
    error = await api.error(ARTIFACTS, {"org": ORG, "url": REPO, "after": "not-a-cursor"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
