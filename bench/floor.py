"""The floor: for each operation, one SQL statement (stdlib sqlite3 on the embedded store's file) or one Cypher
query (the neo4j async driver on the same database) answering the same data as the GraphQL query, with no models
built — the least a store could do. The harness reports GraphQL / floor per operation.

Each floor answers rows (fetched, or records consumed); bench/answers.py turns them, outside the timing, into the
same comparable shape it makes of tracegraph's response, so a run can check that both agree: fingerprints, names,
instances, event types, flows and commit shas, in order.

What a floor leaves out is presentation: event descriptions (a sentence made from the type and instances), ISO
dates, the merging of contiguous Runs into placements. Both floors rely on the invariants the stores rely on:
snapshots are numbered without gaps (the log's total is the environment's latest index) and the open Runs are the
latest snapshot's running set.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Protocol

Rows = list[Any]

PAGE = 100  # the running and events pages of the GraphQL documents
LOG_PAGE = 15
SEARCH_MATCHES = 20  # tracegraph/graph/rules.py MAX_SEARCH_MATCHES
TIMEOUT_S = 60.0  # a floor query that runs longer has a plan problem: fail rather than stall the run

# --- SQL (embedded store) -----------------------------------------------------------------------------------------
#
# CROSS JOIN fixes the join order where SQLite, without statistics, would scan a whole table and probe the small
# side (it did for the log page's changing Runs, the search's Runs and `Where`'s artifacts at the reference size:
# 5.5, 14 and 320 ms instead of 0.5, 0.01 and ~4).

# The running set of snapshot :index: open Runs opened by then, plus Runs closed after it. Both parts seek
# runs_closing; at the latest snapshot the second part is empty.
_SQL_LIVE = """
live AS MATERIALIZED (
    SELECT fingerprint, name, instances FROM runs INDEXED BY runs_closing
    WHERE org = :org AND environment = :env AND to_index IS NULL AND from_index <= :index
    UNION ALL
    SELECT fingerprint, name, instances FROM runs INDEXED BY runs_closing
    WHERE org = :org AND environment = :env AND to_index > :index AND from_index <= :index
)"""

# What changed at snapshot :index, one row per fingerprint (SCALED when a Run closed and another opened).
_SQL_EVENTS = """
changing AS (
    SELECT fingerprint, name, instances, 1 AS opened FROM runs INDEXED BY runs_opening
    WHERE org = :org AND environment = :env AND from_index = :index
    UNION ALL
    SELECT fingerprint, name, instances, 0 AS opened FROM runs INDEXED BY runs_closing
    WHERE org = :org AND environment = :env AND to_index = :index
),
events AS MATERIALIZED (
    SELECT fingerprint, coalesce(max(CASE WHEN opened THEN name END), max(name)) AS name,
           coalesce(max(CASE WHEN opened = 0 THEN instances END), 0) AS from_instances,
           coalesce(max(CASE WHEN opened THEN instances END), 0) AS to_instances
    FROM changing GROUP BY fingerprint
)"""

# One row per (item, build): kind 0 the snapshot itself, 1 a running item, 2 an event. Columns:
# kind, fingerprint, name, a, b, flow, artifact name, artifact fingerprint, build url, sha, url, message, author,
# timestamp.
SQL_INCIDENT = (
    "WITH"  # noqa: S608 - assembled from constants
    + _SQL_LIVE
    + ","
    + _SQL_EVENTS
    + """,
page AS (SELECT fingerprint, name, instances FROM live ORDER BY name, fingerprint LIMIT :first),
event_page AS (SELECT * FROM events ORDER BY name, fingerprint LIMIT :first)
SELECT 0 AS kind, e.type, e.name, s.idx, s.reported_at, (SELECT count(*) FROM live), (SELECT count(*) FROM events),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM environments AS e JOIN snapshots AS s ON s.org = e.org AND s.environment = e.name AND s.idx = :index
WHERE e.org = :org AND e.name = :env
UNION ALL
SELECT 1, p.fingerprint, p.name, p.instances, NULL, a.flow, NULL, NULL, NULL, c.sha, NULL, NULL, NULL, NULL
FROM page AS p
LEFT JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = p.fingerprint
LEFT JOIN commits AS c ON c.org = :org AND c.sha = a.git_commit
UNION ALL
SELECT 2, v.fingerprint, v.name, v.from_instances, v.to_instances, a.flow, a.name, a.fingerprint, a.build_url,
       c.sha, c.url, c.message, c.author, c.timestamp
