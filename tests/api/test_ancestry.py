"""Where a commit runs, over HTTP: exactness flags, git's distances, the incremental-import query, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from tests.api.conftest import Api, make_settings
from tests.contract.scenario import ORG, REPO, build, history, report, sha, topology
from tracegraph.graph.inputs import CommitInput, CommitsInput
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    # Counts what one request costs with a token not yet checked; the token cache has its own tests.
    return make_settings(tmp_path, token_cache_seconds=0)


WHERE = """
query($org: String!, $sha: String!) {
  commit(org: $org, sha: $sha) {
    runningIn { environment { name } distance artifact { gitCommit } }
    ranIn { environment { name } }
    placementsComplete
    undecidedCommits
  }
}
"""
WITH_HISTORY = "query($org: String!, $shas: [String!]!) { commitsWithHistory(org: $org, shas: $shas) }"


async def test_a_gap_in_history_is_said_not_hidden(api: Api, store: GraphStore) -> None:
    await api.bootstrap(ORG)
    await topology(store)
    await history(store, {"a": [], "b": ["a"]})
    # c was reported without its parents (a shallow clone's boundary): it may or may not descend from b.
    await store.report_commits(CommitsInput(org=ORG, repo_url=REPO, commits=[CommitInput(sha=sha("c"))]))
    await history(store, {"d": ["c"]})
    await build(store, "web", "web-d", commit="d")
    await build(store, "web", "web-b", commit="b")
    await report(store, "prod", {"web-d": 1, "web-b": 1})

    gap = (await api.data(WHERE, {"org": ORG, "sha": sha("a")}))["commit"]
    assert [(p["artifact"]["gitCommit"], p["distance"]) for p in gap["runningIn"]] == [(sha("b"), 1)]
    assert (gap["placementsComplete"], gap["undecidedCommits"]) == (False, [sha("d")])
    assert (await api.data(WITH_HISTORY, {"org": ORG, "shas": [sha("d"), sha("b"), sha("b")]}))[
        "commitsWithHistory"
    ] == [sha("b")]

    await history(store, {"c": ["b"]})  # the missing history arrives
    exact = (await api.data(WHERE, {"org": ORG, "sha": sha("a")}))["commit"]
    assert [(p["artifact"]["gitCommit"], p["distance"]) for p in exact["runningIn"]] == [(sha("b"), 1), (sha("d"), 3)]
    assert (exact["placementsComplete"], exact["undecidedCommits"]) == (True, [])
    assert (await api.data(WITH_HISTORY, {"org": ORG, "shas": [sha("d")]}))["commitsWithHistory"] == [sha("d")]


async def test_commits_with_history_names_the_bad_field(api: Api) -> None:
    short = await api.error(WITH_HISTORY, {"org": "acme", "shas": ["abcde"]})
    assert short["extensions"] == {"code": "BAD_USER_INPUT", "field": "shas"}
    assert "40 hexadecimal" in short["message"]
    many = await api.error(WITH_HISTORY, {"org": "acme", "shas": ["a" * 40] * 5001})
    assert many["extensions"] == {"code": "BAD_USER_INPUT", "field": "shas"}
    missing = await api.error(WITH_HISTORY, {"org": "nobody", "shas": []})
    assert missing["extensions"]["code"] == "NOT_FOUND"


async def test_where_costs_the_same_round_trips_however_deep(api: Api, store: GraphStore) -> None:
    await api.bootstrap(ORG)
    await topology(store)
    chain = {"0": []} | {str(n): [str(n - 1)] for n in range(1, 3_000)}
    await history(store, chain)
    await build(store, "web", "tip", commit="2999")
    await report(store, "prod", {"tip": 1})
    for asked, distance in (("2998", 1), ("0", 2_999)):
        before = store.round_trips
        found = (await api.data(WHERE, {"org": ORG, "sha": sha(asked)}))["commit"]
        # token check, the commit, and one call for runningIn, ranIn, placementsComplete and undecidedCommits
        assert store.round_trips - before == 3
        assert [p["distance"] for p in found["runningIn"]] == [distance]


async def test_many_commits_in_one_request_cost_three_round_trips(api: Api, store: GraphStore) -> None:
    await api.bootstrap(ORG)
    await topology(store)
    await history(store, {"0": []} | {str(n): [str(n - 1)] for n in range(1, 40)})
    await build(store, "web", "tip", commit="39")
    await report(store, "prod", {"tip": 1})
    fields = " ".join(
        f'c{n}: commit(org: "{ORG}", sha: "{sha(str(n))}") {{ runningIn {{ distance }} ranIn {{ distance }} }}'
        for n in range(25)
    )
    before = store.round_trips
    found = await api.data(f"query {{ {fields} }}")
    assert store.round_trips - before == 3  # token check, 25 commits in one read, their placements in one read
    assert [found[f"c{n}"]["runningIn"][0]["distance"] for n in range(25)] == [39 - n for n in range(25)]
