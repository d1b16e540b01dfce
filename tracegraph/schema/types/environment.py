# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from tracegraph.graph import model
from tracegraph.graph.inputs import EnvironmentType as DomainEnvironmentType
from tracegraph.graph.instances import MAX_SUMMARIES
from tracegraph.graph.selectors import LATEST, SNAPSHOT_EXPR_RULE
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.resolvers import findings as finding_resolvers
from tracegraph.resolvers import policies as policy_resolvers
from tracegraph.resolvers import snapshots as snapshot_resolvers
from tracegraph.resolvers.snapshot_parts import log_details, snapshot_parts
from tracegraph.schema.connection import PAGING_RULE, Connection, connection
from tracegraph.schema.enums import EnvironmentType, FindingKind
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node
from tracegraph.schema.types.policy import Policy, PolicyEvaluationResult
from tracegraph.schema.types.snapshot_summary import SnapshotSummary

if TYPE_CHECKING:
    from tracegraph.schema.types.findings import Findings
    from tracegraph.schema.types.snapshot import Snapshot

SnapshotRef = Annotated["Snapshot", strawberry.lazy("tracegraph.schema.types.snapshot")]
FindingsRef = Annotated["Findings", strawberry.lazy("tracegraph.schema.types.findings")]


@strawberry.type(
    description="An environment (a cluster, a set of servers, a bucket…) that reports what runs in it as numbered "
    "snapshots."
)
class Environment(Node):
    org: strawberry.Private[str]
    name: str = strawberry.field(description="The environment's name, unique in its org.")
    record: strawberry.Private[model.Environment | None] = None

    def node_key(self) -> str:
        return f"{self.org}/{self.name}"

    @classmethod
    def of(cls, environment: model.Environment) -> Environment:
        return cls(org=environment.org, name=environment.name, record=environment)

    @classmethod
    def named(cls, org: str, name: str) -> Environment:
        return cls(org=org, name=name)

    async def _model(self, info: Info) -> model.Environment:
        if self.record is None:
            self.record = await info.context.loaders.environment.load((self.org, self.name))
        return self.record

    @strawberry.field(description="What kind of environment it is.")
    async def type(self, info: Info) -> EnvironmentType:
        return DomainEnvironmentType((await self._model(info)).type)

    @strawberry.field(description="Free text, at most 10,000 characters.")
    async def description(self, info: Info) -> str:
        return (await self._model(info)).description

    @strawberry.field(description="When the environment was first created (ISO 8601, UTC).")
    async def created_at(self, info: Info) -> datetime:
        return (await self._model(info)).created_at

    @strawberry.field(description="When it last reported a snapshot, changed or not; null before the first report.")
    async def last_reported_at(self, info: Info) -> datetime | None:
        return (await self._model(info)).last_reported_at

    @strawberry.field(description="When its running set last changed (its latest snapshot's time); null before.")
    async def last_changed_at(self, info: Info) -> datetime | None:
        return (await self._model(info)).last_changed_at

    @strawberry.field(description="The number of its latest snapshot; 0 before the first report.")
    async def latest_index(self, info: Info) -> int:
        return (await self._model(info)).latest_index

    @strawberry.field(
        description="One snapshot: by `index` (1, 2, 3…), or by `expr` — "
        + SNAPSHOT_EXPR_RULE.removeprefix("a snapshot expression: ")
        + " — or the latest when neither is given. NOT_FOUND when there is no such snapshot."
    )
    async def snapshot(self, info: Info, index: int | None = None, expr: str | None = None) -> SnapshotRef:
        from tracegraph.schema.types.snapshot import Snapshot

        wanted = snapshot_resolvers.selector(index, expr)
        parts = snapshot_parts(info.selected_fields[0])
        return Snapshot.of_detail(await snapshot_resolvers.snapshot(info.context, self.org, self.name, wanted, parts))

    @strawberry.field(
        description="Several snapshots in brief, read at once: those of `indexes` that exist, each once, by number "
        f"(at most {MAX_SUMMARIES:,} indexes; more is INVALID_INPUT naming `indexes`)."
    )
    async def snapshot_summaries(self, info: Info, indexes: list[int]) -> list[SnapshotSummary]:
        found = await snapshot_resolvers.summaries(info.context, self.org, self.name, indexes)
        return [SnapshotSummary.of(summary) for summary in found]

    @strawberry.field(
        description="The environment's log: its snapshots with their events, newest first (oldest first with "
        "`oldestFirst`). Filters: `interval` of snapshot numbers ('176..177', '176..', '..177', '177'), `since` / "
        "`until` times (inclusive), `flow` (only snapshots with an event of an artifact of that flow, and only those "
        "events), `repos` (repository URLs, at most 100: only snapshots with an event of an artifact built from a "
        "reported commit of one of them, and only those events; with `flow`, artifacts of that flow so built). "
        + PAGING_RULE
    )
    async def snapshots(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        interval: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        flow: str | None = None,
        oldest_first: bool = False,
        repos: list[str] | None = None,
    ) -> Connection[SnapshotRef]:
        from tracegraph.schema.types.snapshot import Snapshot

        provenance, deployments = log_details(info.selected_fields[0])
        page = await snapshot_resolvers.log(
            info.context,
            self.org,
            self.name,
            first=first,
            after=after,
            last=last,
            before=before,
            interval=interval,
            since=since,
            until=until,
            flow=flow,
            repos=repos,
            oldest_first=oldest_first,
            provenance=provenance,
            deployments=deployments,
        )
        return connection(page, Snapshot.of_events)

    @strawberry.field(
        description="What is wrong in the environment now: its latest snapshot's findings judged as of now (see "
        "`Findings`); for an environment never reported, only deployments that never started. `kinds` limits what "
        "is read (default: every kind selected). One read whatever its size."
    )
    async def findings(self, info: Info, kinds: list[FindingKind] | None = None) -> FindingsRef:
        from tracegraph.schema.types.findings import Findings

        wanted = finding_resolvers.selected_kinds(info.selected_fields[0], kinds)
        info.context.loaders.spend("findings")  # one read per environment: under `environments`, per item
        return Findings.of(await finding_resolvers.findings(info.context, self.org, self.name, LATEST, wanted))

    @strawberry.field(description="The policies attached to it (their latest versions), ordered by name.")
    async def policies(self, info: Info) -> list[Policy]:
        return [Policy.of(found) for found in await policy_resolvers.of_environment(info.context, self.org, self.name)]

    @strawberry.field(
        description="One artifact of `flow` (full fingerprint or unique prefix) evaluated now against this "
        "environment's policies, as `tracegraph assert artifact` asks; compliant when none is attached."
    )
    async def artifact_evaluation(self, info: Info, flow: str, fingerprint: str) -> PolicyEvaluationResult:
        artifact = await artifact_resolvers.artifact(info.context, self.org, flow, fingerprint)
        found = await policy_resolvers.of_artifact(
            info.context, self.org, self.name, artifact.provenance.artifact.fingerprint, flow
        )
        return PolicyEvaluationResult(evaluation=found)
