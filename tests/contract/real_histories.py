"""Real git histories for the contract tests: the material in `shared/real-git`, read into commits, and the answers
git gives about them — from git itself for the requests clone, from a plain graph search for git/git's graph.

A test sends the history through `report_commits`, builds a few sampled commits, runs them by a `Plan`, and
compares `commit_placements` with `expected_placements`.
"""

from __future__ import annotations

import gzip
import random
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple, TypeVar

import pytest

from tests.contract.scenario import at, fp
from tracegraph.graph.inputs import (
    MAX_COMMITS_PER_BATCH,
    ArtifactInput,
    CommitInput,
    CommitsInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    RunningArtifactInput,
    SnapshotInput,
)
from tracegraph.graph.store import GraphStore

# The CI clone sits beside `shared/` as this one does.
REAL_GIT = Path(__file__).parents[2].parent / "shared" / "real-git"
REQUESTS_BUNDLE = REAL_GIT / "requests.bundle"
GIT_GIT_GRAPH = REAL_GIT / "git-git-commit-graph.txt.gz"

FLOWS = ("web", "api")
ENVIRONMENTS = {"prod": EnvironmentType.K8S, "staging": EnvironmentType.ECS, "dev": EnvironmentType.DOCKER}
UNBUILT = fp("running without provenance")

T = TypeVar("T")


class RealCommit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    time: int  # committer time, Unix seconds
    message: str = ""


def material(path: Path) -> Path:
    """`path`, or a skip that names what is missing. The histories are third-party material kept beside the
    repository, never in it; on a machine without them (a bare clone) these tests cannot run, and say so."""
    if not path.is_file():
        pytest.skip(
            f"missing test material {path}: the real git histories live in shared/real-git beside the repository "
            "clone (see its README.md)"
        )
    return path


def git(repo: Path, *args: str) -> str:
    """git's output; its errors go to stderr, which pytest shows with the failure."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, stdout=subprocess.PIPE, encoding="utf-8", errors="replace"
    ).stdout


def clone_requests(directory: Path) -> Path:
    """Clone the requests bundle into `directory`, with a commit-graph file: it makes `rev-list` ~7x faster."""
    subprocess.run(["git", "clone", "-q", str(material(REQUESTS_BUNDLE)), str(directory)], check=True)
    git(directory, "commit-graph", "write", "--reachable")
    return directory


def read_requests(repo: Path) -> list[RealCommit]:
    """Every commit of every branch, parents first."""
    # %x1f separates fields; records end in "\n" only (str.splitlines would also split subjects on \x1c-\x1e, \x85).
    lines = git(repo, "log", "--all", "--topo-order", "--reverse", "--format=%H%x1f%ct%x1f%P%x1f%s").split("\n")
    commits = []
    for line in filter(None, lines):
        sha, time, parents, subject = line.split("\x1f", 3)
        commits.append(RealCommit(sha, tuple(parents.split()), int(time), subject))
    return commits


def read_git_graph() -> list[RealCommit]:
    """git/git's commit graph, parents first (the file is newest first, which is not quite topological)."""
    with gzip.open(material(GIT_GIT_GRAPH), "rt", encoding="ascii") as lines:
        newest_first = [RealCommit(fields[0], tuple(fields[2:]), int(fields[1])) for fields in map(str.split, lines)]
    return parents_first(reversed(newest_first))


def parents_first(commits: Iterable[RealCommit]) -> list[RealCommit]:
    """A topological order keeping the given order where it can; parents outside `commits` are ignored."""
    by_sha = {commit.sha: commit for commit in commits}
    done: set[str] = set()
    ordered: list[RealCommit] = []
    for start in by_sha:
        stack = [(start, False)]
        while stack:
            sha, parents_done = stack.pop()
            if sha in done:
                continue
            if parents_done:
                done.add(sha)
                ordered.append(by_sha[sha])
                continue
            stack.append((sha, True))
            stack.extend((p, False) for p in reversed(by_sha[sha].parents) if p in by_sha and p not in done)
    return ordered


def ancestors(parents: Mapping[str, Sequence[str]], sha: str) -> frozenset[str]:
    """`git rev-list sha` as a set, by a plain graph search."""
    seen = {sha}
    todo = [sha]
    while todo:
        for parent in parents[todo.pop()]:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def ancestor_counts(commits: Sequence[RealCommit], shas: Collection[str]) -> dict[str, int]:
    """`git rev-list --count sha` for each of `shas`, in one pass over `commits` (parents first).

    A search per sha costs 10 s for 500 shas of git/git. Instead, going down from the newest commits, each commit
    carries which of `shas` it is an ancestor of, packed into one int with a field per sha wide enough to hold any
    count; adding those ints up over all commits counts, per field, the ancestors of that sha.
    """
    width = len(commits).bit_length()
    field = {sha: position * width for position, sha in enumerate(dict.fromkeys(shas))}
    below: dict[str, int] = {}
    total = 0
    for commit in reversed(commits):
        packed = below.pop(commit.sha, 0)
        if commit.sha in field:
            packed |= 1 << field[commit.sha]
        total += packed
        for parent in commit.parents:
            below[parent] = below.get(parent, 0) | packed
    return {sha: (total >> shift) & ((1 << width) - 1) for sha, shift in field.items()}


