"""Issue 9: "where is commit X running?" on real git histories, through the real app (GraphQL over HTTP, a uvicorn
server in its own process) on each backend.

    python -m bench real-git [--backend embedded|neo4j|both] [--neo4j-uri URI] [--samples N] [--history ...]

For each backend: the psf/requests bundle imported by `tracegraph report commits` end to end (each run on a fresh
org), then re-imported with nothing new; git/git's commit graph (85,356 commits) sent as `reportCommits` batches of
5,000, parents first. Then 20 builds spread over each history run in three environments (some now, some before),
the server is restarted, and `commit { runningIn ranIn placementsComplete undecidedCommits }` is timed for
never-built commits spread over the whole history (the roots included): the first request (which loads the org's
ancestry index) apart from the steady state, one commit per request and 25 per request, the two histories' requests
taken in turn (the machine is shared: its noise falls on both alike), each followed by the same store calls made
from the harness ("raw"). Every answer is checked
against git itself (requests) or a plain graph search (git/git); a sample is also answered by the one database
query a walk in the store would be (a recursive CTE on SQLite, a variable-length PARENT match on Neo4j), the floor.

The material lives beside the repository (`../shared/real-git`), never in it; `--material DIR` points elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import httpx

from bench.run import RESULTS, ROOT, Server, machine, neo4j_backend, peak_rss_mb, stats
from tests.contract.real_histories import RealCommit, ancestor_counts, ancestors, parents_first, spread
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import (
    ArtifactInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    OrgInput,
    RunningArtifactInput,
    SnapshotInput,
    TokenInput,
)
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

MATERIAL = ROOT.parent / "shared" / "real-git"
TRACEGRAPH = Path(sys.executable).parent / "tracegraph"
REQUESTS_URL = "https://github.com/psf/requests"
GIT_URL = "https://github.com/git/git"
HISTORIES = ("requests", "git")
SEED = 9
BATCH = 25  # commits per request in the batched case (the server allows 30 aliases)
COMMITS_PER_IMPORT = 5000
FLOOR_TIMEOUT_S = 30.0
WARMUP = 10  # requests of each kind before timing
FLOW = "web"
ENVIRONMENTS = {"prod": EnvironmentType.K8S, "staging": EnvironmentType.ECS, "dev": EnvironmentType.DOCKER}
BUILDS = 20
# Each environment's snapshots in order, as positions among the builds (oldest first): prod and dev run builds now,
# prod and staging also ran builds they no longer run; builds 1, 3, 5, 6, 8, 9 and 11-14 never run.
RUNS: dict[str, tuple[tuple[int, ...], ...]] = {
    "prod": ((16, 17), (17, 18, 19)),
    "staging": ((4, 10), (15,)),
    "dev": ((0, 2, 7),),
}

# Targets (ms) by measurement and backend; None: measured, no target.
TARGETS_MS: dict[str, dict[str, float] | None] = {
    "requests.cli_full_import": {"embedded": 10_000, "neo4j": 20_000},
    "requests.cli_incremental": {"embedded": 1_000, "neo4j": 1_000},
    "requests.cli_incremental_third": None,
    "requests.where_first": None,
    "requests.where_1": {"embedded": 10, "neo4j": 20},
    "requests.where_25": None,
    "git.import": None,
    "git.where_first": None,
    "git.where_1": {"embedded": 20, "neo4j": 40},
    "git.where_25": {"embedded": 100, "neo4j": 200},
}
LABELS: dict[str, str] = {
    "requests.cli_full_import": "requests: `tracegraph report commits`, full import (6,723 commits), wall",
    "requests.cli_incremental": "requests: `tracegraph report commits` again, nothing new, wall",
    "requests.cli_incremental_third": "requests: the same, a third time (the server's index already current)",
    "requests.where_first": "requests: first `Where` on a fresh server (loads the index)",
    "requests.where_1": "requests: `Where`, 1 never-built commit per request",
    "requests.where_25": "requests: `Where`, 25 commits per request",
    "git.import": "git/git: `reportCommits`, 18 batches of ≤ 5,000 (85,356 commits), wall",
    "git.where_first": "git/git: first `Where` on a fresh server (loads the index)",
    "git.where_1": "git/git: `Where`, 1 never-built commit per request",
    "git.where_25": "git/git: `Where`, 25 commits per request",
}

PLACEMENT = "environment { name } distance current artifact { name fingerprint }"
WHERE_FIELDS = f"sha runningIn {{ {PLACEMENT} }} ranIn {{ {PLACEMENT} }} placementsComplete undecidedCommits"
REPORT_COMMITS = """
mutation ReportCommits($input: ReportCommitsInput!) { reportCommits(input: $input) { received created } }
"""
ORG_NAME = "query Org($org: String!) { org(name: $org) { name } }"

# The floor: the one query that answers "where does commit X run or ran" by walking the history in the database.
# `UNION` (not `UNION ALL`) makes the CTE a graph search: each descendant once, through the (org, parent, child) index.
FLOOR_SQL = """
WITH RECURSIVE descendants(sha) AS (
    SELECT :sha
    UNION
    SELECT p.child FROM commit_parents AS p JOIN descendants AS d ON p.org = :org AND p.parent = d.sha
)
SELECT r.environment, a.fingerprint, max(r.to_index IS NULL) AS current
FROM descendants AS d
JOIN artifacts AS a ON a.org = :org AND a.git_commit = d.sha
JOIN runs AS r ON r.org = :org AND r.fingerprint = a.fingerprint
GROUP BY r.environment, a.fingerprint
"""
FLOOR_CYPHER = """
MATCH (:Commit {org: $org, sha: $sha})<-[:PARENT*0..]-(d:Commit)
WITH DISTINCT d
MATCH (d)<-[:BUILT_FROM]-(a:Artifact)
MATCH (r:Run {org: $org, fingerprint: a.fingerprint})
RETURN r.environment AS environment, a.fingerprint AS fingerprint, count(CASE WHEN r.open THEN 1 END) > 0 AS current
"""
NEO4J_VERSION = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"


def where_document(count: int) -> str:
    """`count` commits asked in one request, as aliases c0, c1, ... of `commit`."""
    variables = ", ".join(f"$s{i}: String!" for i in range(count))
    fields = " ".join(f"c{i}: commit(org: $org, sha: $s{i}) {{ ...Where }}" for i in range(count))
    return f"query Where($org: String!, {variables}) {{ {fields} }} fragment Where on Commit {{ {WHERE_FIELDS} }}"


def fingerprint(history: str, sha: str) -> str:
    return hashlib.sha256(f"{history} build of {sha}".encode()).hexdigest()


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - fixed git


class Answer(NamedTuple):
    """One commit's answer, comparable with another: (environment, fingerprint, distance) now and before."""

    running: frozenset[tuple[str, str, int]]
    ran: frozenset[tuple[str, str, int]]
    complete: bool

    @classmethod
    def of(cls, commit: dict[str, Any]) -> Answer:
        def items(key: str) -> frozenset[tuple[str, str, int]]:
            return frozenset(
                (p["environment"]["name"], p["artifact"]["fingerprint"], p["distance"]) for p in commit[key]
            )

        return cls(items("runningIn"), items("ranIn"), commit["placementsComplete"] and not commit["undecidedCommits"])

    def placements(self) -> frozenset[tuple[str, str, bool]]:
        """As the floor queries answer: (environment, fingerprint, runs now), without distances."""
        return frozenset({(e, f, True) for e, f, _ in self.running} | {(e, f, False) for e, f, _ in self.ran})


