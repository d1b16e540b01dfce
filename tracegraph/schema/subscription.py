# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""Root subscription fields, over a WebSocket on `/graphql` (graphql-transport-ws; docs/live.md)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from tracegraph.resolvers import live
from tracegraph.schema.info import Info
from tracegraph.schema.permissions import Reads
from tracegraph.schema.types.live import ArtifactReportedEvent, CommitArrivedEvent, SnapshotReportedEvent

AFTER = (
    "Resume after this cursor (an event's `cursor`): the events since are sent first, then new ones, each once. "
    "Without it, events from now on. A cursor older than the feed keeps (TRACEGRAPH_CHANGE_RETENTION_DAYS, 7 days "
    "by default) is BAD_USER_INPUT naming `after`: read the current state and subscribe again."
)
LIMITS = (
    " The socket's token is checked again before events and every few seconds: a revoked or expired token's socket "
    "is closed (code 4401). Limits: TRACEGRAPH_MAX_SUBSCRIPTIONS_PER_TOKEN and _PER_PROCESS (LIMIT_EXCEEDED naming "
    "the setting); a client reading slower than TRACEGRAPH_SUBSCRIPTION_QUEUE events is closed (code 4413)."
)


@strawberry.type(description="Live events over a WebSocket on /graphql (graphql-transport-ws).")
class Subscription:
    @strawberry.subscription(
        permission_classes=[Reads],
        description="Each new snapshot of the environment (a report that changed its running set), in order; "
        "without `environment` (null), each new snapshot of every environment of the org, in the order reported: "
        "one subscription for an overview instead of one per environment." + LIMITS,
    )
    async def snapshot_reported(
        self,
        info: Info,
        org: str,
        environment: str | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[SnapshotReportedEvent, None]:
        async for change in live.snapshot_reported(info.context, org, environment, after):
            yield SnapshotReportedEvent(change=change)

    @strawberry.subscription(
        permission_classes=[Reads],
        description="Each time the commit — an artifact built from it or from a descendant, the ancestry "
        "`commit.runningIn` uses — starts running in an environment where it was not running in the snapshot "
        "before: once per environment, and again when it arrives after it left. `sha` is a full sha (which may not "
        "be reported yet) or a unique prefix of a reported one." + LIMITS,
    )
    async def commit_arrived(
        self,
        info: Info,
        org: str,
        sha: str,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[CommitArrivedEvent, None]:
        async for arrival in live.commit_arrived(info.context, org, sha, after):
            yield CommitArrivedEvent(change=arrival.change, placement=arrival.placement)

    @strawberry.subscription(
        permission_classes=[Reads],
        description="Each build reported to the flow that is new or stored differently (the same report again "
        "sends nothing)." + LIMITS,
    )
    async def artifact_reported(
        self,
        info: Info,
        org: str,
        flow: str,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[ArtifactReportedEvent, None]:
        async for change in live.artifact_reported(info.context, org, flow, after):
            yield ArtifactReportedEvent(change=change)
