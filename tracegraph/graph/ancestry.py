"""The reachability index behind "where is this commit running?": each org's commit graph, held in memory as
compressed sparse rows (CSR) and walked in C by SciPy, kept current from the store's commit sequence.

Why this and not a walk in the database: an exact answer at any depth means visiting every descendant of the
commit asked about — all 85,000 commits of git/git for its root. A walk in Cypher, in SQL or in Python costs
tens to hundreds of milliseconds there (a Python breadth-first walk with generation-number pruning: 67 ms median);
the same walk over CSR arrays in C costs about 0.6 ms, the way git walks its own commit-graph file. Commits never
change once written, so the index only grows: every write of commits takes the next number of the org's commit
sequence and stamps it on the commits it touched, and a reader brings its copy up to date by fetching the commits
stamped after the number it holds. That works with any number of server processes and replicas, since the
sequence lives in the store.

Exactness: a commit is a descendant of X when X is reachable from it through PARENT edges. Where history has a hole
— a commit whose parents were never reported (a shallow clone, a partial import, a sha known only from a build) —
an artifact whose commit lies above the hole may descend from X through commits never seen. Such an artifact is
neither claimed nor dropped: it is *undecided*, and the API says the answer may be incomplete.

Reads are directed by the graph: one walk per commit asked about gives its descendants, and only artifacts built
from those — or from a commit whose history is incomplete, the only others that can be undecided — are read from
the store (`Walks.commits`), not every artifact that runs. Artifacts built from a sha the graph has never seen are
the store's to find (it keeps them marked until their commit is reported): they are undecided unless reached.

Distances are `git rev-list --count X..C`: the commits in C's history that are not in X's. When X is an ancestor of
C that is |history(C)| - |history(X)|, each count one more walk in C, cached per version of the graph.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class CommitEdges:
    """A reported commit and its parents as last reported; `parents=None` when they never were."""

    sha: str
    parents: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Reach:
    """For one commit X: the candidates that are X or descend from it, with `git rev-list --count X..C`, and the
    candidates whose descent cannot be decided because their history is incomplete."""

    distances: Mapping[str, int]
    undecided: tuple[str, ...]


# Past this many commits to read artifacts for, reading every candidate costs less than naming them all.
DIRECTED_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Descent:
    """One walk: the positions reached from `sha` (None when the graph has never seen it: only itself descends)."""

    sha: str
    start: int | None
    reached: NDArray[np.bool_] | None


@dataclass(eq=False)
class CommitGraph:
    """One org's commit graph at one point of its commit sequence. Immutable once built; updates build a new one."""

    epoch: str  # the org's identity in the store (a re-created org starts again from nothing)
    seq: int
    parents: dict[str, tuple[str, ...] | None]
    _index: dict[str, int] = field(init=False)
    _children: Any = field(init=False)  # CSR: parent row → child columns, plus a last row linking every hole
    _ancestors: Any = field(init=False)  # CSR: child row → parent columns
    _incomplete: NDArray[np.bool_] = field(init=False)  # history has a hole (the commit itself or an ancestor)
    _shas: NDArray[np.object_] = field(init=False)  # position → sha, the reverse of `_index`
    _history_sizes: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import breadth_first_order

        index: dict[str, int] = {sha: position for position, sha in enumerate(self.parents)}
        holes = [index[sha] for sha, parents in self.parents.items() if parents is None]
        child_ids: list[int] = []
        parent_ids: list[int] = []
        for sha, parents in self.parents.items():
            for parent in parents or ():
                if parent not in index:  # named as a parent, never reported: a hole
                    index[parent] = len(index)
                    holes.append(index[parent])
                child_ids.append(index[sha])
                parent_ids.append(index[parent])
        size = len(index)
        hub = size  # a virtual commit whose children are the holes: one walk from it finds every incomplete history
        rows = np.array(parent_ids + [hub] * len(holes), dtype=np.int32)
        columns = np.array(child_ids + holes, dtype=np.int32)
        # float64, SciPy's own graph dtype: any other is checked and copied again on every walk.
        ones = np.ones(len(rows), dtype=np.float64)
        self._children = csr_matrix((ones, (rows, columns)), shape=(size + 1, size + 1))
        self._ancestors = csr_matrix(
            (ones[: len(child_ids)], (columns[: len(child_ids)], rows[: len(child_ids)])), shape=(size, size)
        )
        incomplete = np.zeros(size + 1, dtype=np.bool_)
        incomplete[breadth_first_order(self._children, hub, directed=True, return_predecessors=False)] = True
        self._incomplete = incomplete[:size]
        self._index = index
        self._shas = np.array(list(index), dtype=object)  # positions were handed out in insertion order

    @classmethod
    def empty(cls, epoch: str) -> CommitGraph:
        return cls(epoch=epoch, seq=0, parents={})

    def updated(self, seq: int, changes: Iterable[CommitEdges]) -> CommitGraph:
        parents = dict(self.parents)
        parents.update((change.sha, change.parents) for change in changes)
        return CommitGraph(epoch=self.epoch, seq=seq, parents=parents)

    def __len__(self) -> int:
        return len(self.parents)

    def history_complete(self, sha: str) -> bool:
        """Whether `sha` was reported and every commit of its history was reported with its parents."""
        position = self._index.get(sha)
        return sha in self.parents and position is not None and not bool(self._incomplete[position])

    def descent(self, sha: str) -> Descent:
        """One walk from `sha` down to every commit that descends from it."""
        import numpy as np
        from scipy.sparse.csgraph import breadth_first_order

        start = self._index.get(sha)
        if start is None:
            return Descent(sha=sha, start=None, reached=None)
        reached = np.zeros(self._children.shape[0], dtype=np.bool_)
        reached[breadth_first_order(self._children, start, directed=True, return_predecessors=False)] = True
        return Descent(sha=sha, start=start, reached=reached[: len(self._index)])

    def walks(self, shas: Iterable[str], *, limit: int | None = None) -> Walks:
        """The walks from each of `shas`, and the commits whose artifacts can answer for them: each of `shas`, its
        descendants, and every commit whose history is incomplete (an artifact built from one that is not reached
        is undecided). Past `limit` such commits (default DIRECTED_LIMIT) `commits` is None: reading every
        candidate is then the cheaper read (the root of git/git has 85,000 descendants; a shallow import can leave
        most commits incomplete)."""
        descents = {sha: self.descent(sha) for sha in dict.fromkeys(shas)}
        wanted = self._incomplete.copy()
        for walked in descents.values():
            if walked.reached is not None:
                wanted |= walked.reached
        unseen = [sha for sha, walked in descents.items() if walked.start is None]
        if int(wanted.sum()) + len(unseen) > (DIRECTED_LIMIT if limit is None else limit):
            return Walks(graph=self, descents=descents, commits=None)
        return Walks(graph=self, descents=descents, commits=tuple(unseen + self._shas[wanted].tolist()))

    def reach(self, sha: str, candidates: Iterable[str], walked: Descent | None = None) -> Reach:
        """Which of `candidates` (commits of artifacts) are `sha` or descend from it (`walked`: its walk, if made)."""
        if walked is None or walked.sha != sha:
            walked = self.descent(sha)
        start, reached = walked.start, walked.reached
        distances: dict[str, int] = {}
        undecided: list[str] = []
        for candidate in candidates:
            position = self._index.get(candidate)
            if candidate == sha:
                distances[candidate] = 0
            elif start is not None and reached is not None and position is not None and reached[position]:
                distances[candidate] = self._history_size(position) - self._history_size(start)
            elif position is None or self._incomplete[position]:
                undecided.append(candidate)
        return Reach(distances=distances, undecided=tuple(sorted(undecided)))

    def _history_size(self, position: int) -> int:
        size = self._history_sizes.get(position)
        if size is None:
            from scipy.sparse.csgraph import breadth_first_order

            size = len(breadth_first_order(self._ancestors, position, directed=True, return_predecessors=False))
            self._history_sizes[position] = size
        return size


