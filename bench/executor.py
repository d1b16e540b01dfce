"""Measure tracegraph's execution (tracegraph/schema/execution.py) against Strawberry's own, in one run.

Loads one size of the bench data set into an embedded store, builds the app twice — as shipped, and with
Strawberry's own execution (`make_schema(fast_execution=False)`) — and sends each read operation's request to both
in turn through the ASGI transport (no network, no server process: what differs is execution only). Every answer of
the two is compared (they must be equal). Printed per operation: the median CPU time a request costs this process
(everything runs in it, so the machine's other load does not count) with each, and their ratio.

    .venv/bin/python -m bench.executor --size small --repeats 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.generate import SIZES, Dataset, load_catalog, load_snapshots
from bench.operations import Bench, Request
from bench.run import LOAD_OPERATIONS, tokens
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.schema import make_schema
from tracegraph.settings import Settings

READS = frozenset(LOAD_OPERATIONS)  # every read answered in one request


def client(data_dir: Path, store: EmbeddedStore, token: str, *, plain: bool) -> httpx.AsyncClient:
    settings = Settings(data_dir=data_dir, neo4j_uri=None)
    app = create_app(settings, store=store)
    if not plain:
        graphql_app: Any = app.routes[0].endpoint  # type: ignore[attr-defined]
        graphql_app.schema = make_schema(settings, fast_execution=False)
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://bench", headers={"Authorization": f"Bearer {token}"})


async def timed(http: httpx.AsyncClient, request: Request) -> tuple[float, Any]:
    started = time.process_time()  # this process's CPU (threads included): other processes' load does not count
    response = await http.post("/graphql", json={"query": request.query, "variables": request.variables})
    elapsed = (time.process_time() - started) * 1000
    body = response.json()
    if "errors" in body:
        raise RuntimeError(json.dumps(body["errors"])[:500])
    return elapsed, body["data"]


async def main(size_name: str, repeats: int) -> dict[str, tuple[float, float]]:
    """Each read's median CPU ms with ours and with Strawberry's execution (also printed)."""
    size = SIZES[size_name]
    data = Dataset.build(size)
    data_dir = Path(tempfile.mkdtemp(prefix="tracegraph-executor-"))
    try:
        store = EmbeddedStore(data_dir / "tracegraph.sqlite3")
        await store.start()
        await load_catalog(store, data)
        bench = Bench("embedded", store, data)
        await load_snapshots(store, data, 1, size.checkpoints[-1])
        bench.loaded = size.checkpoints[-1]
        reader, _ = await tokens(store)
        plain, generic = client(data_dir, store, reader, plain=True), client(data_dir, store, reader, plain=False)
        medians: dict[str, tuple[float, float]] = {}
        print(f"{'operation':<20} {'ours CPU ms':>12} {'Strawberry CPU ms':>18} {'ratio':>6}")
        for operation in bench.table():
            if operation.name not in READS:
                continue
            request = operation.request(0)
            samples: dict[str, list[float]] = {"plain": [], "generic": []}
            for run in range(repeats + 5):
                for name, http in (("plain", plain), ("generic", generic)):
                    elapsed, answer = await timed(http, request)
                    if name == "plain":
                        expected = answer
                    elif answer != expected:
                        raise AssertionError(f"{operation.name}: the executors answer differently")
                    if run >= 5:  # warm-up
                        samples[name].append(elapsed)
            fast, slow = statistics.median(samples["plain"]), statistics.median(samples["generic"])
            medians[operation.name] = (fast, slow)
            print(f"{operation.name:<20} {fast:>12.2f} {slow:>18.2f} {fast / slow:>6.2f}", flush=True)
        await plain.aclose()
        await generic.aclose()
        await store.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return medians


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=sorted(SIZES))
    parser.add_argument("--repeats", type=int, default=40)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.size, arguments.repeats))
