# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.enums import EventType
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.deployment import Deployment


@strawberry.type(description="What changed for one fingerprint at one snapshot.")
class Event:
    org: strawberry.Private[str]
    environment: strawberry.Private[str]
    event: strawberry.Private[views.Event]

    @classmethod
    def of(cls, event: views.Event, org: str, environment: str) -> Event:
        return cls(org=org, environment=environment, event=event)

    @strawberry.field(description="STARTED, STOPPED or SCALED.")
    def type(self) -> EventType:
        return self.event.type

    @strawberry.field(
        description="Kosli's wording, e.g. '1 instance started running (from 0 to 1).', '1 instance stopped running "
        "(from 1 to 0).', 'Scaled up (from 1 to 3).'."
    )
    def description(self) -> str:
        return self.event.description

    @strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    def fingerprint(self) -> str:
        return self.event.fingerprint

    @strawberry.field(description="The artifact's name as observed in the environment (e.g. an image name).")
    def name(self) -> str:
        return self.event.name

    @strawberry.field(description="Instances before this snapshot (0 when it started).")
    def from_instances(self) -> int:
        return self.event.from_instances

    @strawberry.field(description="Instances at this snapshot (0 when it stopped).")
    def to_instances(self) -> int:
        return self.event.to_instances

    @strawberry.field(
        description="Every artifact reported with this fingerprint (its provenance), ordered by flow name; empty when "
        "no build reported it (running without provenance)."
    )
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(provenance) for provenance in self.event.artifacts]

    @strawberry.field(description="Deployments of this fingerprint to this environment, ordered by flow, then number.")
    def deployments(self) -> list[Deployment]:
        return [Deployment.of(deployment) for deployment in self.event.deployments]