class AncestryIndex:
    """The commit graphs of the orgs one store instance has answered for, each at the sequence number it was read
    at. Shared by the threads (embedded) or tasks (Neo4j) of one process; a graph is replaced, never mutated."""

    def __init__(self) -> None:
        self._graphs: dict[str, CommitGraph] = {}
        self._lock = threading.Lock()

    def stale_since(self, org: str, epoch: str, seq: int) -> int | None:
        """None when the held graph is current for (epoch, seq); else the sequence number to fetch changes after."""
        graph = self._graphs.get(org)
        if graph is None or graph.epoch != epoch or graph.seq > seq:
            return 0
        return None if graph.seq == seq else graph.seq

    def current(self, org: str) -> CommitGraph:
        return self._graphs[org]

    def held(self, org: str) -> CommitGraph | None:
        """The graph held for `org`, current or not (a reader may plan with it before it knows)."""
        return self._graphs.get(org)

    def update(self, org: str, epoch: str, seq: int, since: int, changes: Iterable[CommitEdges]) -> CommitGraph:
        """Apply the changes stamped in (since, seq] to the graph held at `since` (nothing held when 0)."""
        with self._lock:
            held = self._graphs.get(org)
            if held is not None and held.epoch == epoch and held.seq >= seq:
                return held  # another reader got there first
            base = held if since and held is not None and held.epoch == epoch else CommitGraph.empty(epoch)
            graph = base.updated(seq, changes)
            self._graphs[org] = graph
            return graph


@dataclass(frozen=True, slots=True)
class Candidate:
    """An artifact that runs or ran somewhere, by (flow, fingerprint), and the commit it was built from."""

    flow: str
    fingerprint: str
    commit: str


Built = tuple[dict[tuple[str, str], int], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Walks:
    """The walks for one question about several commits, and the commits whose artifacts can answer it (None:
    read every candidate)."""

    graph: CommitGraph
    descents: Mapping[str, Descent]
    commits: tuple[str, ...] | None

    def built_after(self, candidates: Iterable[Candidate]) -> dict[str, Built]:
        """Per commit asked about, as `built_after`; `candidates` must hold at least those built from `commits`."""
        by_commit = _by_commit(candidates)
        return {
            sha: _built(self.graph.reach(sha, by_commit, walked), by_commit) for sha, walked in self.descents.items()
        }


def _by_commit(candidates: Iterable[Candidate]) -> dict[str, list[Candidate]]:
    by_commit: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_commit.setdefault(candidate.commit, []).append(candidate)
    return by_commit


def _built(reach: Reach, by_commit: Mapping[str, list[Candidate]]) -> Built:
    built = {
        (candidate.flow, candidate.fingerprint): distance
        for commit, distance in reach.distances.items()
        for candidate in by_commit[commit]
    }
    return built, reach.undecided


def built_after(graph: CommitGraph, sha: str, candidates: Iterable[Candidate]) -> Built:
    """The candidates built from `sha` or a descendant, with their distance, and the undecided commits."""
    by_commit = _by_commit(candidates)
    return _built(graph.reach(sha, by_commit), by_commit)
