"""Authenticated bodies that are not a GraphQL request are refused with 400 and a JSON error naming the rule — never
a 500 with a traceback. The rules do not depend on the backend, so these run on the embedded store only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.api.conftest import make_settings, serve, token_headers
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore


@pytest_asyncio.fixture(loop_scope="session")
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        headers = await token_headers(store, "acme")
        async with serve(create_app(settings, store=store)) as http:
            http.headers.update(headers)
            yield http
    finally:
        await store.close()


async def refused(client: httpx.AsyncClient, body: bytes, content_type: str = "application/json") -> str:
    response = await client.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    ("body", "kind"), [(b"42", "a number"), (b'"x"', "a string"), (b"null", "null"), (b"true", "a boolean")]
)
async def test_json_that_is_not_an_object(client: httpx.AsyncClient, body: bytes, kind: str) -> None:
    message = await refused(client, body)
    assert message == f"The request body must be a JSON object with `query` (and optionally `variables`), not {kind}."


async def test_a_batch_of_things_that_are_not_operations(client: httpx.AsyncClient) -> None:
    assert (await refused(client, b"[1]")).startswith("Operation 0 of the batch must be a JSON object")
    assert await refused(client, b"[]") == "An empty batch: send at least one operation."


async def test_members_of_the_wrong_type(client: httpx.AsyncClient) -> None:
    assert await refused(client, b'{"query": 1}') == "query must be a string or null, not a number."
    message = await refused(client, b'{"query": "{ orgs { name } }", "variables": [1]}')
    assert message == "variables must be an object or null, not an array."


async def test_bodies_that_are_not_utf8_json(client: httpx.AsyncClient) -> None:
    message = await refused(client, b'{"query": "{ org(name: \xff) { name } }"}')
    assert message == "The request body is not valid UTF-8: byte 0xFF at offset 23."
    latin = await refused(client, b'{"query": "{ orgs { name } }"}', "application/json; charset=latin-1")
    assert latin == "The request body must be JSON in UTF-8; charset=latin-1 is not accepted."
    assert (await refused(client, b"{", "application/json")).startswith("The request body is not valid JSON")
    assert (await refused(client, b"query=x", "text/plain")).startswith("Send the GraphQL request as JSON")


async def test_deeply_nested_json(client: httpx.AsyncClient) -> None:
    deep = b'{"query": "{ orgs { name } }", "variables": {"v": ' + b"[" * 5000 + b"]" * 5000 + b"}}"
    assert await refused(client, deep) == "The request body nests JSON arrays or objects too deeply."
    # Deeper than the rule, shallow enough for the decoder: named by its path.
    nested = b'{"query": "{ orgs { name } }", "variables": {"v": ' + b"[" * 100 + b"]" * 100 + b"}}"
    message = await refused(client, nested)
    assert message == "variables.v" + ".0" * 62 + " nests JSON deeper than 64 levels."


async def test_a_utf8_charset_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ orgs { name } }"}',
        headers={"content-type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"orgs": [{"name": "acme"}]}}
