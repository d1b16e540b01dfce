# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""The events subscriptions yield: each names its change in the feed (`cursor`), what happened and when."""

from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph.changes import Change
from tracegraph.graph.views import CommitPlacement
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.schema.info import Info
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.commit import Commit
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.snapshot import Snapshot

CURSOR = (
    "The event's change id in the feed: pass it as `after` to resume after this event (after a reconnect or a "
    "server restart) with nothing missed and nothing repeated. Ids increase in the order reports were committed."
)
AT = "When the report was written (ISO 8601, UTC)."


@strawberry.type(description="A new snapshot of the environment: its running set changed.")
class SnapshotReportedEvent:
    change: strawberry.Private[Change]

    @strawberry.field(description=CURSOR)
    def cursor(self) -> strawberry.ID:
        return strawberry.ID(str(self.change.id))

    @strawberry.field(description=AT)
    def at(self) -> datetime:
        return self.change.at

    @strawberry.field(description="The new snapshot, with its events (what started, stopped or scaled).")
    def snapshot(self) -> Snapshot:
        assert self.change.environment is not None
        assert self.change.snapshot_index is not None
        return Snapshot.numbered(self.change.org, self.change.environment, self.change.snapshot_index)


@strawberry.type(description="A build reported to the flow: new, or stored differently than before.")
class ArtifactReportedEvent:
    change: strawberry.Private[Change]

    @strawberry.field(description=CURSOR)
    def cursor(self) -> strawberry.ID:
        return strawberry.ID(str(self.change.id))

    @strawberry.field(description=AT)
    def at(self) -> datetime:
        return self.change.at

    @strawberry.field(description="The artifact as stored now.")
    async def artifact(self, info: Info) -> Artifact:
        change = self.change
        assert change.flow is not None
        assert change.fingerprint is not None
        detail = await artifact_resolvers.detail(info.context, change.org, change.flow, change.fingerprint)
        return Artifact.of_detail(detail)


@strawberry.type(
    description="The commit asked about (or a descendant of it) started running in an environment where it was not "
    "running in the snapshot before."
)
class CommitArrivedEvent:
    change: strawberry.Private[Change]
    placement: strawberry.Private[CommitPlacement]

    @strawberry.field(description=CURSOR)
    def cursor(self) -> strawberry.ID:
        return strawberry.ID(str(self.change.id))

    @strawberry.field(description=AT)
    def at(self) -> datetime:
        return self.change.at

    @strawberry.field(description="The environment it arrived in.")
    def environment(self) -> Environment:
        return Environment.named(self.change.org, self.placement.environment)

    @strawberry.field(description="The snapshot in which it started running there.")
    def snapshot(self) -> Snapshot:
        assert self.change.snapshot_index is not None
        return Snapshot.numbered(self.change.org, self.placement.environment, self.change.snapshot_index)

    @strawberry.field(
        description="The artifact that carries the commit: built from it or from a descendant (nearest first)."
    )
    def artifact(self) -> Artifact:
        return Artifact.of(self.placement.provenance)

    @strawberry.field(description="The commit that artifact was built from; null when never reported.")
    def commit(self) -> Commit | None:
        found = self.placement.provenance.commit
        return None if found is None else Commit.of(found)

    @strawberry.field(
        description="How many commits the artifact's commit is ahead of the one asked about (`git rev-list --count "
        "<asked>..<artifact's commit>`); 0 = built from that very commit."
    )
    def distance(self) -> int:
        return self.placement.distance
