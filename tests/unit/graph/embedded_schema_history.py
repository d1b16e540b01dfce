"""The embedded store's tables as earlier versions wrote them, verbatim (`git show 472bf35:`, `adaad28:`,
`5ee12a7:`, `156ae3e:` and `a5e2853:` tracegraph/graph/embedded/schema.py), so each numbered step is tested
from the file it really upgrades."""

from __future__ import annotations

VERSION_1 = """
CREATE TABLE IF NOT EXISTS orgs (
    name TEXT PRIMARY KEY, public INTEGER NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    org TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, repo_url TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS repositories (
    org TEXT NOT NULL, url TEXT NOT NULL, name TEXT, provider TEXT, PRIMARY KEY (org, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS commits (
    org TEXT NOT NULL, sha TEXT NOT NULL, message TEXT NOT NULL, author TEXT, author_email TEXT,
    timestamp INTEGER, branch TEXT, url TEXT, repo_url TEXT,
    PRIMARY KEY (org, sha)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS commit_parents (
    org TEXT NOT NULL, child TEXT NOT NULL, position INTEGER NOT NULL, parent TEXT NOT NULL,
    PRIMARY KEY (org, child, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS commit_children ON commit_parents (org, parent, child);
CREATE TABLE IF NOT EXISTS digests (
    org TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (org, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS artifacts (
    org TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, build_url TEXT, commit_url TEXT, git_commit TEXT,
    PRIMARY KEY (org, flow, fingerprint)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, org TEXT NOT NULL, environment TEXT NOT NULL, fingerprint TEXT NOT NULL,
    name TEXT NOT NULL, instances INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER
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
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""

VERSION_2 = """
CREATE TABLE IF NOT EXISTS orgs (
    name TEXT PRIMARY KEY, public INTEGER NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL,
    commit_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    org TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, repo_url TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS digests (
    org TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (org, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS artifacts (
    org TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, name TEXT NOT NULL,
    created_at INTEGER NOT NULL, build_url TEXT, commit_url TEXT, git_commit TEXT,
    PRIMARY KEY (org, flow, fingerprint)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, org TEXT NOT NULL, environment TEXT NOT NULL, fingerprint TEXT NOT NULL,
    name TEXT NOT NULL, instances INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER
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
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""

VERSION_3 = """
CREATE TABLE IF NOT EXISTS orgs (
    name TEXT PRIMARY KEY, public INTEGER NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL,
    commit_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    org TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, repo_url TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (org, name)
) WITHOUT ROWID;
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
    PRIMARY KEY (org, flow, fingerprint)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, org TEXT NOT NULL, environment TEXT NOT NULL, fingerprint TEXT NOT NULL,
    name TEXT NOT NULL, instances INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER
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
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""

VERSION_4 = """
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
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, org TEXT NOT NULL, environment TEXT NOT NULL, fingerprint TEXT NOT NULL,
    name TEXT NOT NULL, instances INTEGER NOT NULL, from_index INTEGER NOT NULL, to_index INTEGER
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
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;

-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""


VERSION_5 = """
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
CREATE TABLE IF NOT EXISTS attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, fingerprint TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL, url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS attestations_by_artifact ON attestations (org, flow, fingerprint);
-- Covers artifact_states' compliance check: without it SQLite walks the org's attestations (its primary key) once
-- per artifact, 0.65 s for an 800-artifact snapshot among 10,000 attestations (see BENCHMARKS.md).
CREATE INDEX IF NOT EXISTS attestations_by_state ON attestations (org, flow, fingerprint, compliant);
CREATE TABLE IF NOT EXISTS tokens (
    org TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;

-- An artifact with its state derived from its attestations (see ArtifactState).
DROP VIEW IF EXISTS artifact_states;
CREATE VIEW artifact_states AS
SELECT a.*, CASE
    WHEN EXISTS (SELECT 1 FROM attestations t WHERE t.org = a.org AND t.flow = a.flow
                 AND t.fingerprint = a.fingerprint AND t.compliant = 0) THEN 'NON_COMPLIANT'
    ELSE 'COMPLIANT' END AS state
FROM artifacts a;
"""

# Version 6 as fa63537 left it: version 5 and step 6 (trail attestations).
VERSION_6 = (
    VERSION_5
    + """
CREATE TABLE IF NOT EXISTS trail_attestations (
    org TEXT NOT NULL, id TEXT NOT NULL, flow TEXT NOT NULL, trail TEXT NOT NULL, target_artifact TEXT,
    git_commit TEXT, type TEXT NOT NULL, name TEXT NOT NULL, compliant INTEGER NOT NULL, reported_at INTEGER NOT NULL,
    url TEXT, data TEXT NOT NULL,
    PRIMARY KEY (org, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trail_attestations_by_trail ON trail_attestations (org, flow, trail, target_artifact);
"""
)
