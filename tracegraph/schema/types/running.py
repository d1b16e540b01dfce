# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.artifact import Artifact


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
            has_provenance=bool(running.artifacts),
        )

    @strawberry.field(
        description="Every artifact reported with this fingerprint, ordered by flow name; empty when none was "
        "(running without provenance)."
    )
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(provenance) for provenance in self.running.artifacts]
