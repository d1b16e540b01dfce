# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from tracegraph.graph import model
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.resolvers import trails as trail_resolvers
from tracegraph.resolvers.snapshot_parts import item_fields
from tracegraph.schema.connection import Connection, connection
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node

if TYPE_CHECKING:
    from tracegraph.schema.types.artifact import Artifact
    from tracegraph.schema.types.trail import Trail

TrailRef = Annotated["Trail", strawberry.lazy("tracegraph.schema.types.trail")]


@strawberry.type(description="A flow: one pipeline (usually one repository) whose builds report artifacts.")
class Flow(Node):
    org: strawberry.Private[str]
    name: str = strawberry.field(description="The flow's name, unique in its org.")
    record: strawberry.Private[model.Flow | None] = None

    def node_key(self) -> str:
        return f"{self.org}/{self.name}"

    @classmethod
    def of(cls, flow: model.Flow) -> Flow:
        return cls(org=flow.org, name=flow.name, record=flow)

    @classmethod
    def named(cls, org: str, name: str) -> Flow:
        return cls(org=org, name=name)

    async def _model(self, info: Info) -> model.Flow:
        if self.record is None:
            self.record = await info.context.loaders.flow.load((self.org, self.name))
        return self.record

    @strawberry.field(description="Free text, at most 10,000 characters.")
    async def description(self, info: Info) -> str:
        return (await self._model(info)).description

    @strawberry.field(description="The flow's source repository URL, when reported.")
    async def repo_url(self, info: Info) -> str | None:
        return (await self._model(info)).repo_url

    @strawberry.field(description="The flow's template (YAML) as reported; kept, never evaluated. Null when none.")
    async def template_yaml(self, info: Info) -> str | None:
        return (await self._model(info)).template_yaml

    @strawberry.field(description="When the flow's newest deployment was reported (ISO 8601, UTC); null when none.")
    async def last_deployment_at(self, info: Info) -> datetime | None:
        return (await self._model(info)).last_deployment_at

    @strawberry.field(description="When the flow was first created (ISO 8601, UTC).")
    async def created_at(self, info: Info) -> datetime:
        return (await self._model(info)).created_at

    @strawberry.field(
        description="Artifacts reported to this flow, newest first. Paging: `first` (default 15, at most 100) and "
        "`after`; `totalCount` is null here."
    )
    async def artifacts(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Artifact, strawberry.lazy("tracegraph.schema.types.artifact")]]:
        from tracegraph.schema.types.artifact import Artifact

        page = await artifact_resolvers.of_flow(info.context, self.org, self.name, first=first, after=after)
        return connection(page, Artifact.of_model)

    @strawberry.field(
        description="The flow's trails (runs), newest first. Paging: `first` (default 15, at most 100) and `after`; "
        "`totalCount` is null here."
    )
    async def trails(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[TrailRef]:
        from tracegraph.schema.types.trail import Trail

        with_detail = bool(trail_resolvers.DETAIL_FIELDS & item_fields(info.selected_fields[0]))
        page = await trail_resolvers.of_flow(
            info.context, self.org, self.name, first=first, after=after, with_detail=with_detail
        )
        return connection(page, Trail.of_listed)

    @strawberry.field(
        description="A trail of this flow by name, with its commit, artifacts and their attestations in one store "
        "call. NOT_FOUND when the flow has no such trail."
    )
    async def trail(self, info: Info, name: str) -> TrailRef:
        from tracegraph.schema.types.trail import Trail

        return Trail.of_detail(await trail_resolvers.trail(info.context, self.org, self.name, name))
