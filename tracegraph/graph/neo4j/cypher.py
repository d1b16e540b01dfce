"""Every Cypher statement of the Neo4j backend, as named constants.

Values travel only as `$parameters`; labels and relationship types are written out here and nowhere else:
Org, Flow, Repository, Commit, Artifact, Digest, Environment, Snapshot, Run, Deployment, Attestation;
PARENT, IN_REPO, IN_FLOW, BUILT_FROM, HAS_DIGEST, OF, IN, TO, ATTESTS.

Open Runs carry `open: true` and no `to_index`; closing one sets `open: false, to_index: N`. Commits that are only
known as someone's parent are stub nodes with `reported: false` until they are reported themselves.
"""

from __future__ import annotations

from tracegraph.graph.rules import MAX_ANCESTRY_DEPTH

# --- health -------------------------------------------------------------------------------------------------------

PING = "RETURN 1 AS ok"

# --- topology -----------------------------------------------------------------------------------------------------

EXISTING = """
RETURN EXISTS { MATCH (:Org {name: $org}) } AS org,
       EXISTS { MATCH (:Flow {org: $org, name: $flow}) } AS flow,
       EXISTS { MATCH (:Environment {org: $org, name: $environment}) } AS environment,
       EXISTS { MATCH (:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint}) } AS artifact
"""

MERGE_ORG = """
MERGE (o:Org {name: $name})
ON CREATE SET o.org = $name, o.created_at = $now
SET o.public = $public, o.description = $description
RETURN o {.*} AS org
"""

GET_ORG = "MATCH (o:Org {name: $name}) RETURN o {.*} AS org"

LIST_ORGS = "MATCH (o:Org) RETURN o {.*} AS org ORDER BY o.name"

MERGE_FLOW = """
MATCH (:Org {name: $org})
MERGE (f:Flow {org: $org, name: $name})
ON CREATE SET f.created_at = $now
SET f.description = $description, f.repo_url = $repo_url
RETURN f {.*} AS flow
"""

GET_FLOW = "MATCH (f:Flow {org: $org, name: $name}) RETURN f {.*} AS flow"

LIST_FLOWS = "MATCH (f:Flow {org: $org}) RETURN f {.*} AS flow ORDER BY f.name"

MERGE_ENVIRONMENT = """
MATCH (:Org {name: $org})
MERGE (e:Environment {org: $org, name: $name})
ON CREATE SET e.created_at = $now, e.latest_index = 0
SET e.type = $type, e.description = $description
RETURN e {.*} AS environment
"""

GET_ENVIRONMENT = "MATCH (e:Environment {org: $org, name: $name}) RETURN e {.*} AS environment"

LIST_ENVIRONMENTS = "MATCH (e:Environment {org: $org}) RETURN e {.*} AS environment ORDER BY e.name"

# --- commits ------------------------------------------------------------------------------------------------------

REPORTED_SHAS = """
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
WHERE c.reported
RETURN c.sha AS sha
"""

MERGE_REPOSITORY = """
MERGE (r:Repository {org: $org, url: $url})
SET r.name = coalesce($name, r.name), r.provider = coalesce($provider, r.provider)
"""

UPSERT_COMMITS = """
UNWIND $rows AS row
MERGE (c:Commit {org: $org, sha: row.sha})
SET c.reported = true, c.message = row.message, c.author = row.author, c.author_email = row.author_email,
    c.timestamp = row.timestamp, c.branch = row.branch, c.url = row.url, c.repo_url = $repo_url
"""

# A commit's parents and repository are replaced on every report: the edges are exactly the last reported ones.
DELETE_COMMIT_EDGES = """
UNWIND $shas AS sha
MATCH (:Commit {org: $org, sha: sha})-[edge:PARENT|IN_REPO]->()
DELETE edge
"""

LINK_REPOSITORY = """
MATCH (r:Repository {org: $org, url: $url})
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
MERGE (c)-[:IN_REPO]->(r)
"""

LINK_PARENTS = """
UNWIND $edges AS edge
MATCH (c:Commit {org: $org, sha: edge.child})
MERGE (p:Commit {org: $org, sha: edge.parent})
ON CREATE SET p.reported = false
CREATE (c)-[:PARENT {position: edge.position}]->(p)
"""

# Artifacts reported before their commit link up when it arrives.
LINK_BUILT_FROM_COMMITS = """
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
MATCH (a:Artifact {org: $org, git_commit: sha})
MERGE (a)-[:BUILT_FROM]->(c)
"""

# --- artifacts ----------------------------------------------------------------------------------------------------