def spread(rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    """`count` items, one drawn from each of `count` equal slices of `items`, in order."""
    bounds = [len(items) * part // count for part in range(count + 1)]
    return [items[rng.randrange(start, end)] for start, end in pairwise(bounds) if end > start]


def history_batches(org: str, repo_url: str, commits: Sequence[RealCommit]) -> list[CommitsInput]:
    """`commits` as `report_commits` batches, in their order."""
    inputs = [
        CommitInput(
            sha=commit.sha,
            parents=list(commit.parents),
            message=commit.message,
            timestamp=datetime.fromtimestamp(commit.time, UTC),
        )
        for commit in commits
    ]
    return [
        CommitsInput(org=org, repo_url=repo_url, commits=inputs[start : start + MAX_COMMITS_PER_BATCH])
        for start in range(0, len(inputs), MAX_COMMITS_PER_BATCH)
    ]


class Build(NamedTuple):
    flow: str
    sha: str

    @property
    def fingerprint(self) -> str:
        return fp(f"{self.flow} {self.sha}")


@dataclass(frozen=True)
class Plan:
    """What is built, and what each environment ran: its snapshots in order, each a set of builds."""

    builds: tuple[Build, ...]
    runs: Mapping[str, tuple[tuple[Build, ...], ...]]


def plan(web: Sequence[str], api: Sequence[str]) -> Plan:
    """Builds of `web` (oldest first, at least 10) and of `api` (two), run so that every kind of placement shows up.

    prod    runs web[-4], web[-3] and api[0], then web[-3], web[-2] and api[1]: web[-4] and api[0] stop;
    staging runs web[1] and web[-5], then only web[-1], the newest, which runs nowhere else;
    dev     runs web[0], web[2] and web[3], an api build of web[2]'s commit, and a fingerprint no build reported;
    web[4:-5] never run.
    """
    w = [Build("web", sha) for sha in web]
    a = [Build("api", sha) for sha in api]
    shared = Build("api", web[2])
    return Plan(
        builds=(*w, *a, shared),
        runs={
            "prod": ((w[-4], w[-3], a[0]), (w[-3], w[-2], a[1])),
            "staging": ((w[1], w[-5]), (w[-1],)),
            "dev": ((w[0], w[2], w[3], shared),),
        },
    )


def contained(the_plan: Plan, ancestry: Mapping[str, frozenset[str]]) -> tuple[set[str], set[str]]:
    """The commits in the history of a build that runs now, and of a build that ever ran."""
    now = {sha for snapshots in the_plan.runs.values() for build in snapshots[-1] for sha in ancestry[build.sha]}
    ever = {
        sha
        for snapshots in the_plan.runs.values()
        for running in snapshots
        for build in running
        for sha in ancestry[build.sha]
    }
    return now, ever


async def carry_out(store: GraphStore, org: str, repo_url: str, the_plan: Plan) -> None:
    """Create the flows and environments, report the builds, then the snapshots of each environment in order."""
    for flow in FLOWS:
        await store.create_flow(FlowInput(org=org, name=flow, repo_url=repo_url))
    for environment, kind in ENVIRONMENTS.items():
        await store.create_environment(EnvironmentInput(org=org, name=environment, type=kind))
    for minute, build in enumerate(the_plan.builds):
        await store.report_artifact(
            ArtifactInput(
                org=org,
                flow=build.flow,
                fingerprint=build.fingerprint,
                name=f"registry.example/{build.flow}:{build.sha[:12]}",
                git_commit=build.sha,
                created_at=at(minute),
            )
        )
    minute = 100
    for environment, snapshots in the_plan.runs.items():
        for running in snapshots:
            artifacts = [RunningArtifactInput(fingerprint=b.fingerprint, name=f"ecr/{b.sha[:12]}") for b in running]
            if environment == "dev":
                artifacts.append(RunningArtifactInput(fingerprint=UNBUILT, name="ecr/unknown"))
            await store.report_snapshot(
                SnapshotInput(org=org, environment=environment, artifacts=artifacts, reported_at=at(minute))
            )
            minute += 1


# (environment, flow, fingerprint, current)
Where = tuple[str, str, str, bool]


def expected_placements(
    the_plan: Plan, ancestry: Mapping[str, frozenset[str]], sha: str, *, include_past: bool
) -> list[Where]:
    """Where builds of `sha` or of its descendants run — and, with `include_past`, ran — by `ancestry` (each built
    commit's ancestors, itself included). No build in a plan stops and starts again in one environment."""
    found: list[Where] = []
    for environment, snapshots in the_plan.runs.items():
        ever = {build for running in snapshots for build in running}
        for build in ever:
            current = build in snapshots[-1]
            if sha in ancestry[build.sha] and (current or include_past):
                found.append((environment, build.flow, build.fingerprint, current))
    return sorted(found)
