"""The harness: load a size, then time every operation of DESIGN.md's table through GraphQL over HTTP (a uvicorn
server in its own process) and as the raw store calls the resolvers make, interleaved, so each GraphQL/raw ratio
comes from one run on one machine state.

    python -m bench run --size smoke --backend both [--neo4j-uri bolt://...] [--profile]

Without `--neo4j-uri` the Neo4j backend gets its own server from the project's script (tests/neo4j_server.py;
JVM options from NEO4J_TEST_JAVA_OPTS, `-Xms1g -Xmx4g` when unset). With it, the database is wiped first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
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
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import queries
from bench.generate import ORG, SIZES, Dataset, Phase, describe, load_catalog, load_snapshots
from bench.server import ROUND_TRIPS_HEADER, RoundTripHeader
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import RunningArtifactInput, SnapshotInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.selectors import LATEST, LogQuery, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WARMUP = 3
WIPE_NEO4J = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

# DESIGN.md's targets (median, through GraphQL), by operation.
TARGETS_MS: dict[str, float] = {
    "incident_50": 10,
    "incident_800": 100,
    "log_page": 10,
    "where_commit": 20,
    "prefix_search": 5,
    "diff_800": 50,
    "report_800": 50,
}
LABELS: dict[str, str] = {
    "incident_50": "snapshot → artifacts → commits, 50 running (`Incident`)",
    "incident_800": "snapshot → artifacts → commits, 800 running (`Incident`)",
    "log_page": "environment log page (15 events)",
    "where_commit": "where is commit X running, with ancestry (`Where`, never-built commit)",
    "prefix_search": "search by 7-character prefix",
    "diff_800": "diff two 800-artifact snapshots",
    "report_800": "report an 800-artifact snapshot with one change",
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


@dataclass
class Operation:
    name: str
    query: str
    variables: Callable[[int], dict[str, Any]]  # by run number (the report varies its input)
    raw: Callable[[int], Awaitable[object]]
    writer: bool = False


class Server:
    """`python -m bench.server` in its own process, and an HTTP client to it."""

    def __init__(self, backend_args: list[str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
            [sys.executable, "-m", "bench.server", "--port", str(self.port), *backend_args], cwd=ROOT
        )
        self.url = f"http://127.0.0.1:{self.port}"

    async def wait(self) -> None:
        deadline = time.monotonic() + 60
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


class Client:
    def __init__(self, url: str, reader: str, writer: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=300)
        self.headers = {False: {"Authorization": f"Bearer {reader}"}, True: {"Authorization": f"Bearer {writer}"}}

    async def call(self, operation: Operation, run: int) -> int:
        """Send the operation; answer the store round trips the server counted."""
        response = await self.http.post(
            "/graphql",
            json={"query": operation.query, "variables": operation.variables(run)},
            headers=self.headers[operation.writer],
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{operation.name}: {response.status_code} {json.dumps(body)[:500]}")
        return int(response.headers[ROUND_TRIPS_HEADER])


async def measure(client: Client, store: GraphStore, operation: Operation, repeats: int) -> dict[str, Any]:
    """Warm up, then alternate a GraphQL request and the raw store calls `repeats` times."""
    for run in range(WARMUP):
        await client.call(operation, 2 * run)
        await operation.raw(2 * run + 1)
    graphql: list[float] = []
    raw: list[float] = []
    round_trips: set[int] = set()
    raw_round_trips: set[int] = set()
    for run in range(WARMUP, WARMUP + repeats):
        started = time.perf_counter()
        round_trips.add(await client.call(operation, 2 * run))
        graphql.append(time.perf_counter() - started)
        before = store.round_trips
        started = time.perf_counter()
        await operation.raw(2 * run + 1)
        raw.append(time.perf_counter() - started)
        raw_round_trips.add(store.round_trips - before)
    result: dict[str, Any] = {
        "graphql": stats(graphql),
        "raw": stats(raw),
        "ratio_median": round(statistics.median(graphql) / statistics.median(raw), 2),
        "round_trips": max(round_trips),
        "raw_round_trips": max(raw_round_trips),
    }
    return result


class Bench:
    """One backend at one size: its store, the data set, the operations."""

    def __init__(self, backend: str, store: GraphStore, data: Dataset) -> None:
        self.backend = backend
        self.store = store
        self.data = data
        self.large = data.environments[0]
        self.other_large = data.environments[1] if data.size.large_environments > 1 else data.environments[0]
        self.small = data.environments[data.size.large_environments]
        self.large_running = len(data.slots[0])
        self.small_running = len(data.slots[data.size.large_environments])
        self.loaded = 0  # snapshots per environment so far
        self.reports = 0  # extra snapshots reported to the large environment by the report operation

    def incident(self, env: str, name: str) -> Operation:
        def index() -> int:
            return self.loaded + (self.reports if env == self.large else 0)

        async def raw(run: int) -> object:
            selector = SnapshotSelector(kind=SelectorKind.INDEX, value=index())
            return await self.store.snapshot(ORG, env, selector)

        return Operation(name, queries.INCIDENT, lambda run: {"org": ORG, "env": env, "index": index()}, raw)

    def log_page(self) -> Operation:
        async def raw(run: int) -> object:
            return await self.store.environment_log(LogQuery(org=ORG, environment=self.large, limit=15))

        return Operation("log_page", queries.LOG_PAGE, lambda run: {"org": ORG, "env": self.large}, raw)

    def where(self) -> Operation:
        sha, _ = self.data.never_built_commit(0, self.loaded)

        async def raw(run: int) -> object:
            commit = await self.store.commit(ORG, sha)
            return await self.store.commit_placements(ORG, [commit.sha])

        return Operation("where_commit", queries.WHERE, lambda run: {"org": ORG, "sha": sha}, raw)

    def search(self) -> Operation:
        prefix = self.data.never_built_commit(0, self.loaded)[0][:7]

        async def raw(run: int) -> object:
            return await self.store.search(ORG, prefix)

        return Operation("prefix_search", queries.SEARCH, lambda run: {"org": ORG, "prefix": prefix}, raw)

    def diff(self) -> Operation:
        async def raw(run: int) -> object:
            return await self.store.diff(ORG, (self.large, LATEST), (self.other_large, LATEST))

        variables = {"org": ORG, "from": self.large, "to": self.other_large}
        return Operation("diff_800", queries.DIFF, lambda run: variables, raw)

    def report(self) -> Operation:
        """The large environment's running set with one artifact scaled: every report changes exactly one thing."""
        running = self.data.running(0, self.loaded)
        first = running[0]

        def artifacts(run: int) -> list[RunningArtifactInput]:
            scaled = RunningArtifactInput(fingerprint=first.fingerprint, name=first.name, instances=2 + run)
            return [scaled, *running[1:]]

        def variables(run: int) -> dict[str, Any]:
            self.reports += 1
            return {
                "input": {
                    "org": ORG,
                    "environment": self.large,
                    "artifacts": [item.model_dump() for item in artifacts(run)],
                }
            }

        async def raw(run: int) -> object:
            self.reports += 1
            answer = await self.store.report_snapshot(
                SnapshotInput(org=ORG, environment=self.large, artifacts=artifacts(run))
            )
            assert answer.changed
            return answer

        return Operation("report_800", queries.REPORT_SNAPSHOT, variables, raw, writer=True)

    def table(self) -> list[Operation]:
        return [
            self.incident(self.small, "incident_50"),
            self.incident(self.large, "incident_800"),
            self.log_page(),
            self.where(),
            self.search(),
            self.diff(),
            self.report(),
        ]

    def sweep(self) -> list[Operation]:
        return [self.incident(self.small, "incident_50"), self.incident(self.large, "incident_800"), self.log_page()]


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


