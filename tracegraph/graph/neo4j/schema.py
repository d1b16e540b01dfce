"""Constraints, indexes and data upgrades of the Neo4j graph, as numbered steps applied once each, in order.

The graph's version is stored on one node, `(:TracegraphSchema {key: 'tracegraph', version})`. At start-up the
store reads it (one look-up); when it is current nothing else runs, so a start costs no scan however large the
graph. Otherwise each step after it runs in order: its schema commands (idempotent, `IF NOT EXISTS`; Neo4j runs
schema commands in transactions of their own), a wait for the indexes to come online, then its data statements
and the new version in one write transaction. A step interrupted half way runs again whole at the next start,
which its idempotence allows. A graph from before versioning has no node, i.e. version 0, and gets every step.

Every key of docs/store-semantics.md is a uniqueness constraint (each backed by a range index, so equality and
`STARTS WITH` on the key's last property are index seeks). The other indexes serve the hot reads: the Runs opening,
closing or open in one environment, the Runs of a fingerprint, snapshots by time, artifacts by commit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    """What takes the graph from version `version - 1` to `version`."""

    version: int
    schema: tuple[str, ...]
    data: tuple[str, ...] = ()


CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT org_key IF NOT EXISTS FOR (n:Org) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT flow_key IF NOT EXISTS FOR (n:Flow) REQUIRE (n.org, n.name) IS UNIQUE",
    "CREATE CONSTRAINT environment_key IF NOT EXISTS FOR (n:Environment) REQUIRE (n.org, n.name) IS UNIQUE",
    "CREATE CONSTRAINT repository_key IF NOT EXISTS FOR (n:Repository) REQUIRE (n.org, n.url) IS UNIQUE",
    "CREATE CONSTRAINT commit_key IF NOT EXISTS FOR (n:Commit) REQUIRE (n.org, n.sha) IS UNIQUE",
    "CREATE CONSTRAINT artifact_key IF NOT EXISTS FOR (n:Artifact) REQUIRE (n.org, n.flow, n.fingerprint) IS UNIQUE",
    "CREATE CONSTRAINT digest_key IF NOT EXISTS FOR (n:Digest) REQUIRE (n.org, n.fingerprint) IS UNIQUE",
    "CREATE CONSTRAINT snapshot_key IF NOT EXISTS FOR (n:Snapshot) REQUIRE (n.org, n.environment, n.index) IS UNIQUE",
    "CREATE CONSTRAINT deployment_key IF NOT EXISTS FOR (n:Deployment) REQUIRE (n.org, n.flow, n.number) IS UNIQUE",
    "CREATE CONSTRAINT attestation_key IF NOT EXISTS FOR (n:Attestation) REQUIRE (n.org, n.id) IS UNIQUE",
    "CREATE CONSTRAINT token_key IF NOT EXISTS FOR (n:Token) REQUIRE (n.org, n.id) IS UNIQUE",
    "CREATE CONSTRAINT token_secret IF NOT EXISTS FOR (n:Token) REQUIRE n.secret_hash IS UNIQUE",
)

INDEXES: tuple[str, ...] = (
    "CREATE INDEX run_opening IF NOT EXISTS FOR (n:Run) ON (n.org, n.environment, n.from_index)",
    "CREATE INDEX run_closing IF NOT EXISTS FOR (n:Run) ON (n.org, n.environment, n.to_index)",
    # Open Runs have no `to_index` (null is not indexed), so the running set of the latest snapshot is found
    # through `open` instead: a seek whose cost is the size of that set, however long the history.
    "CREATE INDEX run_open IF NOT EXISTS FOR (n:Run) ON (n.org, n.environment, n.open)",
    "CREATE INDEX run_fingerprint IF NOT EXISTS FOR (n:Run) ON (n.org, n.fingerprint)",
    "CREATE INDEX snapshot_time IF NOT EXISTS FOR (n:Snapshot) ON (n.org, n.environment, n.reported_at)",
    # The commit sequence: a reader's ancestry index fetches the commits stamped after the number it holds.
    "CREATE INDEX commit_seq IF NOT EXISTS FOR (n:Commit) ON (n.org, n.seq)",
    "CREATE INDEX artifact_commit IF NOT EXISTS FOR (n:Artifact) ON (n.org, n.git_commit)",
    "CREATE INDEX artifact_git_commit IF NOT EXISTS FOR (n:Artifact) ON (n.git_commit)",
    "CREATE INDEX artifact_age IF NOT EXISTS FOR (n:Artifact) ON (n.org, n.flow, n.created_at)",
    "CREATE INDEX deployment_target IF NOT EXISTS FOR (n:Deployment) ON (n.org, n.fingerprint, n.environment)",
    # Prefix search: the composite key indexes above already serve `org = $org AND sha STARTS WITH $prefix`;
    # these text indexes also serve a prefix on the property alone.
    "CREATE TEXT INDEX commit_sha_text IF NOT EXISTS FOR (n:Commit) ON (n.sha)",
    "CREATE TEXT INDEX digest_fingerprint_text IF NOT EXISTS FOR (n:Digest) ON (n.fingerprint)",
)

STEPS: tuple[Step, ...] = (
    # 1: the keys and the read indexes, as every graph before versioning had them.
    Step(1, CONSTRAINTS + INDEXES),
    # 2: artifacts whose commit was never reported carry `commit_pending`, read with the directed candidates of
    # "where is this commit running"; artifacts written before it get it once, here (a scan of the Artifact label).
    Step(
        2,
        ("CREATE INDEX artifact_pending IF NOT EXISTS FOR (n:Artifact) ON (n.org, n.commit_pending)",),
        (
            """
