"""Each limit has a setting; a request beyond it gets a clear error naming that setting. The limits do not depend on
the backend, so these run on the embedded store only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from tests.api.conftest import make_settings, serve, token_headers
from tests.contract.scenario import build, report, topology
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import FlowInput
from tracegraph.settings import Settings

LIMITS: dict[str, Any] = {
    "max_query_depth": 4,
    "max_item_lookups": 50,
    "max_query_tokens": 60,
    "max_aliases": 2,
    "max_batch_operations": 2,
    "max_request_bytes": 2048,
    "max_query_bytes": 1024,
    "query_cache_bytes": 1024 * 1024,
    "query_cache_entries": 3,
}


@pytest_asyncio.fixture(loop_scope="session")
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path, **LIMITS)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        headers = await token_headers(store, "acme")
        async with serve(create_app(settings, store=store)) as http:
            http.headers.update(headers)
            yield http
    finally:
        await store.close()


async def only_error(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    error: dict[str, Any] = errors[0]
    return error


async def test_defaults_are_documented() -> None:
    for name in LIMITS:
        field = Settings.model_fields[name]
        assert field.description, name
        assert isinstance(field.default, int), name


async def test_query_depth(client: httpx.AsyncClient) -> None:
    ok = '{ environment(org: "a", name: "b") { snapshot { running { nodes { name } } } } }'
    assert "exceeds maximum operation depth" not in (await client.post("/graphql", json={"query": ok})).text
    error = await only_error(
        client, '{ environment(org: "a", name: "b") { snapshot { running { nodes { artifacts { name } } } } } }'
    )
    assert error["message"] == (
        "'anonymous' exceeds maximum operation depth of 4 (limit set by TRACEGRAPH_MAX_QUERY_DEPTH)"
    )
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "setting": "TRACEGRAPH_MAX_QUERY_DEPTH"}


async def test_introspection_is_not_limited_by_depth(client: httpx.AsyncClient) -> None:
    deep = "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
    response = await client.post("/graphql", json={"query": deep})
    assert "errors" not in response.json()


async def test_token_count(client: httpx.AsyncClient) -> None:
    fields = " ".join(["name"] * 60)
    error = await only_error(client, f"{{ orgs {{ {fields} }} }}")
    assert error["message"].startswith("Syntax Error: Document contains more than 60 tokens")
    assert error["extensions"]["setting"] == "TRACEGRAPH_MAX_QUERY_TOKENS"


async def test_alias_count(client: httpx.AsyncClient) -> None:
    error = await only_error(client, "{ a: orgs { name } b: orgs { name } c: orgs { name } }")
    assert error["message"] == "3 aliases found. Allowed: 2 (limit set by TRACEGRAPH_MAX_ALIASES)"
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_batch_size(client: httpx.AsyncClient) -> None:
    two = await client.post("/graphql", json=[{"query": "{ orgs { name } }"}] * 2)
    assert two.status_code == 200
    assert len(two.json()) == 2
    three = await client.post("/graphql", json=[{"query": "{ orgs { name } }"}] * 3)
    assert three.status_code == 400
    error = three.json()["errors"][0]
    assert error["message"] == (
        "A batch may hold at most 2 operations; this one has 3 (limit set by TRACEGRAPH_MAX_BATCH_OPERATIONS)."
    )
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "setting": "TRACEGRAPH_MAX_BATCH_OPERATIONS"}


async def test_request_body_size(client: httpx.AsyncClient) -> None:
    padding = "#" + "x" * 2100 + "\n"
    response = await client.post("/graphql", json={"query": padding + "{ orgs { name } }"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "PAYLOAD_TOO_LARGE",
        "setting": "TRACEGRAPH_MAX_REQUEST_BYTES",
    }

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"query": "' + b" " * 1500
        yield b" " * 1500 + b'{ orgs { name } }"}'

    streamed = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


async def test_query_document_size(client: httpx.AsyncClient) -> None:
    padding = "#" + "x" * 1100 + "\n"  # within the request body limit, beyond the document's
    response = await client.post("/graphql", json={"query": padding + "{ orgs { name } }"})
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "setting": "TRACEGRAPH_MAX_QUERY_BYTES"}
    assert f"{len(padding) + 17} bytes; at most 1024" in error["message"]


async def test_the_document_cache_is_bounded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, **LIMITS)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    app = create_app(settings, store=store)
    try:
        headers = await token_headers(store, "acme")
        async with serve(app) as http:
            for n in range(6):
                response = await http.post(
                    "/graphql", json={"query": f"query Q{n} {{ orgs {{ name }} }}"}, headers=headers
                )
                assert "errors" not in response.json()
    finally:
        await store.close()
    assert len(app.state.documents) == LIMITS["query_cache_entries"]


async def test_item_lookups(tmp_path: Path) -> None:
    """Fields the store answers one item at a time are capped per request, so no list can cost a call per item."""
    settings = make_settings(tmp_path, max_item_lookups=2)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        await topology(store)
        for label in ("a", "b", "c"):
            await build(store, "web", label)
        await report(store, "prod", {"a": 1, "b": 1, "c": 1})
        headers = await token_headers(store, "acme")
        async with serve(create_app(settings, store=store)) as http:
            http.headers.update(headers)
            query = (
                '{ environment(org: "acme", name: "prod") { snapshot { running(first: %d) '
                "{ nodes { artifacts { history { kind } } } } } } }"
            )
            one = await http.post("/graphql", json={"query": query % 1})
            assert "errors" not in one.json()
            three = (await http.post("/graphql", json={"query": query % 3})).json()
    finally:
        await store.close()
    errors = three["errors"]
    assert errors[0]["extensions"] == {
        "code": "LIMIT_EXCEEDED",
        "field": "history",
        "setting": "TRACEGRAPH_MAX_ITEM_LOOKUPS",
    }
    assert "more than 2 separate lookups" in errors[0]["message"]


async def test_connections_nested_in_lists_count_as_item_lookups(tmp_path: Path) -> None:
    """`flows { nodes { artifacts } }` costs a store call per flow: capped like any per-item lookup."""
    settings = make_settings(tmp_path, max_item_lookups=2)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        await topology(store)  # flows api and web, environments beta and prod
        await store.create_flow(FlowInput(org="acme", name="worker"))
        headers = await token_headers(store, "acme")
        async with serve(create_app(settings, store=store)) as http:
            http.headers.update(headers)
            two = await http.post("/graphql", json={"query": '{ flows(org: "acme", first: 2) { nodes { artifacts '
                                                              "{ nodes { name } } } } }"})  # fmt: skip
            three = await http.post("/graphql", json={"query": '{ flows(org: "acme") { nodes { artifacts '
                                                                "{ nodes { name } } } } }"})  # fmt: skip
            logs = await http.post("/graphql", json={"query": '{ environments(org: "acme") { nodes { snapshots '
                                                               "{ totalCount } } } }"})  # fmt: skip
    finally:
        await store.close()
    assert "errors" not in two.json()
    assert three.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "errors" not in logs.json()  # two environments: within the cap
