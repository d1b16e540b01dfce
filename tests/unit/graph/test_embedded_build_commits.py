"""The embedded store's shas known only from builds: kept as they are written, forgotten when their commit is
reported, and backfilled when a file from schema version 2 (which did not keep them) is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.contract.scenario import ORG, build, history, report, sha, topology
from tracegraph.graph.embedded.schema import SCHEMA_VERSION
from tracegraph.graph.embedded.store import EmbeddedStore


def build_commits(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT sha FROM build_commits WHERE org = ?", (ORG,))}


async def test_shas_known_only_from_builds_are_kept_until_reported(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    store = EmbeddedStore(path)
    await store.start()
    await topology(store)
    await history(store, {"c1": []})
    await build(store, "web", "w1", commit="c1")
    await build(store, "web", "w2", commit="ghost")
    assert build_commits(path) == {sha("ghost")}
    await history(store, {"ghost": ["c1"]})
    assert build_commits(path) == set()
    await store.close()


async def test_a_version_2_file_is_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "tracegraph.sqlite3"
    store = EmbeddedStore(path)
    await store.start()
    await topology(store)
    await history(store, {"c1": []})
    await build(store, "web", "w1", commit="c1")
    await build(store, "web", "w2", commit="ghost")
    await report(store, "prod", {"w1": 1, "w2": 1})
    await store.close()
    with sqlite3.connect(path) as connection:  # as version 2 left it: no build_commits, nothing of versions 4-5
        connection.execute("DROP TABLE build_commits")
        connection.execute("DROP TABLE trails")
        connection.execute("DROP INDEX artifacts_by_trail")
        connection.execute("DROP VIEW artifact_states")  # made again by step 4
        for column in ("trail", "template_reference_name"):
            connection.execute(f"ALTER TABLE artifacts DROP COLUMN {column}")  # names from this test
        connection.execute("ALTER TABLE flows DROP COLUMN template_yaml")
        for column in ("started_at", "instances_detail"):
            connection.execute(f"ALTER TABLE runs DROP COLUMN {column}")  # names from this test
        connection.execute("PRAGMA user_version = 2")

    store = EmbeddedStore(path)
    await store.start()
    found = (await store.commit_placements(ORG, [sha("c1")]))[sha("c1")]
    assert [p.provenance.artifact.fingerprint for p in found.placements] != []
    assert found.undecided == (sha("ghost"),)
    await store.close()
    assert build_commits(path) == {sha("ghost")}
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
