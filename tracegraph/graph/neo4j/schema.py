"""Constraints and indexes of the Neo4j graph, created at start-up (idempotent: `IF NOT EXISTS`).

Every key of docs/store-semantics.md is a uniqueness constraint (each backed by a range index, so equality and
`STARTS WITH` on the key's last property are index seeks). The other indexes serve the hot reads: the Runs opening,
closing or open in one environment, the Runs of a fingerprint, snapshots by time, artifacts by commit.
"""

from __future__ import annotations

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
    # The artifacts whose commit was never reported: read with the directed candidates of "where is it running".
    "CREATE INDEX artifact_pending IF NOT EXISTS FOR (n:Artifact) ON (n.org, n.commit_pending)",
    "CREATE INDEX artifact_age IF NOT EXISTS FOR (n:Artifact) ON (n.org, n.flow, n.created_at)",
    "CREATE INDEX deployment_target IF NOT EXISTS FOR (n:Deployment) ON (n.org, n.fingerprint, n.environment)",
    # Prefix search: the composite key indexes above already serve `org = $org AND sha STARTS WITH $prefix`;
    # these text indexes also serve a prefix on the property alone.
    "CREATE TEXT INDEX commit_sha_text IF NOT EXISTS FOR (n:Commit) ON (n.sha)",
    "CREATE TEXT INDEX digest_fingerprint_text IF NOT EXISTS FOR (n:Digest) ON (n.fingerprint)",
)

STATEMENTS: tuple[str, ...] = CONSTRAINTS + INDEXES

# Indexes fill in the background; start-up waits so the first queries are planned with them.
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"

# Data written by an older tracegraph, brought up to what the current reads expect; idempotent, run at start-up
# after the indexes. Artifacts from before `commit_pending` get it (a scan of the Artifact label per start-up).
BACKFILLS: tuple[str, ...] = (
    """
MATCH (a:Artifact)
WHERE a.commit_pending IS NULL
SET a.commit_pending = a.git_commit IS NOT NULL
    AND NOT EXISTS { MATCH (c:Commit {org: a.org, sha: a.git_commit}) WHERE c.reported }
""",
)
