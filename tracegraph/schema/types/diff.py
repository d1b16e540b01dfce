# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.running import RunningArtifact
from tracegraph.schema.types.snapshot import Snapshot


@strawberry.type(description="One side of a diff: an environment and the snapshot compared.")
class DiffSide:
    org: strawberry.Private[str]
    side: strawberry.Private[views.DiffSide]

    @strawberry.field(description="The environment.")
    def environment(self) -> Environment:
        return Environment.named(self.org, self.side.environment)

    @strawberry.field(description="The snapshot compared; null when the environment has none yet (nothing runs).")
    def snapshot(self) -> Snapshot | None:
        return Snapshot.of_model(self.side.snapshot) if self.side.snapshot is not None else None


@strawberry.type(description="A fingerprint running on both sides with different instance counts.")
class ScaledArtifact:
    scaled: strawberry.Private[views.Scaled]

    @strawberry.field(description="As it runs on the `from` side.")
    def before(self) -> RunningArtifact:
        return RunningArtifact.of(self.scaled.before)

    @strawberry.field(description="As it runs on the `to` side.")
    def after(self) -> RunningArtifact:
        return RunningArtifact.of(self.scaled.after)


@strawberry.type(
    description="The difference between two running sets, by fingerprint; each list ordered by observed name, then "
    "fingerprint."
)
class SnapshotDiff:
    org: strawberry.Private[str]
    diff: strawberry.Private[views.SnapshotDiff]

    @classmethod
    def of(cls, org: str, diff: views.SnapshotDiff) -> SnapshotDiff:
        return cls(org=org, diff=diff)

    @strawberry.field(name="from", description="The side compared from.")
    def source(self) -> DiffSide:
        return DiffSide(org=self.org, side=self.diff.source)

    @strawberry.field(name="to", description="The side compared to.")
    def target(self) -> DiffSide:
        return DiffSide(org=self.org, side=self.diff.target)

    @strawberry.field(description="Running only on the `from` side.")
    def only_in_from(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.diff.only_in_source]

    @strawberry.field(description="Running only on the `to` side.")
    def only_in_to(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.diff.only_in_target]

    @strawberry.field(description="Running on both sides with different instance counts.")
    def scaled(self) -> list[ScaledArtifact]:
        return [ScaledArtifact(scaled=item) for item in self.diff.scaled]

    @strawberry.field(description="Running on both sides with the same instance count.")
    def unchanged(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.diff.unchanged]
