# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from tracegraph.graph import model


@strawberry.type(
    description="A custom attestation type of an org, one version of it: the data of a `custom:NAME` attestation must "
    "satisfy its JSON Schema, and the attestation is compliant when every jq rule yields `true`. Redefining it "
    "differently makes the next version; an attestation's `data.type_version` is the version it was evaluated against."
)
class AttestationType:
    attestation_type: strawberry.Private[model.AttestationType]

    @classmethod
    def of(cls, attestation_type: model.AttestationType) -> AttestationType:
        return cls(attestation_type=attestation_type)

    @strawberry.field(description="Its name, as attestations name it after `custom:`.")
    def name(self) -> str:
        return self.attestation_type.name

    @strawberry.field(description="Its version: 1 when first defined, +1 at each different definition.")
    def version(self) -> int:
        return self.attestation_type.version

    @strawberry.field(description="Free text.")
    def description(self) -> str:
        return self.attestation_type.description

    @strawberry.field(description="The JSON Schema (draft 2020-12) attestation data must satisfy.")
    def json_schema(self) -> JSON:
        return JSON(self.attestation_type.json_schema)

    @strawberry.field(description="The jq rules, in order; each must yield exactly one value, `true`.")
    def jq_rules(self) -> list[str]:
        return list(self.attestation_type.jq_rules)

    @strawberry.field(description="When this version was defined (ISO 8601, UTC).")
    def created_at(self) -> datetime:
        return self.attestation_type.created_at
