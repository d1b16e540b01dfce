"""EmbeddedStore: the GraphStore protocol on one SQLite file. Each method is one transaction in a worker thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from tracegraph.errors import TracegraphError
from tracegraph.graph import instances, not_found
from tracegraph.graph.ancestry import AncestryIndex
from tracegraph.graph.changes import Change, ChangeListeners, check_page
from tracegraph.graph.embedded import attestation_types, changes, findings, reads, rows, tokens, writes
from tracegraph.graph.embedded import policies as governed
from tracegraph.graph.embedded.database import Database, Synchronous
from tracegraph.graph.findings import (
    ALL_KINDS,
    DEFAULT_START_WINDOW,
    EventFlags,
    FindingKind,
    Findings,
    check_indexes,
    check_window,
)
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
from tracegraph.graph.rules import checks_unicode, utc_now
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


@checks_unicode
class EmbeddedStore:
    backend = "embedded"

    def __init__(self, path: Path, *, synchronous: Synchronous = "FULL") -> None:
        self._database = Database(path, synchronous=synchronous)
        self._ancestry = AncestryIndex()
        self._changes = ChangeListeners()

    @property
    def change_listeners(self) -> ChangeListeners:
        return self._changes

    @property
    def round_trips(self) -> int:
        return self._database.round_trips

    async def start(self) -> None:
        await self._database.start()

    async def close(self) -> None:
        await self._database.close()

    async def ping(self) -> None:
        await self._database.read(lambda connection: connection.execute("SELECT 1").fetchone())

    # --- topology ---

    async def create_org(self, org: OrgInput) -> Org:
        return await self._database.write(partial(writes.create_org, org=org))

    async def get_org(self, name: str) -> Org:
        def work(connection: sqlite3.Connection) -> Org:
            row = connection.execute(reads.SELECT_ORG, (name,)).fetchone()
            if row is None:
                raise not_found.org(name)
            return rows.org(row)

        return await self._database.read(work)

    async def list_orgs(self) -> list[Org]:
        return await self._database.read(
            lambda connection: [rows.org(row) for row in connection.execute("SELECT * FROM orgs ORDER BY name")]
        )

    async def create_flow(self, flow: FlowInput) -> Flow:
        return await self._database.write(partial(writes.create_flow, flow=flow))

    async def get_flow(self, org: str, name: str) -> Flow:
        def work(connection: sqlite3.Connection) -> Flow:
            reads.require_flow(connection, org, name)
            return rows.flow(connection.execute(reads.SELECT_FLOW, (org, name)).fetchone())

        return await self._database.read(work)

    async def list_flows(self, org: str) -> list[Flow]:
        def work(connection):  # type: ignore[no-untyped-def]
            reads.require_org(connection, org)
            return [rows.flow(row) for row in connection.execute(reads.SELECT_FLOWS + " ORDER BY f.name", (org,))]

        return await self._database.read(work)

    async def create_environment(self, environment: EnvironmentInput) -> Environment:
        return await self._database.write(partial(writes.create_environment, environment=environment))

    async def get_environment(self, org: str, name: str) -> Environment:
        return await self._database.read(partial(reads.environment, org=org, name=name))

    async def list_environments(self, org: str) -> list[Environment]:
        def work(connection: sqlite3.Connection) -> list[Environment]:
            reads.require_org(connection, org)
            query = "SELECT * FROM environments WHERE org = ? ORDER BY name"
            return [rows.environment(row) for row in connection.execute(query, (org,))]

        return await self._database.read(work)

    # --- ingest ---

    async def report_artifact(self, artifact: ArtifactInput) -> Artifact:
        written = await self._database.write(partial(changes.report_artifact, artifact=artifact))
        self._changes.notify()
        return written

    async def begin_trail(self, trail: TrailInput) -> Trail:
        return await self._database.write(partial(writes.begin_trail, trail=trail))

    async def report_commits(self, batch: CommitsInput) -> CommitsReported:
        return await self._database.write(partial(writes.report_commits, batch=batch))

    async def report_deployment(self, deployment: DeploymentInput) -> Deployment:
        written = await self._database.write(partial(changes.report_deployment, deployment=deployment))
        self._changes.notify()
        return written

    async def report_snapshot(self, report: SnapshotInput) -> ReportedSnapshot:
        written = await self._database.write(partial(changes.report_snapshot, report=report))
        self._changes.notify()
        return written

    async def attest(self, attestation: AttestationInput) -> Attestation:
        return await self._database.write(partial(governed.attest, attestation=attestation))

    async def attest_trail(self, attestation: TrailAttestationInput) -> Attestation:
        return await self._database.write(partial(governed.attest_trail, attestation=attestation))

    async def report_artifacts(self, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
        written = await self._database.write(partial(changes.report_artifacts, artifacts=artifacts))
        self._changes.notify()
        return written

    async def report_deployments(self, deployments: Sequence[DeploymentInput]) -> list[Deployment]:
        written = await self._database.write(partial(changes.report_deployments, deployments=deployments))
        self._changes.notify()
        return written

    async def attest_many(self, attestations: Sequence[AttestationInput]) -> list[Attestation]:
        return await self._database.write(partial(governed.attest_many, attestations=attestations))

    # --- the change feed (graph/changes.py; embedded/changes.py) ---

    async def changes_after(self, after: int, *, limit: int, orgs: Sequence[str] | None = None) -> list[Change]:
        check_page(after, limit)
        wanted = None if orgs is None else list(orgs)
        return await self._database.read(partial(changes.changes_after, after=after, limit=limit, orgs=wanted))

    async def last_change_id(self) -> int:
        return await self._database.read(changes.last_change_id)

    async def prune_changes(self, before: datetime) -> int:
        return await self._database.write(partial(changes.prune, before=before))

    # --- API tokens ---

    async def create_token(self, token: TokenInput) -> Token:
        return await self._database.write(partial(tokens.create_token, token=token))

    async def token_by_hash(self, secret_hash: str) -> Token | None:
        return await self._database.read(partial(tokens.token_by_hash, secret_hash=secret_hash))

    async def list_tokens(self, org: str) -> list[Token]:
        return await self._database.read(partial(tokens.list_tokens, org=org))

    async def revoke_token(self, org: str, token_id: str) -> Token:
        return await self._database.write(partial(tokens.revoke_token, org=org, token_id=token_id))

    # --- reads ---

    async def environment_log(self, query: LogQuery) -> LogPage:
        return await self._database.read(partial(reads.environment_log, query=query))

    async def snapshot(
        self, org: str, environment: str, selector: SnapshotSelector, parts: SnapshotParts = WHOLE_SNAPSHOT
    ) -> SnapshotDetail:
        return await self._database.read(
            partial(reads.snapshot_detail, org=org, environment_name=environment, selector=selector, parts=parts)
        )

    async def snapshot_summaries(self, org: str, environment: str, indexes: Sequence[int]) -> list[SnapshotSummary]:
        wanted = instances.summary_indexes(indexes)
        return await self._database.read(
            partial(reads.snapshot_summaries, org=org, environment_name=environment, wanted=wanted)
        )

    async def artifact(self, org: str, flow: str, fingerprint_prefix: str) -> ArtifactDetail:
        return await self._database.read(
            partial(reads.artifact_by_prefix, org=org, flow=flow, prefix=fingerprint_prefix)
        )

    async def artifacts_for_commit(self, org: str, commit_prefix: str, flow: str | None = None) -> list[ArtifactDetail]:
        return await self._database.read(partial(reads.artifacts_for_commit, org=org, prefix=commit_prefix, flow=flow))

    async def list_artifacts(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Artifact]:
        return await self._database.read(partial(reads.list_artifacts, org=org, flow=flow, limit=limit, after=after))

    async def list_artifacts_of_repo(
        self, org: str, repo_url: str, *, limit: int, after: tuple[str, str] | None = None
    ) -> list[Artifact]:
        return await self._database.read(
            partial(reads.list_artifacts_of_repo, org=org, repo_url=repo_url, limit=limit, after=after)
        )

    async def trail(self, org: str, flow: str, name: str) -> TrailDetail:
        return await self._database.read(partial(reads.trail_detail, org=org, flow=flow, name=name))

    async def trails(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Trail]:
        return await self._database.read(partial(reads.list_trails, org=org, flow=flow, limit=limit, after=after))

    async def trail_details(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[TrailDetail]:
        return await self._database.read(
            partial(reads.trail_details_page, org=org, flow=flow, limit=limit, after=after)
        )

    async def commit(self, org: str, sha_prefix: str) -> Commit:
        return await self._database.read(partial(reads.commit_by_prefix, org=org, prefix=sha_prefix))

    async def commits(self, org: str, prefixes: Sequence[str]) -> dict[str, Commit | TracegraphError]:
        return await self._database.read(partial(reads.commits_by_prefix, org=org, prefixes=list(prefixes)))

    async def commit_placements(
        self, org: str, shas: Sequence[str], *, include_past: bool = False
    ) -> dict[str, CommitPlacements]:
        return await self._database.read(
            partial(reads.commit_placements, org=org, shas=shas, include_past=include_past, index=self._ancestry)
        )

    async def commits_with_history(self, org: str, shas: Sequence[str]) -> set[str]:
        return await self._database.read(partial(reads.commits_with_history, org=org, shas=shas, index=self._ancestry))

    async def search(self, org: str, prefix: str) -> SearchResult:
        return await self._database.read(partial(reads.search, org=org, prefix=prefix))

    async def diff(
        self,
        org: str,
        source: tuple[str, SnapshotSelector],
        target: tuple[str, SnapshotSelector],
        *,
        provenance: bool = True,
    ) -> SnapshotDiff:
        return await self._database.read(
            partial(reads.diff, org=org, source=source, target=target, with_provenance=provenance)
        )

    async def versions(
        self, org: str, *, flow: str | None = None, name: str | None = None
    ) -> list[EnvironmentVersions]:
        return await self._database.read(partial(reads.versions, org=org, flow=flow, name=name))

    # --- custom attestation types ---

    async def create_attestation_type(self, definition: AttestationTypeInput) -> AttestationType:
        return await self._database.write(partial(attestation_types.create_attestation_type, definition=definition))

    async def attestation_type(self, org: str, name: str, version: int | None = None) -> AttestationType:
        return await self._database.read(
            partial(attestation_types.attestation_type, org=org, name=name, version=version)
        )

    async def list_attestation_types(self, org: str) -> list[AttestationType]:
        return await self._database.read(partial(attestation_types.list_attestation_types, org=org))

    # --- findings ---

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
        return await self._database.read(
            partial(
                findings.snapshot_findings,
                org=org,
                environment_name=environment,
                selector=selector,
                kinds=frozenset(kinds),
                window=check_window(window),
                now=now or utc_now(),
                index=self._ancestry,
            )
        )

    async def event_findings(
        self, org: str, environment: str, indexes: Sequence[int], *, window: timedelta = DEFAULT_START_WINDOW
    ) -> EventFlags:
        wanted, window = check_indexes(indexes), check_window(window)
        return await self._database.read(
            partial(
                findings.event_findings,
                org=org,
                environment_name=environment,
                indexes=wanted,
                window=window,
                index=self._ancestry,
            )
        )

    # --- environment policies (graph/policies.py; embedded/policies.py) ---

    async def create_policy(self, policy: PolicyInput) -> Policy:
        return await self._database.write(partial(governed.create_policy, policy=policy))

    async def policies(self, org: str) -> list[Policy]:
        return await self._database.read(partial(governed.list_policies, org=org))

    async def environment_policies(self, org: str, environment: str) -> list[Policy]:
        return await self._database.read(partial(governed.environment_policies, org=org, environment=environment))

    async def policy_attachments(self, org: str) -> dict[str, list[str]]:
        return await self._database.read(partial(governed.attachments, org=org))

    async def attach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        return await self._database.write(partial(governed.attach, org=org, environment=environment, policy=policy))

    async def detach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        return await self._database.write(
            partial(governed.attach, org=org, environment=environment, policy=policy, detach=True)
        )

    async def snapshot_evaluation(
        self, org: str, environment: str, selector: SnapshotSelector
    ) -> PolicyEvaluation | None:
        return await self._database.read(
            partial(governed.snapshot_evaluation, org=org, environment=environment, selector=selector)
        )

    async def evaluate_artifact(
        self,
        org: str,
        fingerprint: str,
        *,
        flow: str | None = None,
        environment: str | None = None,
        policies: Sequence[str] = (),
    ) -> PolicyEvaluation:
        names = list(policies)
        return await self._database.read(
            lambda connection: governed.evaluate_artifact(
                connection, org, flow, fingerprint, environment=environment, names=names
            )
        )
