"""The harness: load a size, then time every operation through GraphQL over HTTP (a uvicorn server in its own
process), as the raw store calls its resolvers make, and as the floor — one SQL or Cypher query answering the same
data (bench/floor.py) — interleaved, so each ratio comes from one run on one machine state; then closed-loop load at
1, 8 and 32 clients, on one server process and on two; the @neo4j/graphql peer side by side when it is installed.

    python -m bench run --size smoke --backend both [--neo4j-uri bolt://...] [--profile]
    python -m bench.run --size medium --backend neo4j --clients 1,8,32 --load-seconds 5 --peer

Without `--neo4j-uri` the Neo4j backend gets its own server from the project's script (tests/neo4j_server.py;
JVM options from NEO4J_TEST_JAVA_OPTS, `-Xms1g -Xmx4g` when unset). With it, the database is wiped first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench import floor as floors
from bench.answers import Answer, cypher_answer, differences, graphql_answer, sql_answer
from bench.generate import ORG, SIZES, Dataset, Phase, describe, load_catalog, load_snapshots
from bench.load import Connection, Reply, Target, checked, closed_loop, graphql_body
from bench.operations import Bench, Operation, Request
from bench.server import ROUND_TRIPS_HEADER
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WARMUP = 3  # warm-up requests of the peer's standalone comparison (bench/peer.py)
WARMUP_ROUNDS = 10  # untimed rounds of every side before timing: the JVM compiles what runs often
VERIFIED_RUNS = 3  # timed runs whose GraphQL answer is checked against the floor's (and the peer's)
WIPE_NEO4J = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

Json = dict[str, Any]

# Issue 10's targets: median ms through GraphQL over HTTP, (embedded, neo4j).
TARGETS_MS: dict[str, tuple[float, float]] = {
    "incident_50": (5, 10),
    "incident_800": (10, 20),
    "running_all": (60, 100),
    "incident_10000": (15, 25),
    "log_page": (10, 15),
    "diff_800": (40, 60),
}
# DESIGN.md's targets for the operations issue 10 does not name (both backends).
DESIGN_TARGETS_MS: dict[str, float] = {"where_commit": 20, "prefix_search": 5, "report_800": 50}
FLOOR_RATIO_TARGET = 2.0
PEER_THROUGHPUT_TARGET = 1.0  # tracegraph's requests/s at 8 clients over the faster peer's
LABELS: dict[str, str] = {
    "incident_50": "`Incident`, 50 running (latest)",
    "incident_800": "`Incident`, 800 running, one page of 100 (latest)",
    "incident_800_older": "`Incident`, 800 running, an older snapshot",
    "running_all": "all 800 running, 8 pages of 100 (total of the requests)",
    "incident_10000": "`Incident`, one page of a 10,000-artifact snapshot",
    "log_page": "log page (15 snapshots with events)",
    "where_commit": "`Where`, a never-built commit (ancestry)",
    "prefix_search": "search by 7-character prefix",
    "diff_800": "diff of two 800-artifact snapshots",
    "report_800": "report an 800-artifact snapshot with one change",
}
# Read operations put under closed-loop load (one request each).
LOAD_OPERATIONS = (
    "incident_50",
    "incident_800",
    "incident_800_older",
    "incident_10000",
    "log_page",
    "where_commit",
    "prefix_search",
    "diff_800",
)
# The peer's document for each operation it can answer (bench/peer.py DOCUMENTS).
PEER_KINDS: dict[str, str] = {
    "incident_50": "incident_50",
    "incident_800": "incident_800",
    "incident_800_older": "incident_800",
    "incident_10000": "incident_800",
    "log_page": "log_page",
    "prefix_search": "prefix_search",
    "diff_800": "diff_800",
}


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
        "min_ms": round(ordered[0] * 1000, 3),
        "runs": len(ordered),
    }


@dataclass(frozen=True)
class LoadPlan:
    """Closed-loop load: which operations, at how many clients, for how long; and the worker counts compared at
    `workers_clients` clients."""

    clients: tuple[int, ...] = (1, 8, 32)
    seconds: float = 5.0
    warmup: float = 1.0
    operations: tuple[str, ...] = LOAD_OPERATIONS
    workers: tuple[int, ...] = (1, 2)
    workers_clients: int = 8
    # Each worker count above 1 as `tracegraph serve --workers` runs it (False) and with the listener's TCP_NODELAY
    # fix (True).
    nodelay_variants: tuple[bool, ...] = (False, True)


class Server:
    """`python -m bench.server` in its own process (`workers` uvicorn processes)."""

    def __init__(self, backend_args: list[str], *, workers: int = 1, tcp_nodelay: bool = False) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [sys.executable, "-m", "bench.server", "--port", str(self.port), *backend_args]
        if workers > 1:
            command += ["--workers", str(workers), *(["--tcp-nodelay"] if tcp_nodelay else [])]
        self.process = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own interpreter and module
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers

    async def wait(self) -> None:
        deadline = time.monotonic() + 120
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"bench server exited with {self.process.returncode}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise RuntimeError("bench server did not become ready")

    def peak_rss_mb(self) -> float | None:
        return peak_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def peak_rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def directory_mb(path: Path) -> float:
    return round(sum(item.stat().st_size for item in path.rglob("*") if item.is_file()) / 1_048_576, 1)


Send = Callable[[bytes, Mapping[str, str]], Awaitable[Reply]]


class Client:
    """GraphQL over one keep-alive connection (bench/load.py), or through `send` (the profiler's ASGI client)."""

    def __init__(self, url: str, reader: str, writer: str, *, send: Send | None = None) -> None:
        self.connection = Connection(url)
        self.send: Send = send or (lambda body, headers: self.connection.post("/graphql", body, headers))
        self.headers = {False: {"Authorization": f"Bearer {reader}"}, True: {"Authorization": f"Bearer {writer}"}}

    async def call(self, operation: Operation, run: int) -> tuple[list[Json], list[int]]:
        """Send the operation (every page of it); answer each request's `data` and the store round trips the
        server counted for it."""
        request: Request | None = operation.request(run)
        answers: list[Json] = []
        trips: list[int] = []
        while request is not None:
            reply = await self.send(graphql_body(request.query, request.variables), self.headers[operation.writer])
            data: Json = checked(reply, operation.name)["data"]
            answers.append(data)
            trips.append(int(reply.headers.get(ROUND_TRIPS_HEADER, 0)))
            request = operation.follow(request, data) if operation.follow else None
        return answers, trips

    async def close(self) -> None:
        await self.connection.close()


@dataclass
class PeerSide:
    """The peer (one variant) answering tracegraph's operations with its own documents."""

    label: str
    url: str
    connection: Connection = field(init=False)

    def __post_init__(self) -> None:
        self.connection = Connection(self.url)

    def body(self, operation: str, variables: Mapping[str, Any]) -> bytes:
        from bench import peer

        kind = PEER_KINDS[operation]
        return graphql_body(peer.DOCUMENTS[kind], peer.variables(kind, variables))

    async def call(self, operation: str, variables: Mapping[str, Any]) -> Json:
        reply = await self.connection.post("/", self.body(operation, variables))
        data: Json = checked(reply, f"{self.label} {operation}")["data"]
        return data


def answer_of(operation: str, answers: list[Json]) -> Json:
    return graphql_answer(operation, answers if operation == "running_all" else answers[0])


async def measure(
    client: Client,
    store: GraphStore,
    operation: Operation,
    repeats: int,
    *,
    floor_answer: Callable[[str, floors.Rows], Answer] | None = None,
    peers: Sequence[PeerSide] = (),
) -> Json:
    """Warm up, then alternate a GraphQL request, the raw store calls, the floor query and each peer `repeats`
    times; the first VERIFIED_RUNS answers of the floor and the peers are checked against tracegraph's."""
    use_floor = operation.floor is not None and floor_answer is not None
    peers = [side for side in peers if operation.name in PEER_KINDS]
    samples: dict[str, list[float]] = {"graphql": [], "raw": [], **({"floor": []} if use_floor else {})}
    samples.update({side.label: [] for side in peers})
    round_trips: set[int] = set()  # the most one request of the operation cost
    totals: set[int] = set()  # all its requests together
    raw_round_trips: set[int] = set()
    mismatches: list[str] = []
    peer_mismatches: list[str] = []
    warmup = min(WARMUP_ROUNDS, repeats)  # a smoke run's two repeats need no JIT
    for run in range(warmup + repeats):
        timed = run >= warmup
        started = time.perf_counter()
        answers, trips = await client.call(operation, 2 * run)
        elapsed = time.perf_counter() - started
        before = store.round_trips
        raw_started = time.perf_counter()
        await operation.raw(2 * run + 1)
        raw_elapsed = time.perf_counter() - raw_started
        if timed:
            samples["graphql"].append(elapsed)
            samples["raw"].append(raw_elapsed)
            round_trips.add(max(trips))
            totals.add(sum(trips))
            raw_round_trips.add(store.round_trips - before)
        verify = timed and run < warmup + VERIFIED_RUNS
        if use_floor and operation.floor is not None and floor_answer is not None:
            floor_started = time.perf_counter()
            rows = await operation.floor(2 * run)
            floor_elapsed = time.perf_counter() - floor_started
            if timed:
                samples["floor"].append(floor_elapsed)
            if verify:
                found = differences(
                    operation.name, answer_of(operation.name, answers), floor_answer(operation.name, rows)
                )
                mismatches += found
        variables = operation.request(2 * run).variables if peers else {}
        for side in peers:
            peer_started = time.perf_counter()
            theirs = await side.call(operation.name, variables)
            peer_elapsed = time.perf_counter() - peer_started
            if timed:
                samples[side.label].append(peer_elapsed)
            if verify:
                from bench import peer

                peer_mismatches += peer.same_answer(PEER_KINDS[operation.name], answers[0], theirs)
    result: Json = {name: stats(values) for name, values in samples.items()}
    graphql = statistics.median(samples["graphql"])
    result["ratio_median"] = round(graphql / statistics.median(samples["raw"]), 2)
    if use_floor:
        result["floor_ratio"] = round(graphql / statistics.median(samples["floor"]), 2)
        result["floor_checked"] = VERIFIED_RUNS
        result["floor_mismatches"] = mismatches[:10]
    if peers:
        result["peer_mismatches"] = peer_mismatches[:10]
    result["round_trips"] = max(round_trips)
    result["round_trips_total"] = max(totals)
    result["requests"] = len(answers)
    result["raw_round_trips"] = max(raw_round_trips)
    return result


@contextlib.asynccontextmanager
async def neo4j_backend(uri: str | None) -> AsyncIterator[tuple[str, int | None, Path | None]]:
    """A Neo4j to bench against: the given one (wiped), or a fresh one from the project's script."""
    if uri is not None:
        from neo4j import AsyncGraphDatabase

        async with AsyncGraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
            await (await session.run(WIPE_NEO4J)).consume()
        yield uri, None, None
        return
    sys.path.insert(0, str(ROOT))
    from tests.neo4j_server import Neo4jTestServer

    os.environ.setdefault("NEO4J_TEST_JAVA_OPTS", "-Xms1g -Xmx4g")
    server = Neo4jTestServer()
    server.start()
    try:
        process = server._proc  # the run script execs the JVM: its pid is the JVM's
        yield server.uri, process.pid if process else None, server._data_dir
    finally:
        server.stop()


async def tokens(store: GraphStore) -> tuple[str, str]:
    secrets = []
    for role in (Role.READER, Role.WRITER):
        secret = new_secret()
        await store.create_token(TokenInput(org=ORG, role=role, name=f"bench-{role}", secret_hash=hash_secret(secret)))
        secrets.append(secret)
    return secrets[0], secrets[1]


def settle() -> None:
    """Move what the harness holds (the data set: a million objects at the larger sizes) out of the garbage
    collector's sight. Otherwise the raw store calls and the in-process profiles, which run here, pay for full
    collections that walk it: a diff's raw call measured slower than the same call behind GraphQL."""
    gc.collect()
    gc.freeze()


def peer_available() -> bool:
    return (ROOT / "bench" / "peer" / "node_modules" / "@neo4j" / "graphql").is_dir() and bool(shutil.which("node"))


async def load_levels(
    url: str, operations: Sequence[Operation], clients: Sequence[int], plan: LoadPlan, headers: Mapping[str, str]
) -> dict[str, dict[str, Json]]:
    """Closed-loop load of each operation at each client count against one tracegraph server."""
    found: dict[str, dict[str, Json]] = {}
    for operation in operations:
        target = Target(
            url=f"{url}/graphql",
            body=lambda n, operation=operation: graphql_body(*_request_parts(operation.request(n))),  # type: ignore[misc]
            headers=headers,
        )
        found[operation.name] = {}
        for count in clients:
            found[operation.name][str(count)] = await closed_loop(target, count, plan.seconds, warmup=plan.warmup)
        print(f"    load {operation.name}: {load_summary(found[operation.name])}", flush=True)
    return found


async def prewarm(
    url: str, bodies: Sequence[Callable[[int], bytes]], headers: Mapping[str, str], *, connections: int
) -> None:
    """A fresh server's first requests build its caches (the ancestry index, parsed documents, query plans) in each
    worker: several connections at once, so every worker gets some, each sending every body a few times."""
    path = urlsplit(url).path or "/"

    async def warm() -> None:
        connection = Connection(url)
        try:
            for body in bodies:
                for run in range(3):
                    checked(await connection.post(path, body(run), headers), f"warm-up of {url}")
        finally:
            await connection.close()

    await asyncio.gather(*(warm() for _ in range(connections)))


def graphql_bodies(operations: Sequence[Operation]) -> list[Callable[[int], bytes]]:
    return [
        lambda n, operation=operation: graphql_body(*_request_parts(operation.request(n)))  # type: ignore[misc]
        for operation in operations
    ]


def _request_parts(request: Request) -> tuple[str, Json]:
    return request.query, request.variables


def load_summary(levels: Mapping[str, Json]) -> str:
    return ", ".join(
        f"{clients} clients {level['requests_per_second']}/s p50 {level.get('p50_ms')} p95 {level.get('p95_ms')}"
        for clients, level in levels.items()
    )


async def run_load(
    bench: Bench, server: Server, server_args: list[str], reader: str, plan: LoadPlan, peers: Sequence[PeerSide]
) -> Json:
    """The load of `plan`: every client count on the one-process server, `workers_clients` clients on each other
    worker count, and on each peer variant."""
    operations = [op for op in bench.table() if op.name in plan.operations and not op.writer]
    headers = {"Authorization": f"Bearer {reader}"}
    found: Json = {"seconds": plan.seconds, "warmup": plan.warmup, "by_workers": {}, "peers": {}}
    print(f"[{bench.backend}] load, 1 worker:", flush=True)
    found["by_workers"]["1"] = await load_levels(server.url, operations, plan.clients, plan, headers)
    for workers in plan.workers:
        if workers == 1:
            continue
        for nodelay in plan.nodelay_variants:
            # As `tracegraph serve --workers N` runs today, and with the listener's TCP_NODELAY fix (bench/server.py).
            key = f"{workers}{' +nodelay' if nodelay else ''}"
            print(f"[{bench.backend}] load, {key} workers:", flush=True)
            other = Server(server_args, workers=workers, tcp_nodelay=nodelay)
            try:
                await other.wait()
                await prewarm(f"{other.url}/graphql", graphql_bodies(operations), headers, connections=4 * workers)
                levels = await load_levels(other.url, operations, (plan.workers_clients,), plan, headers)
            finally:
                other.stop()
            found["by_workers"][key] = levels
    for side in peers:
        print(f"[{bench.backend}] load, {side.label}:", flush=True)
        levels = {}
        for operation in operations:
            if operation.name not in PEER_KINDS:
                continue
            target = Target(
                url=side.url,
                body=lambda n, operation=operation, side=side: side.body(  # type: ignore[misc]
                    operation.name, operation.request(n).variables
                ),
            )
            await prewarm(side.url, [target.body], {}, connections=plan.workers_clients)
            result = await closed_loop(target, plan.workers_clients, plan.seconds, warmup=plan.warmup)
            levels[operation.name] = {str(plan.workers_clients): result}
            print(f"    load {operation.name}: {load_summary(levels[operation.name])}", flush=True)
        found["peers"][side.label] = levels
    return found


async def run_backend(
    backend: str,
    size_name: str,
    *,
    neo4j_uri: str | None,
    profile: bool,
    repeats: int | None,
    plan: LoadPlan | None,
    use_floor: bool,
    use_peer: bool,
    out: Path,
) -> Json:
    size = SIZES[size_name]
    repeats = repeats or size.repeats
    data = Dataset.build(size)
    result: Json = {"backend": backend, "size": size_name, "dataset": data.counts(), "repeats": repeats}
    async with contextlib.AsyncExitStack() as stack:
        floor: floors.Floor | None = None
        floor_answer: Callable[[str, floors.Rows], Answer]
        if backend == "embedded":
            from tracegraph.graph.embedded.store import EmbeddedStore

            data_dir = Path(tempfile.mkdtemp(prefix=f"tracegraph-bench-{size_name}-"))
            stack.callback(shutil.rmtree, data_dir, True)
            store: GraphStore = EmbeddedStore(data_dir / "tracegraph.sqlite3")
            server_args = ["--data-dir", str(data_dir)]
            jvm_pid: int | None = None
            disk: Path | None = data_dir
            floor_answer = sql_answer
            uri = ""
        else:
            from tracegraph.graph.neo4j.store import Neo4jStore

            uri, jvm_pid, disk = await stack.enter_async_context(neo4j_backend(neo4j_uri))
            store = Neo4jStore(uri)
            server_args = ["--neo4j-uri", uri]
            floor_answer = cypher_answer
        await store.start()
        stack.push_async_callback(store.close)
        print(f"[{backend}] loading {size_name}: {data.counts()}", flush=True)
        phases: list[Phase] = await load_catalog(store, data)
        print(f"[{backend}] {describe(phases)}", flush=True)
        settle()
        if use_floor:
            floor = (
                floors.SqliteFloor(data_dir / "tracegraph.sqlite3")
                if backend == "embedded"
                else floors.CypherFloor(uri)
            )
            stack.push_async_callback(floor.close)
        bench = Bench(backend, store, data, floor)
        reader, writer = await tokens(store)
        server = Server(server_args)
        stack.callback(server.stop)
        await server.wait()
        client = Client(server.url, reader, writer)
        stack.push_async_callback(client.close)

        sweep: list[Json] = []
        for checkpoint in size.checkpoints:
            phase = await load_snapshots(store, data, bench.loaded + 1, checkpoint)
            bench.loaded = checkpoint
            phases.append(phase)
            settle()
            print(f"[{backend}] {describe([phase])}", flush=True)
            point: Json = {"snapshots_per_environment": checkpoint}
            for operation in bench.sweep():
                point[operation.name] = await measure(client, store, operation, repeats, floor_answer=floor_answer)
            sweep.append(point)
            print(f"[{backend}] sweep @{checkpoint}: {summary(point)}", flush=True)

        peers: list[PeerSide] = []
        if use_peer and backend == "neo4j":
            from bench.peer import Peer

            for nodelay in (False, True):
                peer = Peer()
                label = "peer_nodelay" if nodelay else "peer_shipped"
                peers.append(PeerSide(label, peer.start(uri, nodelay=nodelay)))
                stack.callback(peer.stop)
            print(f"[{backend}] peers: {', '.join(side.label for side in peers)}", flush=True)

        operations: Json = {}
        # Reads first, then the load, then the write: the report changes the large environment's latest snapshots
        # (one SCALED event each), which the reads and the load must not see.
        table = bench.table()
        for operation in [op for op in table if not op.writer]:
            measured = await measure(client, store, operation, repeats, floor_answer=floor_answer, peers=peers)
            operations[operation.name] = measured
            print(f"[{backend}] {summary({operation.name: measured})}", flush=True)
        if plan is not None:
            result["load"] = await run_load(bench, server, server_args, reader, plan, peers)
        for operation in [op for op in table if op.writer]:
            operations[operation.name] = await measure(client, store, operation, repeats)
            print(f"[{backend}] {summary({operation.name: operations[operation.name]})}", flush=True)
        if profile:
            from bench.profiling import profile_operations

            result["profiles"] = await profile_operations(bench, reader, writer, out)

        result.update(
            {
                "phases": [phase.as_dict() for phase in phases],
                "operations": operations,
                "sweep": sweep,
                "older_index": bench.older(),
                "where_descendants": data.never_built_commit(0, bench.loaded)[1],
                "memory_mb": {
                    "server_peak_rss": server.peak_rss_mb(),
                    "harness_peak_rss": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                    "neo4j_jvm_peak_rss": peak_rss_mb(jvm_pid) if jvm_pid else None,
                },
                "disk_mb": directory_mb(disk) if disk else None,
            }
        )
    return result


def summary(point: Mapping[str, Any]) -> str:
    parts = []
    for name, value in point.items():
        if not isinstance(value, dict):
            continue
        text = f"{name} {value['graphql']['median_ms']:.1f}/{value['raw']['median_ms']:.1f}"
        if "floor" in value:
            text += f"/{value['floor']['median_ms']:.1f} ms (floor x{value['floor_ratio']}"
            text += f", {len(value['floor_mismatches'])} mismatches)" if value["floor_mismatches"] else ")"
        else:
            text += " ms"
        for label in ("peer_shipped", "peer_nodelay"):
            if label in value:
                text += f" {label} {value[label]['median_ms']:.1f}"
        parts.append(f"{text} rt {value['round_trips']}")
    return "; ".join(parts)


def machine() -> Json:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1_048_576, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "app": app_version(),
        "neo4j_java_opts": os.environ.get("NEO4J_TEST_JAVA_OPTS", "-Xms1g -Xmx4g"),
    }