FROM event_page AS v
LEFT JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = v.fingerprint
LEFT JOIN commits AS c ON c.org = :org AND c.sha = a.git_commit
ORDER BY 1, 3, 2, 6
"""
)

# One page of the running set after a keyset (name, fingerprint); kind 0 carries the total.
SQL_RUNNING_PAGE = (
    "WITH"  # noqa: S608 - assembled from constants
    + _SQL_LIVE
    + """,
page AS (
    SELECT fingerprint, name, instances FROM live
    WHERE :after_name IS NULL OR (name, fingerprint) > (:after_name, :after_fingerprint)
    ORDER BY name, fingerprint LIMIT :first
)
SELECT 0 AS kind, NULL, NULL, (SELECT count(*) FROM live), NULL, NULL
UNION ALL
SELECT 1, p.fingerprint, p.name, p.instances, a.flow, c.sha
FROM page AS p
LEFT JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = p.fingerprint
LEFT JOIN commits AS c ON c.org = :org AND c.sha = a.git_commit
ORDER BY 1, 3, 2, 5
"""
)

# The newest :limit snapshots (one more, to tell whether a next page exists) and their events with their builds.
# Kind 0: the total (latest index); 1: a snapshot; 2: an event of a snapshot (with its snapshot's event count).
SQL_LOG_PAGE = """
WITH
page AS MATERIALIZED (
    SELECT idx, reported_at FROM snapshots WHERE org = :org AND environment = :env
    ORDER BY idx DESC LIMIT :limit + 1
),
shown AS (SELECT idx FROM page ORDER BY idx DESC LIMIT :limit),
changing AS (
    SELECT r.from_index AS idx, r.fingerprint, r.name, r.instances, 1 AS opened
    FROM shown AS p CROSS JOIN runs AS r INDEXED BY runs_opening
    ON r.org = :org AND r.environment = :env AND r.from_index = p.idx
    UNION ALL
    SELECT r.to_index, r.fingerprint, r.name, r.instances, 0
    FROM shown AS p CROSS JOIN runs AS r INDEXED BY runs_closing
    ON r.org = :org AND r.environment = :env AND r.to_index = p.idx
),
events AS (
    SELECT idx, fingerprint, coalesce(max(CASE WHEN opened THEN name END), max(name)) AS name,
           coalesce(max(CASE WHEN opened = 0 THEN instances END), 0) AS from_instances,
           coalesce(max(CASE WHEN opened THEN instances END), 0) AS to_instances
    FROM changing GROUP BY idx, fingerprint
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY idx ORDER BY name, fingerprint) AS position,
           count(*) OVER (PARTITION BY idx) AS total
    FROM events
)
SELECT 0 AS kind, latest_index, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM environments WHERE org = :org AND name = :env
UNION ALL
SELECT 1, idx, reported_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM page
UNION ALL
SELECT 2, v.idx, v.position, v.total, v.fingerprint, v.name, v.from_instances, v.to_instances, a.flow, a.name,
       c.sha, c.message, c.author
