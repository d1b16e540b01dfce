"""Tables of the embedded store: one per node kind, edges as foreign-key columns (PARENT as its own table).

Times are integers (microseconds since the Unix epoch, UTC) so they compare and index cheaply.
"""

from __future__ import annotations

SCHEMA_VERSION = 10

# Made again by each step that adds columns to `artifacts`, so that `a.*` holds them.
_ARTIFACT_STATES = """
-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""

# Numbered upgrades: STEPS[n] takes a file from version n - 1 to n, in one transaction of its own
# (`Database.create_schema`), so a file is always at one version, whatever interrupts an upgrade. A new file gets
# DDL (the current tables) at SCHEMA_VERSION in one transaction. A change to DDL comes with the next step.
STEPS: dict[int, str] = {
    # Version 1 did not tell a root commit from one whose parents were never reported: a commit with parent edges
    # had them reported; one without is taken as unknown, so ancestry answers stay honest until its history is
    # reported again. The commit sequence starts at 1 for the commits already stored.
    2: """
ALTER TABLE orgs ADD COLUMN commit_seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE commits ADD COLUMN parents_known INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commits ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
UPDATE commits SET parents_known = 1
WHERE EXISTS (SELECT 1 FROM commit_parents p WHERE p.org = commits.org AND p.child = commits.sha);
CREATE INDEX IF NOT EXISTS commits_by_seq ON commits (org, seq);
""",
    # Version 3 keeps the shas known only from builds in `build_commits`, filled from the artifacts stored.
    3: """
CREATE TABLE IF NOT EXISTS build_commits (
    org TEXT NOT NULL, sha TEXT NOT NULL, PRIMARY KEY (org, sha)
) WITHOUT ROWID;
INSERT OR IGNORE INTO build_commits (org, sha)
SELECT DISTINCT a.org, a.git_commit FROM artifacts AS a
WHERE a.git_commit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM commits AS c WHERE c.org = a.org AND c.sha = a.git_commit);
""",
    # Version 4 adds trails (runs of a flow), the artifact's trail with its template slot, and flow templates.
    4: """