def app_version() -> str:
    """The commit measured, and whether tracegraph/ differs from it (engineers commit while a run goes on)."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        git = ["git", "-C", str(ROOT)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)  # noqa: S603
        changed = subprocess.run(  # noqa: S603 - git with fixed arguments
            [*git, "status", "--porcelain", "--", "tracegraph"], capture_output=True, text=True, check=True
        )
        return commit.stdout.strip() + (" with local changes to tracegraph/" if changed.stdout.strip() else "")
    return "unknown"


def save(results: Json, out: Path) -> list[Path]:
    from bench.report import markdown

    out.mkdir(parents=True, exist_ok=True)
    names = "-".join(backend["backend"] for backend in results["backends"])
    stem = f"{results['size']}-{names}-{results['started'].replace(':', '')}"
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(results, indent=2))
    paths[1].write_text(markdown(results))
    return paths


def default_plan(size: str) -> LoadPlan:
    seconds = SIZES[size].load_seconds
    return LoadPlan(seconds=seconds, warmup=min(1.0, seconds / 5))


async def run(
    size: str,
    backends: list[str],
    *,
    neo4j_uri: str | None,
    profile: bool,
    repeats: int | None,
    out: Path,
    plan: LoadPlan | bool | None = True,
    floor: bool = True,
    peer: bool | None = None,
) -> Json:
    """Bench `size` on each backend. `plan`: the load (True: the size's default; None or False: no load);
    `peer`: run the @neo4j/graphql peer on Neo4j (None: when it is installed)."""
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    chosen = default_plan(size) if plan is True else plan or None
    use_peer = peer_available() if peer is None else peer
    results: Json = {"size": size, "started": started, "machine": machine(), "backends": []}
    for backend in backends:
        results["backends"].append(
            await run_backend(
                backend,
                size,
                neo4j_uri=neo4j_uri,
                profile=profile,
                repeats=repeats,
                plan=chosen,
                use_floor=floor,
                use_peer=use_peer,
                out=out,
            )
        )
    results["files"] = [str(path) for path in save(results, out)]
    print(f"results: {' and '.join(results['files'])}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="smoke")
    parser.add_argument("--backend", choices=["embedded", "neo4j", "both"], default="both")
    parser.add_argument("--neo4j-uri", help="bench this (wiped) Neo4j instead of starting one")
    parser.add_argument("--repeats", type=int, help="timed runs per operation (default: by size)")
    parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles of each read")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--clients", default="1,8,32", help="closed-loop client counts; empty: no load")
    parser.add_argument("--load-seconds", type=float, help="length of each load (default: by size)")
    parser.add_argument("--workers", default="1,2", help="server processes compared at 8 clients")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor queries")
    peer = parser.add_mutually_exclusive_group()
    peer.add_argument("--peer", action="store_true", default=None, help="run the @neo4j/graphql peer on Neo4j")
    peer.add_argument("--no-peer", dest="peer", action="store_false")
    options = parser.parse_args()
    plan: LoadPlan | None = None
    if options.clients:
        seconds = options.load_seconds or SIZES[options.size].load_seconds
        plan = LoadPlan(
            clients=tuple(int(part) for part in options.clients.split(",")),
            seconds=seconds,
            warmup=min(1.0, seconds / 5),
            workers=tuple(int(part) for part in options.workers.split(",")),
        )
    asyncio.run(
        run(
            options.size,
            ["embedded", "neo4j"] if options.backend == "both" else [options.backend],
            neo4j_uri=options.neo4j_uri,
            profile=options.profile,
            repeats=options.repeats,
            out=options.out,
            plan=plan,
            floor=not options.no_floor,
            peer=options.peer,
        )
    )


if __name__ == "__main__":
    main()
