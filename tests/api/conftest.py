"""The real ASGI app over HTTP (httpx's ASGI transport, lifespan run), on every backend through `store`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from tracegraph.app import create_app
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings


class Api:
    """A GraphQL client over the app's `/graphql`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client

    async def call(self, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}, **extra})
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


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", neo4j_uri=None, **overrides)


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest_asyncio.fixture(loop_scope="session")
async def api(store: GraphStore, settings: Settings) -> AsyncIterator[Api]:
    async with serve(create_app(settings, store=store)) as client:
        yield Api(client)


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
