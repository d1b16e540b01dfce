from __future__ import annotations

from tests.contract.scenario import ORG, build, fp, history, report, sha, topology
from tracegraph.graph.store import GraphStore


async def test_search_finds_commits_and_fingerprints_with_five_and_seven_characters(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": []})
    await build(store, "web", "web-1", commit="c1")
    await report(store, "prod", {"web-1": 1, "rogue": 1}, minutes=1)
    for length in (5, 7):
        by_commit = await store.search(ORG, sha("c1")[:length])
        assert [c.sha for c in by_commit.commits] == [sha("c1")]
        by_fingerprint = await store.search(ORG, fp("web-1")[:length])
        assert [m.fingerprint for m in by_fingerprint.fingerprints] == [fp("web-1")]
        assert [p.environment for p in by_fingerprint.fingerprints[0].placements] == ["prod"]
        assert by_fingerprint.fingerprints[0].artifacts[0].artifact.flow == "web"
    rogue = await store.search(ORG, fp("rogue")[:6])
    assert [(m.fingerprint, m.artifacts) for m in rogue.fingerprints] == [(fp("rogue"), ())]
    nothing = await store.search(ORG, "00000")
    assert (nothing.commits, nothing.fingerprints) == ((), ())


async def test_search_stays_in_its_org(store: GraphStore) -> None:
    await topology(store)
    await topology(store, org="other")
    await build(store, "web", "secret", commit="c1", org="other")
    found = await store.search(ORG, fp("secret")[:8])
    assert (found.commits, found.fingerprints) == ((), ())
    found = await store.search(ORG, sha("c1")[:8])
    assert found.commits == ()
