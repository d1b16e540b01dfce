"""Read transactions of the embedded store: plain functions of a connection, each run inside one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from tracegraph.errors import InvalidInput, TracegraphError
from tracegraph.graph import assembly, instances, not_found, prefixes, selectors, trails
from tracegraph.graph.ancestry import AncestryIndex, Candidate, CommitEdges, CommitGraph
from tracegraph.graph.embedded import rows
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.model import Artifact, Attestation, Commit, Deployment, Environment, Snapshot, Trail
from tracegraph.graph.policies import policy_compliance
from tracegraph.graph.rules import MAX_SEARCH_MATCHES
from tracegraph.graph.selectors import LogQuery, SelectorKind, SnapshotSelector
from tracegraph.graph.views import (
    ArtifactDetail,
    CommitPlacements,
    DiffSide,
    DigestMatch,
    EnvironmentVersions,
    Event,
    Instance,
    LogPage,
    Placement,
    Provenance,
    RunningArtifact,
    SearchResult,
    SnapshotDetail,
    SnapshotDiff,
    SnapshotEvents,
    SnapshotSummary,
    TrailDetail,
)
from tracegraph.graph.windows import WHOLE_SNAPSHOT, SnapshotParts, Window
from tracegraph.ingest.running_set import EventShape, OpenRun, events_at

SELECT_ORG = "SELECT * FROM orgs WHERE name = ?"
# A flow with the time of its newest deployment (the highest number: deployments are numbered as reported).
SELECT_FLOWS = """
    SELECT f.*, (
        SELECT d.reported_at FROM deployments d WHERE d.org = f.org AND d.flow = f.name ORDER BY d.number DESC LIMIT 1
    ) AS last_deployment_at
    FROM flows f WHERE f.org = ?
"""
SELECT_FLOW = SELECT_FLOWS + " AND f.name = ?"
SELECT_ENVIRONMENT = "SELECT * FROM environments WHERE org = ? AND name = ?"
SELECT_SNAPSHOT = "SELECT * FROM snapshots WHERE org = ? AND environment = ? AND idx = ?"
SELECT_SNAPSHOT_AT = """
    SELECT idx FROM snapshots WHERE org = ? AND environment = ? AND reported_at <= ?
    ORDER BY reported_at DESC, idx DESC LIMIT 1
"""
SELECT_OPEN_RUNS = "SELECT * FROM runs WHERE org = ? AND environment = ? AND to_index IS NULL"
SELECT_RUNS_AT = """
    SELECT * FROM runs WHERE org = :org AND environment = :environment AND from_index <= :index
    AND (to_index IS NULL OR to_index > :index)
"""
# A window of the running set of snapshot :index, in (name, fingerprint) order: keyset and limit in the statement,
# so a page reads its own rows only. The latest snapshot's set is the open Runs (runs_closing: to_index IS NULL);
# an older one's, the Runs opened by then and not closed (runs_opening). Statements are assembled from constants.
_OPEN_RUNS = (
    " FROM runs AS r INDEXED BY runs_closing WHERE r.org = :org AND r.environment = :environment AND r.to_index IS NULL"
)
_RUNS_AT = (
    " FROM runs AS r INDEXED BY runs_opening WHERE r.org = :org AND r.environment = :environment"
    " AND r.from_index <= :index AND (r.to_index IS NULL OR r.to_index > :index)"
)
_WINDOW = """
    AND (:after_name IS NULL OR (r.name, r.fingerprint) > (:after_name, :after_fingerprint))
    AND (:before_name IS NULL OR (r.name, r.fingerprint) < (:before_name, :before_fingerprint))
"""
_ITEMS = "SELECT r.fingerprint, r.name, r.instances, r.from_index, r.started_at"
_FORWARD = " ORDER BY r.name, r.fingerprint LIMIT :limit"
_BACKWARD = " ORDER BY r.name DESC, r.fingerprint DESC LIMIT :limit"
SELECT_OPEN_WINDOW = _ITEMS + _OPEN_RUNS + _WINDOW + _FORWARD
SELECT_OPEN_WINDOW_BACK = _ITEMS + _OPEN_RUNS + _WINDOW + _BACKWARD
SELECT_AT_WINDOW = _ITEMS + _RUNS_AT + _WINDOW + _FORWARD
SELECT_AT_WINDOW_BACK = _ITEMS + _RUNS_AT + _WINDOW + _BACKWARD
COUNT_OPEN = "SELECT count(*)" + _OPEN_RUNS
COUNT_AT = "SELECT count(*)" + _RUNS_AT
# Compliant: no running fingerprint lacks a build, and none of its builds has a failed attestation.
_NOT_COMPLIANT = """
    AND (NOT EXISTS (SELECT 1 FROM artifacts AS a INDEXED BY artifacts_by_fingerprint
                     WHERE a.org = r.org AND a.fingerprint = r.fingerprint)
         OR EXISTS (SELECT 1 FROM artifacts AS a INDEXED BY artifacts_by_fingerprint
                    CROSS JOIN attestations AS t INDEXED BY attestations_by_state
                    ON t.org = a.org AND t.flow = a.flow AND t.fingerprint = a.fingerprint AND t.compliant = 0
                    WHERE a.org = r.org AND a.fingerprint = r.fingerprint))
"""
SELECT_OPEN_NOT_COMPLIANT = "SELECT EXISTS (SELECT 1" + _OPEN_RUNS + _NOT_COMPLIANT + ")"
SELECT_AT_NOT_COMPLIANT = "SELECT EXISTS (SELECT 1" + _RUNS_AT + _NOT_COMPLIANT + ")"
# A window's Runs by (fingerprint, from_index): seeks on runs_by_fingerprint.
SELECT_INSTANCES_DETAIL = """
    SELECT r.fingerprint, r.instances_detail FROM json_each(:runs) AS k
    JOIN runs AS r INDEXED BY runs_by_fingerprint ON r.org = :org AND r.fingerprint = json_extract(k.value, '$[0]')
    AND r.environment = :environment AND r.from_index = json_extract(k.value, '$[1]')
