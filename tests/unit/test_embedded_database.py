"""The embedded store's file: opened once per version, refused when a newer tracegraph wrote it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracegraph.errors import Unavailable
from tracegraph.graph.embedded.schema import SCHEMA_VERSION
from tracegraph.graph.embedded.store import EmbeddedStore


async def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = EmbeddedStore(path)
    with pytest.raises(Unavailable, match="newer tracegraph"):
        await store.start()
    await store.close()


async def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    store = EmbeddedStore(path)
    with pytest.raises(Unavailable, match="cannot open"):
        await store.start()
    await store.close()
