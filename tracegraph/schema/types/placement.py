# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.environment import Environment


@strawberry.type(description="A stretch of contiguous snapshots in which a fingerprint ran in one environment.")
class Placement:
    org: strawberry.Private[str]
    placement: strawberry.Private[views.Placement]

    @classmethod
    def of(cls, org: str, placement: views.Placement) -> Placement:
        return cls(org=org, placement=placement)

    @strawberry.field(description="The environment.")
    def environment(self) -> Environment:
        return Environment.named(self.org, self.placement.environment)

    @strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    def fingerprint(self) -> str:
        return self.placement.fingerprint

    @strawberry.field(description="The name observed in the environment.")
    def name(self) -> str:
        return self.placement.name

    @strawberry.field(description="Instances at the end of the stretch (now, while it runs).")
    def instances(self) -> int:
        return self.placement.instances

    @strawberry.field(description="The first snapshot number of the stretch.")
    def from_index(self) -> int:
        return self.placement.from_index

    @strawberry.field(description="The snapshot number where it stopped; null while it runs.")
    def to_index(self) -> int | None:
        return self.placement.to_index

    @strawberry.field(description="Whether it runs in the environment's latest snapshot.")
    def running(self) -> bool:
        return self.placement.to_index is None

    @strawberry.field(description="When the first snapshot of the stretch was reported (ISO 8601, UTC).")
    def started_at(self) -> datetime:
        return self.placement.started_at

    @strawberry.field(description="When the snapshot that ended it was reported; null while it runs.")
    def stopped_at(self) -> datetime | None:
        return self.placement.stopped_at
