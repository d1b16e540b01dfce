"""Browser frontends through the real app: CORS only for the allowed origins (none by default), answers past the
size threshold gzip-compressed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio
from graphql import get_introspection_query

from tests.api.conftest import serve, token_headers
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.settings import Settings

ALLOWED = "https://dashboard.example.com"
OTHER = "https://evil.example.net"
PREFLIGHT = {"access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type"}


async def served(tmp_path: Path, **overrides: Any) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    store = EmbeddedStore(tmp_path / "tracegraph.sqlite3")
    await store.start()
    settings = Settings(data_dir=tmp_path / "data", neo4j_uri=None, **overrides)
    try:
        async with serve(create_app(settings, store=store)) as http:
            yield http, await token_headers(store, "acme")
    finally:
        await store.close()


@pytest_asyncio.fixture(loop_scope="session")
async def allowing(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    async for pair in served(tmp_path, cors_origins=f" {ALLOWED}/ , http://localhost:3000"):
        yield pair


@pytest_asyncio.fixture(loop_scope="session")
async def defaults(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    async for pair in served(tmp_path):
        yield pair


async def test_a_preflight_from_an_allowed_origin_gets_the_cors_headers(
    allowing: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, _ = allowing
    response = await client.options("/graphql", headers={"origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed_headers = {name.strip().lower() for name in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed_headers
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_another_origin_gets_none(allowing: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, _ = allowing
    response = await client.options("/graphql", headers={"origin": OTHER, **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_answers_to_an_allowed_origin_expose_the_request_id(
    allowing: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, token = allowing
    response = await client.post("/graphql", json={"query": "{ orgs { name } }"}, headers={"origin": ALLOWED, **token})
    assert response.json() == {"data": {"orgs": [{"name": "acme"}]}}
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    refused = await client.post("/graphql", json={"query": "{ orgs { name } }"}, headers={"origin": ALLOWED})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == ALLOWED  # the page can read why


async def test_answers_to_another_origin_carry_no_cors_headers(
    allowing: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, token = allowing
    response = await client.post("/graphql", json={"query": "{ orgs { name } }"}, headers={"origin": OTHER, **token})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_no_origin_is_allowed_by_default(defaults: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, token = defaults
    preflight = await client.options("/graphql", headers={"origin": ALLOWED, **PREFLIGHT})
    assert "access-control-allow-origin" not in preflight.headers
    response = await client.post("/graphql", json={"query": "{ orgs { name } }"}, headers={"origin": ALLOWED, **token})
    assert "access-control-allow-origin" not in response.headers


async def test_a_large_answer_is_gzipped(defaults: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, token = defaults
    body = {"query": get_introspection_query()}
    response = await client.post("/graphql", json=body, headers={"accept-encoding": "gzip", **token})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(response.content)  # compressed on the wire
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    plain = await client.post("/graphql", json=body, headers={"accept-encoding": "identity", **token})
    assert "content-encoding" not in plain.headers
    assert plain.json() == response.json()


async def test_a_small_answer_is_not(defaults: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, token = defaults
    response = await client.post(
        "/graphql", json={"query": "{ orgs { name } }"}, headers={"accept-encoding": "gzip", **token}
    )
    assert response.json() == {"data": {"orgs": [{"name": "acme"}]}}
    assert "content-encoding" not in response.headers
