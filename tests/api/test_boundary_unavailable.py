"""An operation that failed as a whole because the store was unavailable answers HTTP 503 with `Retry-After`, so
clients and load balancers see an outage, not a 200 (tracegraph.http.outcome states the rule)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api.conftest import make_settings, serve, token_headers
from tracegraph.app import create_app
from tracegraph.errors import UNAVAILABLE_MESSAGE, Unavailable
from tracegraph.graph.model import Org
from tracegraph.graph.store import GraphStore


class OrgsDown:
    """The real store, whose org reads fail as a backend does when its database stops answering (as in
    tests/api/test_token_cache.py); token checks still work, so requests get past the HTTP edge."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.down = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def list_orgs(self) -> list[Org]:
        if self.down:
            raise Unavailable("database at /var/lib/secret.sqlite3 is locked")
        return await self._store.list_orgs()

    async def get_org(self, name: str) -> Org:
        if self.down:
            raise Unavailable("database at /var/lib/secret.sqlite3 is locked")
        return await self._store.get_org(name)


async def test_an_operation_failed_by_an_outage_is_503(store: GraphStore, tmp_path: Path) -> None:
    headers = await token_headers(store, "acme")
    failing = OrgsDown(store)
    async with serve(create_app(make_settings(tmp_path), store=failing)) as http:
        down = await http.post("/graphql", json={"query": '{ orgs { name } org(name: "acme") { name } }'},
                               headers=headers)  # fmt: skip
        assert down.status_code == 503, down.text
        assert 1 <= int(down.headers["retry-after"]) <= 5
        assert down.json()["data"] is None
        assert {error["extensions"]["code"] for error in down.json()["errors"]} == {"UNAVAILABLE"}
        assert down.json()["errors"][0]["message"] == UNAVAILABLE_MESSAGE
        assert "secret" not in down.text

        # A batch is 503 only when every operation in it failed so: the answered one is real data.
        mixed = await http.post("/graphql", json=[{"query": "{ orgs { name } }"}, {"query": "{ __typename }"}],
                                headers=headers)  # fmt: skip
        assert mixed.status_code == 200
        assert "retry-after" not in mixed.headers
        assert mixed.json()[1] == {"data": {"__typename": "Query"}}

        failing.down = False
        up = await http.post("/graphql", json={"query": "{ orgs { name } }"}, headers=headers)
        assert (up.status_code, up.json()) == (200, {"data": {"orgs": [{"name": "acme"}]}})
        assert "retry-after" not in up.headers


async def test_other_errors_stay_200(store: GraphStore, tmp_path: Path) -> None:
    headers = await token_headers(store, "acme")
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        missing = await http.post("/graphql", json={"query": '{ org(name: "nobody") { name } }'}, headers=headers)
    assert missing.status_code == 200
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
