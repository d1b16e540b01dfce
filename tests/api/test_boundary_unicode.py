"""Strings that are not valid Unicode (a lone surrogate, which JSON's `\\uD800`-style escapes can carry) are refused
at the HTTP boundary, before anything executes: BAD_USER_INPUT naming where the string was, on every root field and
every backend. They once reached the store and came back as "Unexpected error."."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.api.conftest import Api
from tracegraph.graph.store import GraphStore

# Every root field taking a string, each given the bad string through the variable $o.
ROOT_FIELDS = [
    "org(name: $o) { name }",
    'environment(org: $o, name: "prod") { name }',
    "environments(org: $o) { totalCount }",
    'flow(org: $o, name: "web") { name }',
    "flows(org: $o) { totalCount }",
    'artifact(org: "acme", flow: "web", fingerprint: $o) { name }',
    'artifacts(org: "acme", commit: $o) { name }',
    'commit(org: "acme", sha: $o) { sha }',
    'commitsWithHistory(org: "acme", shas: [$o])',
    'search(org: "acme", prefix: $o) { __typename }',
    'diff(org: "acme", from: $o, to: "prod") { __typename }',
    'versions(org: "acme", name: $o) { environment }',
    "tokens(org: $o) { name }",
]


async def post(http: httpx.AsyncClient, headers: dict[str, str], payload: Any) -> httpx.Response:
    # json.dumps writes a lone surrogate as the escape `\udfff`, exactly what a hostile client sends.
    body = json.dumps(payload)
    return await http.post("/graphql", content=body, headers={**headers, "content-type": "application/json"})


def assert_refused(response: httpx.Response, field: str, rule: str) -> None:
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert error["message"] == f"{field}: must be valid Unicode: {rule}"


async def test_a_lone_surrogate_in_a_variable_is_refused_on_every_root_field(api: Api) -> None:
    for selection in ROOT_FIELDS:
        query = f"query($o: String!) {{ {selection} }}"
        response = await post(api.http, api.headers, {"query": query, "variables": {"o": "\udfff"}})
        assert_refused(response, "variables.o", "lone surrogate U+DFFF at position 0")


async def test_nothing_reaches_the_store(api: Api, store: GraphStore) -> None:
    mutation = "mutation($i: CreateFlowInput!) { createFlow(input: $i) { flow { name } } }"
    variables = {"i": {"org": "acme", "name": "web\ud800"}}
    response = await post(api.http, api.headers, {"query": mutation, "variables": variables})
    assert_refused(response, "variables.i.name", "lone surrogate U+D800 at position 3")
    assert (await api.data('{ flows(org: "acme") { totalCount } }')) == {"flows": {"totalCount": 0}}


async def test_the_query_text_operation_name_and_batches_are_checked_too(api: Api) -> None:
    query = '{ org(name: "a\udc00") { name } }'
    assert_refused(await post(api.http, api.headers, {"query": query}), "query", "lone surrogate U+DC00 at position 14")
    named = {"query": "query Q { orgs { name } }", "operationName": "Q\ud83d"}
    assert_refused(await post(api.http, api.headers, named), "operationName", "lone surrogate U+D83D at position 1")
    batch = [{"query": "{ orgs { name } }"}, {"query": "query($o: String!) { org(name: $o) { name } }",
                                               "variables": {"o": ["ok", "x\udfff"]}}]  # fmt: skip
    assert_refused(await post(api.http, api.headers, batch), "1.variables.o.1", "lone surrogate U+DFFF at position 1")


async def test_paired_surrogates_are_ordinary_text(api: Api) -> None:
    # JSON spells 😀 as the pair \ud83d\ude00: one valid character, answered like any other name.
    response = await post(api.http, api.headers, {"query": "query($o: String!) { org(name: $o) { name } }",
                                                   "variables": {"o": "\ud83d\ude00"}})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] in {"NOT_FOUND", "BAD_USER_INPUT"}
