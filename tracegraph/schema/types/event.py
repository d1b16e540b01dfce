# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.enums import EventType, FindingKind
from tracegraph.schema.info import Info
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.deployment import Deployment


# Plain fields, not resolvers: a page holds up to 100 of these (see running.py).
@strawberry.type(description="What changed for one fingerprint at one snapshot.")
class Event:
    org: strawberry.Private[str]
    environment: strawberry.Private[str]
    event: strawberry.Private[views.Event]
    index: strawberry.Private[int]
    type: EventType = strawberry.field(description="STARTED, STOPPED or SCALED.")
    description: str = strawberry.field(
        description="Kosli's wording, e.g. '1 instance started running (from 0 to 1).', '1 instance stopped running "
        "(from 1 to 0).', 'Scaled up (from 1 to 3).'."
    )
    fingerprint: str = strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    name: str = strawberry.field(description="The artifact's name as observed in the environment (e.g. an image name).")
    from_instances: int = strawberry.field(description="Instances before this snapshot (0 when it started).")
    to_instances: int = strawberry.field(description="Instances at this snapshot (0 when it stopped).")

    @classmethod
    def of(cls, event: views.Event, org: str, environment: str, index: int) -> Event:
        return cls(
            org=org,
            environment=environment,
            event=event,
            index=index,
            type=EventType(event.type.value),
            description=event.description,
            fingerprint=event.fingerprint,
            name=event.name,
            from_instances=event.from_instances,
            to_instances=event.to_instances,
        )

    @strawberry.field(
        description="Every artifact reported with this fingerprint (its provenance), ordered by flow name; empty when "
        "no build reported it (running without provenance)."
    )
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(provenance) for provenance in self.event.artifacts]

    @strawberry.field(description="Deployments of this fingerprint to this environment, ordered by flow, then number.")
    def deployments(self) -> list[Deployment]:
        return [Deployment.of(deployment) for deployment in self.event.deployments]

    @strawberry.field(
        description="The findings this event raised when it happened, in enum order: a STARTED event may be "
        "WITHOUT_PROVENANCE, STARTED_WITHOUT_DEPLOYMENT, NON_COMPLIANT (its artifact's state now) or ROLL_BACK; other "
        "events raise none (a deployment that never started is an absence: see `Findings.deployedNotStarted`). One "
        "read for every event of the query's snapshots in one environment."
    )
    async def findings(self, info: Info) -> list[FindingKind]:
        if self.event.type is not views.EventType.STARTED:
            return []
        key = (self.org, self.environment, self.index, self.event.fingerprint)
        return list(await info.context.loaders.event_findings.load(key))
