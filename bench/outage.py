"""How fast the service answers when Neo4j goes away, and how fast it recovers: `python -m bench.outage`.

The real app (ASGI, in this process) on a real Neo4j (started from scripts/neo4j-test-server, or `--neo4j-uri`),
reached through the fault proxy of tests/fault_proxy.py. For each fault (`cut`: connections dropped and refused;
`hang`: connections open, nothing forwarded) and each place the outage is met first (the token check; a resolver,
the token being cached), `--rounds` times: the time until a new request answers 503, until a request that was in
flight when the fault began ends, and — once the network is back — until a request succeeds again. Medians and
maxima in seconds, as a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import httpx

from tests.api.conftest import make_settings, serve, token_headers
from tests.fault_proxy import FaultProxy
from tests.neo4j_server import Neo4jTestServer
from tracegraph.app import create_app
from tracegraph.graph.model import Role
from tracegraph.graph.neo4j.store import Neo4jStore

QUERY = "query($org: String!) { org(name: $org) { name } environments(org: $org) { totalCount } }"


async def one_round(
    proxy: FaultProxy, client: httpx.AsyncClient, org: str, headers: dict[str, str], fault: str
) -> tuple[float, float, float]:
    async def ask() -> tuple[int, float]:
        started = time.monotonic()
        response = await client.post("/graphql", json={"query": QUERY, "variables": {"org": org}}, headers=headers)
        return response.status_code, time.monotonic() - started

    assert (await ask())[0] == 200
    in_flight = asyncio.create_task(ask())
    await asyncio.sleep(0)
    proxy.cut() if fault == "cut" else proxy.hang()
    status, to_503 = await ask()
    assert status == 503, status
    _, in_flight_end = await in_flight
    proxy.restore()
    restored = time.monotonic()
    for _ in range(600):
        if (await ask())[0] == 200:
            return to_503, in_flight_end, time.monotonic() - restored
        await asyncio.sleep(0.1)
    raise AssertionError("not recovered within a minute of the network coming back")


async def measure(uri: str, rounds: int) -> list[str]:
    target = urlparse(uri)
    assert target.hostname is not None
    assert target.port is not None
    proxy = FaultProxy(target.hostname, target.port)
    await proxy.start()
    org = f"outage-{uuid.uuid4().hex[:8]}"
    direct = Neo4jStore(uri)
    await direct.start()
    headers = await token_headers(direct, org, role=Role.READER)
    await direct.close()
    lines = [
        "| fault | met at | new request → 503 (median / max s) | in-flight request ends | recovered after restore |",
        "|---|---|---|---|---|",
    ]
    for fault in ("cut", "hang"):
        for place, cache in (("token check", 0), ("resolver", 60)):
            with tempfile.TemporaryDirectory() as home:
                settings = make_settings(Path(home), token_cache_seconds=cache).model_copy(
                    update={"neo4j_uri": proxy.uri}
                )
                async with serve(create_app(settings)) as client:
                    samples = [await one_round(proxy, client, org, headers, fault) for _ in range(rounds)]
            columns = [[sample[i] for sample in samples] for i in range(3)]
            cells = " | ".join(f"{statistics.median(c):.2f} / {max(c):.2f}" for c in columns)
            lines.append(f"| {fault} | {place} | {cells} |")
    await proxy.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j-uri", help="a running Neo4j (default: start one)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.neo4j_uri:
        print("\n".join(asyncio.run(measure(args.neo4j_uri, args.rounds))))
        return
    with Neo4jTestServer() as server:
        print("\n".join(asyncio.run(measure(server.uri, args.rounds))))


if __name__ == "__main__":
    main()
