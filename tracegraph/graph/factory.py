"""Choose the backend from settings: Neo4j when a URI is configured, the embedded SQLite store otherwise."""

from __future__ import annotations

from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings


def open_store(settings: Settings) -> GraphStore:
    """Build (not start) the configured store; the caller awaits `start()` and `close()`."""
    if settings.neo4j_uri:
        from tracegraph.graph.neo4j.store import Neo4jStore

        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        return Neo4jStore(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=password,
            database=settings.neo4j_database,
            unavailable_after=settings.neo4j_unavailable_after_seconds,
        )
    from tracegraph.graph.embedded.store import EmbeddedStore

    return EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
