# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from tracegraph.graph import model


@strawberry.type(description="Evidence about an artifact or a trail: a test run, a scan, a review…")
class Attestation:
    attestation: strawberry.Private[model.Attestation]

    @classmethod
    def of(cls, attestation: model.Attestation) -> Attestation:
        return cls(attestation=attestation)

    @strawberry.field(description="Its id (32 lower-case hex characters).")
    def attestation_id(self) -> str:
        return self.attestation.id

    @strawberry.field(description="Its type, e.g. generic, junit, snyk, pull-request, or custom:NAME (a custom type).")
    def type(self) -> str:
        return self.attestation.type

    @strawberry.field(description="Its name within the artifact or trail, e.g. unit-tests.")
    def name(self) -> str:
        return self.attestation.name

    @strawberry.field(description="Whether the evidence passed.")
    def compliant(self) -> bool:
        return self.attestation.compliant

    @strawberry.field(description="When it was reported (ISO 8601, UTC).")
    def reported_at(self) -> datetime:
        return self.attestation.reported_at

    @strawberry.field(description="A link to the evidence, when reported.")
    def url(self) -> str | None:
        return self.attestation.url

    @strawberry.field(description="The evidence's data as reported (a JSON object, at most 64 KiB).")
    def data(self) -> JSON:
        return JSON(self.attestation.data)

    @strawberry.field(
        description="The template slot a pending attestation waits for (see `Trail.pendingAttestations`); null on "
        "the evidence of an artifact and on a trail's own."
    )
    def target_artifact(self) -> str | None:
        return self.attestation.target_artifact