MATCH (a:Artifact)
WHERE a.commit_pending IS NULL
SET a.commit_pending = a.git_commit IS NOT NULL
    AND NOT EXISTS { MATCH (c:Commit {org: a.org, sha: a.git_commit}) WHERE c.reported }
""",
        ),
    ),
    # 3: trails of a flow, keyed by name, listed newest first. Flow `template_yaml` and Artifact `trail` need no
    # data: absent reads as null.
    Step(
        3,
        (
            "CREATE CONSTRAINT trail_key IF NOT EXISTS FOR (n:Trail) REQUIRE (n.org, n.flow, n.name) IS UNIQUE",
            "CREATE INDEX trail_age IF NOT EXISTS FOR (n:Trail) ON (n.org, n.flow, n.created_at)",
        ),
    ),
    # 4: a Run keeps the time of the snapshot that opened it (`started_at`, RunningArtifact.since), filled here for
    # the Runs written before (a scan of the Run label); `instances_detail` needs no data: absent reads as none.
    Step(
        4,
        (),
        (
            """
MATCH (r:Run)
WHERE r.started_at IS NULL
MATCH (s:Snapshot {org: r.org, environment: r.environment, index: r.from_index})
SET r.started_at = s.reported_at
""",
        ),
    ),
    # 5: custom attestation types, one node per version (neo4j/attestation_types.py).
    Step(
        5,
        (
            "CREATE CONSTRAINT attestation_type_key IF NOT EXISTS FOR (n:AttestationType) "
            "REQUIRE (n.org, n.name, n.version) IS UNIQUE",
        ),
    ),
    # 6: deployments to one environment by time, for findings ("deployed but never started").
    Step(
        6,
        (
            "CREATE INDEX deployment_environment IF NOT EXISTS FOR (n:Deployment) ON "
            "(n.org, n.environment, n.reported_at)",
        ),
    ),
    # 7: environment policies: versions keyed by (org, name, version); the evaluation of a snapshot keyed by its
    # snapshot's key. Attachments are the Environment's `policies` list: absent reads as none, so no data.
    Step(
        7,
        (
            "CREATE CONSTRAINT policy_key IF NOT EXISTS FOR (n:Policy) REQUIRE (n.org, n.name, n.version) IS UNIQUE",
            "CREATE CONSTRAINT evaluation_key IF NOT EXISTS "
            "FOR (n:Evaluation) REQUIRE (n.org, n.environment, n.index) IS UNIQUE",
        ),
    ),
    # 8: the change feed (neo4j/changes.py): Change ids are unique (the constraint's index serves `id > $after` in
    # order), one ChangeFeed counter node, and changes by time for pruning.
    Step(
        8,
        (
            "CREATE CONSTRAINT change_id IF NOT EXISTS FOR (n:Change) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT change_feed_key IF NOT EXISTS FOR (n:ChangeFeed) REQUIRE n.key IS UNIQUE",
            "CREATE INDEX change_time IF NOT EXISTS FOR (n:Change) ON (n.at)",
        ),
    ),
)
SCHEMA_VERSION = STEPS[-1].version
assert [step.version for step in STEPS] == list(range(1, SCHEMA_VERSION + 1)), "one step per version, in order"

# The version node: one per graph, so its key is a constant. The constraint makes concurrent starts MERGE one node.
VERSION_CONSTRAINT = (
    "CREATE CONSTRAINT tracegraph_schema_key IF NOT EXISTS FOR (n:TracegraphSchema) REQUIRE n.key IS UNIQUE"
)
READ_VERSION = "OPTIONAL MATCH (s:TracegraphSchema {key: 'tracegraph'}) RETURN coalesce(max(s.version), 0) AS version"
# Never lowers the version: a process that raced ahead may have stored a later one.
SET_VERSION = """
MERGE (s:TracegraphSchema {key: 'tracegraph'})
SET s.version = CASE WHEN coalesce(s.version, 0) < $version THEN $version ELSE s.version END
"""

# Indexes fill in the background; a step waits so the next step and the first queries are planned with them.
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"
