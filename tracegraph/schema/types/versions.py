# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.running import RunningArtifact
from tracegraph.schema.types.snapshot import Snapshot


@strawberry.type(description="What of a flow (or of an observed name) runs in one environment now.")
class EnvironmentVersions:
    versions: strawberry.Private[views.EnvironmentVersions]

    @classmethod
    def of(cls, versions: views.EnvironmentVersions) -> EnvironmentVersions:
        return cls(versions=versions)

    @strawberry.field(description="The environment.")
    def environment(self) -> Environment:
        return Environment.of(self.versions.environment)

    @strawberry.field(description="Its latest snapshot; null when it never reported.")
    def snapshot(self) -> Snapshot | None:
        snapshot = self.versions.snapshot
        return Snapshot.of_model(snapshot) if snapshot is not None else None

    @strawberry.field(description="The matching running artifacts, ordered by observed name, then fingerprint.")
    def running(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.versions.running]