async def run_backend(
    backend: str, size_name: str, *, neo4j_uri: str | None, profile: bool, repeats: int | None
) -> dict[str, Any]:
    size = SIZES[size_name]
    repeats = repeats or size.repeats
    data = Dataset.build(size)
    result: dict[str, Any] = {"backend": backend, "size": size_name, "dataset": data.counts(), "repeats": repeats}
    async with contextlib.AsyncExitStack() as stack:
        if backend == "embedded":
            from tracegraph.graph.embedded.store import EmbeddedStore

            data_dir = Path(tempfile.mkdtemp(prefix=f"tracegraph-bench-{size_name}-"))
            stack.callback(shutil.rmtree, data_dir, True)
            store: GraphStore = EmbeddedStore(data_dir / "tracegraph.sqlite3")
            server_args = ["--data-dir", str(data_dir)]
            jvm_pid: int | None = None
            disk: Path | None = data_dir
        else:
            from tracegraph.graph.neo4j.store import Neo4jStore

            uri, jvm_pid, disk = await stack.enter_async_context(neo4j_backend(neo4j_uri))
            store = Neo4jStore(uri)
            server_args = ["--neo4j-uri", uri]
        await store.start()
        stack.push_async_callback(store.close)
        bench = Bench(backend, store, data)
        print(f"[{backend}] loading {size_name}: {data.counts()}", flush=True)
        phases: list[Phase] = await load_catalog(store, data)
        print(f"[{backend}] {describe(phases)}", flush=True)
        reader, writer = await tokens(store)
        server = Server(server_args)
        stack.callback(server.stop)
        await server.wait()
        client = Client(server.url, reader, writer)
        stack.push_async_callback(client.http.aclose)

        sweep: list[dict[str, Any]] = []
        for checkpoint in size.checkpoints:
            phase = await load_snapshots(store, data, bench.loaded + 1, checkpoint)
            bench.loaded = checkpoint
            phases.append(phase)
            print(f"[{backend}] {describe([phase])}", flush=True)
            point: dict[str, Any] = {"snapshots_per_environment": checkpoint}
            for operation in bench.sweep():
                point[operation.name] = await measure(client, store, operation, repeats)
            sweep.append(point)
            print(f"[{backend}] sweep @{checkpoint}: {summary(point)}", flush=True)

        operations: dict[str, Any] = {}
        for operation in bench.table():
            operations[operation.name] = await measure(client, store, operation, repeats)
            print(f"[{backend}] {operation.name}: {summary({operation.name: operations[operation.name]})}", flush=True)
        if profile:
            result["profiles"] = await profile_operations(bench, reader, writer)

        result.update(
            {
                "load": [phase.as_dict() for phase in phases],
                "operations": operations,
                "sweep": sweep,
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


def summary(point: dict[str, Any]) -> str:
    return ", ".join(
        f"{name} {value['graphql']['median_ms']:.1f}/{value['raw']['median_ms']:.1f} ms (rt {value['round_trips']})"
        for name, value in point.items()
        if isinstance(value, dict)
    )


class InlineExecutor(concurrent.futures.Executor):
    """Runs the embedded store's work on the calling thread, so a profiler of that thread sees the SQL too."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


async def profile_operations(bench: Bench, reader: str, writer: str) -> dict[str, str]:
    """pyinstrument over each operation through the app in this process (ASGI transport, same store)."""
    from pyinstrument import Profiler

    from tracegraph.app import create_app
    from tracegraph.settings import Settings

    store = bench.store
    database = getattr(store, "_database", None)
    if database is not None:
        database._executor = InlineExecutor()
    app = create_app(Settings(neo4j_uri=None), store=store)
    written: dict[str, str] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=RoundTripHeader(app, store)), base_url="http://bench"
        ) as http,
    ):
        client = Client("http://bench", reader, writer)
        await client.http.aclose()
        client.http = http
        for operation in bench.table():
            if operation.name == "report_800":
                continue  # a write; its profile would add snapshots to the measured environment
            await client.call(operation, 0)
            profiler = Profiler(async_mode="enabled", interval=0.0005)
            profiler.start()
            for run in range(10):
                await client.call(operation, run)
            profiler.stop()
            path = RESULTS / f"profile-{bench.backend}-{bench.data.size.name}-{operation.name}.txt"
            path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
            written[operation.name] = str(path.relative_to(ROOT))
    return written


def machine() -> dict[str, Any]:
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
        "neo4j_java_opts": os.environ.get("NEO4J_TEST_JAVA_OPTS", "-Xms1g -Xmx4g"),
    }


def markdown(results: dict[str, Any]) -> str:
    lines = [f"# tracegraph benchmarks: {results['size']} ({results['started']})", ""]
    backends = results["backends"]
    names = [backend["backend"] for backend in backends]
    lines += [
        "Medians and p95 in ms; GraphQL over HTTP (uvicorn, separate process) vs the raw store calls the "
        "resolvers make, interleaved in one run; rt = store round trips per GraphQL request (1 is the token check).",
        "",
        "| operation | target | "
        + " | ".join(f"{name} GraphQL median / p95 | raw median | ratio | rt" for name in names)
        + " |",
        "|---|---|" + "---|---|---|---|" * len(names),
    ]
    for operation, label in LABELS.items():
        cells = []
        for backend in backends:
            measured = backend["operations"].get(operation)
            if measured is None:
                cells.append("- | - | - | -")
                continue
            graphql, raw = measured["graphql"], measured["raw"]
            met = "✅" if graphql["median_ms"] < TARGETS_MS[operation] else "❌"
            cells.append(
                f"{met} {graphql['median_ms']:.1f} / {graphql['p95_ms']:.1f} | {raw['median_ms']:.1f} | "
                f"{measured['ratio_median']:.2f} | {measured['round_trips']}"
            )
        lines.append(f"| {label} | < {TARGETS_MS[operation]:g} | " + " | ".join(cells) + " |")
    lines += ["", "## Growth sweep (GraphQL median / raw median, ms)", ""]
    for backend in backends:
        lines += [
            f"### {backend['backend']}",
            "",
            "| snapshots per environment | incident_50 | incident_800 | log_page |",
            "|---|---|---|---|",
        ]
        for point in backend["sweep"]:
            cells = [
                f"{point[name]['graphql']['median_ms']:.1f} / {point[name]['raw']['median_ms']:.1f}"
                for name in ("incident_50", "incident_800", "log_page")
            ]
            lines.append(f"| {point['snapshots_per_environment']:,} | " + " | ".join(cells) + " |")
        first, last = backend["sweep"][0], backend["sweep"][-1]
        growth = ", ".join(
            f"{name} x{last[name]['graphql']['median_ms'] / first[name]['graphql']['median_ms']:.2f}"
            for name in ("incident_50", "incident_800", "log_page")
        )
        lines += [
            "",
            f"Growth {first['snapshots_per_environment']:,} → {last['snapshots_per_environment']:,}: {growth} "
            "(target <= x1.5).",
            "",
        ]
    lines += ["## Load, memory, disk", ""]
    for backend in backends:
        lines.append(f"### {backend['backend']}")
        lines.append("")
        lines.append("| phase | items | store calls | seconds | items/s |")
        lines.append("|---|---|---|---|---|")
        for phase in backend["load"]:
            lines.append(
                f"| {phase['phase']} | {phase['items']:,} | {phase['calls']:,} | {phase['seconds']:,} | "
                f"{phase['items_per_second']:,} |"
            )
        lines.append("")
        lines.append(f"Memory (peak RSS, MB): {backend['memory_mb']}; database on disk: {backend['disk_mb']} MB.")
        lines.append("")
    return "\n".join(lines)


def save(results: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    names = "-".join(backend["backend"] for backend in results["backends"])
    stem = f"{results['size']}-{names}-{results['started'].replace(':', '')}"
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(results, indent=2))
    paths[1].write_text(markdown(results))
    return paths


async def run(
    size: str, backends: list[str], *, neo4j_uri: str | None, profile: bool, repeats: int | None, out: Path
) -> dict[str, Any]:
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    results: dict[str, Any] = {"size": size, "started": started, "machine": machine(), "backends": []}
    for backend in backends:
        results["backends"].append(
            await run_backend(backend, size, neo4j_uri=neo4j_uri, profile=profile, repeats=repeats)
        )
    results["files"] = [str(path) for path in save(results, out)]
    print(f"results: {' and '.join(results['files'])}", flush=True)
    return results
