"""Expected failures carry a code; a store that cannot be reached is UNAVAILABLE; bugs are masked and logged once."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Api, make_settings, serve
from tracegraph.app import create_app
from tracegraph.errors import UNAVAILABLE_MESSAGE
from tracegraph.graph.model import Org
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings


class BrokenOrgs:
    """The real store, with one read broken by a bug: what the API must not leak."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def list_orgs(self) -> list[Org]:
        raise RuntimeError("secret connection string in a stack trace")


async def test_unexpected_errors_are_masked_and_logged_once(
    store: GraphStore, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    async with serve(create_app(settings, store=BrokenOrgs(store))) as client:
        api = Api(client, store)
        await api.bootstrap("acme")
        body = await api.call('{ orgs { name } org(name: "acme") { name } }')
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["orgs"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "secret" not in str(body)
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "secret connection string" in str(logged[0].exc_info[1])


async def test_expected_errors_are_not_logged_as_errors(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    error = await api.error('{ org(name: "nobody") { name } }')
    assert error["extensions"] == {"code": "NOT_FOUND"}
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_store_that_cannot_be_reached_is_unavailable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path).model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{closed_port()}"})
    async with serve(create_app(settings)) as client:
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        assert ready.json()["backend"] == "neo4j"
        assert ready.json()["reason"]
        # The token cannot even be checked: 503, whatever the token.
        answer = await client.post(
            "/graphql", json={"query": "{ orgs { name } }"}, headers={"Authorization": "Bearer tg_any"}
        )
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    assert answer.json()["errors"][0]["message"] == UNAVAILABLE_MESSAGE  # no host, port or path for callers
    assert "127.0.0.1" not in ready.text


async def test_health_and_readiness(api: Api, store: GraphStore) -> None:
    assert (await api.http.get("/healthz")).json() == {"status": "ok"}
    ready = await api.http.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "backend": store.backend})
