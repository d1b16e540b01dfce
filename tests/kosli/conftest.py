"""The real ASGI app over HTTP, as tests/api does, speaking the kosli CLI's REST API on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.api.conftest import make_settings, serve, token_headers
from tracegraph.app import create_app
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

# Beside the repository, never in it (as the real git histories: tests/contract/real_histories.py).
SPEC_DIR = Path(__file__).parents[2].parent / "shared" / "kosli-api"
CAPTURED = SPEC_DIR / "captured-requests.jsonl"
# What the CLI sends on every request (SPEC §1.2), bodiless GETs included.
CLI_HEADERS = {"User-Agent": "Kosli/v2.38.0", "Content-Type": "application/json; charset=utf-8"}


def captured_path() -> Path:
    if not CAPTURED.is_file():
        pytest.skip(f"{CAPTURED} is absent: the kosli CLI's captured requests are not available here")
    return CAPTURED


async def headers_for(store: GraphStore, org: str, role: Role = Role.ADMIN) -> dict[str, str]:
    return {**CLI_HEADERS, **(await token_headers(store, org, role=role))}


@pytest_asyncio.fixture(loop_scope="session")
async def client(store: GraphStore, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        yield http


@pytest_asyncio.fixture(loop_scope="session")
async def demo(store: GraphStore, client: httpx.AsyncClient) -> dict[str, str]:
    """The seed tutorial's `cyber-dojo` org loaded (as `serve --demo` does); answers a reader token's headers."""
    await load_demo(store)
    return await headers_for(store, DEMO_ORG, Role.READER)