"""
# Snapshot summaries: the snapshots asked for, the Runs spanning their range, and which of those fail compliance.
SELECT_SNAPSHOTS_IN = """
    SELECT idx, reported_at FROM snapshots WHERE org = ? AND environment = ? AND idx IN (SELECT value FROM json_each(?))
"""
SELECT_RUNS_SPANNING = """
    SELECT r.fingerprint, r.from_index, r.to_index FROM runs AS r INDEXED BY runs_opening
    WHERE r.org = :org AND r.environment = :environment AND r.from_index <= :high
    AND (r.to_index IS NULL OR r.to_index > :low)
"""
_GIVEN_FINGERPRINTS = (
    " FROM (SELECT DISTINCT value AS fingerprint, :org AS org FROM json_each(:fingerprints)) AS r WHERE 1"
)
SELECT_FAILING = "SELECT r.fingerprint" + _GIVEN_FINGERPRINTS + _NOT_COMPLIANT
SELECT_RUNS_CHANGING_AT = """
    SELECT * FROM runs WHERE org = :org AND environment = :environment
    AND from_index IN (SELECT value FROM json_each(:indexes))
    UNION ALL
    SELECT * FROM runs WHERE org = :org AND environment = :environment
    AND to_index IN (SELECT value FROM json_each(:indexes))
"""
SELECT_ARTIFACTS_BY_FINGERPRINTS = """
    SELECT a.* FROM artifact_states a
    WHERE a.org = ? AND a.fingerprint IN (SELECT value FROM json_each(?))
    ORDER BY a.fingerprint, a.flow
"""
SELECT_COMMITS = "SELECT * FROM commits WHERE org = ? AND sha IN (SELECT value FROM json_each(?))"
SELECT_PARENTS = """
    SELECT child, parent FROM commit_parents WHERE org = ? AND child IN (SELECT value FROM json_each(?))
    ORDER BY child, position
"""
# INDEXED BY / CROSS JOIN below: without statistics (no ANALYZE) SQLite prefers a WITHOUT ROWID table's primary key
# on `org` alone to a secondary index matching every column, and scans the org's whole table (see BENCHMARKS.md).
SELECT_DEPLOYMENTS_TO = """
    SELECT * FROM deployments INDEXED BY deployments_by_fingerprint
    WHERE org = ? AND environment = ? AND fingerprint IN (SELECT value FROM json_each(?))
    ORDER BY flow, number
"""
SELECT_LOG_DESC = """
    SELECT * FROM snapshots s
    WHERE s.org = :org AND s.environment = :environment
    AND s.idx >= :min_index AND s.idx <= :max_index AND s.idx < :before AND s.idx > :after
    AND s.reported_at >= :since AND s.reported_at <= :until
    AND ((:flow IS NULL AND :repos IS NULL) OR EXISTS (
        SELECT 1 FROM runs r JOIN artifacts a ON a.org = r.org AND a.fingerprint = r.fingerprint
        WHERE r.org = s.org AND r.environment = s.environment AND (r.from_index = s.idx OR r.to_index = s.idx)
        AND (:flow IS NULL OR a.flow = :flow)
        AND (:repos IS NULL OR EXISTS (
            SELECT 1 FROM commits c WHERE c.org = a.org AND c.sha = a.git_commit
            AND c.repo_url IN (SELECT value FROM json_each(:repos))))))
    ORDER BY s.idx DESC LIMIT :limit
"""
SELECT_LOG_ASC = SELECT_LOG_DESC.replace("ORDER BY s.idx DESC", "ORDER BY s.idx ASC")
COUNT_LOG = """
    SELECT count(*) FROM snapshots s
    WHERE s.org = :org AND s.environment = :environment
    AND s.idx >= :min_index AND s.idx <= :max_index
    AND s.reported_at >= :since AND s.reported_at <= :until
    AND ((:flow IS NULL AND :repos IS NULL) OR EXISTS (
        SELECT 1 FROM runs r JOIN artifacts a ON a.org = r.org AND a.fingerprint = r.fingerprint
        WHERE r.org = s.org AND r.environment = s.environment AND (r.from_index = s.idx OR r.to_index = s.idx)
        AND (:flow IS NULL OR a.flow = :flow)
        AND (:repos IS NULL OR EXISTS (
            SELECT 1 FROM commits c WHERE c.org = a.org AND c.sha = a.git_commit
            AND c.repo_url IN (SELECT value FROM json_each(:repos))))))
"""
SELECT_ARTIFACT_PREFIX = """
    SELECT fingerprint FROM artifacts WHERE org = :org AND flow = :flow
    AND fingerprint >= :prefix AND fingerprint < :prefix || 'g' ORDER BY fingerprint LIMIT :limit
"""
SELECT_ARTIFACT_KEYS = """
    SELECT a.* FROM json_each(:keys) k
    CROSS JOIN artifact_states a ON a.org = :org AND a.flow = json_extract(k.value, '$[0]')
    AND a.fingerprint = json_extract(k.value, '$[1]')
"""
SELECT_ARTIFACT_DEPLOYMENTS = """
    SELECT d.* FROM json_each(:keys) k
    JOIN deployments d ON d.org = :org AND d.flow = json_extract(k.value, '$[0]')
    AND d.fingerprint = json_extract(k.value, '$[1]')
    ORDER BY d.reported_at, d.number
