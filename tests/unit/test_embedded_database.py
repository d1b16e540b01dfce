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


# The commit tables as schema version 1 wrote them: no commit sequence, no `parents_known`.
VERSION_1 = """
CREATE TABLE orgs (name TEXT PRIMARY KEY, public INTEGER NOT NULL, description TEXT NOT NULL,
                   created_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE commits (org TEXT NOT NULL, sha TEXT NOT NULL, message TEXT NOT NULL, author TEXT, author_email TEXT,
                      timestamp INTEGER, branch TEXT, url TEXT, repo_url TEXT, PRIMARY KEY (org, sha)) WITHOUT ROWID;
CREATE TABLE commit_parents (org TEXT NOT NULL, child TEXT NOT NULL, position INTEGER NOT NULL,
                             parent TEXT NOT NULL, PRIMARY KEY (org, child, position)) WITHOUT ROWID;
INSERT INTO orgs VALUES ('acme', 0, '', 0);
INSERT INTO commits (org, sha, message) VALUES ('acme', 'aaaa', ''), ('acme', 'bbbb', '');
INSERT INTO commit_parents VALUES ('acme', 'bbbb', 0, 'aaaa');
PRAGMA user_version = 1;
"""


async def test_a_version_1_file_is_upgraded_and_its_roots_are_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.executescript(VERSION_1)
    store = EmbeddedStore(path)
    await store.start()
    # Version 1 did not tell a root from a commit whose parents were never reported: neither is trusted.
    assert await store.commits_with_history("acme", ["aaaa", "bbbb"]) == set()
    await store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        known = dict(connection.execute("SELECT sha, parents_known FROM commits").fetchall())
    assert known == {"aaaa": 0, "bbbb": 1}
