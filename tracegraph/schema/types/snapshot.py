# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import strawberry

from tracegraph.graph import model, views
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.windows import SnapshotParts
from tracegraph.resolvers import findings as finding_resolvers
from tracegraph.resolvers import policies as policy_resolvers
from tracegraph.resolvers import snapshots as snapshot_resolvers
from tracegraph.resolvers.paging import Page, PageArgs, encode_cursor, page_args
from tracegraph.resolvers.snapshot_parts import (
    BARE,
    EVENT_CURSOR,
    INSTANCES_FIELD,
    RUNNING_CURSOR,
    item_fields,
    window_of,
)
from tracegraph.schema.connection import PAGING_RULE, Connection, connection
from tracegraph.schema.enums import FindingKind
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.event import Event
from tracegraph.schema.types.findings import Findings
from tracegraph.schema.types.policy import PolicyEvaluationResult
from tracegraph.schema.types.running import RunningArtifact

ItemT = TypeVar("ItemT", views.Event, views.RunningArtifact)


@strawberry.type(
    description="Snapshot N of an environment: what ran there from its report until the next change. Snapshot "
    "numbers are 1, 2, 3… without gaps; a report that changes nothing makes no snapshot."
)
class Snapshot(Node):
    org: strawberry.Private[str]
    environment_name: strawberry.Private[str]
    index: int = strawberry.field(description="The snapshot's number in its environment (1, 2, 3…).")
    known_reported_at: strawberry.Private[datetime | None] = None
    known_events: strawberry.Private[tuple[views.Event, ...] | None] = None  # all of them (a log page's, a report's)
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

    async def _detail(self, info: Info, needs: SnapshotParts = BARE) -> views.SnapshotDetail:
        """The snapshot as read with the parts its query selected; read again only for parts it lacks (a second
        `running` page under an alias, say)."""
        if self.detail is None or not self.detail.parts.covers(needs):
            detail = await snapshot_resolvers.snapshot_by_index(
                info.context, self.org, self.environment_name, self.index, needs
            )
            if self.detail is None:
                self.detail = detail
            return detail
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
        "fingerprint; `totalCount` counts them all. In a log filtered by flow, only that flow's events. " + PAGING_RULE
    )
    async def events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Event]:
        args = page_args(EVENT_CURSOR, first=first, after=after, last=last, before=before)
        window = window_of(args)
        if self.known_events is not None:
            items, total = window.take(self.known_events, _key), len(self.known_events)
        else:
            selected = item_fields(info.selected_fields[0])
            needs = SnapshotParts(
                running=None,
                events=window,
                provenance="artifacts" in selected,
                deployments="deployments" in selected,
                compliance=False,
            )
            detail = await self._detail(info, needs)
            items, total = list(detail.events), detail.events_total
        page = _page(EVENT_CURSOR, items, args, total)
        return connection(page, lambda event: Event.of(event, self.org, self.environment_name, self.index))

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
        args = page_args(RUNNING_CURSOR, first=first, after=after, last=last, before=before)
        selected = item_fields(info.selected_fields[0])
        needs = SnapshotParts(
            running=window_of(args),
            events=None,
            provenance=bool({"artifacts", "hasProvenance"} & selected),
            deployments=False,
            compliance=False,
            instances=INSTANCES_FIELD in selected,
        )
        detail = await self._detail(info, needs)
        return connection(_page(RUNNING_CURSOR, list(detail.running), args, detail.running_total), RunningArtifact.of)

    @strawberry.field(
        description="With policies attached when it was evaluated: whether it complies with them (`policyEvaluation`). "
        "Otherwise: whether everything running has provenance (a reported build) and every such artifact is COMPLIANT."
    )
    async def compliant(self, info: Info) -> bool:
        needs = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=True)
        compliant = (await self._detail(info, needs)).compliant
        assert compliant is not None  # read with compliance
        return compliant

    @strawberry.field(
        description="What is wrong in this snapshot (see `Findings`), judged as of the next snapshot's time, or now "
        "for the latest; `kinds` limits what is read (default: every kind selected). One read whatever its size."
    )
    async def findings(self, info: Info, kinds: list[FindingKind] | None = None) -> Findings:
        wanted = finding_resolvers.selected_kinds(info.selected_fields[0], kinds)
        info.context.loaders.spend("findings")  # one read per snapshot: under a log page, per item
        selector = SnapshotSelector(kind=SelectorKind.INDEX, value=self.index)
        return Findings.of(
            await finding_resolvers.findings(info.context, self.org, self.environment_name, selector, wanted)
        )

    @strawberry.field(
        description="Its evaluation against the environment's policies, as stored: when it was reported, or again "
        "while it was the latest and its policies or evidence changed. Null when no policy was attached then."
    )
    async def policy_evaluation(self, info: Info) -> PolicyEvaluationResult | None:
        found = await policy_resolvers.of_snapshot(info.context, self.org, self.environment_name, self.index)
        return None if found is None else PolicyEvaluationResult(evaluation=found)


def _key(item: views.Event | views.RunningArtifact) -> tuple[str, str]:
    return (item.name, item.fingerprint)


def _page(kind: str, items: list[ItemT], args: PageArgs, total: int) -> Page[ItemT]:
    """A page from a window read one item longer than asked: the extra item says another page follows."""
    more = len(items) > args.size
    if more:
        items = items[: args.size] if args.forward else items[len(items) - args.size :]
    chosen = [(encode_cursor(kind, _key(item)), item) for item in items]
    if args.forward:
        return Page(chosen, has_next=more, has_previous=args.cursor is not None, total=total)
    return Page(chosen, has_next=args.cursor is not None, has_previous=more, total=total)
