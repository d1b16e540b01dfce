"""Malformed cursors and ids on every connection and `node(id:)`: BAD_USER_INPUT naming the argument and saying what
a cursor must be — never "Unexpected error."."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.conftest import Api
from tests.contract.scenario import build, report, topology
from tracegraph.graph.store import GraphStore

ARTIFACTS = 'query($c: String) { flow(org: "acme", name: "web") { artifacts(after: $c) { totalCount } } }'
LOG_AFTER = 'query($c: String) { environment(org: "acme", name: "prod") { snapshots(after: $c) { totalCount } } }'
LOG_BEFORE = 'query($c: String) { environment(org: "acme", name: "prod") { snapshots(before: $c) { totalCount } } }'
RUNNING = (
    'query($c: String) { environment(org: "acme", name: "prod") { snapshot { running(after: $c) { totalCount } } } }'
)
EVENTS = (
    'query($c: String) { environment(org: "acme", name: "prod") { snapshot { events(before: $c) { totalCount } } } }'
)
FLOWS = 'query($c: String) { flows(org: "acme", after: $c) { totalCount } }'
ENVIRONMENTS = 'query($c: String) { environments(org: "acme", before: $c) { totalCount } }'
NODE = "query($c: ID!) { node(id: $c) { id } }"

CONNECTIONS = [(ARTIFACTS, "after"), (LOG_AFTER, "after"), (LOG_BEFORE, "before"), (RUNNING, "after"),
               (EVENTS, "before"), (FLOWS, "after"), (ENVIRONMENTS, "before")]  # fmt: skip


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


BAD_CURSORS = [
    b64('["artifact"]'),  # "WyJhcnRpZmFjdCJd": the IndexError of the issue
    "!!not base64!!",
    b64("not json"),
    b64('{"snapshot": 3}'),
    b64('["snapshot",3,"extra"]'),
    b64('["snapshot",-1]'),
    b64('["snapshot",' + "9" * 400 + "]"),
    b64('["running","a"]'),
    b64('["running",7,"' + "a" * 64 + '"]'),
    b64('["event","\\ud800","' + "a" * 64 + '"]'),
    b64('["flow","\u202eweb"]'),
    b64("[" * 3000 + "]" * 3000),
    "",
]


@pytest.mark.parametrize(("query", "argument"), CONNECTIONS)
async def test_malformed_cursors_are_bad_user_input(api: Api, store: GraphStore, query: str, argument: str) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    await report(store, "prod", {"web-1": 1}, minutes=1)
    for cursor in BAD_CURSORS:
        error = await api.error(query, {"c": cursor})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": argument}, (cursor, error)
        assert "a cursor of this connection, passed back unchanged" in error["message"]


async def test_cursors_of_one_connection_do_not_page_another(api: Api, store: GraphStore) -> None:
    await topology(store)
    flows = await api.data('{ flows(org: "acme", first: 1) { pageInfo { endCursor } } }')
    cursor = flows["flows"]["pageInfo"]["endCursor"]
    assert (await api.data(FLOWS, {"c": cursor}))["flows"]["totalCount"] >= 1
    error = await api.error(ENVIRONMENTS, {"c": cursor})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "before"}


BAD_IDS = ["", "!!", b64("Org"), b64("Org:"), b64("Org:acme\n"), b64("Org:ac/me/x y"), b64("Flow:acme/\ud800"),
           b64("Org:acme") + "==", b64(json.dumps(["Org", "acme"]))]  # fmt: skip


async def test_malformed_node_ids_are_bad_user_input(api: Api, store: GraphStore) -> None:
    await topology(store)
    for value in BAD_IDS:
        error = await api.error(NODE, {"c": value})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}, (value, error)
        assert "a global id taken from an object's `id` field" in error["message"]
    assert (await api.error(NODE, {"c": b64("Org:nobody")}))["extensions"]["code"] == "NOT_FOUND"
    assert (await api.error(NODE, {"c": b64("Snapshot:acme/prod/0")}))["extensions"]["code"] == "NOT_FOUND"
