# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from tracegraph.graph import views
from tracegraph.schema.types.artifact import Artifact


@strawberry.type(
    description="One instance of a running artifact as the report that opened its run described it: a K8S pod, an "
    "ECS task, an Azure app, a Cloud Run revision. Every field is null (context empty) where the reporter did not say."
)
class RunningInstance:
    name: str | None = strawberry.field(description="The instance's name (a pod name, a task ARN…).")
    namespace: str | None = strawberry.field(description="Its namespace (K8S), or null.")
    started_at: datetime | None = strawberry.field(description="When the instance started (ISO 8601, UTC), or null.")
    context: JSON = strawberry.field(
        description="What else the reporter knows of it (owners, cluster, service, revision…): a JSON object of "
        "string values, at most 32 entries."
    )

    @classmethod
    def of(cls, instance: views.Instance) -> RunningInstance:
        return cls(
            name=instance.name,
            namespace=instance.namespace,
            started_at=instance.started_at,
            context=JSON(instance.context),
        )


# Plain fields, not resolvers: a page holds up to 100 of these, and graphql-core reads an attribute at a third of
# the cost of calling a resolver.
@strawberry.type(description="One fingerprint in a snapshot's running set.")
class RunningArtifact:
    running: strawberry.Private[views.RunningArtifact]
    fingerprint: str = strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    name: str = strawberry.field(description="The artifact's name as observed in the environment (e.g. an image name).")
    instances: int = strawberry.field(description="How many instances run (1 to 1,000,000).")
    since_index: int = strawberry.field(
        description="The snapshot number from which it has run with this instance count."
    )
    since: datetime = strawberry.field(
        description="When it started running with this instance count: the time of snapshot `sinceIndex`."
    )
    has_provenance: bool = strawberry.field(
        description="Whether any build reported this fingerprint; false for a rogue artifact."
    )

    @classmethod
    def of(cls, running: views.RunningArtifact) -> RunningArtifact:
        return cls(
            running=running,
            fingerprint=running.fingerprint,
            name=running.name,
            instances=running.instances,
            since_index=running.since_index,
            since=running.since,
            has_provenance=bool(running.artifacts),
        )

    @strawberry.field(
        description="Every artifact reported with this fingerprint, ordered by flow name; empty when none was "
        "(running without provenance)."
    )
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(provenance) for provenance in self.running.artifacts]

    @strawberry.field(
        description="Each instance as the report that opened this run described it (in the order reported); empty "
        "when it gave no detail. A later report with the same fingerprint and count makes no new snapshot and "
        "leaves these as first reported. Read only when selected, and only in `Environment.snapshot`; null elsewhere "
        "(diffs, versions)."
    )
    def instance_details(self) -> list[RunningInstance] | None:
        detail = self.running.instances_detail
        return None if detail is None else [RunningInstance.of(instance) for instance in detail]