CREATE TABLE IF NOT EXISTS trails (
    org TEXT NOT NULL, flow TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL,
    origin_url TEXT, user_data TEXT NOT NULL, git_commit TEXT, template_yaml TEXT,
    PRIMARY KEY (org, flow, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trails_by_age ON trails (org, flow, created_at, name);
ALTER TABLE flows ADD COLUMN template_yaml TEXT;
ALTER TABLE artifacts ADD COLUMN trail TEXT;
ALTER TABLE artifacts ADD COLUMN template_reference_name TEXT;
CREATE INDEX IF NOT EXISTS artifacts_by_trail ON artifacts (org, flow, trail);
"""
    + _ARTIFACT_STATES,
    # Version 5 keeps on each Run the time of the snapshot that opened it (`since`, filled here from the snapshots)
    # and the instances detail its report gave (JSON, NULL when none: Runs written before keep none).
    5: """
ALTER TABLE runs ADD COLUMN started_at INTEGER;
ALTER TABLE runs ADD COLUMN instances_detail TEXT;
UPDATE runs SET started_at = (
    SELECT s.reported_at FROM snapshots AS s
    WHERE s.org = runs.org AND s.environment = runs.environment AND s.idx = runs.from_index
);
""",
    # Version 6 keeps the attestations of a trail that no artifact holds: trail-level ones (no `target_artifact`)
    # and pending ones (a template slot with no artifact yet; moved to `attestations` when one is reported there).
    6: """
CREATE TABLE IF NOT EXISTS trail_attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, trail TEXT NOT NULL, target_artifact TEXT,
    git_commit TEXT, type TEXT NOT NULL, name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL,
    url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trail_attestations_by_trail ON trail_attestations (org, flow, trail, target_artifact);
""",
    # Version 7 keeps custom attestation types, every version of each (`json_schema` canonical JSON text,
    # `jq_rules` a JSON array of strings); the latest is the highest version.
    7: """
CREATE TABLE IF NOT EXISTS attestation_types (
    org TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,
    json_schema TEXT NOT NULL, jq_rules TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name, version)
) WITHOUT ROWID;
""",
    # Version 8 indexes deployments by environment and time: findings read the deployments to one environment.
    8: """
CREATE INDEX IF NOT EXISTS deployments_by_environment ON deployments (org, environment, reported_at);
""",
    # Version 9 adds environment policies: named versions per org, attachments, and each evaluated snapshot's answer.
    9: """
CREATE TABLE IF NOT EXISTS policies (
    org TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, yaml TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS environment_policies (
    org TEXT NOT NULL, environment TEXT NOT NULL, policy TEXT NOT NULL, attached_at INTEGER NOT NULL,
    PRIMARY KEY (org, environment, policy)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS environment_policies_by_policy ON environment_policies (org, policy);
-- A snapshot's policy evaluation as evaluated (one JSON document); snapshots without one follow the rule without
-- policies.
CREATE TABLE IF NOT EXISTS snapshot_evaluations (
    org TEXT NOT NULL, environment TEXT NOT NULL, idx INTEGER NOT NULL, compliant INTEGER NOT NULL,
    evaluation TEXT NOT NULL,
    PRIMARY KEY (org, environment, idx)
) WITHOUT ROWID;
""",
    # Version 10 adds the change feed that subscriptions and webhooks follow.
    10: """
-- The change feed (tracegraph/graph/changes.py): one row per report that changed something, written in its
-- transaction. AUTOINCREMENT: ids are never reused after pruning, and BEGIN IMMEDIATE serialises writers, so ids
-- follow commit order across processes. `started` is JSON (StartedArtifact list).
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, org TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
    environment TEXT, snapshot_index INTEGER, flow TEXT, fingerprint TEXT, deployment_number INTEGER,
    started TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_by_org ON changes (org, id);
CREATE INDEX IF NOT EXISTS changes_by_time ON changes (at);
""",
}
assert sorted(STEPS) == list(range(2, SCHEMA_VERSION + 1)), "one step per version, none missing"

DDL = (
    """
CREATE TABLE IF NOT EXISTS orgs (
    name TEXT PRIMARY KEY, public INTEGER NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL,
    commit_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    org TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, repo_url TEXT, created_at INTEGER NOT NULL,
    template_yaml TEXT,
    PRIMARY KEY (org, name)
) WITHOUT ROWID;
-- Trails: runs of a flow. `git_commit` is a sha like an artifact's; `user_data` is JSON text.
CREATE TABLE IF NOT EXISTS trails (
    org TEXT NOT NULL, flow TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL,
    origin_url TEXT, user_data TEXT NOT NULL, git_commit TEXT, template_yaml TEXT,
    PRIMARY KEY (org, flow, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trails_by_age ON trails (org, flow, created_at, name);
CREATE TABLE IF NOT EXISTS repositories (
    org TEXT NOT NULL, url TEXT NOT NULL, name TEXT, provider TEXT, PRIMARY KEY (org, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS commits (
    org TEXT NOT NULL, sha TEXT NOT NULL, message TEXT NOT NULL, author TEXT, author_email TEXT,
    timestamp INTEGER, branch TEXT, url TEXT, repo_url TEXT,
    parents_known INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org, sha)
) WITHOUT ROWID;
-- The commit sequence: each write of commits stamps them with the org's next `commit_seq`, so a reader's in-memory
-- ancestry index fetches only what changed since the number it holds (tracegraph/graph/ancestry.py).
CREATE INDEX IF NOT EXISTS commits_by_seq ON commits (org, seq);
CREATE TABLE IF NOT EXISTS commit_parents (
    org TEXT NOT NULL, child TEXT NOT NULL, position INTEGER NOT NULL, parent TEXT NOT NULL,
    PRIMARY KEY (org, child, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS commit_children ON commit_parents (org, parent, child);
-- Shas named by an artifact's `git_commit` that were never reported as commits: history the ancestry index has
-- never seen, so an artifact built from one is undecided unless it is the commit asked about. "Where is this commit
-- running?" reads the artifacts of these besides those of the commits the graph directs it to, instead of every
-- running artifact. Reporting the commit deletes its row; a row outliving the artifacts naming it costs one look-up.
CREATE TABLE IF NOT EXISTS build_commits (
    org TEXT NOT NULL, sha TEXT NOT NULL, PRIMARY KEY (org, sha)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digests (
    org TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (org, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS artifacts (
    org TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, build_url TEXT, commit_url TEXT, git_commit TEXT,
    trail TEXT, template_reference_name TEXT,
    PRIMARY KEY (org, flow, fingerprint)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifacts_by_trail ON artifacts (org, flow, trail);
CREATE INDEX IF NOT EXISTS artifacts_by_fingerprint ON artifacts (org, fingerprint);
CREATE INDEX IF NOT EXISTS artifacts_by_commit ON artifacts (org, git_commit);
CREATE INDEX IF NOT EXISTS artifacts_by_age ON artifacts (org, flow, created_at, fingerprint);
CREATE TABLE IF NOT EXISTS environments (
    org TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, description TEXT NOT NULL,
    created_at INTEGER NOT NULL, last_reported_at INTEGER, last_changed_at INTEGER,
    latest_index INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
    org TEXT NOT NULL, environment TEXT NOT NULL, idx INTEGER NOT NULL, reported_at INTEGER NOT NULL,
    PRIMARY KEY (org, environment, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshots_by_time ON snapshots (org, environment, reported_at);
-- A Run keeps its opening snapshot's time (written with it, so a running set shows `since` without a join) and the
-- instances detail of the report that opened it (JSON; NULL when it gave none).
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, org TEXT NOT NULL, environment TEXT NOT NULL, fingerprint TEXT NOT NULL,
    name TEXT NOT NULL, instances INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER,
    started_at INTEGER, instances_detail TEXT
);
CREATE INDEX IF NOT EXISTS runs_opening ON runs (org, environment, from_index);
CREATE INDEX IF NOT EXISTS runs_closing ON runs (org, environment, to_index);
CREATE INDEX IF NOT EXISTS runs_by_fingerprint ON runs (org, fingerprint, environment, from_index);
CREATE TABLE IF NOT EXISTS deployments (
    org TEXT NOT NULL, flow TEXT NOT NULL, number INTEGER NOT NULL, fingerprint TEXT NOT NULL,
    environment TEXT NOT NULL, reported_at INTEGER NOT NULL, user TEXT, description TEXT NOT NULL,
    PRIMARY KEY (org, flow, number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deployments_by_fingerprint ON deployments (org, fingerprint, environment);
-- Deployments to one environment up to a time: "deployed but never started" (tracegraph/graph/findings.py).
CREATE INDEX IF NOT EXISTS deployments_by_environment ON deployments (org, environment, reported_at);
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
-- Attestations of a trail no artifact holds (see writes.attest_trail).
CREATE TABLE IF NOT EXISTS trail_attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, trail TEXT NOT NULL, target_artifact TEXT,
    git_commit TEXT, type TEXT NOT NULL, name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL,
    url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trail_attestations_by_trail ON trail_attestations (org, flow, trail, target_artifact);
-- Custom attestation types, every version of each (see tracegraph/graph/type_versions.py).
CREATE TABLE IF NOT EXISTS attestation_types (
    org TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,
    json_schema TEXT NOT NULL, jq_rules TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS policies (
    org TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, yaml TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS environment_policies (
    org TEXT NOT NULL, environment TEXT NOT NULL, policy TEXT NOT NULL, attached_at INTEGER NOT NULL,
    PRIMARY KEY (org, environment, policy)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS environment_policies_by_policy ON environment_policies (org, policy);
-- A snapshot's policy evaluation as evaluated (one JSON document); snapshots without one follow the rule without
-- policies.
CREATE TABLE IF NOT EXISTS snapshot_evaluations (
    org TEXT NOT NULL, environment TEXT NOT NULL, idx INTEGER NOT NULL, compliant INTEGER NOT NULL,
    evaluation TEXT NOT NULL,
    PRIMARY KEY (org, environment, idx)
) WITHOUT ROWID;
-- The change feed (tracegraph/graph/changes.py): one row per report that changed something, written in its
-- transaction. AUTOINCREMENT: ids are never reused after pruning, and BEGIN IMMEDIATE serialises writers, so ids
-- follow commit order across processes. `started` is JSON (StartedArtifact list).
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, org TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
    environment TEXT, snapshot_index INTEGER, flow TEXT, fingerprint TEXT, deployment_number INTEGER,
    started TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_by_org ON changes (org, id);
CREATE INDEX IF NOT EXISTS changes_by_time ON changes (at);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
"""
    + _ARTIFACT_STATES
)