FROM ranked AS v
LEFT JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = v.fingerprint
LEFT JOIN commits AS c ON c.org = :org AND c.sha = a.git_commit
WHERE v.position <= :first
ORDER BY 1, 2 DESC, 3, 9
"""

# Where commit :sha runs now: every descendant (a graph search: UNION keeps each once), the artifacts built from
# them, their open Runs. Kind 0 is the commit itself.
SQL_WHERE = """
WITH RECURSIVE descendants(sha) AS (
    SELECT sha FROM commits WHERE org = :org AND sha = :sha
    UNION
    SELECT p.child FROM descendants AS d JOIN commit_parents AS p INDEXED BY commit_children
    ON p.org = :org AND p.parent = d.sha
)
SELECT 0 AS kind, sha, NULL, NULL, NULL, NULL FROM commits WHERE org = :org AND sha = :sha
UNION ALL
SELECT 1, r.environment, e.latest_index, a.name, a.fingerprint, a.git_commit
FROM descendants AS d
CROSS JOIN artifacts AS a INDEXED BY artifacts_by_commit ON a.org = :org AND a.git_commit = d.sha
CROSS JOIN runs AS r INDEXED BY runs_by_fingerprint
ON r.org = :org AND r.fingerprint = a.fingerprint AND r.to_index IS NULL
CROSS JOIN environments AS e ON e.org = :org AND e.name = r.environment
"""

# Commits (reported, or known from a build) and fingerprints starting with :prefix, 20 of each, with the builds
# and Runs of each fingerprint. Kind 0: a commit; 1: a fingerprint's build; 2: a fingerprint's Run.
SQL_SEARCH = """
WITH
shas AS (
    SELECT sha FROM commits WHERE org = :org AND sha >= :prefix AND sha < :prefix || 'g'
    UNION
    SELECT git_commit FROM artifacts INDEXED BY artifacts_by_commit
    WHERE org = :org AND git_commit >= :prefix AND git_commit < :prefix || 'g'
    ORDER BY 1 LIMIT :limit
),
prints AS (
    SELECT fingerprint FROM digests WHERE org = :org AND fingerprint >= :prefix AND fingerprint < :prefix || 'g'
    ORDER BY fingerprint LIMIT :limit
)
SELECT 0 AS kind, s.sha, c.message, c.author, c.timestamp, NULL, NULL
FROM shas AS s LEFT JOIN commits AS c ON c.org = :org AND c.sha = s.sha
UNION ALL
SELECT 1, f.fingerprint, a.flow, a.name, a.git_commit, NULL, NULL
FROM prints AS f
CROSS JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = :org AND a.fingerprint = f.fingerprint
UNION ALL
SELECT 2, f.fingerprint, r.environment, r.name, r.instances, r.from_index, r.to_index
FROM prints AS f CROSS JOIN runs AS r INDEXED BY runs_by_fingerprint ON r.org = :org AND r.fingerprint = f.fingerprint
ORDER BY 1, 2, 3, 6
"""

# Two latest running sets compared by fingerprint, each list in its side's (name, fingerprint) order. Kind 0: the
# two sides' latest indexes; 1: only in :source; 2: only in :target; 3: scaled; 4: unchanged. Columns: kind, the
# name the list is ordered by, fingerprint, source name and instances, target name and instances.
SQL_DIFF = """
WITH
source AS (
    SELECT fingerprint, name, instances FROM runs INDEXED BY runs_closing
    WHERE org = :org AND environment = :source AND to_index IS NULL
),
target AS (
    SELECT fingerprint, name, instances FROM runs INDEXED BY runs_closing
    WHERE org = :org AND environment = :target AND to_index IS NULL
)
SELECT 0 AS kind, NULL AS sort_name, NULL AS fingerprint, NULL,
       (SELECT latest_index FROM environments WHERE org = :org AND name = :source), NULL,
       (SELECT latest_index FROM environments WHERE org = :org AND name = :target)
UNION ALL
SELECT CASE WHEN t.fingerprint IS NULL THEN 1 WHEN s.instances <> t.instances THEN 3 ELSE 4 END,
       coalesce(t.name, s.name), s.fingerprint, s.name, s.instances, t.name, t.instances
FROM source AS s LEFT JOIN runs AS t INDEXED BY runs_by_fingerprint
ON t.org = :org AND t.fingerprint = s.fingerprint AND t.environment = :target AND t.to_index IS NULL
UNION ALL
SELECT 2, t.name, t.fingerprint, NULL, NULL, t.name, t.instances
FROM target AS t
WHERE NOT EXISTS (
    SELECT 1 FROM runs AS s INDEXED BY runs_by_fingerprint
    WHERE s.org = :org AND s.fingerprint = t.fingerprint AND s.environment = :source AND s.to_index IS NULL
)
ORDER BY 1, 2, 3
"""

# --- Cypher (Neo4j) -----------------------------------------------------------------------------------------------

# The builds of a fingerprint (through its Digest) with their commits, by flow.
_CYPHER_BUILDS = """
    OPTIONAL MATCH (:Digest {org: $org, fingerprint: item.fingerprint})<-[:HAS_DIGEST]-(a:Artifact)
    OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
    WHERE c.reported
    WITH a, c ORDER BY a.flow
