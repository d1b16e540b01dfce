"""Repository filters: the log of an environment narrowed to artifacts built from commits of some repositories, and
the artifacts of one repository, newest first, keyset paged."""

from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, REPO, build, fp, history, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import CommitInput, CommitsInput
from tracegraph.graph.selectors import LogQuery
from tracegraph.graph.store import GraphStore

OTHER = "https://github.com/acme/payments"


async def two_repositories(store: GraphStore) -> None:
    """`shop` builds w1 (web, c1) and a1 (api, c1); `payments` builds w2 (web, p1); `ghost` names a commit never
    reported; `rogue` has no build."""
    await topology(store)
    await history(store, {"c1": []})
    await store.report_commits(CommitsInput(org=ORG, repo_url=OTHER, commits=[CommitInput(sha=sha("p1"), parents=[])]))
    await build(store, "web", "w1", commit="c1", minutes=1)
    await build(store, "api", "a1", commit="c1", minutes=2)
    await build(store, "web", "w2", commit="p1", minutes=3)
    await build(store, "web", "ghost", commit="never", minutes=4)
    await report(store, "prod", {"w1": 1}, minutes=10)  # 1
    await report(store, "prod", {"w1": 1, "w2": 1}, minutes=11)  # 2: payments
    await report(store, "prod", {"w1": 1, "w2": 1, "rogue": 1, "ghost": 1}, minutes=12)  # 3: neither
    await report(store, "prod", {"w2": 1, "rogue": 1, "ghost": 1, "a1": 2}, minutes=13)  # 4: shop (w1 out, a1 in)


def indexes_and_events(page: object) -> list[tuple[int, list[str]]]:
    return [(item.snapshot.index, [e.fingerprint for e in item.events]) for item in page.snapshots]  # type: ignore[attr-defined]


async def test_the_log_narrowed_to_repositories(store: GraphStore) -> None:
    await two_repositories(store)
    shop = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=[REPO]))
    assert indexes_and_events(shop) == [(4, [fp("a1"), fp("w1")]), (1, [fp("w1")])]  # by name: ecr/a1, ecr/w1
    assert shop.total == 2
    both = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=[REPO, OTHER], limit=2))
    assert [item.snapshot.index for item in both.snapshots] == [4, 2]
    assert (both.total, both.has_more) == (3, True)
    web_shop = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=[REPO], flow="web"))
    assert indexes_and_events(web_shop) == [(4, [fp("w1")]), (1, [fp("w1")])]
    api_payments = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=[OTHER], flow="api"))
    assert (api_payments.snapshots, api_payments.total) == ((), 0)
    nowhere = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=["https://example.com/x"]))
    assert nowhere.total == 0


async def test_artifacts_of_a_repository_newest_first(store: GraphStore) -> None:
    await two_repositories(store)
    found = await store.list_artifacts_of_repo(ORG, REPO, limit=10)
    assert [(a.flow, a.fingerprint) for a in found] == [("api", fp("a1")), ("web", fp("w1"))]
    first = await store.list_artifacts_of_repo(ORG, REPO, limit=1)
    second = await store.list_artifacts_of_repo(ORG, REPO, limit=1, after=(first[0].flow, first[0].fingerprint))
    assert [a.fingerprint for a in first + second] == [fp("a1"), fp("w1")]
    assert await store.list_artifacts_of_repo(ORG, REPO, limit=5, after=("web", fp("w1"))) == []
    assert [a.fingerprint for a in await store.list_artifacts_of_repo(ORG, OTHER, limit=5)] == [fp("w2")]
    assert await store.list_artifacts_of_repo(ORG, "https://example.com/none", limit=5) == []
    with pytest.raises(InvalidInput) as error:
        await store.list_artifacts_of_repo(ORG, REPO, limit=5, after=("web", fp("nope")))
    assert error.value.field == "after"
    with pytest.raises(NotFound):
        await store.list_artifacts_of_repo("nobody", REPO, limit=5)


async def test_same_created_at_is_ordered_by_flow_then_fingerprint(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": []})
    for flow, label in (("web", "x"), ("api", "y"), ("web", "z")):
        await build(store, flow, label, commit="c1", minutes=5)
    found = await store.list_artifacts_of_repo(ORG, REPO, limit=10)
    expected = sorted([("web", fp("x")), ("api", fp("y")), ("web", fp("z"))], reverse=True)
    assert [(a.flow, a.fingerprint) for a in found] == expected
    paged: list[tuple[str, str]] = []
    after: tuple[str, str] | None = None
    while True:
        page = await store.list_artifacts_of_repo(ORG, REPO, limit=2, after=after)
        if not page:
            break
        paged += [(a.flow, a.fingerprint) for a in page]
        after = (page[-1].flow, page[-1].fingerprint)
    assert paged == expected