@dataclass
class History:
    """A real history, the builds and runs planned on it, the commits asked about, and git's answers for them."""

    name: str
    url: str
    commits: list[RealCommit]  # parents first
    clone: Path | None = None
    builds: list[str] = field(default_factory=list)  # oldest first
    asked: list[str] = field(default_factory=list)
    ancestry: dict[str, frozenset[str]] = field(default_factory=dict)  # built commit → its ancestors and itself
    counts: dict[str, int] = field(default_factory=dict)  # `git rev-list --count` of asked and built commits

    @property
    def org(self) -> str:
        return f"{self.name}-where"

    def plan(self, rng: random.Random, samples: int) -> None:
        """20 builds spread over the history; `samples` never-built commits spread over it, the roots first."""
        self.builds = spread(rng, [c.sha for c in self.commits if c.parents], BUILDS)
        built = set(self.builds)
        roots = [c.sha for c in self.commits if not c.parents]
        never_built = [c.sha for c in self.commits if c.sha not in built and c.parents]
        self.asked = [*roots, *spread(rng, never_built, max(1, samples - len(roots)))]

    def expected(self, sha: str) -> Answer:
        running: set[tuple[str, str, int]] = set()
        ran: set[tuple[str, str, int]] = set()
        for environment, snapshots in RUNS.items():
            for position in {p for running_set in snapshots for p in running_set}:
                built = self.builds[position]
                if sha in self.ancestry[built]:
                    item = (environment, fingerprint(self.name, built), self.counts[built] - self.counts[sha])
                    (running if position in snapshots[-1] else ran).add(item)
        return Answer(frozenset(running), frozenset(ran), True)


