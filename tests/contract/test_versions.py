from __future__ import annotations

from tests.contract.scenario import ORG, build, report, sha, topology
from tracegraph.graph.store import GraphStore


async def test_which_version_of_a_flow_runs_everywhere(store: GraphStore) -> None:
    await topology(store)
    await topology(store, org="other")
    await build(store, "web", "web-1", commit="c1")
    await build(store, "web", "web-2", commit="c2")
    await build(store, "api", "api-1", commit="c3")
    await report(store, "prod", {"web-1": 1, "api-1": 1}, minutes=1)
    found = await store.versions(ORG, flow="web")
    assert [(v.environment.name, v.snapshot) for v in found] == [("beta", None), ("prod", found[1].snapshot)]
    assert [(r.name, r.artifacts[0].artifact.git_commit) for r in found[1].running] == [("ecr/web-1", sha("c1"))]
    by_name = await store.versions(ORG, name="api")
    assert [r.name for r in by_name[1].running] == ["ecr/api-1"]
