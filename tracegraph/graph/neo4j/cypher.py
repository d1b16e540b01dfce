"""Every Cypher statement of the Neo4j backend, as named constants.

Values travel only as `$parameters`; labels and relationship types are written out here and nowhere else:
Org, Flow, Repository, Commit, Artifact, Digest, Environment, Snapshot, Run, Deployment, Attestation, Token, Trail;
PARENT, IN_REPO, IN_FLOW, BUILT_FROM, HAS_DIGEST, OF, IN, TO, ATTESTS, IN_TRAIL, ON_TRAIL.

Besides the properties of the domain models, the graph keeps:
- Run `open`: true with no `to_index` while running; closing sets `open: false, to_index: N`.
- Commit `reported`: false on stub nodes known only as someone's parent, until they are reported themselves.
- Artifact `commit_pending`: true while its `git_commit` names no reported Commit — history the ancestry index has
  never seen, so "where is this commit running?" reads these artifacts besides those the commit graph directs it
  to. Set with BUILT_FROM on every artifact write, cleared when the commit is reported. A true left by an artifact
  and its commit reported at the same instant costs one extra candidate, never an answer; a false is always right.
- Environment and Flow `lock_token`: rewritten to take the node's write lock; Flow `last_deployment`: its highest
  deployment number.
- Trail `user_data`: JSON text. Artifact `trail`: the name its IN_TRAIL edge points to (at most one), copied so every
  artifact projection carries it; the edge holds `template_reference_name`. A Trail's commit is read through its
  `git_commit` like an artifact's, without an edge.
- An Attestation no artifact holds (trail-level, or pending for the template slot `target_artifact`) has an ON_TRAIL
  edge to its Trail instead of ATTESTS, and keeps `trail`, `target_artifact` and `git_commit`; binding a pending one
  replaces the edge with ATTESTS, sets `fingerprint` and removes those three, so it reads as if attested directly.
- BUILT_FROM edges link an artifact to its commit once both are reported (whichever comes first). Reads do not
  depend on them: they match `Artifact.git_commit` to `Commit.sha` through the indexes, so an edge missed by an
  artifact and its commit reported at the same instant (neither transaction sees the other) costs no answer.
"""

from __future__ import annotations

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

# A flow with the time of its newest deployment (the highest number: deployments are numbered as reported).
_FLOW = """f {
  .*,
  last_deployment_at: head(COLLECT {
    MATCH (d:Deployment {org: f.org, flow: f.name}) RETURN d.reported_at ORDER BY d.number DESC LIMIT 1
  })
} AS flow"""

MERGE_FLOW = (
    """
MATCH (:Org {name: $org})
MERGE (f:Flow {org: $org, name: $name})
ON CREATE SET f.created_at = $now
SET f.description = $description, f.repo_url = $repo_url, f.template_yaml = coalesce($template_yaml, f.template_yaml)
RETURN """
    + _FLOW
)

GET_FLOW = "MATCH (f:Flow {org: $org, name: $name}) RETURN " + _FLOW

LIST_FLOWS = "MATCH (f:Flow {org: $org}) WHERE f.name IS NOT NULL RETURN " + _FLOW + " ORDER BY f.name"

MERGE_ENVIRONMENT = """
MATCH (:Org {name: $org})
MERGE (e:Environment {org: $org, name: $name})
ON CREATE SET e.created_at = $now, e.latest_index = 0
SET e.type = $type, e.description = $description
RETURN e {.*} AS environment
"""

GET_ENVIRONMENT = "MATCH (e:Environment {org: $org, name: $name}) RETURN e {.*} AS environment"

LIST_ENVIRONMENTS = """
MATCH (e:Environment {org: $org})
WHERE e.name IS NOT NULL
RETURN e {.*} AS environment
ORDER BY e.name
"""

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
SET c.reported = true, c.seq = $seq, c.parents_known = coalesce(c.parents_known, false) OR row.parents_known,
    c.message = coalesce(row.message, c.message, ''), c.author = coalesce(row.author, c.author),
    c.author_email = coalesce(row.author_email, c.author_email), c.timestamp = coalesce(row.timestamp, c.timestamp),
    c.branch = coalesce(row.branch, c.branch), c.url = coalesce(row.url, c.url),
    c.repo_url = coalesce($repo_url, c.repo_url)