"""

# The running set of snapshot $index: open Runs opened by then, plus Runs closed after it. The hints keep the
# planner off Run(org, environment, from_index), which would read every Run opened since the environment began.
_CYPHER_LIVE = """
    CALL () {
        MATCH (r:Run {org: $org, environment: $env, open: true})
        USING INDEX r:Run(org, environment, open)
        WHERE r.from_index <= $index
        RETURN r
        UNION ALL
        MATCH (r:Run {org: $org, environment: $env})
        USING INDEX r:Run(org, environment, to_index)
        WHERE r.to_index > $index AND r.from_index <= $index
        RETURN r
    }
"""

CYPHER_INCIDENT = (
    """
MATCH (e:Environment {org: $org, name: $env})
MATCH (s:Snapshot {org: $org, environment: $env, index: $index})
CALL () {"""
    + _CYPHER_LIVE
    + """
    WITH r ORDER BY r.name, r.fingerprint
    WITH collect(r {.fingerprint, .name, .instances}) AS live
    RETURN size(live) AS running_total, live[..$first] AS page
}
CALL (page) {
    UNWIND range(0, size(page) - 1) AS position
    WITH position, page[position] AS item
    CALL (item) {"""
    + _CYPHER_BUILDS
    + """
        RETURN collect([a.flow, c.sha]) AS builds
    }
    WITH position, [item.fingerprint, item.name, item.instances, builds] AS row ORDER BY position
    RETURN collect(row) AS running
}
CALL () {
    CALL () {
        MATCH (r:Run {org: $org, environment: $env, from_index: $index})
        RETURN r, true AS opened
        UNION ALL
        MATCH (r:Run {org: $org, environment: $env, to_index: $index})
        RETURN r, false AS opened
    }
    WITH r.fingerprint AS fingerprint, collect(CASE WHEN opened THEN r END)[0] AS new,
         collect(CASE WHEN NOT opened THEN r END)[0] AS old
    WITH {fingerprint: fingerprint, name: coalesce(new.name, old.name), from: coalesce(old.instances, 0),
          to: coalesce(new.instances, 0)} AS event
    ORDER BY event.name, event.fingerprint
    WITH collect(event) AS events
    RETURN size(events) AS events_total, events[..$first] AS event_page
}
CALL (event_page) {
    UNWIND range(0, size(event_page) - 1) AS position
    WITH position, event_page[position] AS item
    CALL (item) {"""
    + _CYPHER_BUILDS
    + """
        RETURN collect([a.flow, a.name, a.fingerprint, a.build_url, c.sha, c.url, c.message, c.author,
                        c.timestamp.epochSeconds * 1000000 + c.timestamp.microsecond]) AS builds
    }
    WITH position, [item.fingerprint, item.name, item.from, item.to, builds] AS row ORDER BY position
    RETURN collect(row) AS events
}
RETURN e.name AS name, e.type AS type, s.index AS index,
       s.reported_at.epochSeconds * 1000000 + s.reported_at.microsecond AS reported_at,
       running_total, running, events_total, events
"""
)

CYPHER_RUNNING_PAGE = (
    """
CALL () {"""
    + _CYPHER_LIVE
    + """
    WITH r ORDER BY r.name, r.fingerprint
    WITH collect(r {.fingerprint, .name, .instances}) AS live
    WITH live, [item IN live WHERE $after_name IS NULL
                OR [item.name, item.fingerprint] > [$after_name, $after_fingerprint]] AS rest
    RETURN size(live) AS running_total, rest[..$first] AS page
}
CALL (page) {
    UNWIND range(0, size(page) - 1) AS position
    WITH position, page[position] AS item
    CALL (item) {"""
    + _CYPHER_BUILDS
    + """
        RETURN collect([a.flow, c.sha]) AS builds
    }
    WITH position, [item.fingerprint, item.name, item.instances, builds] AS row ORDER BY position
    RETURN collect(row) AS running
}
RETURN running_total, running
"""
)

CYPHER_LOG_PAGE = (
    """
