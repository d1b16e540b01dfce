"""Where a commit runs, read directed by the commit graph: builds from shas the graph has never seen stay undecided
until their commit is reported, a moved `git_commit` is followed, and the directed read answers what reading every
candidate answers."""

from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, build, history, report, sha, topology
from tracegraph.graph import ancestry
from tracegraph.graph.inputs import CommitInput, CommitsInput, EnvironmentInput, EnvironmentType
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import CommitPlacements

REPO = "https://github.com/acme/shop"


def rows(answer: CommitPlacements) -> list[tuple[str, str, int, bool]]:
    return [(p.environment, p.provenance.artifact.name.split(":")[1], p.distance, p.current) for p in answer.placements]


async def where(store: GraphStore, label: str, *, include_past: bool = False) -> CommitPlacements:
    return (await store.commit_placements(ORG, [sha(label)], include_past=include_past))[sha(label)]


async def test_a_build_from_a_never_reported_sha_is_undecided_until_its_commit_is_reported(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"]})
    await build(store, "web", "w2", commit="c2")
    await build(store, "api", "lonely", commit="lonely")
    await build(store, "api", "later", commit="later")
    await report(store, "prod", {"w2": 1, "lonely": 1, "later": 1})

    c1 = await where(store, "c1")
    assert rows(c1) == [("prod", "w2", 1, True)]
    assert c1.undecided == tuple(sorted((sha("lonely"), sha("later"))))
    lonely = await where(store, "lonely")  # the sha asked about is its own build, whatever the graph knows
    assert (rows(lonely), lonely.undecided) == ([("prod", "lonely", 0, True)], (sha("later"),))

    await history(store, {"lonely": []})  # an unrelated root: decided, not running c1
    c1 = await where(store, "c1")
    assert (rows(c1), c1.undecided) == ([("prod", "w2", 1, True)], (sha("later"),))

    await history(store, {"later": ["c2"]})  # descends from c1 after all
    c1 = await where(store, "c1")
    assert (rows(c1), c1.undecided) == ([("prod", "w2", 1, True), ("prod", "later", 2, True)], ())


async def test_an_artifact_whose_git_commit_changes_is_followed(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"], "x1": []})
    await build(store, "web", "w", commit="c2")
    await report(store, "prod", {"w": 1})
    assert rows(await where(store, "c1")) == [("prod", "w", 1, True)]

    await build(store, "web", "w", commit="x1")  # the same artifact, now naming another commit
    c1, x1 = await where(store, "c1"), await where(store, "x1")
    assert (rows(c1), c1.undecided) == ([], ())
    assert (rows(x1), x1.undecided) == ([("prod", "w", 0, True)], ())

    await build(store, "web", "w", commit="ghost")  # and then one never reported
    c1 = await where(store, "c1")
    assert (rows(c1), c1.undecided) == ([], (sha("ghost"),))
    assert (await where(store, "x1")).placements == ()

    await history(store, {"ghost": ["c2"]})
    c1 = await where(store, "c1")
    assert (rows(c1), c1.undecided) == ([("prod", "w", 2, True)], ())


async def test_many_environments(store: GraphStore) -> None:
    await topology(store)
    names = [f"env{n}" for n in range(6)]
    for name in names:
        await store.create_environment(EnvironmentInput(org=ORG, name=name, type=EnvironmentType.K8S))
    await history(store, {"c0": [], **{f"c{n}": [f"c{n - 1}"] for n in range(1, 6)}})
    for n, name in enumerate(names):
        await build(store, "web", f"w{n}", commit=f"c{n}")
        await report(store, name, {f"w{n}": 1, "w0": 1})  # every environment also runs the oldest build
    await build(store, "api", "shallow", commit="s1")
    await store.report_commits(CommitsInput(org=ORG, repo_url=REPO, commits=[CommitInput(sha=sha("s1"))]))
    await report(store, "beta", {"shallow": 1})

    c3 = await where(store, "c3")
    assert rows(c3) == [("env3", "w3", 0, True), ("env4", "w4", 1, True), ("env5", "w5", 2, True)]
    assert c3.undecided == (sha("s1"),)  # reported without parents: may descend from c3
    c0 = await where(store, "c0")
    assert sorted(rows(c0)) == sorted(
        [(name, "w0", 0, True) for name in names] + [(name, f"w{n}", n, True) for n, name in enumerate(names) if n]
    )
    both = await store.commit_placements(ORG, [sha("c3"), sha("c0"), sha("c5")])
    assert both[sha("c3")] == c3
    assert both[sha("c0")] == c0
    assert rows(both[sha("c5")]) == [("env5", "w5", 0, True)]


async def test_include_past(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"], "c3": ["c2"]})
    await build(store, "web", "w2", commit="c2")
    await build(store, "web", "w3", commit="c3")
    await build(store, "web", "gone", commit="ghost")
    await build(store, "api", "never-ran", commit="phantom")
    await report(store, "prod", {"w2": 1, "gone": 1})
    await report(store, "prod", {"w3": 1})

    now = await where(store, "c1")
    assert (rows(now), now.undecided) == ([("prod", "w3", 2, True)], ())
    ever = await where(store, "c1", include_past=True)
    assert rows(ever) == [("prod", "w3", 2, True), ("prod", "w2", 1, False)]
    assert ever.undecided == (sha("ghost"),)  # ran, from a sha never reported; `phantom` never ran anywhere

    await history(store, {"ghost": ["c3"]})
    ever = await where(store, "c2", include_past=True)
    assert (rows(ever), ever.undecided) == (
        [("prod", "w3", 1, True), ("prod", "w2", 0, False), ("prod", "gone", 2, False)],
        (),
    )


@pytest.mark.parametrize("include_past", [False, True])
async def test_the_directed_read_answers_what_reading_every_candidate_answers(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, include_past: bool
) -> None:
    await topology(store)
    # c1 ── c2 ── m4 ── c5     b3 branches from c1 and merges at m4; h1's parents were never reported
    #   \        /
    #    b3 ────
    await history(store, {"c1": [], "c2": ["c1"], "b3": ["c1"], "m4": ["c2", "b3"], "c5": ["m4"], "o1": []})
    await store.report_commits(CommitsInput(org=ORG, repo_url=REPO, commits=[CommitInput(sha=sha("h1"))]))
    for label in ("c2", "b3", "m4", "c5", "o1", "h1", "unseen"):
        await build(store, "web", f"w-{label}", commit=label)
    await report(store, "prod", {"w-c2": 1, "w-b3": 1, "w-unseen": 1})
    await report(store, "prod", {"w-m4": 1, "w-o1": 1, "w-unseen": 1})
    await report(store, "beta", {"w-c5": 1, "w-h1": 1})
    asked = [sha(label) for label in ("c1", "c2", "b3", "m4", "c5", "o1", "h1", "unseen", "nowhere")]

    directed = await store.commit_placements(ORG, asked, include_past=include_past)
    monkeypatch.setattr(ancestry, "DIRECTED_LIMIT", 0)  # every call now reads every candidate
    scanned = await store.commit_placements(ORG, asked, include_past=include_past)
    assert directed == scanned
    assert directed[sha("c1")].undecided == (sha("h1"), sha("unseen"))


async def test_artifacts_from_before_commit_pending_are_backfilled_at_start(
    store: GraphStore, request: pytest.FixtureRequest
) -> None:
    if store.backend != "neo4j":
        pytest.skip("the embedded file's upgrade is tests/unit/graph/test_embedded_build_commits.py")
    from neo4j import AsyncGraphDatabase

    from tracegraph.graph.neo4j.store import Neo4jStore

    await topology(store)
    await history(store, {"c1": []})
    await build(store, "web", "w1", commit="c1")
    await build(store, "web", "w2", commit="ghost")
    await report(store, "prod", {"w1": 1, "w2": 1})
    uri = request.getfixturevalue("neo4j_uri")
    async with AsyncGraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        result = await session.run("MATCH (a:Artifact) REMOVE a.commit_pending")  # as an older tracegraph left it
        await result.consume()

    restarted = Neo4jStore(uri)
    await restarted.start()
    try:
        for _ in range(2):  # the first read loads the graph; the second is directed by it
            found = await where(restarted, "c1")
            assert (rows(found), found.undecided) == ([("prod", "w1", 0, True)], (sha("ghost"),))
    finally:
        await restarted.close()