"""

# A report that gives a commit's parents replaces them: its PARENT edges are exactly the last list given.
DELETE_PARENT_EDGES = """
UNWIND $shas AS sha
MATCH (:Commit {org: $org, sha: sha})-[edge:PARENT]->()
DELETE edge
"""

# A report naming a repository moves the commit there; one naming none leaves it where it was.
LINK_REPOSITORY = """
MATCH (r:Repository {org: $org, url: $url})
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
OPTIONAL MATCH (c)-[old:IN_REPO]->(other:Repository)
WHERE other <> r
DELETE old
WITH DISTINCT c, r
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
SET a.commit_pending = false
"""

# --- artifacts ----------------------------------------------------------------------------------------------------

UPSERT_ARTIFACT = """
MATCH (f:Flow {org: $org, name: $flow})
MERGE (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
ON CREATE SET a.created_at = $created_at
SET a.name = $name, a.build_url = coalesce($build_url, a.build_url),
    a.commit_url = coalesce($commit_url, a.commit_url), a.git_commit = coalesce($git_commit, a.git_commit)
MERGE (a)-[:IN_FLOW]->(f)
MERGE (d:Digest {org: $org, fingerprint: $fingerprint})
MERGE (a)-[:HAS_DIGEST]->(d)
"""

RELINK_BUILT_FROM = """
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
OPTIONAL MATCH (a)-[old:BUILT_FROM]->()
DELETE old
WITH DISTINCT a
OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
WHERE c.reported
SET a.commit_pending = a.git_commit IS NOT NULL AND c IS NULL
WITH a, c
WHERE c IS NOT NULL
MERGE (a)-[:BUILT_FROM]->(c)
"""

# `report_artifacts`: UPSERT_ARTIFACT and RELINK_BUILT_FROM for a batch, row by row in input order.
UPSERT_ARTIFACTS = """
UNWIND $rows AS row
MATCH (f:Flow {org: $org, name: row.flow})
MERGE (a:Artifact {org: $org, flow: row.flow, fingerprint: row.fingerprint})
ON CREATE SET a.created_at = row.created_at
SET a.name = row.name, a.build_url = coalesce(row.build_url, a.build_url),
    a.commit_url = coalesce(row.commit_url, a.commit_url), a.git_commit = coalesce(row.git_commit, a.git_commit)
MERGE (a)-[:IN_FLOW]->(f)
MERGE (d:Digest {org: $org, fingerprint: row.fingerprint})
MERGE (a)-[:HAS_DIGEST]->(d)
"""

RELINK_BUILT_FROM_MANY = """
UNWIND $keys AS key
MATCH (a:Artifact {org: $org, flow: key[0], fingerprint: key[1]})
OPTIONAL MATCH (a)-[old:BUILT_FROM]->()
DELETE old
WITH DISTINCT a
OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
WHERE c.reported
SET a.commit_pending = a.git_commit IS NOT NULL AND c IS NULL
WITH a, c
WHERE c IS NOT NULL
MERGE (a)-[:BUILT_FROM]->(c)
"""

# --- trails -------------------------------------------------------------------------------------------------------

MERGE_TRAIL = """
MATCH (f:Flow {org: $org, name: $flow})
MERGE (t:Trail {org: $org, flow: $flow, name: $name})
ON CREATE SET t.created_at = $now
SET t.description = $description, t.origin_url = $origin_url, t.user_data = $user_data,
    t.git_commit = coalesce($git_commit, t.git_commit), t.template_yaml = coalesce($template_yaml, t.template_yaml)
MERGE (t)-[:IN_FLOW]->(f)
RETURN t {.*} AS trail
"""

# Trails named by artifacts, created when missing (as `kosli attest artifact --trail` does); one row per trail.
ENSURE_TRAILS = """
UNWIND $rows AS row
MATCH (f:Flow {org: $org, name: row.flow})
MERGE (t:Trail {org: $org, flow: row.flow, name: row.trail})
ON CREATE SET t.created_at = $now, t.description = '', t.user_data = '{}', t.git_commit = row.git_commit
MERGE (t)-[:IN_FLOW]->(f)
"""

# An artifact's trail link replaced by the one last named; one row per artifact.
LINK_TRAILS = """
UNWIND $rows AS row
MATCH (a:Artifact {org: $org, flow: row.flow, fingerprint: row.fingerprint})
MATCH (t:Trail {org: $org, flow: row.flow, name: row.trail})
OPTIONAL MATCH (a)-[old:IN_TRAIL]->()
DELETE old
WITH DISTINCT a, t, row
CREATE (a)-[:IN_TRAIL {template_reference_name: row.template_reference_name}]->(t)
SET a.trail = row.trail
"""

GET_TRAIL = "MATCH (t:Trail {org: $org, flow: $flow, name: $name}) RETURN t {.*} AS trail"

TRAIL_MEMBERS = """
UNWIND $names AS name
MATCH (a:Artifact)-[r:IN_TRAIL]->(:Trail {org: $org, flow: $flow, name: name})
RETURN name AS trail, a.fingerprint AS fingerprint, r.template_reference_name AS slot
"""

TRAIL_CREATED = "MATCH (t:Trail {org: $org, flow: $flow, name: $name}) RETURN t.created_at AS created_at"

SLOT_ARTIFACTS = """
MATCH (a:Artifact)-[r:IN_TRAIL]->(:Trail {org: $org, flow: $flow, name: $trail})
WHERE r.template_reference_name = $slot
RETURN a.fingerprint AS fingerprint, a.git_commit AS git_commit
"""

CREATE_TRAIL_ATTESTATION = """
MATCH (trail:Trail {org: $org, flow: $flow, name: $trail})
MERGE (t:Attestation {org: $org, id: $id})
SET t.flow = $flow, t.trail = $trail, t.target_artifact = $target_artifact, t.git_commit = $git_commit,
    t.type = $type, t.name = $name, t.compliant = $compliant, t.reported_at = $reported_at, t.url = $url,
    t.data = $data
MERGE (t)-[:ON_TRAIL]->(trail)
RETURN t {.*} AS attestation
"""

# Pending attestations of the slots artifacts were just reported into; one row per artifact with a slot.
BIND_PENDING = """
UNWIND $rows AS row
MATCH (a:Artifact {org: $org, flow: row.flow, fingerprint: row.fingerprint})
MATCH (t:Attestation)-[p:ON_TRAIL]->(:Trail {org: $org, flow: row.flow, name: row.trail})
WHERE t.target_artifact = row.template_reference_name AND (t.git_commit IS NULL OR t.git_commit = a.git_commit)
DELETE p
SET t.fingerprint = a.fingerprint
REMOVE t.trail, t.target_artifact, t.git_commit
MERGE (t)-[:ATTESTS]->(a)
"""

TRAIL_OWN_ATTESTATIONS = """
UNWIND $names AS name
MATCH (t:Attestation)-[:ON_TRAIL]->(:Trail {org: $org, flow: $flow, name: name})
RETURN t {.*} AS attestation
"""

LIST_TRAILS = """
MATCH (t:Trail {org: $org, flow: $flow})
USING INDEX t:Trail(org, flow, created_at)
WHERE t.created_at <= $after_created AND (t.created_at < $after_created OR t.name < $after)
RETURN t {.*} AS trail
ORDER BY t.created_at DESC, t.name DESC
LIMIT $limit
"""

# Artifacts and commits come back by the hundred (a running set's provenance): their times travel as microseconds
# since the epoch, which the driver decodes far faster than temporal values.
_ARTIFACT = "a {.*, created_at: a.created_at.epochSeconds * 1000000 + a.created_at.microsecond}"

_COMMIT = "c {.*, timestamp: c.timestamp.epochSeconds * 1000000 + c.timestamp.microsecond}"

# The tail shared by every read that answers artifacts with their state and commit (a Provenance).
_PROVENANCE = (
    """
OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
WHERE c.reported
RETURN """
    + _ARTIFACT
    + """ AS artifact,
       COLLECT { MATCH (a)<-[:ATTESTS]-(t:Attestation) RETURN t.compliant } AS compliance,
       """
    + _COMMIT
    + """ AS commit,
       COLLECT { MATCH (c)-[p:PARENT]->(parent:Commit) RETURN parent.sha ORDER BY p.position } AS parents
"""
)

# Reads that may answer many rows collect them into one list: the driver then decodes one record instead of one
# per row, which costs far less than the query itself.

# Every artifact of each fingerprint (the Digest hub's artifacts), with what its state and its commit need.
_PROVENANCE_LIST = (
    """
CALL () {
    UNWIND $fingerprints AS fingerprint
    MATCH (:Digest {org: $org, fingerprint: fingerprint})<-[:HAS_DIGEST]-(a:Artifact)
    OPTIONAL MATCH (c:Commit {org: $org, sha: a.git_commit})
    WHERE c.reported
    RETURN collect({
        artifact: """
    + _ARTIFACT
    + """,
        compliance: COLLECT { MATCH (a)<-[:ATTESTS]-(t:Attestation) RETURN t.compliant },
        commit: """
    + _COMMIT
    + """,
        parents: COLLECT { MATCH (c)-[p:PARENT]->(parent:Commit) RETURN parent.sha ORDER BY p.position }
    }) AS provenance
}
"""
)

# Deployments of fingerprints to one environment.
_DEPLOYMENTS_LIST = """
CALL () {
    UNWIND $deployed AS fingerprint
    MATCH (d:Deployment {org: $org, fingerprint: fingerprint, environment: $environment})
    RETURN collect(d {.*}) AS deployments
}
"""

PROVENANCE = _PROVENANCE_LIST + "RETURN provenance"

PROVENANCE_AND_DEPLOYMENTS = _PROVENANCE_LIST + _DEPLOYMENTS_LIST + "RETURN provenance, deployments"

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
USING INDEX a:Artifact(org, flow, created_at)
WHERE a.created_at <= $after_created AND (a.created_at < $after_created OR a.fingerprint < $after)
WITH a
ORDER BY a.org DESC, a.flow DESC, a.created_at DESC, a.fingerprint DESC
LIMIT $limit
"""
    + _PROVENANCE
)

