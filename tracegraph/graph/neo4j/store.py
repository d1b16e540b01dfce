"""Neo4jStore: the GraphStore protocol on a Neo4j server (or cluster, or Aura) through the official async driver.

One driver per store, opened in `start()` and closed in `close()`. Every public method is one managed transaction
(`execute_read` routes to a reader, `execute_write` to the leader; both retry transient failures), counted in
`round_trips`. Sessions share the driver's bookmark manager, so a read follows the writes before it even on a
cluster. Driver failures become `Unavailable` here, at the boundary.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import (
    ConnectionAcquisitionTimeoutError,
    ConstraintError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from tracegraph.errors import Conflict, TracegraphError, Unavailable
from tracegraph.graph import instances
from tracegraph.graph.ancestry import AncestryIndex
from tracegraph.graph.changes import Change, ChangeListeners, check_page
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
from tracegraph.graph.neo4j import attestation_types, changes, findings, migrations, reads, tokens, writes
from tracegraph.graph.neo4j import policies as governed
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
from tracegraph.observability.store_calls import StoreCall
from tracegraph.policies import PolicyEvaluation

T = TypeVar("T")
Work = Callable[[AsyncManagedTransaction], Awaitable[T]]

logger = logging.getLogger(__name__)

INDEX_WAIT_SECONDS = 300

# How long a managed transaction keeps retrying transient failures (deadlocks, a leader election, a server
# restarting) before the caller gets `Unavailable`. The driver's default, 30 s plus back-off, kept a request
# waiting over a minute when the server was down.
MAX_RETRY_SECONDS = 15.0

# How long a call may go without an answer before the store probes the server on a fresh exchange: when the probe
# fails too (refused, or no answer within PROBE_SECONDS) the call is abandoned as `Unavailable`; when it succeeds the
# call is slow, not stranded, and is left to finish. The driver alone would wait out its retry window on a refused
# connection and forever on a silent one (a partition or a frozen server: it has no read timeout).
UNAVAILABLE_AFTER_SECONDS = 2.0
PROBE_SECONDS = 0.8

# What "the database cannot be reached" looks like from the driver; anything else is a bug and propagates.
UNREACHABLE = (ServiceUnavailable, SessionExpired, ConnectionAcquisitionTimeoutError, OSError)


@checks_unicode
class Neo4jStore:
    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        unavailable_after: float = UNAVAILABLE_AFTER_SECONDS,
    ) -> None:
        self._uri = uri
        self._unavailable_after = unavailable_after
        self._auth = None if user is None else (user, password or "")
        self._database = database
        self._driver: AsyncDriver | None = None
        self._round_trips = 0
        self._ancestry = AncestryIndex()
        self._changes = ChangeListeners()

    @property
    def backend(self) -> str:
        return "neo4j"

    @property
    def change_listeners(self) -> ChangeListeners:
        return self._changes

    @property
    def round_trips(self) -> int:
        return self._round_trips

    # --- lifecycle -------------------------------------------------------------------------------------------------

    def _open(self) -> AsyncDriver:
        if self._driver is None:
            # The driver binds to the running event loop on first use, so it is made lazily, inside the loop.
            self._driver = AsyncGraphDatabase.driver(
                self._uri,
                auth=self._auth,
                max_transaction_retry_time=MAX_RETRY_SECONDS,
                notifications_min_severity="OFF",
                user_agent="tracegraph",
            )
        return self._driver

    async def start(self) -> None:
        driver = self._open()
        try:
            await driver.verify_connectivity()
            # The numbered schema steps after the graph's version (schema.py); nothing more when it is current.
            await migrations.migrate(driver, self._database, wait_seconds=INDEX_WAIT_SECONDS)
        except UNREACHABLE as error:
            raise Unavailable(f"neo4j at {self._uri} is unavailable: {error}") from error
        logger.info("neo4j store ready at %s (database %s)", self._uri, self._database or "default")

    async def close(self) -> None:
        if self._driver is not None:
            driver, self._driver = self._driver, None
            await driver.close()

    async def ping(self) -> None:
        # One exchange with the server, without the managed transactions' retries: a health check must answer fast.
        self._round_trips += 1
        if not await self._answers(self._unavailable_after + PROBE_SECONDS):
            raise Unavailable(f"neo4j at {self._uri} did not answer a connectivity check")

    async def _answers(self, within: float) -> bool:
        """Whether the server completes one exchange within `within` seconds."""
        try:
            async with asyncio.timeout(within):
                await self._open().verify_connectivity()
        except (TimeoutError, *UNREACHABLE):
            return False
        return True

    # --- one transaction per call ----------------------------------------------------------------------------------

    async def _read(self, work: Work[T]) -> T:
        return await self._run(work, write=False)

    async def _write(self, work: Work[T]) -> T:
        return await self._run(work, write=True)

    async def _run(self, work: Work[T], *, write: bool) -> T:
        self._round_trips += 1
        with StoreCall("neo4j", work, write=write):
            return await self._run_observed(work, write=write)

    async def _run_observed(self, work: Work[T], *, write: bool) -> T:
        call = asyncio.ensure_future(self._transaction(work, write=write))
        try:
            return await asyncio.wait_for(asyncio.shield(call), self._unavailable_after)
        except TimeoutError:
            pass
        except BaseException:
            call.cancel()
            raise
        if await self._answers(PROBE_SECONDS):
            return await call  # slow, not stranded
        call.cancel()
        raise Unavailable(f"neo4j at {self._uri} did not answer within {self._unavailable_after:g} s")

    async def _transaction(self, work: Work[T], *, write: bool) -> T:
        driver = self._open()
        try:
            async with driver.session(
                database=self._database, bookmark_manager=driver.execute_query_bookmark_manager
            ) as session:
                if write:
                    return await session.execute_write(work)
                return await session.execute_read(work)
        except UNREACHABLE as error:
            raise Unavailable(f"neo4j at {self._uri} is unavailable: {error}") from error
        except TransientError as error:
            # Still failing after the driver's retries (e.g. a long leader election).
            raise Unavailable(f"neo4j at {self._uri} kept failing: {error}") from error

    # --- topology --------------------------------------------------------------------------------------------------

    async def create_org(self, org: OrgInput) -> Org:
        return await self._write(partial(writes.create_org, org=org, now=utc_now()))

    async def get_org(self, name: str) -> Org:
        return await self._read(partial(reads.get_org, name=name))

    async def list_orgs(self) -> list[Org]:
        return await self._read(reads.list_orgs)

    async def create_flow(self, flow: FlowInput) -> Flow:
        return await self._write(partial(writes.create_flow, flow=flow, now=utc_now()))

    async def get_flow(self, org: str, name: str) -> Flow:
        return await self._read(partial(reads.get_flow, org=org, name=name))

    async def list_flows(self, org: str) -> list[Flow]:
        return await self._read(partial(reads.list_flows, org=org))

    async def create_environment(self, environment: EnvironmentInput) -> Environment:
        return await self._write(partial(writes.create_environment, environment=environment, now=utc_now()))

    async def get_environment(self, org: str, name: str) -> Environment:
        return await self._read(partial(reads.environment, org=org, name=name))

    async def list_environments(self, org: str) -> list[Environment]:
        return await self._read(partial(reads.list_environments, org=org))

    # --- ingest ----------------------------------------------------------------------------------------------------

    async def report_artifact(self, artifact: ArtifactInput) -> Artifact:
        written = await self._write(partial(changes.report_artifact, artifact=artifact, now=utc_now()))
        self._changes.notify()
        return written

    async def report_commits(self, batch: CommitsInput) -> CommitsReported:
        return await self._write(partial(writes.report_commits, batch=batch))

    async def report_deployment(self, deployment: DeploymentInput) -> Deployment:
        written = await self._write(partial(changes.report_deployment, deployment=deployment, now=utc_now()))
        self._changes.notify()
        return written

    async def report_snapshot(self, report: SnapshotInput) -> ReportedSnapshot:
        written = await self._write(partial(changes.report_snapshot, report=report, now=utc_now()))
        self._changes.notify()
        return written

    async def attest(self, attestation: AttestationInput) -> Attestation:
        return await self._write(
            partial(governed.attest, attestation=attestation, now=utc_now(), attestation_id=uuid.uuid4().hex)
        )

    async def attest_trail(self, attestation: TrailAttestationInput) -> Attestation:
        return await self._write(
            partial(governed.attest_trail, attestation=attestation, now=utc_now(), attestation_id=uuid.uuid4().hex)
        )

    async def begin_trail(self, trail: TrailInput) -> Trail:
        return await self._write(partial(writes.begin_trail, trail=trail, now=utc_now()))

    async def report_artifacts(self, artifacts: Sequence[ArtifactInput]) -> list[Artifact]:
        written = await self._write(partial(changes.report_artifacts, artifacts=artifacts, now=utc_now()))
        self._changes.notify()
        return written

    async def report_deployments(self, deployments: Sequence[DeploymentInput]) -> list[Deployment]:
        written = await self._write(partial(changes.report_deployments, deployments=deployments, now=utc_now()))
        self._changes.notify()
        return written

    async def attest_many(self, attestations: Sequence[AttestationInput]) -> list[Attestation]:
        ids = [uuid.uuid4().hex for _ in attestations]
        return await self._write(
            partial(governed.attest_many, attestations=attestations, now=utc_now(), attestation_ids=ids)
        )

    # --- the change feed (graph/changes.py; neo4j/changes.py) ------------------------------------------------------

    async def changes_after(self, after: int, *, limit: int, orgs: Sequence[str] | None = None) -> list[Change]:
        check_page(after, limit)
        wanted = None if orgs is None else list(orgs)
        return await self._read(partial(changes.changes_after, after=after, limit=limit, orgs=wanted))

    async def last_change_id(self) -> int:
        return await self._read(changes.last_change_id)

    async def prune_changes(self, before: datetime) -> int:
        return await self._write(partial(changes.prune, before=before))

    # --- reads -----------------------------------------------------------------------------------------------------

    async def environment_log(self, query: LogQuery) -> LogPage:
        return await self._read(partial(reads.environment_log, query=query))

    async def snapshot(
        self, org: str, environment: str, selector: SnapshotSelector, parts: SnapshotParts = WHOLE_SNAPSHOT
    ) -> SnapshotDetail:
        return await self._read(
            partial(reads.snapshot_detail, org=org, environment_name=environment, selector=selector, parts=parts)
        )

    async def snapshot_summaries(self, org: str, environment: str, indexes: Sequence[int]) -> list[SnapshotSummary]:
        wanted = instances.summary_indexes(indexes)
        return await self._read(partial(reads.snapshot_summaries, org=org, environment_name=environment, wanted=wanted))

    async def artifact(self, org: str, flow: str, fingerprint_prefix: str) -> ArtifactDetail:
        return await self._read(partial(reads.artifact_by_prefix, org=org, flow=flow, prefix=fingerprint_prefix))

    async def artifacts_for_commit(self, org: str, commit_prefix: str, flow: str | None = None) -> list[ArtifactDetail]:
        return await self._read(partial(reads.artifacts_for_commit, org=org, prefix=commit_prefix, flow=flow))

    async def list_artifacts(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Artifact]:
        return await self._read(partial(reads.list_artifacts, org=org, flow=flow, limit=limit, after=after))

    async def list_artifacts_of_repo(
        self, org: str, repo_url: str, *, limit: int, after: tuple[str, str] | None = None
    ) -> list[Artifact]:
        return await self._read(
            partial(reads.list_artifacts_of_repo, org=org, repo_url=repo_url, limit=limit, after=after)
        )

    async def trail(self, org: str, flow: str, name: str) -> TrailDetail:
        return await self._read(partial(reads.trail_detail, org=org, flow=flow, name=name))

    async def trails(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[Trail]:
        return await self._read(partial(reads.list_trails, org=org, flow=flow, limit=limit, after=after))

    async def trail_details(self, org: str, flow: str, *, limit: int, after: str | None = None) -> list[TrailDetail]:
        return await self._read(partial(reads.trail_details_page, org=org, flow=flow, limit=limit, after=after))

    async def commit(self, org: str, sha_prefix: str) -> Commit:
        return await self._read(partial(reads.commit_by_prefix, org=org, prefix=sha_prefix))

    async def commits(self, org: str, prefixes: Sequence[str]) -> dict[str, Commit | TracegraphError]:
        return await self._read(partial(reads.commits_by_prefix, org=org, asked=list(prefixes)))

    async def commit_placements(
        self, org: str, shas: Sequence[str], *, include_past: bool = False
    ) -> dict[str, CommitPlacements]:
        return await self._read(
            partial(reads.commit_placements, org=org, shas=list(shas), include_past=include_past, index=self._ancestry)
        )

    async def commits_with_history(self, org: str, shas: Sequence[str]) -> set[str]:
        return await self._read(partial(reads.commits_with_history, org=org, shas=list(shas), index=self._ancestry))

    async def search(self, org: str, prefix: str) -> SearchResult:
        return await self._read(partial(reads.search, org=org, prefix=prefix))

    async def diff(
        self,
        org: str,
        source: tuple[str, SnapshotSelector],
        target: tuple[str, SnapshotSelector],
        *,
        provenance: bool = True,
    ) -> SnapshotDiff:
        return await self._read(partial(reads.diff, org=org, source=source, target=target, with_provenance=provenance))

    async def versions(
        self, org: str, *, flow: str | None = None, name: str | None = None
    ) -> list[EnvironmentVersions]:
        return await self._read(partial(reads.versions, org=org, flow=flow, name=name))

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
        return await self._read(
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
        return await self._read(
            partial(
                findings.event_findings,
                org=org,
                environment_name=environment,
                indexes=wanted,
                window=window,
                index=self._ancestry,
            )
        )

    # --- API tokens (as the embedded store keeps them) -------------------------------------------------------------

    async def create_token(self, token: TokenInput) -> Token:
        work = partial(tokens.create_token, token=token, now=utc_now(), token_id=uuid.uuid4().hex)
        try:
            return await self._write(work)
        except ConstraintError as error:  # the same secret twice: only a caller reusing a secret gets here
            raise Conflict("a token with this secret exists already") from error

    async def token_by_hash(self, secret_hash: str) -> Token | None:
        return await self._read(partial(tokens.token_by_hash, secret_hash=secret_hash))

    async def list_tokens(self, org: str) -> list[Token]:
        return await self._read(partial(tokens.list_tokens, org=org))

    async def revoke_token(self, org: str, token_id: str) -> Token:
        return await self._write(partial(tokens.revoke_token, org=org, token_id=token_id, now=utc_now()))

    # --- custom attestation types ---

    async def create_attestation_type(self, definition: AttestationTypeInput) -> AttestationType:
        return await self._write(
            partial(attestation_types.create_attestation_type, definition=definition, now=utc_now())
        )

    async def attestation_type(self, org: str, name: str, version: int | None = None) -> AttestationType:
        return await self._read(partial(attestation_types.attestation_type, org=org, name=name, version=version))

    async def list_attestation_types(self, org: str) -> list[AttestationType]:
        return await self._read(partial(attestation_types.list_attestation_types, org=org))

    # --- environment policies (graph/policies.py; neo4j/policies.py) ---

    async def create_policy(self, policy: PolicyInput) -> Policy:
        return await self._write(partial(governed.create_policy, policy=policy, now=utc_now()))

    async def policies(self, org: str) -> list[Policy]:
        return await self._read(partial(governed.list_policies, org=org))

    async def environment_policies(self, org: str, environment: str) -> list[Policy]:
        return await self._read(partial(governed.environment_policies, org=org, environment=environment))

    async def policy_attachments(self, org: str) -> dict[str, list[str]]:
        return await self._read(partial(governed.attachments, org=org))

    async def attach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        return await self._write(
            partial(governed.attach, org=org, environment=environment, policy=policy, now=utc_now())
        )

    async def detach_policy(self, org: str, environment: str, policy: str) -> list[Policy]:
        return await self._write(
            partial(governed.attach, org=org, environment=environment, policy=policy, now=utc_now(), detach=True)
        )

    async def snapshot_evaluation(
        self, org: str, environment: str, selector: SnapshotSelector
    ) -> PolicyEvaluation | None:
        return await self._read(
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
        work = partial(
            governed.evaluate_artifact,
            org=org,
            flow=flow,
            fingerprint=fingerprint,
            environment=environment,
            names=list(policies),
            now=utc_now(),
        )
        return await self._read(work)
