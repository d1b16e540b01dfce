"""The real ASGI app over HTTP (httpx's ASGI transport, lifespan run), on every backend through `store`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

# Every test starts with an admin token of this org; `Api.bootstrap` switches to another.
DEFAULT_ORG = "acme"


class Api:
    """A GraphQL client over the app's `/graphql`, sending the token of the org it was last bootstrapped as."""

    def __init__(self, client: httpx.AsyncClient, store: GraphStore | None = None) -> None:
        self.http = client
        self.store = store
        self.headers: dict[str, str] = {}

    async def bootstrap(self, org: str, *, public: bool = False, role: Role = Role.ADMIN) -> str:
        """Create `org` on the store (as `tracegraph admin create-org` does) and act with a new `role` token of it."""
        assert self.store is not None
        await self.store.create_org(OrgInput(name=org, public=public))
        self.headers = await token_headers(self.store, org, role=role)
        return self.headers["Authorization"].removeprefix("Bearer ")

    async def call(self, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}, **extra}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer's data, asserting there was no error."""
        body = await self.call(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer's only error."""
        body = await self.call(query, variables)
        assert len(body.get("errors") or []) == 1, body
        error: dict[str, Any] = body["errors"][0]
        return error


async def token_headers(store: GraphStore, org: str, *, role: Role = Role.ADMIN) -> dict[str, str]:
    """Create `org` if needed and answer the header of a new `role` token of it."""
    try:
        await store.get_org(org)
    except NotFound:
        await store.create_org(OrgInput(name=org))
    secret = new_secret()
    await store.create_token(TokenInput(org=org, role=role, name="test", secret_hash=hash_secret(secret)))
    return {"Authorization": f"Bearer {secret}"}


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", neo4j_uri=None, **overrides)


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest_asyncio.fixture(loop_scope="session")
async def api(store: GraphStore, settings: Settings) -> AsyncIterator[Api]:
    async with serve(create_app(settings, store=store)) as client:
        api = Api(client, store)
        await api.bootstrap(DEFAULT_ORG)
        yield api


def serve(app: Any) -> _Served:
    return _Served(app)


class _Served:
    """Runs the app's lifespan around an httpx client bound to it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._lifespan: Any = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> httpx.AsyncClient:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://tracegraph.test")
        return self._client

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()
        await self._lifespan.__aexit__(None, None, None)
