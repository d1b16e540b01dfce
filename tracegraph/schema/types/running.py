# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.artifact import Artifact


@strawberry.type(description="One fingerprint in a snapshot's running set.")
class RunningArtifact:
    running: strawberry.Private[views.RunningArtifact]

    @classmethod
    def of(cls, running: views.RunningArtifact) -> RunningArtifact:
        return cls(running=running)

    @strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    def fingerprint(self) -> str:
        return self.running.fingerprint

    @strawberry.field(description="The artifact's name as observed in the environment (e.g. an image name).")
    def name(self) -> str:
        return self.running.name

    @strawberry.field(description="How many instances run (1 to 1,000,000).")
    def instances(self) -> int:
        return self.running.instances

    @strawberry.field(description="The snapshot number from which it has run with this instance count.")
    def since_index(self) -> int:
        return self.running.since_index

    @strawberry.field(description="Whether any build reported this fingerprint; false for a rogue artifact.")
    def has_provenance(self) -> bool:
        return bool(self.running.artifacts)

    @strawberry.field(
        description="Every artifact reported with this fingerprint, ordered by flow name; empty when none was "
        "(running without provenance)."
    )
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(provenance) for provenance in self.running.artifacts]