def material_file(path: Path) -> Path:
    if not path.is_file():
        raise FileNotFoundError(
            f"missing {path}: the real histories live in shared/real-git beside the clone (--material)"
        )
    return path


def read_requests(material: Path, workdir: Path) -> History:
    clone = workdir / "requests"
    bundle = material_file(material / "requests.bundle")
    subprocess.run(["git", "clone", "-q", str(bundle), str(clone)], check=True)  # noqa: S603, S607 - fixed git
    # What `report commits` sends by default: every ref and HEAD.
    lines = git(clone, "rev-list", "--all", "--topo-order", "--reverse", "--parents").splitlines()
    commits = [RealCommit(line.split()[0], tuple(line.split()[1:]), 0) for line in lines]
    return History("requests", REQUESTS_URL, commits, clone=clone)


def read_git_graph(material: Path) -> History:
    with gzip.open(material_file(material / "git-git-commit-graph.txt.gz"), "rt", encoding="ascii") as lines:
        newest_first = [RealCommit(fields[0], tuple(fields[2:]), int(fields[1])) for fields in map(str.split, lines)]
    return History("git", GIT_URL, parents_first(reversed(newest_first)))


def learn_truth(history: History) -> None:
    """Git's answers: from git itself in the requests clone, from a plain graph search over git/git's parents."""
    shas = [*history.asked, *history.builds]
    if history.clone is not None:
        clone = history.clone
        history.ancestry = {sha: frozenset(git(clone, "rev-list", sha).split()) for sha in history.builds}
        history.counts = {sha: int(git(clone, "rev-list", "--count", sha)) for sha in shas}
        return
    parents = {commit.sha: commit.parents for commit in history.commits}
    history.ancestry = {sha: ancestors(parents, sha) for sha in history.builds}
    history.counts = ancestor_counts(history.commits, shas)


class Api:
    """GraphQL over HTTP to the bench server, answering the data and the store round trips the server counted."""

    def __init__(self, url: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=600)

    async def execute(self, query: str, variables: dict[str, Any], token: str) -> tuple[dict[str, Any], int]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{response.status_code} {json.dumps(body)[:500]}")
        return body["data"], int(response.headers.get("x-store-round-trips", -1))


class Floor(Protocol):
    """The one database query answering a commit's placements; None when it did not finish in time."""

    async def answer(self, org: str, sha: str) -> frozenset[tuple[str, str, bool]] | None: ...


class SqliteFloor:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _answer(self, org: str, sha: str) -> frozenset[tuple[str, str, bool]] | None:
        deadline = time.monotonic() + FLOOR_TIMEOUT_S
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
            try:
                rows = connection.execute(FLOOR_SQL, {"org": org, "sha": sha}).fetchall()
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    return None
                raise
        return frozenset((environment, fp, bool(current)) for environment, fp, current in rows)

    async def answer(self, org: str, sha: str) -> frozenset[tuple[str, str, bool]] | None:
        return await asyncio.to_thread(self._answer, org, sha)


class CypherFloor:
    def __init__(self, uri: str) -> None:
        from neo4j import AsyncGraphDatabase

        self.driver = AsyncGraphDatabase.driver(uri, auth=None)

    async def answer(self, org: str, sha: str) -> frozenset[tuple[str, str, bool]] | None:
        from neo4j import Query
        from neo4j.exceptions import Neo4jError

        try:
            async with self.driver.session() as session:
                result = await session.run(Query(FLOOR_CYPHER, timeout=FLOOR_TIMEOUT_S), org=org, sha=sha)
                rows = [(r["environment"], r["fingerprint"], r["current"]) async for r in result]
        except Neo4jError as error:
            if "TimedOut" in (error.code or "") or "Terminated" in (error.code or ""):
                return None
            raise
        return frozenset(rows)

    async def version(self) -> str:
        async with self.driver.session() as session:
            record = await (await session.run(NEO4J_VERSION)).single()
        return f"{record['name']} {record['version']} {record['edition']}" if record else "unknown"


