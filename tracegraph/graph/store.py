"""The GraphStore protocol: every read and write of tracegraph in domain terms.

Backends (`embedded` on SQLite, `neo4j`) implement it and pass one contract suite. Each method is one round trip
to the database (one transaction), whatever the size of its answer; `round_trips` counts them so tests can catch
N+1 patterns deterministically.

Failures: `InvalidInput` (a rule broken, e.g. an ambiguous prefix, listing candidates), `NotFound` (org, flow,
environment, artifact, snapshot or commit missing), `Unavailable` (database unreachable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from tracegraph.errors import TracegraphError
from tracegraph.graph.changes import Change, ChangeListeners
from tracegraph.graph.findings import ALL_KINDS, DEFAULT_START_WINDOW, EventFlags, FindingKind, Findings
from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    AttestationTypeInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    FlowInput,
    OrgInput,
    SnapshotInput,
    TokenInput,
    TrailAttestationInput,
    TrailInput,
)
from tracegraph.graph.model import (
    Artifact,
    Attestation,
    AttestationType,
    Commit,
    Deployment,
    Environment,
    Flow,
    Org,
    Token,
    Trail,
)
from tracegraph.graph.policies import Policy, PolicyInput
from tracegraph.graph.selectors import LogQuery, SnapshotSelector
from tracegraph.graph.views import (
    ArtifactDetail,
    CommitPlacements,
    CommitsReported,
    EnvironmentVersions,
    LogPage,
    ReportedSnapshot,
    SearchResult,
    SnapshotDetail,
    SnapshotDiff,
    SnapshotSummary,
    TrailDetail,
)
from tracegraph.graph.windows import WHOLE_SNAPSHOT, SnapshotParts
from tracegraph.policies import PolicyEvaluation


class GraphStore(Protocol):
    @property
    def backend(self) -> str:
        """`embedded` or `neo4j`."""

    @property
    def change_listeners(self) -> ChangeListeners:
        """Called after each report written through this store object (not other processes'): the feed follower
        polls at once."""

    @property
    def round_trips(self) -> int:
        """Database round trips made so far (one per store call)."""

    async def start(self) -> None:
        """Connect and create the schema (tables or constraints and indexes); idempotent."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise `Unavailable` unless the database answers."""

    # --- topology: orgs, flows, environments (create or update by key) ---

    async def create_org(self, org: OrgInput) -> Org: ...

    async def get_org(self, name: str) -> Org: ...

    async def list_orgs(self) -> list[Org]: ...

    async def create_flow(self, flow: FlowInput) -> Flow: ...

    async def get_flow(self, org: str, name: str) -> Flow: ...

    async def list_flows(self, org: str) -> list[Flow]:
        """Ordered by name."""

    async def create_environment(self, environment: EnvironmentInput) -> Environment: ...

    async def get_environment(self, org: str, name: str) -> Environment: ...

    async def list_environments(self, org: str) -> list[Environment]:
        """Ordered by name."""

    # --- ingest: each one transaction, nothing written on failure ---

    async def report_artifact(self, artifact: ArtifactInput) -> Artifact:
        """Upsert by (flow, fingerprint); creates the Digest and Commit (with its parents, if given) it needs, writes
        its `history` commits, and links it to its `trail` (created in the flow when missing)."""

    async def begin_trail(self, trail: TrailInput) -> Trail:
        """Create or update a trail of a flow (keeping its creation time); upserts its `git_commit`."""

    async def report_commits(self, batch: CommitsInput) -> CommitsReported:
        """Upsert git history; `created` counts commits not stored before (re-running adds nothing)."""

    async def report_deployment(self, deployment: DeploymentInput) -> Deployment:
        """Number the deployment per flow (1, 2, 3…). The artifact and the environment must exist."""

    async def report_snapshot(self, report: SnapshotInput) -> ReportedSnapshot:
        """Compare with the open Runs; create snapshot N+1 only if the running set changed. Reports to one
        environment are serialised: indexes stay gap-free under concurrency."""

    async def attest(self, attestation: AttestationInput) -> Attestation:
        """Attach evidence to an artifact, which must exist."""

    async def attest_trail(self, attestation: TrailAttestationInput) -> Attestation:
        """Attach evidence to a trail, which must exist: trail-level without `target_artifact`;
        else to the trail's artifact in that slot (`trails.binding`), or pending until `report_artifact` reports one
        into the slot, which binds it in its own transaction."""

    # --- bulk ingest: one transaction per batch, the same answers as the single-item calls made in order ---

    async def report_artifacts(self, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
        """`report_artifact` for each, in one transaction; the answers (in input order) are the artifacts as
        stored after the whole batch. Nothing is written if any item fails."""

    async def report_deployments(self, deployments: Sequence[DeploymentInput]) -> list[Deployment]:
        """`report_deployment` for each in order (numbers as if reported one by one), in one transaction."""

    async def attest_many(self, attestations: Sequence[AttestationInput]) -> list[Attestation]:
        """`attest` for each in order, in one transaction."""

    # --- the change feed (graph/changes.py): a row per report that changed something, in its transaction ---

    async def changes_after(self, after: int, *, limit: int, orgs: Sequence[str] | None = None) -> list[Change]:
        """The changes with id > `after` (of `orgs` when given), ascending, at most `limit` (1 to 1,000, else
        `InvalidInput('limit')`). An `after` whose following changes were pruned, or beyond the last id, is
        `InvalidInput('after')`."""

    async def last_change_id(self) -> int:
        """The id of the last change ever written (0 when none): a new follower starts after it."""

    async def prune_changes(self, before: datetime) -> int:
        """Delete the changes written before `before`; answers how many."""

    # --- API tokens (the secret itself is never stored, only its SHA-256) ---

    async def create_token(self, token: TokenInput) -> Token:
        """The org must exist; a reused `secret_hash` is a `Conflict`."""

    async def token_by_hash(self, secret_hash: str) -> Token | None:
        """The token whose secret hashes to this, in any org (expired and revoked ones included)."""

    async def list_tokens(self, org: str) -> list[Token]:
        """Oldest first."""

    async def revoke_token(self, org: str, token_id: str) -> Token:
        """Idempotent: revoking twice keeps the first revocation time."""

    # --- reads ---

    async def environment_log(self, query: LogQuery) -> LogPage: ...

    async def snapshot(
        self, org: str, environment: str, selector: SnapshotSelector, parts: SnapshotParts = WHOLE_SNAPSHOT
    ) -> SnapshotDetail:
        """The snapshot with the `parts` asked for: windows of its running set and events (with their totals),
        their provenance and deployments when asked, whether it is compliant when asked."""

    async def snapshot_summaries(self, org: str, environment: str, indexes: Sequence[int]) -> list[SnapshotSummary]:
        """The snapshots of `indexes` that exist (each once, ascending) with their time, running total and whether
        their running set is compliant; one read whatever the number (at most 1,000, else `InvalidInput('indexes')`).
        """

    async def artifact(self, org: str, flow: str, fingerprint_prefix: str) -> ArtifactDetail:
        """By a unique fingerprint prefix (5-64 hex) within the flow."""

    async def artifacts_for_commit(self, org: str, commit_prefix: str, flow: str | None = None) -> list[ArtifactDetail]:
        """Artifacts built from the commit the prefix names (unique prefix, 5-40 hex), newest first."""

    async def list_artifacts(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Artifact]:
        """Newest first; `after` is the fingerprint of the last artifact of the previous page (keyset)."""

    async def list_artifacts_of_repo(
        self, org: str, repo_url: str, *, limit: int, after: tuple[str, str] | None = None
    ) -> list[Artifact]:
        """Artifacts (of every flow) built from a reported commit of the repository, newest first (`created_at`,
        then flow, then fingerprint, all descending); `after` is the (flow, fingerprint) of the last artifact of the
        previous page (keyset). An unknown repository answers `[]`."""

    async def trail(self, org: str, flow: str, name: str) -> TrailDetail:
        """A trail with its commit, artifacts and their attestations."""

    async def trails(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Trail]:
        """Newest first; `after` is the name of the last trail of the previous page (keyset)."""

    async def trail_details(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[TrailDetail]:
        """`trails` with each one's detail (as `trail` answers it), in one read whatever the page's size."""

    async def commit(self, org: str, sha_prefix: str) -> Commit:
        """A commit by unique prefix; a sha known only from an artifact's `git_commit` answers with no details."""

    async def commits(self, org: str, prefixes: Sequence[str]) -> dict[str, Commit | TracegraphError]:
        """Each prefix's commit as `commit()` answers it, or the error it raises (NotFound, ambiguous InvalidInput);
        one read for all. A missing org raises."""

    async def commit_placements(
        self, org: str, shas: Sequence[str], *, include_past: bool = False
    ) -> dict[str, CommitPlacements]:
        """For each full sha: the artifacts built from it or from a descendant (through PARENT edges, at any
        depth) that run in an environment's latest snapshot — plus, with `include_past`, those that ran before.
        Current first, then nearest. Artifacts whose commit's history has a hole are `undecided` when not found."""

    async def commits_with_history(self, org: str, shas: Sequence[str]) -> set[str]:
        """Of `shas`, those reported with their whole history (every ancestor reported with its parents)."""

    async def search(self, org: str, prefix: str) -> SearchResult:
        """Commits and fingerprints (reported or only observed running) starting with a 5-64 hex prefix."""

    async def diff(
        self,
        org: str,
        source: tuple[str, SnapshotSelector],
        target: tuple[str, SnapshotSelector],
        *,
        provenance: bool = True,
    ) -> SnapshotDiff:
        """Two running sets compared; their items' provenance only when asked."""

    async def versions(
        self, org: str, *, flow: str | None = None, name: str | None = None
    ) -> list[EnvironmentVersions]:
        """For every environment (by name), what of `flow` — or of artifacts whose observed name contains
        `name` — runs in its latest snapshot."""

    # --- custom attestation types (tracegraph/graph/type_versions.py) ---

    async def create_attestation_type(self, definition: AttestationTypeInput) -> AttestationType:
        """Version 1 of a new type; the same definition again answers the stored version unchanged; a different one
        (description, schema or rules) is stored as the next version. The org must exist."""

    async def attestation_type(self, org: str, name: str, version: int | None = None) -> AttestationType:
        """The latest version of the type, or `version`; `NotFound` naming the type otherwise."""

    async def list_attestation_types(self, org: str) -> list[AttestationType]:
        """The latest version of each type of the org, by name."""

    # --- findings (tracegraph/graph/findings.py) ---

    async def findings(
        self,
        org: str,
        environment: str,
        selector: SnapshotSelector,
        *,
        kinds: frozenset[FindingKind] = ALL_KINDS,
        window: timedelta = DEFAULT_START_WINDOW,
        now: datetime | None = None,
    ) -> Findings:
        """The findings of `kinds` at the snapshot `selector` names, as of the next snapshot's time (`now`, default
        the clock, for the latest); an environment never reported answers for `LATEST` with no snapshot. `window`
        is how long a deployment may take to start (0 to 30 days, else `InvalidInput('window')`)."""

    async def event_findings(
        self, org: str, environment: str, indexes: Sequence[int], *, window: timedelta = DEFAULT_START_WINDOW
    ) -> EventFlags:
        """For each snapshot of `indexes` (at most 1,000, else `InvalidInput('indexes')`), the findings its STARTED
        events raised, by fingerprint (events without findings left out)."""

    # --- environment policies (docs/policies.md): a snapshot is evaluated when reported, against the policies
    # attached then; attaching, detaching or a new version of an attached policy re-evaluates the environment's
    # latest snapshot, and so does evidence (a build, an attestation) for an artifact it runs, in the same
    # transaction. Older snapshots keep their evaluation. ---

    async def create_policy(self, policy: PolicyInput) -> Policy:
        """Version 1, or the latest version again when `yaml` and `description` are unchanged, else version N+1."""

    async def policies(self, org: str) -> list[Policy]:
        """The latest version of each policy of the org, ordered by name."""

    async def environment_policies(self, org: str, environment: str) -> list[Policy]:
        """The policies attached to the environment (their latest versions), ordered by name."""

    async def policy_attachments(self, org: str) -> dict[str, list[str]]:
        """The names of the policies attached to each environment of the org that has any."""

    async def attach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        """Idempotent; answers the environment's policies after it. Both must exist (`NotFound` naming the one
        missing)."""

    async def detach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        """Idempotent (detaching a policy not attached changes nothing)."""

    async def snapshot_evaluation(
        self, org: str, environment: str, selector: SnapshotSelector
    ) -> PolicyEvaluation | None:
        """The snapshot's evaluation as stored; None when it was never evaluated against a policy."""

    async def evaluate_artifact(
        self,
        org: str,
        fingerprint: str,
        *,
        flow: str | None = None,
        environment: str | None = None,
        policies: Sequence[str] = (),
    ) -> PolicyEvaluation:
        """One build of `fingerprint` (in `flow` when given) evaluated now against the policies attached to
        `environment`, or else those named in `policies`."""
