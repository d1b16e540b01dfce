"""Neo4j goes away under the service and comes back: a request answers 503 + Retry-After with code UNAVAILABLE within
a bounded time (loosely ≤ 10 s here; measured exactly in bench/outage.py), whether the failure meets the token check
or a resolver, whether the network refuses or hangs; and the service recovers with no restart.

The real Neo4j stays up: the outage is a TCP proxy in front of it (tests/fault_proxy.py) that cuts or hangs."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import pytest_asyncio

from tests.api.conftest import make_settings, serve, token_headers
from tests.fault_proxy import FaultProxy
from tracegraph.app import create_app
from tracegraph.errors import UNAVAILABLE_MESSAGE
from tracegraph.graph.model import Role
from tracegraph.graph.neo4j.store import Neo4jStore

BOUND_SECONDS = 10.0
QUERY = {"query": "query($org: String!) { org(name: $org) { name } environments(org: $org) { totalCount } }"}


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(neo4j_uri: str) -> AsyncIterator[FaultProxy]:
    target = urlparse(neo4j_uri)
    assert target.hostname is not None
    assert target.port is not None
    fault_proxy = FaultProxy(target.hostname, target.port)
    await fault_proxy.start()
    yield fault_proxy
    await fault_proxy.close()


async def reader_headers(neo4j_uri: str, org: str) -> dict[str, str]:
    direct = Neo4jStore(neo4j_uri)
    await direct.start()
    try:
        return await token_headers(direct, org, role=Role.READER)
    finally:
        await direct.close()


async def timed(client: httpx.AsyncClient, org: str, headers: dict[str, str]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await client.post("/graphql", json={**QUERY, "variables": {"org": org}}, headers=headers)
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response, elapsed: float) -> None:
    assert response.status_code == 503, response.text
    assert response.headers.get("retry-after", "").isdigit(), response.headers
    errors = response.json()["errors"]
    assert {error["extensions"]["code"] for error in errors} == {"UNAVAILABLE"}
    assert {error["message"] for error in errors} == {UNAVAILABLE_MESSAGE}
    assert elapsed <= BOUND_SECONDS, f"503 after {elapsed:.1f} s"


async def assert_recovers(client: httpx.AsyncClient, org: str, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + 3 * BOUND_SECONDS
    while True:
        response, _ = await timed(client, org, headers)
        if response.status_code == 200 and "errors" not in response.json():
            assert response.json()["data"]["org"]["name"] == org
            return
        assert time.monotonic() < deadline, f"not recovered: {response.status_code} {response.text}"
        await asyncio.sleep(0.5)


# token_cache_seconds=0: the token check meets the outage first; 60: the token is cached, a resolver meets it.
@pytest.mark.parametrize("token_cache_seconds", [0, 60], ids=["at-the-token-check", "inside-a-resolver"])
@pytest.mark.parametrize("fault", ["cut", "hang"])
async def test_an_outage_answers_503_fast_and_recovers_without_restart(
    neo4j_uri: str, proxy: FaultProxy, tmp_path: Path, token_cache_seconds: int, fault: str
) -> None:
    org = f"outage-{uuid.uuid4().hex[:8]}"
    headers = await reader_headers(neo4j_uri, org)
    settings = make_settings(tmp_path, token_cache_seconds=token_cache_seconds).model_copy(
        update={"neo4j_uri": proxy.uri}
    )
    async with serve(create_app(settings)) as client:
        response, _ = await timed(client, org, headers)
        assert response.status_code == 200, response.text
        in_flight = asyncio.create_task(timed(client, org, headers))
        proxy.cut() if fault == "cut" else proxy.hang()
        assert_unavailable(*await timed(client, org, headers))
        # A request that was in flight when the network went ends within the same bound, either way.
        response, elapsed = await in_flight
        assert response.status_code in (200, 503), response.text
        assert elapsed <= BOUND_SECONDS
        proxy.restore()
        await assert_recovers(client, org, headers)
