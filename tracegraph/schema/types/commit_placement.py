# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.snapshot import Snapshot


@strawberry.type(description="An artifact carrying a commit's change, and where it runs (or ran).")
class CommitPlacement:
    placement: strawberry.Private[views.CommitPlacement]

    @classmethod
    def of(cls, placement: views.CommitPlacement) -> CommitPlacement:
        return cls(placement=placement)

    @strawberry.field(description="The environment it runs or ran in.")
    def environment(self) -> Environment:
        return Environment.named(self.placement.provenance.artifact.org, self.placement.environment)

    @strawberry.field(description="The environment's latest snapshot when it runs now; else the last one it ran in.")
    def snapshot(self) -> Snapshot:
        artifact = self.placement.provenance.artifact
        return Snapshot.numbered(artifact.org, self.placement.environment, self.placement.snapshot_index)

    @strawberry.field(description="The artifact; its `commit` is the commit asked about or a descendant of it.")
    def artifact(self) -> Artifact:
        return Artifact.of(self.placement.provenance)

    @strawberry.field(description="Whether it runs in the environment's latest snapshot.")
    def current(self) -> bool:
        return self.placement.current

    @strawberry.field(description="The first snapshot number it ran in.")
    def from_index(self) -> int:
        return self.placement.from_index

    @strawberry.field(description="The snapshot number where it stopped; null while it runs.")
    def to_index(self) -> int | None:
        return self.placement.to_index

    @strawberry.field(
        description="How many commits the artifact's commit is ahead of the one asked about, exactly as "
        "`git rev-list --count <asked>..<artifact's commit>` counts them: commits in the artifact commit's history "
        "that are not in the asked commit's. 0 = built from that very commit. Counted over the history reported "
        "(a lower bound when `placementsComplete` is false)."
    )
    def distance(self) -> int:
        return self.placement.distance