UPSERT_ARTIFACT = """
MATCH (f:Flow {org: $org, name: $flow})
MERGE (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
ON CREATE SET a.created_at = $created_at
SET a.name = $name, a.build_url = $build_url, a.commit_url = $commit_url, a.git_commit = $git_commit
MERGE (a)-[:IN_FLOW]->(f)
MERGE (d:Digest {org: $org, fingerprint: $fingerprint})
MERGE (a)-[:HAS_DIGEST]->(d)
"""

RELINK_BUILT_FROM = """
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
OPTIONAL MATCH (a)-[old:BUILT_FROM]->()
DELETE old
WITH DISTINCT a
MATCH (c:Commit {org: $org, sha: a.git_commit})
WHERE c.reported
MERGE (a)-[:BUILT_FROM]->(c)
"""

# The tail shared by every read that answers artifacts with their state and commit (a Provenance).
_PROVENANCE = """
OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
WHERE c.reported
RETURN a {.*} AS artifact,
       COLLECT { MATCH (a)<-[:ATTESTS]-(t:Attestation) RETURN t.compliant } AS compliance,
       c {.*} AS commit,
       COLLECT { MATCH (c)-[p:PARENT]->(parent:Commit) RETURN parent.sha ORDER BY p.position } AS parents
"""

PROVENANCE_BY_FINGERPRINT = (
    """
UNWIND $fingerprints AS fingerprint
MATCH (:Digest {org: $org, fingerprint: fingerprint})<-[:HAS_DIGEST]-(a:Artifact)
"""
    + _PROVENANCE
)

ARTIFACTS_BY_KEY = (
    """
UNWIND $keys AS key
MATCH (a:Artifact {org: $org, flow: key[0], fingerprint: key[1]})
"""
    + _PROVENANCE
)

ARTIFACT_PREFIX = """
MATCH (a:Artifact {org: $org, flow: $flow})
WHERE a.fingerprint STARTS WITH $prefix
RETURN a.fingerprint AS fingerprint
ORDER BY fingerprint
LIMIT $limit
"""

ARTIFACT_DEPLOYMENTS = """
UNWIND $keys AS key
MATCH (d:Deployment)-[:OF]->(:Artifact {org: $org, flow: key[0], fingerprint: key[1]})
RETURN d {.*} AS deployment
ORDER BY d.reported_at, d.number
"""

ARTIFACT_ATTESTATIONS = """
UNWIND $keys AS key
MATCH (t:Attestation)-[:ATTESTS]->(:Artifact {org: $org, flow: key[0], fingerprint: key[1]})
RETURN t {.*} AS attestation
ORDER BY t.reported_at, t.id
"""

COMMIT_ARTIFACTS = """
MATCH (a:Artifact {org: $org, git_commit: $sha})
WHERE $flow IS NULL OR a.flow = $flow
RETURN a.flow AS flow, a.fingerprint AS fingerprint, a.created_at AS created_at
"""

ARTIFACT_CREATED = """
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
RETURN a.created_at AS created_at
"""

LIST_ARTIFACTS = (
    """
MATCH (a:Artifact {org: $org, flow: $flow})
WHERE $after_created IS NULL
   OR a.created_at < $after_created
   OR (a.created_at = $after_created AND a.fingerprint < $after)
WITH a
ORDER BY a.created_at DESC, a.fingerprint DESC
LIMIT $limit
"""
    + _PROVENANCE
)

# Where fingerprints ran: every Run with the times of the snapshots that opened and closed it.
RUNS_OF_FINGERPRINTS = """
UNWIND $fingerprints AS fingerprint
MATCH (r:Run {org: $org, fingerprint: fingerprint})
MATCH (opened:Snapshot {org: $org, environment: r.environment, index: r.from_index})
OPTIONAL MATCH (closed:Snapshot {org: $org, environment: r.environment, index: r.to_index})
RETURN r {.*} AS run, opened.reported_at AS started_at, closed.reported_at AS stopped_at
"""

# --- deployments and attestations ---------------------------------------------------------------------------------

# Touching the Flow takes its write lock: deployments of one flow are numbered one at a time.
LOCK_FLOW = """
MATCH (f:Flow {org: $org, name: $flow})
SET f.lock_seq = coalesce(f.lock_seq, 0) + 1
"""