# Artifacts built from a reported commit of a repository (reached through the Repository key and IN_REPO), newest
# first; the keyset on (created_at, flow, fingerprint) is applied before the sort, the limit after it.
LIST_REPO_ARTIFACTS = (
    """
MATCH (:Repository {org: $org, url: $repo_url})<-[:IN_REPO]-(c:Commit)
WHERE c.reported
MATCH (a:Artifact {org: $org, git_commit: c.sha})
WHERE a.created_at < $after_created
   OR (a.created_at = $after_created
       AND (a.flow < $after_flow OR (a.flow = $after_flow AND a.fingerprint < $after)))
WITH a
ORDER BY a.created_at DESC, a.flow DESC, a.fingerprint DESC
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
RETURN collect({
    run: r {.*, instances_detail: null}, started_at: opened.reported_at, stopped_at: closed.reported_at
}) AS runs
"""

# --- deployments and attestations ---------------------------------------------------------------------------------

# Writing to the Flow takes its write lock: deployments of one flow are numbered one at a time. The write must not
# read the node first (`SET n.x = n.x + 1`): a read-then-write starts with a shared lock and upgrades it, and
# concurrent upgraders deadlock (Neo4j detects it and the driver retries, but each retry waits about a second).
LOCK_FLOW = """
MATCH (f:Flow {org: $org, name: $flow})
SET f.lock_token = randomUUID()
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

CREATE_ATTESTATION = """
MATCH (a:Artifact {org: $org, flow: $flow, fingerprint: $fingerprint})
MERGE (t:Attestation {org: $org, id: $id})
SET t.flow = $flow, t.fingerprint = $fingerprint, t.type = $type, t.name = $name, t.compliant = $compliant,
    t.reported_at = $reported_at, t.url = $url, t.data = $data
MERGE (t)-[:ATTESTS]->(a)
RETURN t {.*} AS attestation
"""

# --- snapshots: writes --------------------------------------------------------------------------------------------

# Writing to the Environment takes its write lock before anything is read: reports to one environment run one at a
# time, so indexes stay gap-free and no report works from a stale set of open Runs. A blind write, as for LOCK_FLOW.
LOCK_ENVIRONMENT = """
MATCH (e:Environment {org: $org, name: $environment})
SET e.lock_token = randomUUID()
RETURN e.name AS name
"""

LATEST_STATE = """
MATCH (e:Environment {org: $org, name: $environment})
OPTIONAL MATCH (s:Snapshot {org: $org, environment: $environment, index: e.latest_index})
RETURN e {.*} AS environment, s {.*} AS snapshot,
       COLLECT {
           MATCH (r:Run {org: $org, environment: $environment, open: true})
           RETURN r {.fingerprint, .name, .instances, id: elementId(r)}
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

# The open Runs were read (with their element ids) earlier in the same transaction, under the environment's lock.
CLOSE_RUNS = """
UNWIND $ids AS id
MATCH (r:Run)
WHERE elementId(r) = id
SET r.open = false, r.to_index = $index
"""

OPEN_RUNS = """
MATCH (e:Environment {org: $org, name: $environment})
UNWIND $runs AS run
MATCH (d:Digest {org: $org, fingerprint: run.fingerprint})
CREATE (r:Run {org: $org, environment: $environment, fingerprint: run.fingerprint, name: run.name,
               instances: run.instances, from_index: $index, open: true, started_at: $reported_at,
               instances_detail: run.instances_detail})
CREATE (r)-[:OF]->(d), (r)-[:IN]->(e)
"""

# --- snapshots: reads ---------------------------------------------------------------------------------------------

SNAPSHOT_BY_INDEX = """
MATCH (s:Snapshot {org: $org, environment: $environment, index: $index})
RETURN s {.*} AS snapshot
"""

# The snapshot in force at a time: the newest reported at or before it. Ordering by every property of the
# (org, environment, reported_at) index lets the planner read that index backwards and stop at the first entry.
SNAPSHOT_AT_TIME = """
MATCH (s:Snapshot {org: $org, environment: $environment})
WHERE s.reported_at <= $at
WITH s.reported_at AS reported_at
ORDER BY s.org DESC, s.environment DESC, s.reported_at DESC
LIMIT 1
MATCH (s:Snapshot {org: $org, environment: $environment})
USING INDEX s:Snapshot(org, environment, reported_at)
WHERE s.reported_at = reported_at
RETURN max(s.index) AS index
"""

# The running set of the latest snapshot: the open Runs.
RUNNING_LATEST = """
MATCH (r:Run {org: $org, environment: $environment, open: true})
RETURN collect(r {.*, instances_detail: null}) AS runs
"""

# The running set of an older snapshot N: Runs open now that opened by N, plus Runs that opened by N and closed
# after it. The second part is read from whichever end is nearer: Runs closing after N when N is recent,
# Runs opening up to N when N is early, so the cost follows the distance to the nearer end of the history.
RUNNING_AT_RECENT = """
CALL () {
    MATCH (r:Run {org: $org, environment: $environment, open: true})
    USING INDEX r:Run(org, environment, open)
    WHERE r.from_index <= $index
    RETURN r
    UNION
    MATCH (r:Run {org: $org, environment: $environment})
    USING INDEX r:Run(org, environment, to_index)
    WHERE r.to_index > $index AND r.from_index <= $index
    RETURN r
}
RETURN collect(r {.*, instances_detail: null}) AS runs
"""

RUNNING_AT_EARLY = """
MATCH (r:Run {org: $org, environment: $environment})
WHERE r.from_index <= $index
WITH r
WHERE r.open OR r.to_index > $index
RETURN collect(r {.*, instances_detail: null}) AS runs
"""

# The Runs opening or closing at some snapshots: their events.
RUNS_CHANGING_AT = """
UNWIND $indexes AS index
CALL (index) {
    MATCH (r:Run {org: $org, environment: $environment, from_index: index})
    RETURN r
    UNION
    MATCH (r:Run {org: $org, environment: $environment, to_index: index})
    RETURN r
}
RETURN collect(r {.*, instances_detail: null}) AS runs
"""

# A snapshot with the Runs changing at it and its running set, in one statement (one per way of reading the set).
_SNAPSHOT_VIEW = """
OPTIONAL MATCH (s:Snapshot {org: $org, environment: $environment, index: $index})
CALL () {
    CALL () {
        MATCH (r:Run {org: $org, environment: $environment, from_index: $index})
        RETURN r
        UNION
        MATCH (r:Run {org: $org, environment: $environment, to_index: $index})
        RETURN r
    }
    RETURN collect(r {.*, instances_detail: null}) AS changing
}
"""

SNAPSHOT_VIEW_LATEST = _SNAPSHOT_VIEW + "CALL () {" + RUNNING_LATEST + "}\nRETURN s {.*} AS snapshot, changing, runs"

SNAPSHOT_VIEW_RECENT = _SNAPSHOT_VIEW + "CALL () {" + RUNNING_AT_RECENT + "}\nRETURN s {.*} AS snapshot, changing, runs"

SNAPSHOT_VIEW_EARLY = _SNAPSHOT_VIEW + "CALL () {" + RUNNING_AT_EARLY + "}\nRETURN s {.*} AS snapshot, changing, runs"

# How many of the fingerprints fail compliance: no build reported them, or a build has a failed attestation.
NOT_COMPLIANT_COUNT = """
UNWIND $fingerprints AS fingerprint
MATCH (d:Digest {org: $org, fingerprint: fingerprint})
WITH d
WHERE NOT EXISTS { MATCH (d)<-[:HAS_DIGEST]-(:Artifact) }
   OR EXISTS { MATCH (d)<-[:HAS_DIGEST]-(:Artifact)<-[:ATTESTS]-(t:Attestation) WHERE NOT t.compliant }
RETURN count(d) AS failing
"""

OPEN_RUNS_OF_ORG = """
UNWIND $environments AS environment
MATCH (r:Run {org: $org, environment: environment, open: true})
RETURN collect(r {.*, instances_detail: null}) AS runs
"""

LATEST_SNAPSHOTS = """
MATCH (e:Environment {org: $org})
WHERE e.name IS NOT NULL
OPTIONAL MATCH (s:Snapshot {org: $org, environment: e.name, index: e.latest_index})
RETURN e {.*} AS environment, s {.*} AS snapshot
ORDER BY e.name
"""

# The instances detail of a window's Runs, by (fingerprint, from_index): seeks on run_fingerprint. Run projections
# elsewhere leave it out (`instances_detail: null`), so only a read that shows it pays for it.
INSTANCES_DETAIL = """
UNWIND $runs AS run
MATCH (r:Run {org: $org, fingerprint: run.fingerprint})
WHERE r.environment = $environment AND r.from_index = run.from_index
RETURN r.fingerprint AS fingerprint, r.instances_detail AS detail
"""

# Snapshot summaries: the snapshots asked for, the Runs spanning their range, and which fingerprints fail compliance
# (as NOT_COMPLIANT_COUNT decides).
SNAPSHOT_SUMMARY_INPUTS = """
CALL () {
    UNWIND $indexes AS index
    MATCH (s:Snapshot {org: $org, environment: $environment, index: index})
    RETURN collect([s.index, s.reported_at]) AS snapshots
}
CALL (snapshots) {
    WITH snapshots WHERE size(snapshots) > 0
    WITH reduce(low = snapshots[0][0], item IN snapshots | CASE WHEN item[0] < low THEN item[0] ELSE low END) AS low,
         reduce(high = snapshots[0][0], item IN snapshots | CASE WHEN item[0] > high THEN item[0] ELSE high END) AS high
    MATCH (r:Run {org: $org, environment: $environment})
    WHERE r.from_index <= high AND (r.open OR r.to_index > low)
    RETURN collect([r.fingerprint, r.from_index, r.to_index]) AS runs
}
CALL (runs) {
    UNWIND runs AS run
    WITH DISTINCT run[0] AS fingerprint
    MATCH (d:Digest {org: $org, fingerprint: fingerprint})
    WHERE NOT EXISTS { MATCH (d)<-[:HAS_DIGEST]-(:Artifact) }
       OR EXISTS { MATCH (d)<-[:HAS_DIGEST]-(:Artifact)<-[:ATTESTS]-(t:Attestation) WHERE NOT t.compliant }
    RETURN collect(fingerprint) AS failing
}
RETURN snapshots, runs, failing
"""

# --- environment log ----------------------------------------------------------------------------------------------

# Snapshot times never decrease with the index (a report may not go back in time), so a time range is an index
# range: from the first snapshot reported at or after `since` to the last one reported at or before `until`.
# No row when no snapshot falls in the range.
LOG_TIME_BOUNDS = """
CALL () {
    MATCH (s:Snapshot {org: $org, environment: $environment})
    WHERE s.reported_at >= $since
    RETURN s.index AS first
    ORDER BY s.org, s.environment, s.reported_at, s.index
    LIMIT 1
}
CALL () {
    MATCH (s:Snapshot {org: $org, environment: $environment})
    WHERE s.reported_at <= $until
    RETURN s.index AS last
    ORDER BY s.org DESC, s.environment DESC, s.reported_at DESC, s.index DESC
    LIMIT 1
}
RETURN first, last
"""

# Snapshots are numbered without gaps, so a page is a range of indexes; ordering by every property of the key
# index lets the planner walk it in order and stop after `limit` entries.
LOG_PAGE_NEWEST_FIRST = """
MATCH (s:Snapshot {org: $org, environment: $environment})
WHERE s.index >= $low AND s.index <= $high
WITH s
ORDER BY s.org DESC, s.environment DESC, s.index DESC
LIMIT $limit
RETURN s {.*} AS snapshot
"""

LOG_PAGE_OLDEST_FIRST = """
MATCH (s:Snapshot {org: $org, environment: $environment})
WHERE s.index >= $low AND s.index <= $high
WITH s
ORDER BY s.org, s.environment, s.index
LIMIT $limit
RETURN s {.*} AS snapshot
"""

# With a flow: the indexes of the snapshots where a Run of one of the flow's fingerprints opens or closes.
LOG_FLOW_INDEXES = """
MATCH (:Flow {org: $org, name: $flow})<-[:IN_FLOW]-(a:Artifact)
WITH DISTINCT a.fingerprint AS fingerprint
MATCH (r:Run {org: $org, fingerprint: fingerprint})
WHERE r.environment = $environment
UNWIND [r.from_index, r.to_index] AS index
WITH DISTINCT index
WHERE index IS NOT NULL AND index >= $low AND index <= $high
RETURN index
"""

# With repositories (and perhaps a flow): the indexes where a Run of a fingerprint built from a reported commit of
# one of them (by an artifact of the flow) opens or closes.
LOG_REPO_INDEXES = """
UNWIND $repo_urls AS url
MATCH (:Repository {org: $org, url: url})<-[:IN_REPO]-(c:Commit)
WHERE c.reported
MATCH (a:Artifact {org: $org, git_commit: c.sha})
WHERE $flow IS NULL OR a.flow = $flow
WITH DISTINCT a.fingerprint AS fingerprint
MATCH (r:Run {org: $org, fingerprint: fingerprint})
WHERE r.environment = $environment
UNWIND [r.from_index, r.to_index] AS index
WITH DISTINCT index
WHERE index IS NOT NULL AND index >= $low AND index <= $high
RETURN index
"""

SNAPSHOTS_BY_INDEX = """
UNWIND $indexes AS index
MATCH (s:Snapshot {org: $org, environment: $environment, index: index})
RETURN s {.*} AS snapshot
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

# KNOWN_SHAS for many prefixes at once; a prefix matching nothing has no row.
KNOWN_SHAS_OF_PREFIXES = """
UNWIND $prefixes AS prefix
CALL (prefix) {
    CALL (prefix) {
        MATCH (c:Commit {org: $org})
        WHERE c.sha STARTS WITH prefix AND c.reported
        RETURN c.sha AS sha
        UNION
        MATCH (a:Artifact {org: $org})
        WHERE a.git_commit STARTS WITH prefix
        RETURN a.git_commit AS sha
    }
    RETURN sha
    ORDER BY sha
    LIMIT $limit
}
RETURN prefix, collect(sha) AS shas
"""

COMMITS = (
    """
UNWIND $shas AS sha
MATCH (c:Commit {org: $org, sha: sha})
WHERE c.reported
RETURN """
    + _COMMIT
    + """ AS commit,
       COLLECT { MATCH (c)-[p:PARENT]->(parent:Commit) RETURN parent.sha ORDER BY p.position } AS parents
"""
)

# Everything "where is this commit running?" reads before walking the commit graph, in one statement: the org's
# commit sequence (is the held graph current?), each environment's latest snapshot, and the candidates — the
# artifacts that run now (or ran), with their commits. No row when the org does not exist.
_PLACEMENT_INPUTS = """
MATCH (o:Org {name: $org})
CALL () {
    MATCH (e:Environment {org: $org})
    WHERE e.name IS NOT NULL
    RETURN collect([e.name, e.latest_index]) AS latest
}
CALL () {
"""
_RUNNING_FINGERPRINTS = """
    MATCH (e:Environment {org: $org})
    MATCH (r:Run {org: $org, environment: e.name, open: true})
"""
_PLACED_FINGERPRINTS = """
    MATCH (r:Run {org: $org})
"""
_CANDIDATES = """
    WITH DISTINCT r.fingerprint AS fingerprint
    MATCH (:Digest {org: $org, fingerprint: fingerprint})<-[:HAS_DIGEST]-(a:Artifact)
    WHERE a.git_commit IS NOT NULL
    RETURN collect([a.flow, a.fingerprint, a.git_commit]) AS candidates
}
RETURN toString(o.created_at) AS epoch, coalesce(o.commit_seq, 0) AS seq, latest, candidates
"""
RUNNING_PLACEMENT_INPUTS = _PLACEMENT_INPUTS + _RUNNING_FINGERPRINTS + _CANDIDATES
PLACED_PLACEMENT_INPUTS = _PLACEMENT_INPUTS + _PLACED_FINGERPRINTS + _CANDIDATES

# The same, directed by the commit graph (tracegraph/graph/ancestry.py): only the artifacts built from `$shas` (a
# walk's descendants and the commits whose history is incomplete) through the artifact_commit index, and those whose
# commit was never reported (artifact_pending), each kept when a Run of its fingerprint is open (or ever was).
_DIRECTED_ARTIFACTS = """
    CALL () {
        UNWIND $shas AS sha
        MATCH (a:Artifact {org: $org, git_commit: sha})
        RETURN a
        UNION
        MATCH (a:Artifact {org: $org, commit_pending: true})
        RETURN a
    }
"""
_RUNNING_ARTIFACTS = """
    WITH a
    WHERE EXISTS { MATCH (r:Run {org: $org, fingerprint: a.fingerprint}) WHERE r.open }
"""
_PLACED_ARTIFACTS = """
    WITH a
    WHERE EXISTS { MATCH (:Run {org: $org, fingerprint: a.fingerprint}) }
"""
_DIRECTED_CANDIDATES = """
    RETURN collect([a.flow, a.fingerprint, a.git_commit]) AS candidates
}
RETURN toString(o.created_at) AS epoch, coalesce(o.commit_seq, 0) AS seq, latest, candidates
"""
RUNNING_PLACEMENT_INPUTS_OF = _PLACEMENT_INPUTS + _DIRECTED_ARTIFACTS + _RUNNING_ARTIFACTS + _DIRECTED_CANDIDATES
PLACED_PLACEMENT_INPUTS_OF = _PLACEMENT_INPUTS + _DIRECTED_ARTIFACTS + _PLACED_ARTIFACTS + _DIRECTED_CANDIDATES

# The org's commit sequence (tracegraph/graph/ancestry.py): each write of commits takes the next number, under the
# Org node's write lock, and stamps the commits it touched with it.
NEXT_COMMIT_SEQ = """
MATCH (o:Org {name: $org})
SET o.commit_seq = coalesce(o.commit_seq, 0) + 1
RETURN o.commit_seq AS seq
"""

COMMIT_SEQ = """
MATCH (o:Org {name: $org})
RETURN toString(o.created_at) AS epoch, coalesce(o.commit_seq, 0) AS seq
"""

# One record of parallel lists, not one record per commit: decoding 40,000 records cost 2.2-2.7 s, these lists
# 0.2-0.6 s. Commits written before the sequence existed have no `parents_known`: edges mean their parents were.
_COMMIT_EDGES = """
WITH c, [(c)-[:PARENT]->(p:Commit) | p.sha] AS parents
RETURN collect(c.sha) AS shas, collect(coalesce(c.parents_known, size(parents) > 0)) AS known,
       collect(parents) AS parents
"""

ALL_COMMITS = "MATCH (c:Commit {org: $org}) WHERE c.reported" + _COMMIT_EDGES

CHANGED_COMMITS = "MATCH (c:Commit {org: $org}) WHERE c.seq > $since AND c.reported" + _COMMIT_EDGES

DIGEST_PREFIX = """
MATCH (d:Digest {org: $org})
WHERE d.fingerprint STARTS WITH $prefix
RETURN d.fingerprint AS fingerprint
ORDER BY fingerprint
LIMIT $limit
"""

# --- API tokens ---------------------------------------------------------------------------------------------------

_ISSUED_PROJECTION = "t {.*, secret_hash: null}"  # the hash never leaves the database

CREATE_TOKEN = (
    """
MATCH (:Org {name: $org})
MERGE (t:Token {org: $org, id: $id})
SET t.name = $name, t.role = $role, t.secret_hash = $secret_hash, t.created_at = $now, t.expires_at = $expires_at
RETURN """
    + _ISSUED_PROJECTION
    + " AS token"
)

TOKEN_BY_HASH = "MATCH (t:Token {secret_hash: $secret_hash}) RETURN " + _ISSUED_PROJECTION + " AS token"

LIST_TOKENS = "MATCH (t:Token {org: $org}) RETURN " + _ISSUED_PROJECTION + " AS token ORDER BY t.created_at, t.id"

REVOKE_TOKEN = (
    """
MATCH (t:Token {org: $org, id: $id})
SET t.revoked_at = coalesce(t.revoked_at, $now)
RETURN """
    + _ISSUED_PROJECTION
    + " AS token"
)
