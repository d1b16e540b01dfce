"""Live delivery latency: a snapshot reported over HTTP → its `snapshotReported` event at a WebSocket subscriber.

Two servers (uvicorn on loopback, each its own app and store object on one database, as two processes would be):
the subscriber listens on server A; each report is sent to A itself (its feed follower is woken at once) or to B
(A learns of it at its next poll, every TRACEGRAPH_FEED_POLL_SECONDS). Latency is measured from just before the
report's POST to the event's arrival (so it includes the report's own write), and from the report's answer to the
event (delivery alone). Each report is sent at a random point of the poll cycle (a random pause of up to one
interval before it), as reports from the outside come. Medians and p95 over `--reports` reports each, one at a time.

    python -m bench.live_latency --backend embedded --reports 200
    python -m bench.live_latency --backend neo4j [--neo4j-uri bolt://...] --reports 200
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench.run import neo4j_backend
from tests.live.client import PROTOCOL, served
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

ORG, ENV = "bench", "prod"
SUBSCRIPTION = (
    "subscription($org: String!, $env: String!) { snapshotReported(org: $org, environment: $env) { cursor } }"
)
REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { snapshot { index } } }"


@asynccontextmanager
async def stores(backend: str, neo4j_uri: str | None) -> AsyncIterator[tuple[GraphStore, GraphStore]]:
    async with AsyncExitStack() as stack:
        if backend == "embedded":
            path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "tracegraph.sqlite3"
            pair: list[GraphStore] = [EmbeddedStore(path), EmbeddedStore(path)]
        else:
            from tracegraph.graph.neo4j.store import Neo4jStore

            uri, _, _ = await stack.enter_async_context(neo4j_backend(neo4j_uri))
            pair = [Neo4jStore(uri), Neo4jStore(uri)]
        for store in pair:
            await store.start()
            stack.push_async_callback(store.close)
        yield pair[0], pair[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(backend: str, neo4j_uri: str | None, reports: int, poll: float) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    async with stores(backend, neo4j_uri) as (first, second):
        await first.create_org(OrgInput(name=ORG))
        await first.create_environment(EnvironmentInput(org=ORG, name=ENV, type=EnvironmentType.K8S))
        secrets = {role: new_secret() for role in (Role.READER, Role.WRITER)}
        for role, secret in secrets.items():
            await first.create_token(TokenInput(org=ORG, role=role, secret_hash=hash_secret(secret)))
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(data_dir=Path(data), neo4j_uri=None, feed_poll_seconds=poll)
            async with (
                served(create_app(settings, store=first)) as a,
                served(create_app(settings, store=second)) as b,
                httpx.AsyncClient(headers={"Authorization": f"Bearer {secrets[Role.WRITER]}"}, timeout=60) as http,
                connect(a.replace("http://", "ws://") + "/graphql", subprotocols=[PROTOCOL]) as socket_,  # type: ignore[list-item]
            ):
                await socket_.send(
                    json.dumps(
                        {"type": "connection_init", "payload": {"Authorization": f"Bearer {secrets[Role.READER]}"}}
                    )
                )
                assert json.loads(await socket_.recv())["type"] == "connection_ack"
                variables = {"org": ORG, "env": ENV}
                payload = {"query": SUBSCRIPTION, "variables": variables}
                await socket_.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
                await asyncio.sleep(0.5)
                count = 0
                for label, base in (("same process", a), ("other process", b)):
                    total: list[float] = []
                    delivery: list[float] = []
                    for attempt in range(reports + 5):
                        count += 1
                        artifacts = [{"fingerprint": f"{count:064x}", "name": f"app:{count}"}]
                        body = {
                            "query": REPORT,
                            "variables": {"input": {"org": ORG, "environment": ENV, "artifacts": artifacts}},
                        }
                        # At a random point of the poll cycle: reports sent right after the last event would all
                        # wait a whole interval.
                        await asyncio.sleep(random.uniform(0, poll))
                        started = time.perf_counter()
                        answer = await http.post(f"{base}/graphql", json=body)
                        answered = time.perf_counter()
                        assert "errors" not in answer.json(), answer.text
                        message = json.loads(await asyncio.wait_for(socket_.recv(), 30))
                        arrived = time.perf_counter()
                        assert message["type"] == "next", message
                        if attempt >= 5:  # the first 5 warm up
                            total.append((arrived - started) * 1000)
                            delivery.append((arrived - answered) * 1000)
                    results[label] = {
                        "report→event median ms": statistics.median(total),
                        "report→event p95 ms": percentile(total, 0.95),
                        "answer→event median ms": statistics.median(delivery),
                        "answer→event p95 ms": percentile(delivery, 0.95),
                    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--neo4j-uri", help="use this (wiped) Neo4j instead of starting one")
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--poll", type=float, default=0.2, help="TRACEGRAPH_FEED_POLL_SECONDS")
    options = parser.parse_args()
    results = asyncio.run(measure(options.backend, options.neo4j_uri, options.reports, options.poll))
    print(f"{options.backend}, {options.reports} reports per row, poll {options.poll:g} s")
    print("| report sent to | report→event median | p95 | answer→event median | p95 |")
    print("|---|---|---|---|---|")
    for label, row in results.items():
        values = " | ".join(f"{value:.1f} ms" for value in row.values())
        print(f"| {label} | {values} |")


if __name__ == "__main__":
    main()