CREATE_DEPLOYMENT = """
MATCH (f:Flow {org: $org, name: $flow})
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
MATCH (e:Environment {org: $org, name: $environment})
WITH f, a, e, coalesce(f.last_deployment, 0) + 1 AS number
SET f.last_deployment = number
CREATE (d:Deployment {org: $org, flow: $flow, number: number, fingerprint: $fingerprint,
                      environment: $environment, reported_at: $reported_at, user: $user,
                      description: $description})
CREATE (d)-[:OF]->(a), (d)-[:TO]->(e)
RETURN d {.*} AS deployment
"""

DEPLOYMENTS_TO = """
UNWIND $fingerprints AS fingerprint
MATCH (d:Deployment {org: $org, fingerprint: fingerprint, environment: $environment})
RETURN d {.*} AS deployment
ORDER BY d.flow, d.number
"""

CREATE_ATTESTATION = """
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
MERGE (t:Attestation {org: $org, id: $id})
SET t.flow = $flow, t.fingerprint = $fingerprint, t.type = $type, t.name = $name, t.compliant = $compliant,
    t.reported_at = $reported_at, t.url = $url, t.data = $data
MERGE (t)-[:ATTESTS]->(a)
RETURN t {.*} AS attestation
"""

# --- snapshots: writes --------------------------------------------------------------------------------------------

# Touching the Environment takes its write lock before anything is read: reports to one environment run one at a
# time, so indexes stay gap-free and no report works from a stale set of open Runs.
LOCK_ENVIRONMENT = """
MATCH (e:Environment {org: $org, name: $environment})
SET e.lock_seq = coalesce(e.lock_seq, 0) + 1
RETURN e {.*} AS environment
"""

LATEST_STATE = """
MATCH (e:Environment {org: $org, name: $environment})
OPTIONAL MATCH (s:Snapshot {org: $org, environment: $environment, index: e.latest_index})
RETURN e {.*} AS environment, s {.*} AS snapshot,
       COLLECT {
           MATCH (r:Run {org: $org, environment: $environment, open: true})
           RETURN r {.fingerprint, .name, .instances}
       } AS runs
"""

TOUCH_ENVIRONMENT = """
MATCH (e:Environment {org: $org, name: $environment})
SET e.last_reported_at = $reported_at
"""

MERGE_DIGESTS = """
UNWIND $fingerprints AS fingerprint
MERGE (:Digest {org: $org, fingerprint: fingerprint})
"""

CREATE_SNAPSHOT = """
MATCH (e:Environment {org: $org, name: $environment})
CREATE (s:Snapshot {org: $org, environment: $environment, index: $index, reported_at: $reported_at})
CREATE (s)-[:OF]->(e)
SET e.latest_index = $index, e.last_reported_at = $reported_at, e.last_changed_at = $reported_at
RETURN s {.*} AS snapshot
"""

CLOSE_RUNS = """
UNWIND $fingerprints AS fingerprint
MATCH (r:Run {org: $org, environment: $environment, open: true})
WHERE r.fingerprint = fingerprint
SET r.open = false, r.to_index = $index
"""

OPEN_RUNS = """
MATCH (e:Environment {org: $org, name: $environment})
UNWIND $runs AS run
MATCH (d:Digest {org: $org, fingerprint: run.fingerprint})
CREATE (r:Run {org: $org, environment: $environment, fingerprint: run.fingerprint, name: run.name,
               instances: run.instances, from_index: $index, open: true})
CREATE (r)-[:OF]->(d), (r)-[:IN]->(e)
"""

# --- snapshots: reads ---------------------------------------------------------------------------------------------

SNAPSHOT_BY_INDEX = """
MATCH (s:Snapshot {org: $org, environment: $environment, index: $index})
RETURN s {.*} AS snapshot
"""

# The snapshot in force at a time: the newest reported at or before it.
SNAPSHOT_AT_TIME = """
MATCH (s:Snapshot {org: $org, environment: $environment})
WHERE s.reported_at <= $at
RETURN s.index AS index
ORDER BY s.reported_at DESC, s.index DESC
LIMIT 1
"""

OPEN_RUNS_IN = """
MATCH (r:Run {org: $org, environment: $environment, open: true})
RETURN r {.*} AS run
"""

RUNNING_AT = """
CALL () {
    MATCH (r:Run {org: $org, environment: $environment, open: true})
    WHERE r.from_index <= $index
    RETURN r
    UNION
    MATCH (r:Run {org: $org, environment: $environment})
    WHERE r.to_index > $index AND r.from_index <= $index
    RETURN r
}
RETURN r {.*} AS run
"""

