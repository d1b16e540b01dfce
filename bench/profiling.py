"""pyinstrument over each operation through the app in the harness's process (ASGI transport, the bench's store),
written to `bench/results/profile-*.txt`, with a summary of where the time went: the functions with the most self
time, and self time by package (graphql-core, Strawberry, tracegraph's layers, the Neo4j driver, SQLite, pydantic,
waiting on the database)."""

from __future__ import annotations

import concurrent.futures
import gc
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bench.load import Reply

if TYPE_CHECKING:
    from pyinstrument.frame import Frame

    from bench.operations import Bench

PROFILED_RUNS = 10
TOP_FUNCTIONS = 12

# Self time is put in the first bucket whose marker is in the frame's file path (or is its function, for C code).
BUCKETS: tuple[tuple[str, str], ...] = (
    ("/graphql/", "graphql-core"),
    ("/strawberry/", "strawberry"),
    ("/tracegraph/graph/embedded/", "tracegraph.graph.embedded"),
    ("/tracegraph/graph/neo4j/", "tracegraph.graph.neo4j"),
    ("/tracegraph/graph/", "tracegraph.graph"),
    ("/tracegraph/resolvers/", "tracegraph.resolvers"),
    ("/tracegraph/schema/", "tracegraph.schema"),
    ("/tracegraph/auth/", "tracegraph.auth"),
    ("/tracegraph/", "tracegraph (other)"),
    ("/neo4j/", "neo4j driver"),
    ("/pydantic", "pydantic"),
    ("/starlette/", "starlette"),
    ("/httpx/", "httpx (the profiling client)"),
    ("/httpcore/", "httpx (the profiling client)"),
    ("/asyncio/", "asyncio"),
    ("/json/", "json"),
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


class CollectorTime:
    """Time spent in the garbage collector while profiling: pyinstrument charges a collection to whatever frame
    allocated when it started, so a pause can look like a slow list comprehension."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1

    def __enter__(self) -> CollectorTime:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self, total: float) -> dict[str, Any]:
        share = round(100 * self.seconds / total, 1) if total else 0.0
        return {"seconds": round(self.seconds, 4), "share": share, "collections": self.collections}


def bucket(frame: Frame) -> str:
    path = frame.file_path or ""
    for marker, name in BUCKETS:
        if marker in path:
            return name
    if path == "<built-in>":
        if frame.function.startswith(("Connection.", "Cursor.")):
            return "sqlite3 (C)"
        if frame.function.startswith("SchemaValidator."):
            return "pydantic"
        return "builtins"
    if path == "<string>":
        return "generated __init__/__hash__ (dataclasses, pydantic)"
    if "importlib" in path:
        return "imports"
    return "other"


def summarize(root: Frame | None) -> dict[str, Any]:
    """Self time per function (file:function) and per bucket, as % of the profiled time; awaiting (the Neo4j
    server's share, mostly) is its own bucket."""
    from pyinstrument.frame import AWAIT_FRAME_IDENTIFIER

    if root is None or root.time <= 0:
        return {"total_s": 0.0, "functions": [], "buckets": []}
    functions: defaultdict[str, float] = defaultdict(float)  # seconds of self time
    buckets: defaultdict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(child for child in frame.children if not child.is_synthetic)
        awaited = sum(child.time for child in frame.children if child.identifier == AWAIT_FRAME_IDENTIFIER)
        own = frame.total_self_time - awaited
        if awaited:
            buckets["awaiting (database, network)"] += awaited
        if own > 0:
            name = f"{Path(frame.file_path or '?').name}:{frame.function}"
            functions[name] += own
            buckets[bucket(frame)] += own
    total = root.time
    # The store calls' whole time (outermost frames of the store class), the rest being HTTP, GraphQL and the client.
    in_store = 0.0
    stack = [root]
    while stack:
        frame = stack.pop()
        if frame.class_name in ("EmbeddedStore", "Neo4jStore"):
            in_store += frame.time
            continue
        stack.extend(child for child in frame.children if not child.is_synthetic)

    def share(items: dict[str, float], count: int) -> list[tuple[str, float]]:
        ranked = sorted(items.items(), key=lambda item: -item[1])[:count]
        return [(name, round(100 * value / total, 1)) for name, value in ranked]

    return {
        "total_s": round(total, 4),
        "store_share": round(100 * in_store / total, 1),
        "functions": share(functions, TOP_FUNCTIONS),
        "buckets": share(buckets, 12),
    }


async def profile_operations(bench: Bench, reader: str, writer: str, results: Path) -> dict[str, Any]:
    """Profile each read of `bench.table()` through the app in this process; answer the files and summaries."""
    from pyinstrument import Profiler

    from bench.run import ROOT, Client
    from bench.server import RoundTripHeader
    from tracegraph.app import create_app
    from tracegraph.settings import Settings

    store = bench.store
    database = getattr(store, "_database", None)
    if database is not None:
        database._executor = InlineExecutor()
    app = create_app(Settings(neo4j_uri=None), store=store)
    written: dict[str, Any] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=RoundTripHeader(app, store)), base_url="http://bench"
        ) as http,
    ):

        async def send(body: bytes, headers: Mapping[str, str]) -> Reply:
            answer = await http.post("/graphql", content=body, headers={**headers, "content-type": "application/json"})
            return Reply(answer.status_code, dict(answer.headers), answer.content)

        client = Client("http://bench", reader, writer, send=send)
        for operation in bench.table():
            if operation.writer:
                continue  # a write: its profile would add snapshots to the measured environment
            await client.call(operation, 0)
            gc.collect()
            collector = CollectorTime()
            profiler = Profiler(async_mode="enabled", interval=0.0005)
            with collector:
                profiler.start()
                for run in range(PROFILED_RUNS):
                    await client.call(operation, run)
                profiler.stop()
            path = results / f"profile-{bench.backend}-{bench.data.size.name}-{operation.name}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
            session = profiler.last_session
            summary = summarize(session.root_frame() if session else None)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            summary["gc"] = collector.summary(summary["total_s"])
            written[operation.name] = {"file": str(shown), **summary}
    return written
