"""The reachability index on hand-made graphs: exact reach, git's distances, holes, updates."""

from __future__ import annotations

from tracegraph.graph.ancestry import AncestryIndex, Candidate, CommitEdges, CommitGraph, built_after

# a ── b ── c ─────── m ── d      m merges c and f; o is an octopus of d, g and h
#       \            /       \
#        e ─────── f          o ── p
#                  g ── h ───/
PARENTS: dict[str, tuple[str, ...] | None] = {
    "a": (),
    "b": ("a",),
    "c": ("b",),
    "e": ("b",),
    "f": ("e",),
    "m": ("c", "f"),
    "d": ("m",),
    "g": (),
    "h": ("g",),
    "o": ("d", "g", "h"),
    "p": ("o",),
}


def graph(parents: dict[str, tuple[str, ...] | None] = PARENTS) -> CommitGraph:
    return CommitGraph(epoch="e1", seq=1, parents=dict(parents))


def history(parents: dict[str, tuple[str, ...] | None], sha: str) -> set[str]:
    seen, todo = set(), [sha]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current) or ())
    return seen


def test_reach_is_exact_and_distances_count_like_git_rev_list() -> None:
    commits = graph()
    for asked in PARENTS:
        reach = commits.reach(asked, PARENTS)
        expected = {c for c in PARENTS if asked in history(PARENTS, c)}
        assert set(reach.distances) == expected
        for commit, distance in reach.distances.items():
            # git rev-list --count asked..commit: in commit's history, not in asked's
            assert distance == len(history(PARENTS, commit) - history(PARENTS, asked))
        assert reach.undecided == ()


def test_octopus_parents_all_count() -> None:
    reach = graph().reach("g", ["p", "d"])
    assert reach.distances == {"p": len(history(PARENTS, "p")) - 1}


def test_unknown_parents_make_descendants_undecided_not_absent() -> None:
    shallow = {**PARENTS, "m": None}  # m's parents were never reported (a shallow boundary)
    commits = graph(shallow)
    reach = commits.reach("b", ["c", "d", "p", "h"])
    assert set(reach.distances) == {"c"}
    assert reach.undecided == ("d", "p")  # above the hole: may descend from b
    assert not commits.history_complete("p")
    assert commits.history_complete("c")


def test_a_parent_never_reported_is_a_hole() -> None:
    commits = graph({"x": ("missing",), "y": ("x",), "z": ()})
    assert commits.reach("z", ["y", "unknown-sha"]).undecided == ("unknown-sha", "y")
    assert not commits.history_complete("missing")
    assert commits.history_complete("z")


def test_the_commit_itself_even_when_never_reported() -> None:
    reach = graph().reach("built-only", ["built-only", "d"])
    assert reach.distances == {"built-only": 0}
    assert reach.undecided == ()


def test_updates_fill_holes_and_follow_the_sequence() -> None:
    index = AncestryIndex()
    assert index.stale_since("acme", "e1", 3) == 0
    first = index.update("acme", "e1", 3, 0, [CommitEdges("c", None), CommitEdges("d", ("c",))])
    assert index.stale_since("acme", "e1", 3) is None
    assert first.reach("b", ["d"]).undecided == ("d",)
    assert index.stale_since("acme", "e1", 5) == 3
    filled = index.update("acme", "e1", 5, 3, [CommitEdges("c", ("b",)), CommitEdges("b", ())])
    assert filled.reach("b", ["d"]).distances == {"d": 2}
    assert index.stale_since("acme", "e2", 5) == 0  # the org was re-created: start again


def test_long_histories_have_no_depth_cap() -> None:
    chain: dict[str, tuple[str, ...] | None] = {"0": ()}
    for number in range(1, 50_000):
        chain[str(number)] = (str(number - 1),)
    commits = graph(chain)
    assert commits.reach("0", ["49999"]).distances == {"49999": 49_999}


def test_built_after_maps_commits_to_artifacts() -> None:
    candidates = [Candidate("web", "f1", "d"), Candidate("api", "f2", "d"), Candidate("web", "f3", "h")]
    built, undecided = built_after(graph(), "m", candidates)
    assert built == {("web", "f1"): 1, ("api", "f2"): 1}
    assert undecided == ()


def test_descent_reaches_the_commit_and_its_descendants() -> None:
    commits = graph()
    walked = commits.descent("e")
    assert walked.reached is not None
    reached = {sha for sha in PARENTS if walked.reached[commits._index[sha]]}
    assert reached == {c for c in PARENTS if "e" in history(PARENTS, c)} == {"e", "f", "m", "d", "o", "p"}
    assert commits.descent("never-seen").reached is None


def test_walks_name_the_descendants_and_every_incomplete_commit() -> None:
    shallow = {**PARENTS, "h": None, "x": ("missing",)}  # h: a shallow boundary; x: a parent never reported
    commits = graph(shallow)
    walks = commits.walks(["c", "built-only", "c"])
    assert list(walks.descents) == ["c", "built-only"]
    assert walks.commits is not None
    descendants = {sha for sha in shallow if "c" in history(shallow, sha)}
    incomplete = {"h", "o", "p", "x", "missing"}
    assert sorted(walks.commits) == sorted({"built-only"} | descendants | incomplete)
    assert len(walks.commits) == len(set(walks.commits))
    assert commits.walks(["c"], limit=len(descendants | incomplete) - 1).commits is None
    assert commits.walks(["c"], limit=len(descendants | incomplete)).commits is not None


def test_walks_answer_what_built_after_answers() -> None:
    shallow = {**PARENTS, "h": None}
    commits = graph(shallow)
    candidates = [Candidate("web", f"f-{sha}", sha) for sha in [*shallow, "built-only"]]
    walks = commits.walks(["b", "g", "built-only"])
    assert walks.built_after(candidates) == {
        sha: built_after(commits, sha, candidates) for sha in ("b", "g", "built-only")
    }
    on_g = {sha: len(history(shallow, sha) - history(shallow, "g")) for sha in ("g", "o", "p")}
    assert walks.built_after(candidates)["g"] == (
        {("web", f"f-{sha}"): distance for sha, distance in on_g.items()},
        ("built-only", "h"),  # h's parents were never reported: it may descend from g
    )
    assert walks.built_after(candidates)["b"][1] == ("built-only", "h")  # "o" and "p" descend from b: placed


def test_the_index_hands_out_the_graph_it_holds() -> None:
    index = AncestryIndex()
    assert index.held("acme") is None
    graph_at_3 = index.update("acme", "e1", 3, 0, [CommitEdges("c", ())])
    assert index.held("acme") is graph_at_3
    assert index.stale_since("acme", "e1", 4) == 3  # stale, yet still held for planning a read
    assert index.held("acme") is graph_at_3
