"""Introspection answers without a token (the schema is public: GraphiQL's Docs work on first load); a document that
asks for anything else — alone, mixed in, behind a fragment, in a batch — still needs one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import get_introspection_query

from tests.api.conftest import serve, token_headers
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import OrgInput
from tracegraph.http.introspection import MAX_ANONYMOUS_BODY_BYTES
from tracegraph.settings import Settings


# The edge is the same on every backend: one embedded store keeps these tests fast.
@pytest_asyncio.fixture(loop_scope="session")
async def store(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """An embedded store holding one public org (what a tokenless read must not see)."""
    embedded = EmbeddedStore(tmp_path / "tracegraph.sqlite3")
    await embedded.start()
    await embedded.create_org(OrgInput(name="acme", public=True))
    yield embedded
    await embedded.close()


@pytest_asyncio.fixture(loop_scope="session")
async def client(store: EmbeddedStore, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(Settings(data_dir=tmp_path / "data", neo4j_uri=None), store=store)) as http:
        yield http


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.json()
    assert response.headers["www-authenticate"] == 'Bearer realm="tracegraph"'


async def post(client: httpx.AsyncClient, body: Any, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json=body, headers=headers)


async def test_graphiqls_introspection_query_answers_without_a_token(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": get_introspection_query(descriptions=True)})
    assert response.status_code == 200, response.text
    schema = response.json()["data"]["__schema"]
    assert schema["queryType"]["name"] == "Query"
    query_type = next(kind for kind in schema["types"] if kind["name"] == "Query")
    assert {"environment", "orgs"} <= {field["name"] for field in query_type["fields"]}


@pytest.mark.parametrize(
    "query",
    [
        "{ __typename }",
        '{ __type(name: "Environment") { fields { name } } }',
        "query Types { __schema { types { name } } }",
        "{ ...Root } fragment Root on Query { __typename }",
        "{ ... on Query { __schema { queryType { name } } } }",
    ],
)
async def test_introspection_alone_passes(client: httpx.AsyncClient, query: str) -> None:
    response = await post(client, {"query": query})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()


async def test_introspection_over_get_passes(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": "*/*"})
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "query",
    [
        "{ orgs { name } }",
        "{ __typename orgs { name } }",
        "{ __schema { queryType { name } } orgs { name } }",
        "{ ...Data } fragment Data on Query { orgs { name } }",
        "{ ... on Query { orgs { name } } }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { orgs { name } }",
        "{ ...Missing }",
        "mutation { __typename }",
        "query A { __typename } query B { orgs { name } }",
        "{ __typename",  # does not parse
        "",
    ],
)
async def test_anything_but_introspection_needs_a_token(
    client: httpx.AsyncClient, store: EmbeddedStore, query: str
) -> None:
    assert_unauthenticated(await post(client, {"query": query}))
    # The same document with the token runs as before (or fails validation as before): the rule is the token's.
    with_token = await post(client, {"query": query}, **(await token_headers(store, "acme")))
    assert with_token.status_code != 401


async def test_choosing_the_introspection_operation_does_not_let_the_other_through(client: httpx.AsyncClient) -> None:
    body = {"query": "query A { __typename } query B { orgs { name } }", "operationName": "A"}
    assert_unauthenticated(await post(client, body))


async def test_a_batch_with_one_data_request_needs_a_token(client: httpx.AsyncClient) -> None:
    assert_unauthenticated(await post(client, [{"query": "{ __typename }"}, {"query": "{ orgs { name } }"}]))


async def test_data_over_get_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename orgs { name } }"}, headers={"accept": "*/*"})
    assert_unauthenticated(response)


async def test_a_bad_token_is_refused_even_for_introspection(client: httpx.AsyncClient) -> None:
    assert_unauthenticated(await post(client, {"query": "{ __typename }"}, authorization="Bearer nope"))


async def test_tokenless_bodies_are_small_and_well_formed(client: httpx.AsyncClient) -> None:
    padding = " " * MAX_ANONYMOUS_BODY_BYTES
    assert_unauthenticated(await post(client, {"query": "{ __typename }" + padding}))
    bad_json = await client.post("/graphql", content=b"{", headers={"content-type": "application/json"})
    assert_unauthenticated(bad_json)
    assert_unauthenticated(await client.put("/graphql", json={"query": "{ __typename }"}))
