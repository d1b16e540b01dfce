"""Where a commit runs, on real histories and at any depth: the store's answer equals git's.

psf/requests (6,723 commits) is checked against git itself, git/git's commit graph (85,356 commits) against a plain
graph search — itself checked against git on requests. A small hand-made history checks that an incomplete history
says which answers it cannot decide, instead of guessing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.contract.real_histories import (
    Plan,
    RealCommit,
    Where,
    ancestor_counts,
    ancestors,
    carry_out,
    clone_requests,
    contained,
    expected_placements,
    git,
    history_batches,
    plan,
    read_git_graph,
    read_requests,
    spread,
)
from tests.contract.scenario import ORG, REPO, build, history, report, sha, topology
from tracegraph.graph.inputs import CommitInput, CommitsInput, OrgInput
from tracegraph.graph.store import GraphStore

REQUESTS_URL = "https://github.com/psf/requests"
GIT_URL = "https://github.com/git/git"
SEED = 20220906


@dataclass(frozen=True)
class Case:
    """A real history with a plan of builds and runs, the commits to ask about, and git's answers for them."""

    commits: Sequence[RealCommit]
    batches: Sequence[CommitsInput]
    plan: Plan
    asked: tuple[str, ...]
    ancestry: dict[str, frozenset[str]]  # built commit → its ancestors, itself included
    counts: dict[str, int]  # asked or built commit → `git rev-list --count` of it


def ask(
    rng: random.Random, commits: Sequence[RealCommit], the_plan: Plan, ancestry: dict[str, frozenset[str]], count: int
) -> tuple[str, ...]:
    """`count` never-built commits spread over the history, with the roots, the ten oldest, five that run nowhere,
    five that only ran in the past — and the built commits themselves."""
    built = {build.sha for build in the_plan.builds}
    never_built = [commit.sha for commit in commits if commit.sha not in built]
    roots = [commit.sha for commit in commits if not commit.parents]
    now, ever = contained(the_plan, ancestry)
    nowhere = [sha for sha in never_built if sha not in ever]
    past = [sha for sha in never_built if sha in ever and sha not in now]
    assert len(nowhere) >= 5, "the plan must leave commits that never ran anywhere"
    assert len(past) >= 5, "the plan must leave commits that only ran in the past"
    picked = [
        *roots,
        *never_built[:10],
        *spread(rng, never_built, count),
        *rng.sample(nowhere, 5),
        *rng.sample(past, 5),
    ]
    return tuple(dict.fromkeys([*picked, *built]))


@pytest.fixture(scope="session")
def requests_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clone_requests(tmp_path_factory.mktemp("real-git") / "requests")


@pytest.fixture(scope="session")
def requests_case(requests_repo: Path) -> Case:
    commits = read_requests(requests_repo)
    rng = random.Random(SEED)
    main, branch, proposed = (
        git(requests_repo, "rev-parse", ref).strip() for ref in ("origin/main", "origin/3.0", "origin/proposed/3.0.0")
    )
    # 11 builds spread over the history, then main's head. api runs proposed/3.0.0's head, then web[-3]'s commit:
    # proposed/3.0.0's own commits only ran in the past, and 3.0's 73 commits beyond it never ran anywhere.
    web = [*spread(rng, [c.sha for c in commits[1:] if c.sha not in (main, branch, proposed)], 11), main]
    the_plan = plan(web, [proposed, web[-3]])
    built = {b.sha for b in the_plan.builds}
    ancestry = {c: frozenset(git(requests_repo, "rev-list", c).split()) for c in built}
    asked = ask(rng, commits, the_plan, ancestry, 300)
    counts = {x: int(git(requests_repo, "rev-list", "--count", x)) for x in asked}
    return Case(commits, history_batches(ORG, REQUESTS_URL, commits), the_plan, asked, ancestry, counts)