"""
SELECT_ARTIFACT_ATTESTATIONS = """
    SELECT t.* FROM json_each(:keys) k
    JOIN attestations t INDEXED BY attestations_by_artifact ON t.org = :org AND t.flow = json_extract(k.value, '$[0]')
    AND t.fingerprint = json_extract(k.value, '$[1]')
    ORDER BY t.reported_at, t.id
"""
SELECT_RUNS_OF_FINGERPRINTS = """
    SELECT r.*, s1.reported_at AS started_at, s2.reported_at AS stopped_at
    FROM runs r
    JOIN snapshots s1 ON s1.org = r.org AND s1.environment = r.environment AND s1.idx = r.from_index
    LEFT JOIN snapshots s2 ON s2.org = r.org AND s2.environment = r.environment AND s2.idx = r.to_index
    WHERE r.org = ? AND r.fingerprint IN (SELECT value FROM json_each(?))
    ORDER BY r.fingerprint, r.environment, r.from_index
"""
SELECT_KNOWN_SHAS = """
    SELECT sha FROM commits WHERE org = :org AND sha >= :prefix AND sha < :prefix || 'g'
    UNION
    SELECT git_commit FROM artifacts WHERE org = :org AND git_commit >= :prefix AND git_commit < :prefix || 'g'
    ORDER BY 1 LIMIT :limit
"""
SELECT_DIGEST_PREFIX = """
    SELECT fingerprint FROM digests WHERE org = :org AND fingerprint >= :prefix AND fingerprint < :prefix || 'g'
    ORDER BY fingerprint LIMIT :limit
"""
SELECT_COMMIT_ARTIFACTS = """
    SELECT flow, fingerprint FROM artifacts INDEXED BY artifacts_by_commit WHERE org = :org AND git_commit = :sha
    AND (:flow IS NULL OR flow = :flow)
    ORDER BY created_at DESC, flow, fingerprint
"""
# The artifacts that run now (or ran) with their commits: the candidates of "where is this commit running?". One
# environment at a time through runs_closing, so only open Runs are read for the current ones.
SELECT_RUNNING_CANDIDATES = """
    SELECT DISTINCT a.flow, a.fingerprint, a.git_commit FROM environments AS e
    CROSS JOIN runs AS r INDEXED BY runs_closing ON r.org = e.org AND r.environment = e.name AND r.to_index IS NULL
    CROSS JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = r.org AND a.fingerprint = r.fingerprint
    WHERE e.org = ? AND a.git_commit IS NOT NULL
"""
SELECT_PLACED_CANDIDATES = """
    SELECT DISTINCT a.flow, a.fingerprint, a.git_commit
    FROM (SELECT DISTINCT fingerprint FROM runs INDEXED BY runs_by_fingerprint WHERE org = ?1) AS r
    CROSS JOIN artifacts AS a INDEXED BY artifacts_by_fingerprint ON a.org = ?1 AND a.fingerprint = r.fingerprint
    WHERE a.git_commit IS NOT NULL