RUNS_CHANGING_AT = """
UNWIND $indexes AS index
CALL (index) {
    MATCH (r:Run {org: $org, environment: $environment, from_index: index})
    RETURN r
    UNION
    MATCH (r:Run {org: $org, environment: $environment, to_index: index})
    RETURN r
}
RETURN r {.*} AS run
"""

OPEN_RUNS_OF_ORG = """
UNWIND $environments AS environment
MATCH (r:Run {org: $org, environment: environment, open: true})
RETURN r {.*} AS run
"""

LATEST_SNAPSHOTS = """
MATCH (e:Environment {org: $org})
OPTIONAL MATCH (s:Snapshot {org: $org, environment: e.name, index: e.latest_index})
RETURN e {.*} AS environment, s {.*} AS snapshot
ORDER BY e.name
"""

# --- environment log ----------------------------------------------------------------------------------------------

_LOG_FILTER = """
MATCH (s:Snapshot {org: $org, environment: $environment})
WHERE s.index >= $low AND s.index <= $high AND s.reported_at >= $since AND s.reported_at <= $until
"""

LOG_COUNT = _LOG_FILTER + "RETURN count(s) AS total"

LOG_PAGE_NEWEST_FIRST = _LOG_FILTER + "RETURN s {.*} AS snapshot ORDER BY s.index DESC LIMIT $limit"

LOG_PAGE_OLDEST_FIRST = _LOG_FILTER + "RETURN s {.*} AS snapshot ORDER BY s.index ASC LIMIT $limit"

# With a flow: the snapshots where a Run of one of the flow's fingerprints opens or closes.
LOG_FLOW_SNAPSHOTS = """
MATCH (a:Artifact {org: $org, flow: $flow})
WITH DISTINCT a.fingerprint AS fingerprint
MATCH (r:Run {org: $org, fingerprint: fingerprint})
WHERE r.environment = $environment
UNWIND [r.from_index, r.to_index] AS index
WITH DISTINCT index
WHERE index IS NOT NULL AND index >= $low AND index <= $high
MATCH (s:Snapshot {org: $org, environment: $environment, index: index})
WHERE s.reported_at >= $since AND s.reported_at <= $until
RETURN s {.*} AS snapshot
"""

FLOW_FINGERPRINTS = """
MATCH (a:Artifact {org: $org, flow: $flow})
RETURN DISTINCT a.fingerprint AS fingerprint
"""

# --- commits: reads -----------------------------------------------------------------------------------------------

# Known shas: reported commits and artifacts' `git_commit` (stubs known only as a parent are not commits).
KNOWN_SHAS = """
CALL () {
    MATCH (c:Commit {org: $org})
    WHERE c.sha STARTS WITH $prefix AND c.reported
    RETURN c.sha AS sha
    UNION
    MATCH (a:Artifact {org: $org})
    WHERE a.git_commit STARTS WITH $prefix
    RETURN a.git_commit AS sha
}
RETURN sha
ORDER BY sha
LIMIT $limit
"""

COMMITS = """
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
WHERE c.reported
RETURN c {.*} AS commit,
       COLLECT { MATCH (c)-[p:PARENT]->(parent:Commit) RETURN parent.sha ORDER BY p.position } AS parents
"""

# Children through PARENT edges in reverse, breadth first (Neo4j plans `min(length(p))` over a variable-length
# expand as a pruning BFS, so each commit is visited once, not once per path). The depth bound is a literal
# because Cypher cannot take it as a parameter; it must equal MAX_ANCESTRY_DEPTH (checked below).
DESCENDANTS = """
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
MATCH p = (c)<-[:PARENT*1..1000]-(d:Commit)
RETURN sha, d.sha AS descendant, min(length(p)) AS distance
"""

if "*1.." + str(MAX_ANCESTRY_DEPTH) + "]" not in DESCENDANTS:  # pragma: no cover - guards an edit of either
    raise RuntimeError("DESCENDANTS must bound its traversal by MAX_ANCESTRY_DEPTH")

ARTIFACTS_BUILT_FROM = """
UNWIND $shas AS sha
MATCH (a:Artifact {org: $org, git_commit: sha})
RETURN a.flow AS flow, a.fingerprint AS fingerprint, a.git_commit AS sha
"""

ENVIRONMENT_LATEST = """
MATCH (e:Environment {org: $org})
RETURN e.name AS name, e.latest_index AS latest_index
"""

DIGEST_PREFIX = """
MATCH (d:Digest {org: $org})
WHERE d.fingerprint STARTS WITH $prefix
RETURN d.fingerprint AS fingerprint
ORDER BY fingerprint
LIMIT $limit
"""