async def timed(call: Awaitable[Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = await call
    return time.perf_counter() - started, answer


def trips_of(samples: list[int]) -> dict[str, float]:
    """Store round trips per request (the token check is one when its cache misses; a split DataLoader batch adds)."""
    return {"median": statistics.median(samples), "max": max(samples)}


def seconds(samples: list[float]) -> dict[str, float]:
    """`stats` for measurements counted in seconds, not milliseconds."""
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "max_s": round(max(samples), 3),
        "runs": len(samples),
    }


async def open_org(store: GraphStore, org: str) -> tuple[str, str]:
    """A fresh org with a reader and a writer token; their secrets."""
    await store.create_org(OrgInput(name=org))
    secrets = []
    for role in (Role.READER, Role.WRITER):
        secret = new_secret()
        await store.create_token(TokenInput(org=org, role=role, name=f"bench-{role}", secret_hash=hash_secret(secret)))
        secrets.append(secret)
    return secrets[0], secrets[1]


def cli(server: Server, org: str, token: str, config: Path, *args: str) -> tuple[float, dict[str, Any]]:
    """Run `tracegraph --output json ARGS` against the server; wall seconds and its JSON answer."""
    env = {
        **os.environ,
        "TRACEGRAPH_HOST": server.url,
        "TRACEGRAPH_ORG": org,
        "TRACEGRAPH_API_TOKEN": token,
        "XDG_CONFIG_HOME": str(config),  # no config file of the user's
    }
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [str(TRACEGRAPH), "--output", "json", *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"tracegraph {' '.join(args)}: exit {done.returncode}: {done.stderr[-2000:]}")
    return elapsed, json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}


async def import_requests(
    store: GraphStore, server: Server, history: History, writer: str, imports: int, workdir: Path
) -> dict[str, Any]:
    """`report commits` of the clone on `imports` fresh orgs (the first is the `Where` org, whose `writer` is given),
    each followed by two re-runs with nothing new."""
    assert history.clone is not None
    args = ("report", "commits", "--repo", str(history.clone), "--repo-url", history.url)
    full: list[float] = []
    again: list[float] = []
    settled: list[float] = []
    answers: list[dict[str, Any]] = []
    for run in range(imports):
        org = history.org if run == 0 else f"{history.name}-import-{run}"
        token = writer if run == 0 else (await open_org(store, org))[1]
        elapsed, first = cli(server, org, token, workdir, *args)
        full.append(elapsed)
        elapsed, second = cli(server, org, token, workdir, *args)
        again.append(elapsed)
        # Once more: the server's ancestry index is now current, so this one shows what the catch-up above cost.
        elapsed, third = cli(server, org, token, workdir, *args)
        settled.append(elapsed)
        answers.append({"full": first, "again": second, "third": third})
        print(
            f"  import {run + 1}/{imports}: full {full[-1]:.2f} s ({first.get('created')} new), "
            f"again {again[-1]:.2f} s ({second.get('received')} sent, incremental={second.get('incremental')}), "
            f"a third time {settled[-1]:.2f} s",
            flush=True,
        )
    startup, _ = cli(server, history.org, writer, workdir, "--help")
    return {
        "cli_full_import": seconds(full),
        "cli_incremental": seconds(again),
        "cli_incremental_third": seconds(settled),
        "answers": answers,
        "cli_startup_s": round(startup, 3),  # `tracegraph --help`: the interpreter and the CLI's imports alone
    }


async def import_graph(api: Api, history: History, writer: str) -> dict[str, Any]:
    """The whole graph as `reportCommits` batches, parents first, one request at a time."""
    batches = [
        {
            "org": history.org,
            "repoUrl": history.url,
            "commits": [
                {
                    "sha": commit.sha,
                    "parents": list(commit.parents),
                    "timestamp": datetime.fromtimestamp(commit.time, UTC).isoformat(),
                }
                for commit in history.commits[start : start + COMMITS_PER_IMPORT]
            ],
        }
        for start in range(0, len(history.commits), COMMITS_PER_IMPORT)
    ]
    per_batch: list[float] = []
    created = 0
    started = time.perf_counter()
    for batch in batches:
        elapsed, (data, _) = await timed(api.execute(REPORT_COMMITS, {"input": batch}, writer))
        per_batch.append(round(elapsed, 3))
        created += data["reportCommits"]["created"]
    total = time.perf_counter() - started
    return {"import": seconds([total]), "batches_s": per_batch, "created": created}