@pytest.fixture(scope="session")
def git_graph_case() -> Case:
    commits = read_git_graph()
    rng = random.Random(SEED)
    parents = {commit.sha: commit.parents for commit in commits}
    children = {parent for commit in commits for parent in commit.parents}
    heads = ancestor_counts(commits, [commit.sha for commit in commits if commit.sha not in children])
    # The two heads with the most history: web builds the first; api runs the second, then a recent commit, so
    # that the commits only the second head holds (its merges of topics) ran only in the past.
    first, second = sorted(heads, key=lambda sha: (heads[sha], sha))[-1:-3:-1]
    web = [*spread(rng, [c.sha for c in commits[1:] if c.sha not in (first, second)], 9), first]
    recent = [c.sha for c in commits[-len(commits) // 20 :] if c.sha not in (*web, second)]
    the_plan = plan(web, [second, rng.choice(recent)])
    built = {b.sha for b in the_plan.builds}
    ancestry = {c: ancestors(parents, c) for c in built}
    octopus = [commit.sha for commit in commits if len(commit.parents) > 2]
    asked = tuple(dict.fromkeys([*ask(rng, commits, the_plan, ancestry, 500), *octopus]))
    return Case(
        commits, history_batches(ORG, GIT_URL, commits), the_plan, asked, ancestry, ancestor_counts(commits, asked)
    )


async def import_and_run(store: GraphStore, case: Case, repo_url: str) -> None:
    await store.create_org(OrgInput(name=ORG))
    for batch in case.batches:
        await store.report_commits(batch)
    await carry_out(store, ORG, repo_url, case.plan)


async def check_placements(store: GraphStore, case: Case) -> list[str]:
    """Ask where every asked commit runs, now and ever: the differences from git's answers, described."""
    mismatches: list[str] = []
    for include_past in (False, True):
        answer = await store.commit_placements(ORG, case.asked, include_past=include_past)
        assert set(answer) == set(case.asked)
        for x in case.asked:
            found = answer[x]
            got: list[Where] = sorted(
                (p.environment, p.provenance.artifact.flow, p.provenance.artifact.fingerprint, p.current)
                for p in found.placements
            )
            want = expected_placements(case.plan, case.ancestry, x, include_past=include_past)
            if got != want:
                mismatches.append(f"{x} include_past={include_past}: store {got}, git {want}")
            for p in found.placements:
                built_from = p.provenance.artifact.git_commit
                assert built_from is not None
                if p.distance != case.counts[built_from] - case.counts[x]:
                    mismatches.append(
                        f"{x} in {p.environment} by {built_from}: distance {p.distance}, "
                        f"git {case.counts[built_from] - case.counts[x]}"
                    )
            order = [(not p.current, p.distance) for p in found.placements]
            if order != sorted(order):
                mismatches.append(f"{x} include_past={include_past}: not current first, nearest first: {order}")
            if found.undecided != ():
                mismatches.append(f"{x} include_past={include_past}: undecided {found.undecided} on a whole history")
    return mismatches


def test_the_graph_search_agrees_with_git(requests_repo: Path, requests_case: Case) -> None:
    """The ground truth used for git/git's graph, checked against git on the requests history."""
    commits = requests_case.commits
    parents = {commit.sha: commit.parents for commit in commits}
    positions = {commit.sha: position for position, commit in enumerate(commits)}
    assert all(positions[p] < positions[commit.sha] for commit in commits for p in commit.parents)
    counts = ancestor_counts(commits, requests_case.counts)
    assert counts == requests_case.counts
    for c, ancestry in requests_case.ancestry.items():
        assert ancestors(parents, c) == ancestry


async def test_where_requests_commits_run_as_git_says(
    store: GraphStore, requests_repo: Path, requests_case: Case
) -> None:
    case = requests_case
    await import_and_run(store, case, REQUESTS_URL)
    assert await check_placements(store, case) == []

    # Distances straight from `git rev-list --count X..C`, the deepest pair included.
    answer = await store.commit_placements(ORG, case.asked, include_past=True)
    ran = {b.sha for snapshots in case.plan.runs.values() for running in snapshots for b in running}
    pairs = [(x, c) for x in case.asked for c in sorted(ran) if x != c and x in case.ancestry[c]]
    deepest = max(pairs, key=lambda pair: case.counts[pair[1]] - case.counts[pair[0]])
    checked = [deepest, *random.Random(SEED).sample(pairs, 24)]
    for x, c in checked:
        distance = int(git(requests_repo, "rev-list", "--count", f"{x}..{c}"))
        assert {p.distance for p in answer[x].placements if p.provenance.artifact.git_commit == c} == {distance}
    assert int(git(requests_repo, "rev-list", "--count", f"{deepest[0]}..{deepest[1]}")) > 1_000

    imported = random.Random(SEED).sample([commit.sha for commit in case.commits], 50)
    assert await store.commits_with_history(ORG, [*imported, sha("never reported")]) == set(imported)


async def test_where_git_commits_run_as_a_graph_search_says(store: GraphStore, git_graph_case: Case) -> None:
    case = git_graph_case
    await import_and_run(store, case, GIT_URL)
    assert await check_placements(store, case) == []
    imported = random.Random(SEED).sample([commit.sha for commit in case.commits], 50)
    assert await store.commits_with_history(ORG, imported) == set(imported)


async def test_an_incomplete_history_says_what_it_cannot_decide(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"a1": [], "a2": ["a1"]})
    # b3's parents are unknown: it may or may not descend from a2. c4 descends from b3.
    await store.report_commits(
        CommitsInput(org=ORG, repo_url=REPO, commits=[CommitInput(sha=sha("b3"), message="parents unknown")])
    )
    await history(store, {"c4": ["b3"]})
    await build(store, "web", "web-b3", commit="b3", minutes=1)
    await build(store, "web", "web-a2", commit="a2", minutes=2)
    await report(store, "prod", {"web-b3": 1}, minutes=3)
    await report(store, "beta", {"web-a2": 1}, minutes=4)

    found = await store.commit_placements(ORG, [sha("a2"), sha("a1")])
    assert [(p.environment, p.distance) for p in found[sha("a2")].placements] == [("beta", 0)]
    assert found[sha("a2")].undecided == (sha("b3"),)
    assert [(p.environment, p.distance) for p in found[sha("a1")].placements] == [("beta", 1)]
    assert found[sha("a1")].undecided == (sha("b3"),)
    everything = [sha(label) for label in ("a1", "a2", "b3", "c4")]
    assert await store.commits_with_history(ORG, [*everything, sha("nothing")]) == {sha("a1"), sha("a2")}

    # b3's history arrives: b3 → a2. The answer becomes exact, and the placement appears.
    await history(store, {"b3": ["a2"]})
    found = await store.commit_placements(ORG, [sha("a2"), sha("a1")])
    assert [(p.environment, p.distance, p.provenance.artifact.git_commit) for p in found[sha("a2")].placements] == [
        ("beta", 0, sha("a2")),
        ("prod", 1, sha("b3")),
    ]
    assert [(p.environment, p.distance) for p in found[sha("a1")].placements] == [("beta", 1), ("prod", 2)]
    assert (found[sha("a2")].undecided, found[sha("a1")].undecided) == ((), ())
    assert await store.commits_with_history(ORG, everything) == set(everything)

    # An artifact whose commit was never reported at all cannot be placed either.
    await build(store, "api", "api-ghost", commit="ghost", minutes=5)
    await report(store, "beta", {"web-a2": 1, "api-ghost": 1}, minutes=6)
    found = await store.commit_placements(ORG, [sha("a1")])
    assert [(p.environment, p.distance) for p in found[sha("a1")].placements] == [("beta", 1), ("prod", 2)]
    assert found[sha("a1")].undecided == (sha("ghost"),)
    assert await store.commits_with_history(ORG, [sha("ghost"), sha("a1")]) == {sha("a1")}
