"""Fixtures shared by every test: a fresh store per test on each backend, the real Neo4j started once per session.

Neo4j comes from `TRACEGRAPH_TEST_NEO4J_URI` when set, otherwise from `scripts/neo4j-test-server` (Java + Maven).
It is never skipped: a missing Java or Maven fails the run with the message of what to install.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from neo4j import AsyncGraphDatabase

from tests.neo4j_server import Neo4jTestServer
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.store import GraphStore

BACKENDS = ("embedded", "neo4j")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    configured = os.environ.get("TRACEGRAPH_TEST_NEO4J_URI")
    if configured:
        yield configured
        return
    server = Neo4jTestServer()
    try:
        server.start()
    except RuntimeError as error:
        pytest.fail(f"could not start the test Neo4j: {error}", pytrace=False)
    try:
        yield server.uri
    finally:
        server.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def neo4j_stores() -> AsyncIterator[dict[str, GraphStore]]:
    """Neo4j stores by URI, opened on first use (one driver per session) and closed at the end."""
    opened: dict[str, GraphStore] = {}
    yield opened
    for opened_store in opened.values():
        await opened_store.close()


async def wipe_neo4j(uri: str) -> None:
    async with AsyncGraphDatabase.driver(uri, auth=None) as driver, driver.session() as session:
        result = await session.run("MATCH (n) DETACH DELETE n")
        await result.consume()


@pytest_asyncio.fixture(params=BACKENDS, loop_scope="session")
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, neo4j_stores: dict[str, GraphStore]
) -> AsyncIterator[GraphStore]:
    """A started, empty store of each backend; the test id carries the backend name."""
    if request.param == "embedded":
        embedded = EmbeddedStore(tmp_path / "tracegraph.sqlite3")
        await embedded.start()
        yield embedded
        await embedded.close()
        return
    uri = request.getfixturevalue("neo4j_uri")
    if uri not in neo4j_stores:
        from tracegraph.graph.neo4j.store import Neo4jStore

        neo4j_stores[uri] = Neo4jStore(uri)
        await neo4j_stores[uri].start()
    await wipe_neo4j(uri)
    yield neo4j_stores[uri]