"""
# The same, directed by the commit graph: only artifacts built from the commits named (a walk's descendants and the
# commits whose history is incomplete) or from a sha known only from builds (tracegraph/graph/ancestry.py). Each
# commit's artifacts through artifacts_by_commit, then whether a Run of the fingerprint is open (or ever was).
_DIRECTED_CANDIDATES = """
    SELECT DISTINCT a.flow, a.fingerprint, a.git_commit
    FROM (SELECT value AS sha FROM json_each(:shas) UNION SELECT sha FROM build_commits WHERE org = :org) AS c
    CROSS JOIN artifacts AS a INDEXED BY artifacts_by_commit ON a.org = :org AND a.git_commit = c.sha
    WHERE EXISTS (SELECT 1 FROM runs AS r INDEXED BY runs_by_fingerprint
                  WHERE r.org = :org AND r.fingerprint = a.fingerprint"""
SELECT_RUNNING_CANDIDATES_OF = _DIRECTED_CANDIDATES + " AND r.to_index IS NULL)"
SELECT_PLACED_CANDIDATES_OF = _DIRECTED_CANDIDATES + ")"
SELECT_COMMIT_SEQ = "SELECT created_at, commit_seq FROM orgs WHERE name = ?"
SELECT_CHANGED_COMMITS = """
    SELECT c.sha, c.parents_known, (SELECT json_group_array(p.parent) FROM commit_parents AS p
                                   WHERE p.org = c.org AND p.child = c.sha) AS parents
    FROM commits AS c INDEXED BY commits_by_seq WHERE c.org = ? AND c.seq > ?
"""
SELECT_LIST_ARTIFACTS = """
    SELECT a.* FROM artifact_states a WHERE a.org = :org AND a.flow = :flow
    AND (:after_created IS NULL OR (a.created_at, a.fingerprint) < (:after_created, :after))
    ORDER BY a.created_at DESC, a.fingerprint DESC LIMIT :limit
"""
# Artifacts built from a reported commit of a repository, newest first (keyset on created_at, flow, fingerprint).
SELECT_REPO_ARTIFACTS = """
    SELECT a.* FROM commits c JOIN artifact_states a ON a.org = c.org AND a.git_commit = c.sha
    WHERE c.org = :org AND c.repo_url = :repo_url
    AND (:after_created IS NULL OR (a.created_at, a.flow, a.fingerprint) < (:after_created, :after_flow, :after))
    ORDER BY a.created_at DESC, a.flow DESC, a.fingerprint DESC LIMIT :limit
"""
SELECT_ARTIFACT_CREATED = "SELECT created_at FROM artifacts WHERE org = ? AND flow = ? AND fingerprint = ?"
SELECT_TRAIL = "SELECT * FROM trails WHERE org = ? AND flow = ? AND name = ?"
SELECT_TRAIL_ARTIFACTS = """
    SELECT a.* FROM artifact_states a WHERE a.org = ? AND a.flow = ? AND a.trail = ?
"""
SELECT_TRAIL_ATTESTATIONS = """
    SELECT t.* FROM artifacts a
    JOIN attestations t INDEXED BY attestations_by_artifact ON t.org = a.org AND t.flow = a.flow
    AND t.fingerprint = a.fingerprint
    WHERE a.org = ? AND a.flow = ? AND a.trail = ?
"""
SELECT_OWN_ATTESTATIONS = "SELECT * FROM trail_attestations WHERE org = ? AND flow = ? AND trail = ?"
SELECT_TRAIL_ATTESTATION = "SELECT * FROM trail_attestations WHERE org = ? AND id = ?"
SELECT_LIST_TRAILS = """
    SELECT t.* FROM trails t INDEXED BY trails_by_age WHERE t.org = :org AND t.flow = :flow
    AND (:after_created IS NULL OR (t.created_at, t.name) < (:after_created, :after))
    ORDER BY t.created_at DESC, t.name DESC LIMIT :limit
"""

_NO_LIMIT = 2**62


# --- topology -------------------------------------------------------------------------------------------------


def require_org(connection: sqlite3.Connection, org: str) -> None:
    if connection.execute(SELECT_ORG, (org,)).fetchone() is None:
        raise not_found.org(org)


def require_flow(connection: sqlite3.Connection, org: str, name: str) -> None:
    if connection.execute(SELECT_FLOW, (org, name)).fetchone() is None:
        require_org(connection, org)
        raise not_found.flow(org, name)


def environment(connection: sqlite3.Connection, org: str, name: str) -> Environment:
    row = connection.execute(SELECT_ENVIRONMENT, (org, name)).fetchone()
    if row is None:
        require_org(connection, org)
        raise not_found.environment(org, name)
    return rows.environment(row)


def snapshot_row(connection: sqlite3.Connection, env: Environment, index: int) -> Snapshot:
    row = connection.execute(SELECT_SNAPSHOT, (env.org, env.name, index)).fetchone()
    if row is None:
        raise not_found.snapshot(env.name, index, env.latest_index)
    return rows.snapshot(row)


def resolve_index(connection: sqlite3.Connection, env: Environment, selector: SnapshotSelector) -> int:
    found_at = None
    if selector.kind is SelectorKind.AT_TIME and selector.at is not None and env.latest_index:
        row = connection.execute(SELECT_SNAPSHOT_AT, (env.org, env.name, to_micros(selector.at))).fetchone()
        found_at = None if row is None else int(row["idx"])
    return selectors.resolve_index(env, selector, found_at)


# --- provenance -------------------------------------------------------------------------------------------------


def _json(values: Iterable[object]) -> str:
    return json.dumps(list(values))


def commits(connection: sqlite3.Connection, org: str, shas: Iterable[str]) -> dict[str, Commit]:
    """Reported commits by sha, with their parents in order."""
    wanted = _json(set(shas))
    parents: dict[str, list[str]] = defaultdict(list)
    for row in connection.execute(SELECT_PARENTS, (org, wanted)):
        parents[row["child"]].append(row["parent"])
    return {
        row["sha"]: rows.commit(row, tuple(parents[row["sha"]]))
        for row in connection.execute(SELECT_COMMITS, (org, wanted))
    }


def provenance_of(artifacts: Sequence[Artifact], known: dict[str, Commit]) -> dict[str, tuple[Provenance, ...]]:
    by_fingerprint: dict[str, list[Provenance]] = defaultdict(list)
    for item in artifacts:
        commit = known.get(item.git_commit) if item.git_commit else None
        by_fingerprint[item.fingerprint].append(Provenance(artifact=item, commit=commit))
    return {fingerprint: tuple(found) for fingerprint, found in by_fingerprint.items()}


def provenance(
    connection: sqlite3.Connection, org: str, fingerprints: Iterable[str]
) -> dict[str, tuple[Provenance, ...]]:
    """Every artifact of each fingerprint (by flow), with its commit."""
    found = [
        rows.artifact(row)
        for row in connection.execute(SELECT_ARTIFACTS_BY_FINGERPRINTS, (org, _json(set(fingerprints))))
    ]
    known = commits(connection, org, (item.git_commit for item in found if item.git_commit))
    return provenance_of(found, known)


def _deployments_to(
    connection: sqlite3.Connection, org: str, environment_name: str, fingerprints: Iterable[str]
) -> dict[str, tuple[Deployment, ...]]:
    found: dict[str, list[Deployment]] = defaultdict(list)
    for row in connection.execute(SELECT_DEPLOYMENTS_TO, (org, environment_name, _json(set(fingerprints)))):
        found[row["fingerprint"]].append(rows.deployment(row))
    return {fingerprint: tuple(items) for fingerprint, items in found.items()}


# --- snapshots --------------------------------------------------------------------------------------------------


def _open_run(row: sqlite3.Row) -> OpenRun:
    return OpenRun(row["fingerprint"], row["name"], row["instances"])


def event_shapes(
    connection: sqlite3.Connection, env: Environment, indexes: Sequence[int]
) -> dict[int, list[EventShape]]:
    """What changed at each snapshot index, as plain shapes ordered by name, then fingerprint."""
    opened: dict[int, list[OpenRun]] = defaultdict(list)
    closed: dict[int, list[OpenRun]] = defaultdict(list)
    wanted = set(indexes)
    parameters = {"org": env.org, "environment": env.name, "indexes": _json(wanted)}
    for row in connection.execute(SELECT_RUNS_CHANGING_AT, parameters):
        if row["from_index"] in wanted:
            opened[row["from_index"]].append(_open_run(row))
        if row["to_index"] in wanted:
            closed[row["to_index"]].append(_open_run(row))
    return {index: events_at(opened[index], closed[index]) for index in indexes}


def build_events(
    connection: sqlite3.Connection,
    env: Environment,
    shapes: Mapping[int, Sequence[EventShape]],
    with_provenance: bool = True,
    with_deployments: bool = True,
    flow: str | None = None,
    repo_urls: Sequence[str] = (),
) -> dict[int, tuple[Event, ...]]:
    """Events from their shapes, by snapshot index, with provenance and deployments when asked (only those touching
    `flow` and `repo_urls`): one read of each for every index together."""
    fingerprints = {shape.fingerprint for found in shapes.values() for shape in found}
    known = provenance(connection, env.org, fingerprints) if with_provenance or flow or repo_urls else {}
    deployed = _deployments_to(connection, env.org, env.name, fingerprints) if with_deployments else {}
    return {index: assembly.events(found, known, deployed, flow, repo_urls) for index, found in shapes.items()}


def events(
    connection: sqlite3.Connection,
    env: Environment,
    indexes: Sequence[int],
    flow: str | None = None,
    repo_urls: Sequence[str] = (),
    *,
    with_provenance: bool = True,
    with_deployments: bool = True,
) -> dict[int, tuple[Event, ...]]:
    """The events of each snapshot index (only those touching `flow`'s artifacts and `repo_urls` when given)."""
    shapes = event_shapes(connection, env, indexes)
    return build_events(connection, env, shapes, with_provenance, with_deployments, flow, repo_urls)


def running(
    connection: sqlite3.Connection,
    env: Environment,
    index: int,
    known: dict[str, tuple[Provenance, ...]] | None = None,
    *,
    with_provenance: bool = True,
) -> tuple[RunningArtifact, ...]:
    """The running set of snapshot `index`, by observed name then fingerprint. `known` caches provenance across
    calls of one transaction (a diff's two sides mostly run the same artifacts)."""
    if index == env.latest_index:
        found = connection.execute(SELECT_OPEN_RUNS, (env.org, env.name)).fetchall()
    else:
        found = connection.execute(SELECT_RUNS_AT, {"org": env.org, "environment": env.name, "index": index}).fetchall()
    if known is None:
        known = {}
    if with_provenance:
        missing = {row["fingerprint"] for row in found} - known.keys()
        known.update(provenance(connection, env.org, missing))
    items = [
        RunningArtifact(
            fingerprint=row["fingerprint"],
            name=row["name"],
            instances=row["instances"],
            since_index=row["from_index"],
            since=from_micros(row["started_at"]),
            artifacts=known.get(row["fingerprint"], ()),
        )
        for row in found
    ]
    return tuple(sorted(items, key=lambda item: (item.name, item.fingerprint)))


def _window_parameters(env: Environment, index: int, window: Window) -> dict[str, object]:
    after = None if window.backward else window.key
    before = window.key if window.backward else None
    return {
        "org": env.org,
        "environment": env.name,
        "index": index,
        "after_name": after[0] if after else None,
        "after_fingerprint": after[1] if after else None,
        "before_name": before[0] if before else None,
        "before_fingerprint": before[1] if before else None,
        "limit": -1 if window.limit is None else window.limit,
    }


def running_window(
    connection: sqlite3.Connection,
    env: Environment,
    index: int,
    window: Window,
    *,
    with_provenance: bool,
    with_instances: bool = False,
) -> tuple[RunningArtifact, ...]:
    latest = index == env.latest_index
    if window.backward:
        statement = SELECT_OPEN_WINDOW_BACK if latest else SELECT_AT_WINDOW_BACK
    else:
        statement = SELECT_OPEN_WINDOW if latest else SELECT_AT_WINDOW
    found = connection.execute(statement, _window_parameters(env, index, window)).fetchall()
    if window.backward:
        found.reverse()
    known = provenance(connection, env.org, {row[0] for row in found}) if with_provenance else {}
    detail = instances_detail(connection, env, [(row[0], row[3]) for row in found]) if with_instances else None
    return assembly.running_items(
        ((name, fp, count, since, from_micros(at)) for fp, name, count, since, at in found), known, detail
    )


def instances_detail(
    connection: sqlite3.Connection, env: Environment, runs: Sequence[tuple[str, int]]
) -> dict[str, tuple[Instance, ...]]:
    """The instances detail of the Runs (fingerprint, from_index) of a window, by fingerprint."""
    parameters = {"org": env.org, "environment": env.name, "runs": _json([list(run) for run in runs])}
    return {
        row["fingerprint"]: instances.load(row["instances_detail"])
        for row in connection.execute(SELECT_INSTANCES_DETAIL, parameters)
    }


def snapshot_detail(
    connection: sqlite3.Connection,
    org: str,
    environment_name: str,
    selector: SnapshotSelector,
    parts: SnapshotParts = WHOLE_SNAPSHOT,
) -> SnapshotDetail:
    env = environment(connection, org, environment_name)
    index = resolve_index(connection, env, selector)
    latest = index == env.latest_index
    scope = {"org": org, "environment": env.name, "index": index}
    shapes = event_shapes(connection, env, [index])[index]
    events_page = parts.events.take(shapes, lambda shape: (shape.name, shape.fingerprint)) if parts.events else []
    compliant = None
    if parts.compliance:
        statement = SELECT_OPEN_NOT_COMPLIANT if latest else SELECT_AT_NOT_COMPLIANT
        compliant = not connection.execute(statement, scope).fetchone()[0]
        compliant = evaluated_compliance(connection, env, [index]).get(index, compliant)
    return SnapshotDetail(
        environment=env,
        snapshot=snapshot_row(connection, env, index),
        parts=parts,
        events=build_events(connection, env, {index: events_page}, parts.provenance, parts.deployments)[index],
        events_total=len(shapes),
        running=()
        if parts.running is None
        else running_window(
            connection, env, index, parts.running, with_provenance=parts.provenance, with_instances=parts.instances
        ),
        running_total=connection.execute(COUNT_OPEN if latest else COUNT_AT, scope).fetchone()[0],
        compliant=compliant,
    )


def snapshot_summaries(
    connection: sqlite3.Connection, org: str, environment_name: str, wanted: Sequence[int]
) -> list[SnapshotSummary]:
    env = environment(connection, org, environment_name)
    found = sorted((row[0], row[1]) for row in connection.execute(SELECT_SNAPSHOTS_IN, (org, env.name, _json(wanted))))
    if not found:
        return []
    scope = {"org": org, "environment": env.name, "low": found[0][0], "high": found[-1][0]}
    runs = connection.execute(SELECT_RUNS_SPANNING, scope).fetchall()
    fingerprints = _json({row[0] for row in runs})
    failing = {row[0] for row in connection.execute(SELECT_FAILING, {"org": org, "fingerprints": fingerprints})}
    found_summaries = instances.summaries(
        ((index, from_micros(at)) for index, at in found), ((fp, first, end) for fp, first, end in runs), failing
    )
    return policy_compliance(found_summaries, evaluated_compliance(connection, env, [index for index, _ in found]))


# A snapshot evaluated against policies (embedded/policies.py) answers by its evaluation.
SELECT_EVALUATED = """
    SELECT idx, compliant FROM snapshot_evaluations WHERE org = ? AND environment = ?
    AND idx IN (SELECT value FROM json_each(?))
"""


def evaluated_compliance(connection: sqlite3.Connection, env: Environment, indexes: Sequence[int]) -> dict[int, bool]:
    """The stored policy compliance of those of `indexes` that were evaluated."""
    found = connection.execute(SELECT_EVALUATED, (env.org, env.name, _json(list(indexes))))
    return {row[0]: bool(row[1]) for row in found}


def environment_log(connection: sqlite3.Connection, query: LogQuery) -> LogPage:
    env = environment(connection, query.org, query.environment)
    if query.flow is not None:
        require_flow(connection, query.org, query.flow)
    filters = {
        "org": query.org,
        "environment": query.environment,
        "min_index": query.min_index or 0,
        "max_index": query.max_index or _NO_LIMIT,
        "since": to_micros(query.since) if query.since else -_NO_LIMIT,
        "until": to_micros(query.until) if query.until else _NO_LIMIT,
        "flow": query.flow,
        "repos": _json(query.repo_urls) if query.repo_urls else None,
    }
    page = {
        **filters,
        "before": query.before or _NO_LIMIT,
        "after": query.after or 0,
        "limit": query.limit + 1,
    }
    found = [
        rows.snapshot(row)
        for row in connection.execute(SELECT_LOG_ASC if query.oldest_first else SELECT_LOG_DESC, page)
    ]
    has_more = len(found) > query.limit
    found = found[: query.limit]
    total = connection.execute(COUNT_LOG, filters).fetchone()[0]
    found_events = events(
        connection,
        env,
        [item.index for item in found],
        query.flow,
        query.repo_urls,
        with_provenance=query.provenance,
        with_deployments=query.deployments,
    )
    return LogPage(
        environment=env,
        snapshots=tuple(SnapshotEvents(snapshot=item, events=found_events[item.index]) for item in found),
        total=total,
        has_more=has_more,
    )


# --- artifacts --------------------------------------------------------------------------------------------------


def placements(
    connection: sqlite3.Connection, org: str, fingerprints: Iterable[str]
) -> dict[str, tuple[Placement, ...]]:
    """Where each fingerprint runs or ran (`assembly.placements`)."""
    spans = [
        assembly.RunSpan(
            environment=row["environment"],
            fingerprint=row["fingerprint"],
            name=row["name"],
            instances=row["instances"],
            from_index=row["from_index"],
            to_index=row["to_index"],
            started_at=from_micros(row["started_at"]),
            stopped_at=from_micros(row["stopped_at"]) if row["stopped_at"] is not None else None,
        )
        for row in connection.execute(SELECT_RUNS_OF_FINGERPRINTS, (org, _json(set(fingerprints))))
    ]
    return assembly.placements(spans)


def artifact_details(connection: sqlite3.Connection, org: str, keys: Sequence[tuple[str, str]]) -> list[ArtifactDetail]:
    """Details of artifacts given as (flow, fingerprint), in the order given."""
    parameters = {"org": org, "keys": _json(keys)}
    found = {
        (row["flow"], row["fingerprint"]): rows.artifact(row)
        for row in connection.execute(SELECT_ARTIFACT_KEYS, parameters)
    }
    known = commits(connection, org, (item.git_commit for item in found.values() if item.git_commit))
    deployed: dict[tuple[str, str], list[Deployment]] = defaultdict(list)
    for row in connection.execute(SELECT_ARTIFACT_DEPLOYMENTS, parameters):
        deployed[(row["flow"], row["fingerprint"])].append(rows.deployment(row))
    attested: dict[tuple[str, str], list[Attestation]] = defaultdict(list)
    for row in connection.execute(SELECT_ARTIFACT_ATTESTATIONS, parameters):
        attested[(row["flow"], row["fingerprint"])].append(rows.attestation(row))
    where = placements(connection, org, {fingerprint for _, fingerprint in keys})
    details = []
    for key in keys:
        item = found[key]
        origin = Provenance(artifact=item, commit=known.get(item.git_commit) if item.git_commit else None)
        details.append(
            ArtifactDetail(
                provenance=origin,
                deployments=tuple(deployed[key]),
                attestations=tuple(attested[key]),
                placements=where.get(key[1], ()),
                history=assembly.history(origin, deployed[key], attested[key], where.get(key[1], ())),
            )
        )
    return details


def artifact_by_prefix(connection: sqlite3.Connection, org: str, flow: str, prefix: str) -> ArtifactDetail:
    require_flow(connection, org, flow)
    parameters = {"org": org, "flow": flow, "prefix": prefix, "limit": prefixes.CANDIDATES + 1}
    found = [row["fingerprint"] for row in connection.execute(SELECT_ARTIFACT_PREFIX, parameters)]
    return artifact_details(connection, org, [(flow, prefixes.artifact(flow, prefix, found))])[0]


def list_artifacts(
    connection: sqlite3.Connection, org: str, flow: str, limit: int, after: str | None
) -> list[Artifact]:
    require_flow(connection, org, flow)
    after_created = None
    if after is not None:
        row = connection.execute(SELECT_ARTIFACT_CREATED, (org, flow, after)).fetchone()
        if row is None:
            raise InvalidInput("after", f"no artifact '{after}' in flow '{flow}' to page after")
        after_created = row["created_at"]
    parameters = {"org": org, "flow": flow, "after_created": after_created, "after": after, "limit": limit}
    return [rows.artifact(row) for row in connection.execute(SELECT_LIST_ARTIFACTS, parameters)]


def list_artifacts_of_repo(
    connection: sqlite3.Connection, org: str, repo_url: str, limit: int, after: tuple[str, str] | None
) -> list[Artifact]:
    require_org(connection, org)
    after_created = None
    if after is not None:
        row = connection.execute(SELECT_ARTIFACT_CREATED, (org, *after)).fetchone()
        if row is None:
            raise assembly.no_artifact_after(after)
        after_created = row["created_at"]
    parameters = {
        "org": org,
        "repo_url": repo_url,
        "after_created": after_created,
        "after_flow": after[0] if after else None,
        "after": after[1] if after else None,
        "limit": limit,
    }
    return [rows.artifact(row) for row in connection.execute(SELECT_REPO_ARTIFACTS, parameters)]


# --- trails -----------------------------------------------------------------------------------------------------


def trail_detail(connection: sqlite3.Connection, org: str, flow: str, name: str) -> TrailDetail:
    require_flow(connection, org, flow)
    row = connection.execute(SELECT_TRAIL, (org, flow, name)).fetchone()
    if row is None:
        raise not_found.trail(flow, name)
    found = rows.trail(row)
    members = [
        (rows.artifact(item), item["template_reference_name"])
        for item in connection.execute(SELECT_TRAIL_ARTIFACTS, (org, flow, name))
    ]
    shas = {item.git_commit for item, _ in members if item.git_commit}
    known = commits(connection, org, shas | ({found.git_commit} if found.git_commit else set()))
    attested = [rows.attestation(item) for item in connection.execute(SELECT_TRAIL_ATTESTATIONS, (org, flow, name))]
    own = [rows.attestation(item) for item in connection.execute(SELECT_OWN_ATTESTATIONS, (org, flow, name))]
    return trails.detail(found, members, known, attested, own)


def trail_details_page(
    connection: sqlite3.Connection, org: str, flow: str, limit: int, after: str | None
) -> list[TrailDetail]:
    """`list_trails` with each trail's detail, in one transaction (a few indexed statements per trail, in-process)."""
    return [trail_detail(connection, org, flow, item.name) for item in list_trails(connection, org, flow, limit, after)]


def list_trails(connection: sqlite3.Connection, org: str, flow: str, limit: int, after: str | None) -> list[Trail]:
    require_flow(connection, org, flow)
    after_created = None
    if after is not None:
        row = connection.execute(SELECT_TRAIL, (org, flow, after)).fetchone()
        if row is None:
            raise InvalidInput("after", f"no trail '{after}' in flow '{flow}' to page after")
        after_created = row["created_at"]
    parameters = {"org": org, "flow": flow, "after_created": after_created, "after": after, "limit": limit}
    return [rows.trail(row) for row in connection.execute(SELECT_LIST_TRAILS, parameters)]


# --- commits ----------------------------------------------------------------------------------------------------


def _known_shas(connection: sqlite3.Connection, org: str, prefix: str, limit: int) -> list[str]:
    return [row[0] for row in connection.execute(SELECT_KNOWN_SHAS, {"org": org, "prefix": prefix, "limit": limit})]


def _commit_models(connection: sqlite3.Connection, org: str, shas: Sequence[str]) -> list[Commit]:
    known = commits(connection, org, shas)
    return [known.get(sha) or Commit.bare(org, sha) for sha in shas]


def commit_by_prefix(connection: sqlite3.Connection, org: str, prefix: str) -> Commit:
    require_org(connection, org)
    found = _known_shas(connection, org, prefix, prefixes.CANDIDATES + 1)
    return _commit_models(connection, org, [prefixes.commit(org, prefix, found)])[0]


def commits_by_prefix(
    connection: sqlite3.Connection, org: str, prefixes: Sequence[str]
) -> dict[str, Commit | TracegraphError]:
    require_org(connection, org)
    found: dict[str, Commit | TracegraphError] = {}
    for prefix in dict.fromkeys(prefixes):
        try:
            found[prefix] = commit_by_prefix(connection, org, prefix)
        except TracegraphError as error:
            found[prefix] = error
    return found


def artifacts_for_commit(
    connection: sqlite3.Connection, org: str, prefix: str, flow: str | None
) -> list[ArtifactDetail]:
    sha = commit_by_prefix(connection, org, prefix).sha
    if flow is not None:
        require_flow(connection, org, flow)
    keys = [
        (row["flow"], row["fingerprint"])
        for row in connection.execute(SELECT_COMMIT_ARTIFACTS, {"org": org, "sha": sha, "flow": flow})
    ]
    return artifact_details(connection, org, keys)


def commit_graph(connection: sqlite3.Connection, org: str, index: AncestryIndex) -> CommitGraph:
    """The org's commit graph as of this transaction: the held one, brought up to date with what changed since."""
    row = connection.execute(SELECT_COMMIT_SEQ, (org,)).fetchone()
    if row is None:
        raise not_found.org(org)
    epoch, seq = str(row["created_at"]), int(row["commit_seq"])
    since = index.stale_since(org, epoch, seq)
    if since is None:
        return index.current(org)
    changes = [
        CommitEdges(sha=sha, parents=tuple(json.loads(parents)) if known else None)
        for sha, known, parents in connection.execute(SELECT_CHANGED_COMMITS, (org, since))
    ]
    return index.update(org, epoch, seq, since, changes)


def commit_placements(
    connection: sqlite3.Connection, org: str, shas: Sequence[str], include_past: bool, index: AncestryIndex
) -> dict[str, CommitPlacements]:
    graph = commit_graph(connection, org, index)
    latest = {
        row["name"]: row["latest_index"]
        for row in connection.execute("SELECT name, latest_index FROM environments WHERE org = ?", (org,))
    }
    walks = graph.walks(shas)
    if walks.commits is None:
        found = connection.execute(SELECT_PLACED_CANDIDATES if include_past else SELECT_RUNNING_CANDIDATES, (org,))
    else:
        found = connection.execute(
            SELECT_PLACED_CANDIDATES_OF if include_past else SELECT_RUNNING_CANDIDATES_OF,
            {"org": org, "shas": json.dumps(walks.commits)},
        )
    reached = walks.built_after(
        Candidate(flow=flow, fingerprint=fingerprint, commit=commit) for flow, fingerprint, commit in found
    )
    fingerprints = {fingerprint for built, _ in reached.values() for _, fingerprint in built}
    where = placements(connection, org, fingerprints)
    origins = {
        (p.artifact.flow, p.artifact.fingerprint): p
        for items in provenance(connection, org, fingerprints).values()
        for p in items
    }
    return {
        sha: CommitPlacements(
            placements=tuple(assembly.commit_placements(built, where, origins, latest, include_past=include_past)),
            undecided=undecided,
        )
        for sha, (built, undecided) in reached.items()
    }


def commits_with_history(
    connection: sqlite3.Connection, org: str, shas: Sequence[str], index: AncestryIndex
) -> set[str]:
    graph = commit_graph(connection, org, index)
    return {sha for sha in shas if graph.history_complete(sha)}


def search(connection: sqlite3.Connection, org: str, prefix: str) -> SearchResult:
    require_org(connection, org)
    shas = _known_shas(connection, org, prefix, MAX_SEARCH_MATCHES)
    fingerprints = [
        row[0]
        for row in connection.execute(SELECT_DIGEST_PREFIX, {"org": org, "prefix": prefix, "limit": MAX_SEARCH_MATCHES})
    ]
    known = provenance(connection, org, fingerprints)
    where = placements(connection, org, fingerprints)
    return SearchResult(
        prefix=prefix,
        commits=tuple(_commit_models(connection, org, shas)),
        fingerprints=tuple(
            DigestMatch(
                fingerprint=fingerprint, artifacts=known.get(fingerprint, ()), placements=where.get(fingerprint, ())
            )
            for fingerprint in fingerprints
        ),
    )


# --- comparisons ------------------------------------------------------------------------------------------------


def _side(
    connection: sqlite3.Connection,
    org: str,
    side: tuple[str, SnapshotSelector],
    known: dict[str, tuple[Provenance, ...]],
    with_provenance: bool,
) -> tuple[DiffSide, tuple[RunningArtifact, ...]]:
    env = environment(connection, org, side[0])
    if selectors.nothing_reported(env, side[1]):
        return DiffSide(environment=env.name, snapshot=None), ()
    index = resolve_index(connection, env, side[1])
    return DiffSide(environment=env.name, snapshot=snapshot_row(connection, env, index)), running(
        connection, env, index, known, with_provenance=with_provenance
    )


def diff(
    connection: sqlite3.Connection,
    org: str,
    source: tuple[str, SnapshotSelector],
    target: tuple[str, SnapshotSelector],
    with_provenance: bool = True,
) -> SnapshotDiff:
    known: dict[str, tuple[Provenance, ...]] = {}
    source_side, before = _side(connection, org, source, known, with_provenance)
    target_side, after = _side(connection, org, target, known, with_provenance)
    return assembly.diff(source_side, before, target_side, after)


def versions(connection: sqlite3.Connection, org: str, flow: str | None, name: str | None) -> list[EnvironmentVersions]:
    require_org(connection, org)
    if flow is not None:
        require_flow(connection, org, flow)
    answer = []
    for row in connection.execute("SELECT * FROM environments WHERE org = ? ORDER BY name", (org,)).fetchall():
        env = rows.environment(row)
        if env.latest_index == 0:
            answer.append(EnvironmentVersions(environment=env, snapshot=None, running=()))
            continue
        matching = tuple(
            item for item in running(connection, env, env.latest_index) if assembly.matches(item, flow, name)
        )
        answer.append(
            EnvironmentVersions(
                environment=env, snapshot=snapshot_row(connection, env, env.latest_index), running=matching
            )
        )
    return answer
