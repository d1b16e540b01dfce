"""No N+1: the seed traversal costs one store round trip whatever the size of the running set, and nested fields
over lists (a commit's `runningIn` for every running artifact) batch into one call per kind."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from tests.api.conftest import Api, make_settings
from tests.api.test_contract_queries import INCIDENT
from tests.contract.scenario import ORG, build, history, report, sha, topology
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    # Counts what one request costs with a token not yet checked; the token cache has its own tests.
    return make_settings(tmp_path, token_cache_seconds=0)


SIZES = (5, 500)
# Every request first checks its token: one lookup by the secret's hash, before any field resolves.
TOKEN_CHECK = 1


WHERE_ALL_RUNNING = """
query($org: String!, $env: String!) {
  environment(org: $org, name: $env) {
    snapshot {
      running(first: 100) {
        nodes { artifacts { flow { name description } commit { sha runningIn { environment { name type } } } } }
      }
    }
  }
}
"""


async def running_sets(store: GraphStore) -> None:
    """Environment `beta` runs 5 artifacts, `prod` runs 500, each built from its own reported commit."""
    await topology(store)
    labels = [f"a{n:03d}" for n in range(max(SIZES))]
    await history(store, {label: [] for label in labels})
    for label in labels:
        await build(store, "web", label, commit=label)
    await report(store, "beta", dict.fromkeys(labels[: SIZES[0]], 1))
    await report(store, "prod", dict.fromkeys(labels, 2))


async def cost(api: Api, store: GraphStore, query: str, variables: dict[str, object]) -> tuple[int, dict[str, object]]:
    before = store.round_trips
    data = await api.data(query, variables)
    return store.round_trips - before, data


async def test_round_trips_do_not_grow_with_list_sizes(api: Api, store: GraphStore) -> None:
    await running_sets(store)
    small, small_data = await cost(api, store, INCIDENT, {"org": ORG, "env": "beta", "index": 1})
    large, large_data = await cost(api, store, INCIDENT, {"org": ORG, "env": "prod", "index": 1})
    print(f"Incident round trips on {store.backend}: {SIZES[0]} running → {small}, {SIZES[1]} running → {large}")
    assert small == large == TOKEN_CHECK + 1
    assert small_data["environment"]["snapshot"]["running"]["totalCount"] == SIZES[0]  # type: ignore[index]
    large_snapshot = large_data["environment"]["snapshot"]  # type: ignore[index]
    assert large_snapshot["running"]["totalCount"] == SIZES[1]
    assert len(large_snapshot["running"]["nodes"]) == 100
    assert large_snapshot["events"]["totalCount"] == SIZES[1]
    assert len(large_snapshot["events"]["nodes"]) == 100
    assert large_snapshot["events"]["nodes"][0]["artifacts"][0]["commit"]["sha"] == sha("a000")

    # Nested lists batch through per-request loaders: per running artifact, its flow's details and where its
    # commit runs. 5 or 100 items cost the same: the snapshot, the flow, the placements, one environment.
    small, _ = await cost(api, store, WHERE_ALL_RUNNING, {"org": ORG, "env": "beta"})
    large, data = await cost(api, store, WHERE_ALL_RUNNING, {"org": ORG, "env": "prod"})
    print(f"runningIn over a list on {store.backend}: {SIZES[0]} items → {small}, 100 items → {large}")
    assert small == large == TOKEN_CHECK + 4
    nodes = data["environment"]["snapshot"]["running"]["nodes"]  # type: ignore[index]
    places = {item["environment"]["name"] for item in nodes[0]["artifacts"][0]["commit"]["runningIn"]}
    assert places == {"beta", "prod"}