MATCH (e:Environment {org: $org, name: $env})
CALL (e) {
    MATCH (s:Snapshot {org: $org, environment: $env})
    WHERE s.index > e.latest_index - $limit - 1
    WITH s ORDER BY s.org DESC, s.environment DESC, s.index DESC
    RETURN collect(s.index) AS indexes
}
CALL (indexes) {
    UNWIND indexes[..$limit] AS index
    MATCH (s:Snapshot {org: $org, environment: $env, index: index})
    CALL (index) {
        CALL (index) {
            MATCH (r:Run {org: $org, environment: $env, from_index: index})
            RETURN r, true AS opened
            UNION ALL
            MATCH (r:Run {org: $org, environment: $env, to_index: index})
            RETURN r, false AS opened
        }
        WITH r.fingerprint AS fingerprint, collect(CASE WHEN opened THEN r END)[0] AS new,
             collect(CASE WHEN NOT opened THEN r END)[0] AS old
        WITH {fingerprint: fingerprint, name: coalesce(new.name, old.name), from: coalesce(old.instances, 0),
              to: coalesce(new.instances, 0)} AS event
        ORDER BY event.name, event.fingerprint
        WITH collect(event) AS events
        RETURN size(events) AS events_total, events[..$first] AS event_page
    }
    CALL (event_page) {
        UNWIND range(0, size(event_page) - 1) AS position
        WITH position, event_page[position] AS item
        CALL (item) {"""
    + _CYPHER_BUILDS
    + """
            RETURN collect([a.flow, a.name, c.sha, c.message, c.author]) AS builds
        }
        WITH position, [item.fingerprint, item.name, item.from, item.to, builds] AS row ORDER BY position
        RETURN collect(row) AS events
    }
    WITH index, s, events_total, events ORDER BY index DESC
    RETURN collect([index, s.reported_at.epochSeconds * 1000000 + s.reported_at.microsecond, events_total, events])
           AS snapshots
}
RETURN e.latest_index AS total, size(indexes) > $limit AS has_next, snapshots
"""
)

# Pruning breadth-first expand (DISTINCT right after the variable-length pattern): each descendant once.
CYPHER_WHERE = """
MATCH (x:Commit {org: $org, sha: $sha})
CALL (x) {
    MATCH (x)<-[:PARENT*0..]-(d:Commit)
    WITH DISTINCT d
    MATCH (a:Artifact {org: $org, git_commit: d.sha})
    MATCH (r:Run {org: $org, fingerprint: a.fingerprint})
    WHERE r.open
    MATCH (e:Environment {org: $org, name: r.environment})
    RETURN collect([r.environment, e.latest_index, a.name, a.fingerprint, a.git_commit]) AS placements
}
RETURN x.sha AS sha, placements
"""

CYPHER_SEARCH = """
CALL () {
    CALL () {
        MATCH (c:Commit {org: $org})
        WHERE c.sha STARTS WITH $prefix AND c.reported
        RETURN c.sha AS sha
        UNION
        MATCH (a:Artifact {org: $org})
        WHERE a.git_commit STARTS WITH $prefix
        RETURN a.git_commit AS sha
    }
    WITH sha ORDER BY sha LIMIT $limit
    OPTIONAL MATCH (c:Commit {org: $org, sha: sha})
    RETURN collect([sha, c.message, c.author, c.timestamp.epochSeconds * 1000000 + c.timestamp.microsecond])
           AS commits
}
CALL () {
    MATCH (d:Digest {org: $org})
    WHERE d.fingerprint STARTS WITH $prefix
    WITH d ORDER BY d.fingerprint LIMIT $limit
    RETURN collect([d.fingerprint,
                    COLLECT { MATCH (d)<-[:HAS_DIGEST]-(a:Artifact) RETURN [a.flow, a.name, a.git_commit] },
                    COLLECT { MATCH (r:Run {org: $org, fingerprint: d.fingerprint})
                              RETURN [r.environment, r.name, r.instances, r.from_index, r.to_index] }])
           AS fingerprints
}
RETURN commits, fingerprints
"""

CYPHER_DIFF = """
MATCH (source:Environment {org: $org, name: $source})
MATCH (target:Environment {org: $org, name: $target})
CALL () {
    CALL () {
        MATCH (r:Run {org: $org, environment: $source, open: true})
        OPTIONAL MATCH (t:Run {org: $org, fingerprint: r.fingerprint})
        WHERE t.environment = $target AND t.open
        RETURN [r.fingerprint, r.name, r.instances, t.name, t.instances] AS row
        UNION ALL
        MATCH (t:Run {org: $org, environment: $target, open: true})
        WHERE NOT EXISTS {
            MATCH (r:Run {org: $org, fingerprint: t.fingerprint}) WHERE r.environment = $source AND r.open
        }
        RETURN [t.fingerprint, null, null, t.name, t.instances] AS row
    }
    WITH row ORDER BY coalesce(row[3], row[1]), row[0]
    RETURN collect(row) AS rows
}
RETURN source.latest_index AS source_index, target.latest_index AS target_index, rows
"""


# --- the floors ---------------------------------------------------------------------------------------------------


class Floor(Protocol):
    """One query per operation; each answers its raw rows (or records)."""

    async def incident(self, org: str, env: str, index: int) -> Rows: ...

    async def running_page(self, org: str, env: str, index: int, after: tuple[str, str] | None) -> Rows: ...

    async def log_page(self, org: str, env: str) -> Rows: ...

    async def where(self, org: str, sha: str) -> Rows: ...

    async def search(self, org: str, prefix: str) -> Rows: ...

    async def diff(self, org: str, source: str, target: str) -> Rows: ...

    async def close(self) -> None: ...


def _after(after: tuple[str, str] | None) -> dict[str, str | None]:
    return {"after_name": after[0] if after else None, "after_fingerprint": after[1] if after else None}


class SqliteFloor:
    """The statements on their own connection to the store's file, run on the calling thread: no thread hop, no
    models, `fetchall` only."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def _rows(self, statement: str, parameters: dict[str, Any]) -> Rows:
        return self.connection.execute(statement, parameters).fetchall()

    async def incident(self, org: str, env: str, index: int) -> Rows:
        return self._rows(SQL_INCIDENT, {"org": org, "env": env, "index": index, "first": PAGE})

    async def running_page(self, org: str, env: str, index: int, after: tuple[str, str] | None) -> Rows:
        return self._rows(SQL_RUNNING_PAGE, {"org": org, "env": env, "index": index, "first": PAGE, **_after(after)})

    async def log_page(self, org: str, env: str) -> Rows:
        return self._rows(SQL_LOG_PAGE, {"org": org, "env": env, "limit": LOG_PAGE, "first": PAGE})

    async def where(self, org: str, sha: str) -> Rows:
        return self._rows(SQL_WHERE, {"org": org, "sha": sha})

    async def search(self, org: str, prefix: str) -> Rows:
        return self._rows(SQL_SEARCH, {"org": org, "prefix": prefix, "limit": SEARCH_MATCHES})

    async def diff(self, org: str, source: str, target: str) -> Rows:
        return self._rows(SQL_DIFF, {"org": org, "source": source, "target": target})

    async def close(self) -> None:
        self.connection.close()


