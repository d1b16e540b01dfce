# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""Environment policies and their evaluations (docs/policies.md): plain types, read whole in one store call."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from tracegraph.graph import policies as domain
from tracegraph.policies import ArtifactVerdict, PolicyEvaluation, Reason, ReasonKind
from tracegraph.schema.info import Info


@strawberry.type(description="A named, versioned environment policy of an org (YAML, docs/policies.md).")
class Policy:
    org: strawberry.Private[str]
    name: str = strawberry.field(description="The policy's name, unique in its org.")
    version: int = strawberry.field(description="1 when created; +1 at each change of its YAML or description.")
    description: str = strawberry.field(description="Free text.")
    yaml: str = strawberry.field(description="The policy document, as given.")
    created_at: datetime = strawberry.field(description="When this version was created (ISO 8601, UTC).")

    @classmethod
    def of(cls, policy: domain.Policy) -> Policy:
        return cls(
            org=policy.org,
            name=policy.name,
            version=policy.version,
            description=policy.description,
            yaml=policy.yaml,
            created_at=policy.created_at,
        )

    @strawberry.field(description="The environments it is attached to, ordered by name (one read per org).")
    async def environments(self, info: Info) -> list[str]:
        attached = await info.context.loaders.policy_attachments.load(self.org)
        return sorted(name for name, names in attached.items() if self.name in names)


@strawberry.type(description="A policy as an evaluation applied it: its name and the version in force then.")
class AppliedPolicy:
    name: str = strawberry.field(description="The policy's name.")
    version: int = strawberry.field(description="Its version at the time of the evaluation.")


@strawberry.enum(description="Why an artifact fails a policy (Kosli's resolution types where Kosli has one).")
class PolicyReasonKind(Enum):
    MISSING_PROVENANCE = "missing_provenance"
    NON_COMPLIANT_TRAIL = "non_compliant_in_trail"
    MISSING_ATTESTATION = "missing_attestation"
    NON_COMPLIANT_ATTESTATION = "non_compliant_attestation"


@strawberry.type(description="One rule of one policy an artifact fails.")
class PolicyReason:
    policy: str = strawberry.field(description="The policy whose rule fails.")
    kind: PolicyReasonKind = strawberry.field(description="Which rule, and how.")
    message: str = strawberry.field(
        description='In words: "no provenance", "missing attestation unit-test (junit)", "attestation snyk is '
        'non-compliant", "trail is not compliant".'
    )
    attestation_name: str | None = strawberry.field(description="The attestation rule's name; null otherwise.")
    attestation_type: str | None = strawberry.field(description="The attestation rule's type (`*`: any).")

    @classmethod
    def of(cls, reason: Reason) -> PolicyReason:
        return cls(
            policy=reason.policy,
            kind=PolicyReasonKind(ReasonKind(reason.kind).value),
            message=reason.message,
            attestation_name=reason.attestation_name,
            attestation_type=reason.attestation_type,
        )


@strawberry.type(description="An artifact that fails at least one policy, with every reason.")
class NonCompliantArtifact:
    name: str = strawberry.field(description="Its name as it runs (its build's name outside an environment).")
    fingerprint: str = strawberry.field(description="Its SHA-256 fingerprint.")
    flows: list[str] = strawberry.field(description="The flows that reported a build of it; empty without provenance.")
    reasons: list[PolicyReason] = strawberry.field(description="Every rule it fails, policy by policy.")

    @classmethod
    def of(cls, verdict: ArtifactVerdict) -> NonCompliantArtifact:
        return cls(
            name=verdict.name,
            fingerprint=verdict.fingerprint,
            flows=list(verdict.flows),
            reasons=[PolicyReason.of(reason) for reason in verdict.reasons],
        )


@strawberry.type(
    description="A running set (or one artifact) evaluated against policies: stored with a snapshot when it was "
    "reported, and again for the latest snapshot when its policies or evidence change; older snapshots keep theirs."
)
class PolicyEvaluationResult:
    evaluation: strawberry.Private[PolicyEvaluation]

    @strawberry.field(description="The policies applied, with the versions in force, ordered by name.")
    def policies(self) -> list[AppliedPolicy]:
        return [AppliedPolicy(name=item.name, version=item.version) for item in self.evaluation.policies]

    @strawberry.field(description="Whether every artifact complies with every policy.")
    def compliant(self) -> bool:
        return self.evaluation.compliant

    @strawberry.field(description="When it was evaluated (ISO 8601, UTC).")
    def evaluated_at(self) -> datetime:
        return self.evaluation.evaluated_at

    @strawberry.field(description="How many artifacts were evaluated.")
    def artifacts_total(self) -> int:
        return self.evaluation.artifacts_total

    @strawberry.field(description="How many of them fail a policy.")
    def non_compliant_total(self) -> int:
        return len(self.evaluation.non_compliant)

    @strawberry.field(
        description="The artifacts that fail a policy with their reasons, ordered by name, then fingerprint; the "
        "first `first` of them when given (read with the evaluation: no further round trip)."
    )
    def non_compliant(self, first: int | None = None) -> list[NonCompliantArtifact]:
        chosen = self.evaluation.non_compliant if first is None else self.evaluation.non_compliant[: max(first, 0)]
        return [NonCompliantArtifact.of(verdict) for verdict in chosen]
