from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, REPO, at, build, fp, history, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import CommitInput, CommitsInput
from tracegraph.graph.model import Commit
from tracegraph.graph.store import GraphStore

# c1 ── c2 ── c3 ─────── m5 ── c6      (main)
#         \              /
#          f1 ── f2 ────┘               (feature)
GRAPH = {"c1": [], "c2": ["c1"], "c3": ["c2"], "f1": ["c2"], "f2": ["f1"], "m5": ["c3", "f2"], "c6": ["m5"]}


async def test_report_commits_is_idempotent(store: GraphStore) -> None:
    await topology(store)
    assert await history(store, GRAPH) == 7
    assert await history(store, GRAPH) == 0
    merge = await store.commit(ORG, sha("m5"))
    assert merge.parents == (sha("c3"), sha("f2"))
    assert (merge.message, merge.author, merge.timestamp, merge.repo_url) == (
        "commit m5",
        "Ada <ada@example.com>",
        at(5),
        REPO,
    )


async def test_parents_may_arrive_after_children(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c2": ["c1"]})
    with pytest.raises(NotFound):
        await store.commit(ORG, sha("c1"))
    assert await history(store, {"c1": []}) == 1
    assert (await store.commit(ORG, sha("c1"))).message == "commit c1"


async def test_commit_prefixes(store: GraphStore) -> None:
    await topology(store)
    await history(store, GRAPH)
    assert (await store.commit(ORG, sha("f1")[:5])).sha == sha("f1")
    assert (await store.commit(ORG, sha("f1")[:7].upper().lower())).sha == sha("f1")
    pair = labels_sharing_a_prefix()
    await history(store, {pair[0]: [], pair[1]: []})
    with pytest.raises(InvalidInput) as error:
        await store.commit(ORG, sha(pair[0])[:5])
    assert error.value.field == "sha"
    assert error.value.candidates == tuple(sorted([sha(pair[0]), sha(pair[1])]))
    with pytest.raises(NotFound):
        await store.commit(ORG, "fffff0000")


async def test_sha_known_only_from_an_artifact(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1", commit="lonely")
    commit = await store.commit(ORG, sha("lonely")[:8])
    assert (commit.sha, commit.message, commit.parents, commit.timestamp) == (sha("lonely"), "", (), None)


async def test_where_a_commit_runs_through_ancestry(store: GraphStore) -> None:
    await topology(store)
    await history(store, GRAPH)
    await build(store, "web", "web-c3", commit="c3", minutes=1)
    await build(store, "web", "web-c6", commit="c6", minutes=2)
    await build(store, "api", "api-f2", commit="f2", minutes=3)
    await report(store, "prod", {"web-c3": 1}, minutes=10)
    await report(store, "beta", {"web-c6": 1, "api-f2": 1}, minutes=11)
    found = await store.commit_placements(ORG, [sha("c2"), sha("f1"), sha("c6"), sha("c3")])

    def rows(key: str) -> list[tuple[str, int, int, str]]:
        return [
            (p.environment, p.snapshot_index, p.distance, p.provenance.artifact.name)
            for p in found[sha(key)].placements
        ]

    # c2 was never built: it is contained in everything built after it, on either branch.
    assert rows("c2") == [
        ("prod", 1, 1, "registry.example/web:web-c3"),
        ("beta", 1, 2, "registry.example/api:api-f2"),
        ("beta", 1, 5, "registry.example/web:web-c6"),  # git rev-list --count c2..c6: c3, f1, f2, m5, c6
    ]
    # f1 reaches main only through the merge m5.
    assert rows("f1") == [("beta", 1, 1, "registry.example/api:api-f2"), ("beta", 1, 4, "registry.example/web:web-c6")]
    assert rows("c6") == [("beta", 1, 0, "registry.example/web:web-c6")]
    assert found[sha("c2")].placements[0].provenance.commit is not None
    assert found[sha("c2")].placements[0].provenance.commit.sha == sha("c3")
    assert all(answer.undecided == () for answer in found.values())


async def test_where_a_commit_ran_in_the_past(store: GraphStore) -> None:
    await topology(store)
    await history(store, GRAPH)
    await build(store, "web", "web-c3", commit="c3")
    await build(store, "web", "web-c6", commit="c6")
    await report(store, "prod", {"web-c3": 1}, minutes=1)
    await report(store, "prod", {"web-c3": 2}, minutes=2)
    await report(store, "prod", {"web-c6": 1}, minutes=3)
    now = await store.commit_placements(ORG, [sha("c3")])
    assert [(p.provenance.artifact.name, p.current) for p in now[sha("c3")].placements] == [
        ("registry.example/web:web-c6", True)
    ]
    both = await store.commit_placements(ORG, [sha("c3")], include_past=True)
    assert [
        (p.provenance.artifact.fingerprint, p.current, p.from_index, p.to_index, p.snapshot_index)
        for p in both[sha("c3")].placements
    ] == [
        (fp("web-c6"), True, 3, None, 3),
        (fp("web-c3"), False, 1, 3, 2),
    ]
    nothing = (await store.commit_placements(ORG, [sha("nothing")]))[sha("nothing")]
    assert (nothing.placements, nothing.undecided) == ((), ())


async def test_commit_batch_is_capped_and_validated(store: GraphStore) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        CommitsInput(org=ORG, repo_url=REPO, commits=[])
    with pytest.raises(ValidationError):
        CommitInput(sha="xyz")


async def test_a_build_naming_only_its_commit_keeps_the_imported_history(store: GraphStore) -> None:
    from tracegraph.graph.inputs import ArtifactInput

    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"]})
    await store.report_artifact(
        ArtifactInput(org=ORG, flow="web", fingerprint=fp("w2"), name="w2", commit=CommitInput(sha=sha("c2")))
    )
    kept = await store.commit(ORG, sha("c2"))
    assert (kept.parents, kept.message, kept.author) == ((sha("c1"),), "commit c2", "Ada <ada@example.com>")
    assert [p.distance for p in (await store.commit_placements(ORG, [sha("c1")]))[sha("c1")].placements] == []
    await store.report_commits(CommitsInput(org=ORG, repo_url=REPO, commits=[CommitInput(sha=sha("c2"), parents=[])]))
    replaced = await store.commit(ORG, sha("c2"))
    assert (replaced.parents, replaced.message) == ((), "commit c2")


async def test_many_prefixes_in_one_read(store: GraphStore) -> None:
    from tracegraph.errors import TracegraphError

    await topology(store)
    await history(store, GRAPH)
    await build(store, "web", "w1", commit="lonely")
    pair = labels_sharing_a_prefix()
    await history(store, {pair[0]: [], pair[1]: []})
    asked = [sha("c1")[:7], sha("lonely")[:9], "fffff0000", sha(pair[0])[:5], sha("c1")[:7]]
    found = await store.commits(ORG, asked)
    assert list(found) == asked[:4]
    first, lonely, missing, ambiguous = (found[prefix] for prefix in asked[:4])
    assert isinstance(first, Commit)
    assert (first.sha, first.message) == (sha("c1"), "commit c1")
    assert isinstance(lonely, Commit)
    assert (lonely.sha, lonely.message) == (sha("lonely"), "")
    assert isinstance(missing, NotFound)
    assert isinstance(ambiguous, InvalidInput)
    assert ambiguous.candidates == tuple(sorted([sha(pair[0]), sha(pair[1])]))
    assert all(isinstance(item, Commit | TracegraphError) for item in found.values())
    with pytest.raises(NotFound):
        await store.commits("nobody", asked)


def labels_sharing_a_prefix() -> tuple[str, str]:
    """Two commit labels whose shas share their first 5 characters."""
    seen: dict[str, str] = {}
    for number in range(100_000):
        label = f"s{number}"
        if sha(label)[:5] in seen:
            return seen[sha(label)[:5]], label
        seen[sha(label)[:5]] = label
    raise AssertionError("no two shas share a 5-character prefix")