class CypherFloor:
    """The queries as auto-commit transactions of one session each (the least the driver does per query), every
    record consumed as the driver decodes it."""

    def __init__(self, uri: str) -> None:
        from neo4j import AsyncGraphDatabase

        self.driver = AsyncGraphDatabase.driver(uri, auth=None)

    async def _rows(self, query: str, parameters: dict[str, Any]) -> Rows:
        from neo4j import Query

        async with self.driver.session() as session:
            result = await session.run(Query(query, timeout=TIMEOUT_S), parameters)
            return [record.values() async for record in result]

    async def incident(self, org: str, env: str, index: int) -> Rows:
        return await self._rows(CYPHER_INCIDENT, {"org": org, "env": env, "index": index, "first": PAGE})

    async def running_page(self, org: str, env: str, index: int, after: tuple[str, str] | None) -> Rows:
        parameters = {"org": org, "env": env, "index": index, "first": PAGE, **_after(after)}
        return await self._rows(CYPHER_RUNNING_PAGE, parameters)

    async def log_page(self, org: str, env: str) -> Rows:
        return await self._rows(CYPHER_LOG_PAGE, {"org": org, "env": env, "limit": LOG_PAGE, "first": PAGE})

    async def where(self, org: str, sha: str) -> Rows:
        return await self._rows(CYPHER_WHERE, {"org": org, "sha": sha})

    async def search(self, org: str, prefix: str) -> Rows:
        return await self._rows(CYPHER_SEARCH, {"org": org, "prefix": prefix, "limit": SEARCH_MATCHES})

    async def diff(self, org: str, source: str, target: str) -> Rows:
        return await self._rows(CYPHER_DIFF, {"org": org, "source": source, "target": target})

    async def close(self) -> None:
        await self.driver.close()
