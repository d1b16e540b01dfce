# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import model, views
from tracegraph.resolvers import snapshots as snapshot_resolvers
from tracegraph.resolvers.paging import page_args, page_sequence
from tracegraph.schema.connection import PAGING_RULE, Connection, connection
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.event import Event
from tracegraph.schema.types.running import RunningArtifact


@strawberry.type(
    description="Snapshot N of an environment: what ran there from its report until the next change. Snapshot "
    "numbers are 1, 2, 3… without gaps; a report that changes nothing makes no snapshot."
)
class Snapshot(Node):
    org: strawberry.Private[str]
    environment_name: strawberry.Private[str]
    index: int = strawberry.field(description="The snapshot's number in its environment (1, 2, 3…).")
    known_reported_at: strawberry.Private[datetime | None] = None
    known_events: strawberry.Private[tuple[views.Event, ...] | None] = None
    detail: strawberry.Private[views.SnapshotDetail | None] = None

    def node_key(self) -> str:
        return f"{self.org}/{self.environment_name}/{self.index}"

    @classmethod
    def of_detail(cls, detail: views.SnapshotDetail) -> Snapshot:
        return cls(
            org=detail.snapshot.org,
            environment_name=detail.snapshot.environment,
            index=detail.snapshot.index,
            known_reported_at=detail.snapshot.reported_at,
            known_events=detail.events,
            detail=detail,
        )

    @classmethod
    def of_events(cls, row: views.SnapshotEvents) -> Snapshot:
        return cls.of_model(row.snapshot, row.events)

    @classmethod
    def of_model(cls, snapshot: model.Snapshot, events: tuple[views.Event, ...] | None = None) -> Snapshot:
        return cls(
            org=snapshot.org,
            environment_name=snapshot.environment,
            index=snapshot.index,
            known_reported_at=snapshot.reported_at,
            known_events=events,
        )

    @classmethod
    def numbered(cls, org: str, environment: str, index: int) -> Snapshot:
        return cls(org=org, environment_name=environment, index=index)

    async def _detail(self, info: Info) -> views.SnapshotDetail:
        if self.detail is None:
            self.detail = await snapshot_resolvers.snapshot_by_index(
                info.context, self.org, self.environment_name, self.index
            )
        return self.detail

    @strawberry.field(description="When the environment reported this running set (ISO 8601, UTC).")
    async def reported_at(self, info: Info) -> datetime:
        if self.known_reported_at is not None:
            return self.known_reported_at
        return (await self._detail(info)).snapshot.reported_at

    @strawberry.field(description="The environment this snapshot belongs to.")
    def environment(self) -> Environment:
        if self.detail is not None:
            return Environment.of(self.detail.environment)
        return Environment.named(self.org, self.environment_name)

    @strawberry.field(
        description="What changed at this snapshot, one event per fingerprint, ordered by observed name, then "
        "fingerprint. In a log filtered by flow, only that flow's events."
    )
    async def events(self, info: Info) -> list[Event]:
        events = self.known_events if self.known_events is not None else (await self._detail(info)).events
        return [Event.of(event, self.org, self.environment_name) for event in events]

    @strawberry.field(
        description="The running set: every fingerprint running in this snapshot with its instances and "
        "provenance, ordered by observed name, then fingerprint. " + PAGING_RULE
    )
    async def running(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RunningArtifact]:
        args = page_args("running", first=first, after=after, last=last, before=before)
        detail = await self._detail(info)
        page = page_sequence("running", detail.running, lambda item: (item.name, item.fingerprint), args)
        return connection(page, RunningArtifact.of)

    @strawberry.field(
        description="Whether everything running has provenance (a reported build) and every such artifact is COMPLIANT."
    )
    async def compliant(self, info: Info) -> bool:
        return (await self._detail(info)).compliant