async def build_and_run(store: GraphStore, history: History) -> None:
    """Report the builds, then each environment's snapshots in order."""
    org = history.org
    await store.create_flow(FlowInput(org=org, name=FLOW, repo_url=history.url))
    for environment, kind in ENVIRONMENTS.items():
        await store.create_environment(EnvironmentInput(org=org, name=environment, type=kind))
    for sha in history.builds:
        await store.report_artifact(
            ArtifactInput(
                org=org,
                flow=FLOW,
                fingerprint=fingerprint(history.name, sha),
                name=f"registry.example/{history.name}:{sha[:12]}",
                git_commit=sha,
            )
        )
    for environment, snapshots in RUNS.items():
        for running in snapshots:
            artifacts = [
                RunningArtifactInput(
                    fingerprint=fingerprint(history.name, history.builds[p]), name=f"{environment}-{p}"
                )
                for p in running
            ]
            await store.report_snapshot(SnapshotInput(org=org, environment=environment, artifacts=artifacts))


class WhereRun:
    """The `Where` measurements of one history on one backend, with every answer checked."""

    def __init__(self, api: Api, store: GraphStore, history: History, reader: str) -> None:
        self.api = api
        self.store = store
        self.history = history
        self.reader = reader
        self.answers: dict[str, Answer] = {}
        self.mismatches: list[dict[str, str]] = []
        self.single_ms: dict[str, float] = {}
        self.raw_ms: dict[str, float] = {}
        self.timings: dict[str, list[float]] = {"where_1": [], "raw_1": [], "where_25": [], "raw_25": []}
        self.trips: dict[str, list[int]] = {"where_1": [], "where_25": []}
        # The batched requests: as many as commits asked, each of 25 of them in turn.
        asked, size = history.asked, min(BATCH, len(history.asked))
        self.batches = [[asked[(k * size + j) % len(asked)] for j in range(size)] for k in range(len(asked))]

    async def ask(self, shas: Sequence[str]) -> tuple[float, int]:
        variables: dict[str, Any] = {"org": self.history.org, **{f"s{i}": sha for i, sha in enumerate(shas)}}
        elapsed, (data, round_trips) = await timed(self.api.execute(where_document(len(shas)), variables, self.reader))
        for i, sha in enumerate(shas):
            answer, expected = Answer.of(data[f"c{i}"]), self.history.expected(sha)
            self.answers[sha] = answer
            if answer != expected:
                self.mismatches.append({"sha": sha, "got": repr(answer), "expected": repr(expected)})
        return elapsed, round_trips

    async def raw(self, shas: Sequence[str]) -> float:
        """The store calls the resolvers make for these commits (one for the commits, one for where they run and
        ran), made in this process."""
        started = time.perf_counter()
        await self.store.commits(self.history.org, shas)
        await self.store.commit_placements(self.history.org, shas, include_past=True)
        return time.perf_counter() - started

    async def first(self) -> dict[str, Any]:
        """The first request of the org on a fresh server; then the harness's own store loading its index."""
        elapsed, round_trips = await self.ask(self.history.asked[:1])
        raw = await self.raw(self.history.asked[:1])
        return {"graphql_ms": round(elapsed * 1000, 1), "round_trips": round_trips, "raw_ms": round(raw * 1000, 1)}

    async def warm_up(self) -> None:
        for sha in self.history.asked[-WARMUP:]:
            await self.ask([sha])
        for shas in self.batches[:WARMUP]:
            await self.ask(shas)

    async def single(self, sha: str) -> None:
        """One commit in one request, then the same store calls made raw."""
        elapsed, trips = await self.ask([sha])
        self.timings["where_1"].append(elapsed)
        self.trips["where_1"].append(trips)
        self.single_ms[sha] = round(elapsed * 1000, 1)
        raw = await self.raw([sha])
        self.timings["raw_1"].append(raw)
        self.raw_ms[sha] = round(raw * 1000, 1)

    async def batched(self, shas: list[str]) -> None:
        elapsed, trips = await self.ask(shas)
        self.timings["where_25"].append(elapsed)
        self.trips["where_25"].append(trips)
        self.timings["raw_25"].append(await self.raw(shas))

    def results(self) -> dict[str, Any]:
        return {
            "where_1": {
                "graphql": stats(self.timings["where_1"]),
                "raw": stats(self.timings["raw_1"]),
                "round_trips": trips_of(self.trips["where_1"]),
            },
            "where_25": {
                "graphql": stats(self.timings["where_25"]),
                "raw": stats(self.timings["raw_25"]),
                "commits_per_request": len(self.batches[0]),
                "round_trips": trips_of(self.trips["where_25"]),
            },
        }

    async def floor(self, floor: Floor, samples: int) -> dict[str, Any]:
        """The floor query on `samples` of the asked commits (the first root included), checked against ours."""
        asked = self.history.asked
        picked = list(dict.fromkeys(asked[i * len(asked) // samples] for i in range(samples)))
        await floor.answer(self.history.org, asked[-1])  # plan and cache the query once
        children: dict[str, list[str]] = {commit.sha: [] for commit in self.history.commits}
        for commit in self.history.commits:
            for parent in commit.parents:
                children.setdefault(parent, []).append(commit.sha)
        runs: list[dict[str, Any]] = []
        for sha in picked:
            elapsed, found = await timed(floor.answer(self.history.org, sha))
            run = {
                "sha": sha,
                "descendants": len(ancestors(children, sha)),
                "floor_ms": None if found is None else round(elapsed * 1000, 1),
                "ours_ms": self.single_ms.get(sha),
                "ours_raw_ms": self.raw_ms.get(sha),
                "equal": None if found is None else found == self.answers[sha].placements(),
            }
            runs.append(run)
            print(
                f"    floor {sha[:10]} ({run['descendants']} descendants): "
                f"{run['floor_ms'] if found is not None else 'did not finish'} ms (ours {run['ours_ms']} ms)",
                flush=True,
            )
        finished = [run["floor_ms"] for run in runs if run["floor_ms"] is not None]
        return {
            "timeout_s": FLOOR_TIMEOUT_S,
            "runs": runs,
            "finished": len(finished),
            "timed_out": len(runs) - len(finished),
            "median_ms": round(statistics.median(finished), 1) if finished else None,
            "max_ms": max(finished) if finished else None,
            "ours_median_ms": round(statistics.median(run["ours_ms"] for run in runs), 1),
            "ours_raw_median_ms": round(statistics.median(run["ours_raw_ms"] for run in runs), 1),
            "mismatches": sum(1 for run in runs if run["equal"] is False),
        }


@dataclass
class Backend:
    name: str
    store: GraphStore
    server_args: list[str]
    floor: Floor
    database: str
    jvm_pid: int | None = None


@contextlib.asynccontextmanager
async def backend_for(name: str, neo4j_uri: str | None) -> AsyncIterator[Backend]:
    async with contextlib.AsyncExitStack() as stack:
        if name == "embedded":
            from tracegraph.graph.embedded.store import EmbeddedStore

            data_dir = Path(tempfile.mkdtemp(prefix="tracegraph-bench-real-git-"))
            stack.callback(shutil.rmtree, data_dir, True)
            path = data_dir / "tracegraph.sqlite3"
            backend = Backend(
                name,
                EmbeddedStore(path),
                ["--data-dir", str(data_dir)],
                SqliteFloor(path),
                f"SQLite {sqlite3.sqlite_version}",
            )
        else:
            from tracegraph.graph.neo4j.store import Neo4jStore

            uri, jvm_pid, _ = await stack.enter_async_context(neo4j_backend(neo4j_uri))
            cypher = CypherFloor(uri)
            stack.push_async_callback(cypher.driver.close)
            backend = Backend(name, Neo4jStore(uri), ["--neo4j-uri", uri], cypher, await cypher.version(), jvm_pid)
        await backend.store.start()
        stack.push_async_callback(backend.store.close)
        yield backend


@contextlib.asynccontextmanager
async def serving(backend: Backend) -> AsyncIterator[tuple[Server, Api]]:
    server = Server(backend.server_args)
    try:
        await server.wait()
        api = Api(server.url)
        try:
            yield server, api
        finally:
            await api.http.aclose()
    finally:
        server.stop()


async def run_backend(
    name: str, histories: list[History], *, neo4j_uri: str | None, imports: int, floor_samples: int, workdir: Path
) -> dict[str, Any]:
    result: dict[str, Any] = {"backend": name, "histories": {}}
    async with backend_for(name, neo4j_uri) as backend:
        result["database"] = backend.database
        store = backend.store
        readers: dict[str, str] = {}
        async with serving(backend) as (server, api):
            for history in histories:
                measured: dict[str, Any] = {"commits": len(history.commits)}
                result["histories"][history.name] = measured
                print(f"[{name}] {history.name}: import", flush=True)
                readers[history.name], writer = await open_org(store, history.org)
                if history.clone is not None:
                    measured.update(await import_requests(store, server, history, writer, imports, workdir))
                else:
                    measured.update(await import_graph(api, history, writer))
                    print(f"  {measured['import']['median_s']} s, {measured['created']} new", flush=True)
                await build_and_run(store, history)

        # A fresh server process: its first `Where` in each org loads that org's ancestry index.
        async with serving(backend) as (server, api):
            runs = [WhereRun(api, store, history, readers[history.name]) for history in histories]
            for where in runs:
                await api.execute(ORG_NAME, {"org": where.history.org}, where.reader)  # connect, auth, schema
                result["histories"][where.history.name]["where_first"] = await where.first()
            for where in runs:
                await where.warm_up()
            # One request of each history in turn, so the shared machine's noise falls on both alike.
            for position in range(max(len(where.history.asked) for where in runs)):
                for where in runs:
                    if position < len(where.history.asked):
                        await where.single(where.history.asked[position])
            for position in range(max(len(where.batches) for where in runs)):
                for where in runs:
                    if position < len(where.batches):
                        await where.batched(where.batches[position])
            for where in runs:
                measured = result["histories"][where.history.name]
                measured.update(where.results())
                print(f"[{name}] {where.history.name}: {brief(measured)}", flush=True)
                measured["floor"] = await where.floor(backend.floor, floor_samples)
                measured["answers_checked"] = len(where.answers)
                measured["answers_with_placements"] = sum(1 for a in where.answers.values() if a.running or a.ran)
                measured["mismatches"] = len(where.mismatches) + measured["floor"]["mismatches"]
                measured["mismatch_examples"] = where.mismatches[:3]
            result["memory_mb"] = {
                "server_peak_rss": server.peak_rss_mb(),
                "neo4j_jvm_peak_rss": peak_rss_mb(backend.jvm_pid) if backend.jvm_pid else None,
            }
        result["mismatches"] = sum(h["mismatches"] for h in result["histories"].values())
    return result


def brief(measured: dict[str, Any]) -> str:
    return (
        f"first {measured['where_first']['graphql_ms']} ms; "
        f"1 commit {measured['where_1']['graphql']['median_ms']} / {measured['where_1']['graphql']['p95_ms']} ms "
        f"(raw {measured['where_1']['raw']['median_ms']}); "
        f"{measured['where_25']['commits_per_request']} commits {measured['where_25']['graphql']['median_ms']} / "
        f"{measured['where_25']['graphql']['p95_ms']} ms"
    )


def measurement(history: dict[str, Any], key: str) -> tuple[float, float | None, float | None] | None:
    """(median, p95, raw median) in ms of one measurement of a history; p95 and raw None where not measured."""
    value = history.get(key)
    if value is None:
        return None
    if "median_s" in value:
        return value["median_s"] * 1000, None, None
    if "graphql_ms" in value:
        return value["graphql_ms"], None, value["raw_ms"]
    return value["graphql"]["median_ms"], value["graphql"]["p95_ms"], value["raw"]["median_ms"]


def markdown(results: dict[str, Any]) -> str:
    backends = results["backends"]
    lines = [
        f"# tracegraph on real git histories ({results['started']})",
        "",
        "Median / p95 in ms through GraphQL over HTTP (imports: wall time, median of the runs); raw: the same store "
        "calls made from the harness; target per backend; ✅ met, ❌ missed.",
        "",
        "| measurement | " + " | ".join(f"{b['backend']} median / p95 | target" for b in backends) + " |",
        "|---|" + "---|---|" * len(backends),
    ]
    for key, label in LABELS.items():
        history, name = key.split(".", 1)
        cells = []
        for backend in backends:
            found = measurement(backend["histories"].get(history, {}), name)
            target = (TARGETS_MS[key] or {}).get(backend["backend"])
            if found is None:
                cells.append("- | -")
                continue
            median, p95, raw = found
            mark = "" if target is None else ("✅ " if median < target else "❌ ")
            shown = f"{median:,.1f}" + ("" if p95 is None else f" / {p95:,.1f}")
            shown += "" if raw is None else f" (raw {raw:,.1f})"
            cells.append(f"{mark}{shown} | " + ("-" if target is None else f"< {target:,g}"))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Floor: the one database query (single commit)", ""]
    lines += [
        "| history | backend | floor median / max ms | did not finish in 30 s | ours, same commits: GraphQL / raw "
        "median ms | answers equal |",
        "|---|---|---|---|---|---|",
    ]
    for backend in backends:
        for history, measured in backend["histories"].items():
            floor = measured.get("floor")
            if floor is None:
                continue
            equal = sum(1 for run in floor["runs"] if run["equal"])
            lines.append(
                f"| {history} | {backend['backend']} | {floor['median_ms']} / {floor['max_ms']} | "
                f"{floor['timed_out']} of {len(floor['runs'])} | {floor['ours_median_ms']} / "
                f"{floor.get('ours_raw_median_ms')} | "
                f"{equal} of {floor['finished']} |"
            )
    lines += [
        "",
        "## Store round trips per `Where` request (median / max; the token check is 1 more when its cache misses)",
        "",
    ]
    for backend in backends:
        for history, measured in backend["histories"].items():
            trips = {key: measured[key]["round_trips"] for key in ("where_1", "where_25") if key in measured}
            shown = ", ".join(f"{key}: {value['median']:g} / {value['max']}" for key, value in trips.items())
            lines.append(f"- {backend['backend']}, {history}: {shown}")
    lines += ["", "## Correctness", ""]
    for backend in backends:
        checked = {name: h.get("answers_checked") for name, h in backend["histories"].items()}
        lines.append(f"- {backend['backend']}: {backend['mismatches']} mismatches; distinct commits checked {checked}")
    return "\n".join(lines) + "\n"


def save(results: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    names = "-".join(backend["backend"] for backend in results["backends"])
    stem = f"real-git-{names}-{results['started'].replace(':', '')}"
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(results, indent=2))
    paths[1].write_text(markdown(results))
    return paths


async def run(
    backends: list[str],
    *,
    histories: Sequence[str] = HISTORIES,
    neo4j_uri: str | None = None,
    samples: int = 200,
    imports: int = 3,
    floor_samples: int = 10,
    material: Path = MATERIAL,
    out: Path = RESULTS,
) -> dict[str, Any]:
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_at_start = list(os.getloadavg())
    results: dict[str, Any] = {
        "started": started,
        "machine": {**machine(), "git": git(ROOT, "--version").strip()},
        # Others edit the tree while benches run: which commit, and whether uncommitted changes were measured too.
        "revision": git(ROOT, "rev-parse", "--short", "HEAD").strip()
        + (" + uncommitted changes" if git(ROOT, "status", "--porcelain", "--untracked-files=no").strip() else ""),
        "settings": {"samples": samples, "imports": imports, "floor_samples": floor_samples, "seed": SEED},
        "backends": [],
    }
    with tempfile.TemporaryDirectory(prefix="tracegraph-real-git-") as scratch:
        workdir = Path(scratch)
        loaded: list[History] = []
        for name in histories:
            history = read_requests(material, workdir) if name == "requests" else read_git_graph(material)
            history.plan(random.Random(f"{SEED} {name}"), samples)
            started_at = time.perf_counter()
            learn_truth(history)
            print(
                f"{name}: {len(history.commits):,} commits, {len(history.asked)} asked, git's answers in "
                f"{time.perf_counter() - started_at:.1f} s",
                flush=True,
            )
            loaded.append(history)
        for backend in backends:
            results["backends"].append(
                await run_backend(
                    backend,
                    loaded,
                    neo4j_uri=neo4j_uri,
                    imports=imports,
                    floor_samples=floor_samples,
                    workdir=workdir,
                )
            )
    results["load_average"] = {"start": load_at_start, "end": list(os.getloadavg())}  # the machine is shared
    results["files"] = [str(path) for path in save(results, out)]
    print(markdown(results), flush=True)
    print(f"results: {' and '.join(results['files'])}", flush=True)
    return results
