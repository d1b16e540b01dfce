"""Evaluating policies: a pure function of the policies and the facts of the artifacts running, with reasons.

An artifact is compliant with a policy when every rule that applies to it holds:
- `provenance: required`: some flow reported a build of its fingerprint (unless an exception's condition holds);
- `trail-compliance: required`: each of its builds is in a trail and no attestation of that trail failed;
- each required attestation whose `if` holds: an attestation of that name (and type, unless `*`) is attached to a
  build of the fingerprint, and the latest such attestation is compliant.
A running set is compliant when every artifact is compliant with every policy. Only the rules count: a failed
attestation no policy asks for does not make the artifact non-compliant (Kosli's behaviour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from tracegraph.policies.document import PolicyDocument, Requirement
from tracegraph.policies.expressions import Subject


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReasonKind(StrEnum):
    """Why an artifact fails a policy; the values are Kosli's resolution types where Kosli has one."""

    MISSING_PROVENANCE = "missing_provenance"
    NON_COMPLIANT_TRAIL = "non_compliant_in_trail"
    MISSING_ATTESTATION = "missing_attestation"
    NON_COMPLIANT_ATTESTATION = "non_compliant_attestation"


class Reason(_Frozen):
    policy: str
    kind: ReasonKind
    attestation_name: str | None = None
    attestation_type: str | None = None

    @property
    def message(self) -> str:
        match self.kind:
            case ReasonKind.MISSING_PROVENANCE:
                return "no provenance"
            case ReasonKind.NON_COMPLIANT_TRAIL:
                return "trail is not compliant"
            case ReasonKind.MISSING_ATTESTATION:
                kind = "" if self.attestation_type in (None, "*") else f" ({self.attestation_type})"
                return f"missing attestation {self.attestation_name}{kind}"
        return f"attestation {self.attestation_name} is non-compliant"


class ArtifactVerdict(_Frozen):
    """One artifact's evaluation: compliant when it has no reasons."""

    name: str
    fingerprint: str
    flows: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()

    @property
    def compliant(self) -> bool:
        return not self.reasons


class AppliedPolicy(_Frozen):
    name: str
    version: int


class PolicyEvaluation(_Frozen):
    """A running set evaluated against `policies` at `evaluated_at`: the non-compliant artifacts with their reasons
    (ordered by name, then fingerprint) out of `artifacts_total`."""

    policies: tuple[AppliedPolicy, ...]
    compliant: bool
    evaluated_at: datetime
    artifacts_total: int
    non_compliant: tuple[ArtifactVerdict, ...] = ()

    def policy_compliant(self, name: str) -> bool:
        return not any(reason.policy == name for verdict in self.non_compliant for reason in verdict.reasons)


@dataclass(frozen=True, slots=True)
class AttestationFact:
    name: str
    type: str
    compliant: bool


@dataclass(frozen=True, slots=True)
class ArtifactFacts:
    """What the store knows of one running fingerprint: its builds' flows, their attestations (oldest first) and
    whether every build's trail is compliant (False when a build has no trail, or there is no build)."""

    name: str
    fingerprint: str
    flows: tuple[str, ...] = ()
    attestations: tuple[AttestationFact, ...] = ()
    trail_compliant: bool = False

    @property
    def has_provenance(self) -> bool:
        return bool(self.flows)


@dataclass(frozen=True, slots=True)
class NamedPolicy:
    name: str
    version: int
    document: PolicyDocument


def _applies(requirement: Requirement, subject: Subject) -> bool:
    return requirement.required and not any(condition.holds(subject) for condition in requirement.exceptions)


def reasons(policy: NamedPolicy, facts: ArtifactFacts) -> list[Reason]:
    """Why `facts` fails `policy`, rule by rule; empty when it complies."""
    subject = Subject(name=facts.name, fingerprint=facts.fingerprint, flows=facts.flows)
    document = policy.document
    found: list[Reason] = []
    if _applies(document.provenance, subject) and not facts.has_provenance:
        found.append(Reason(policy=policy.name, kind=ReasonKind.MISSING_PROVENANCE))
    if _applies(document.trail_compliance, subject) and not facts.trail_compliant:
        found.append(Reason(policy=policy.name, kind=ReasonKind.NON_COMPLIANT_TRAIL))
    for rule in document.attestations:
        if rule.condition is not None and not rule.condition.holds(subject):
            continue
        matching = [fact for fact in facts.attestations if rule.matches(fact.name, fact.type)]
        if not matching:
            kind = ReasonKind.MISSING_ATTESTATION
        elif not matching[-1].compliant:
            kind = ReasonKind.NON_COMPLIANT_ATTESTATION
        else:
            continue
        found.append(Reason(policy=policy.name, kind=kind, attestation_name=rule.name, attestation_type=rule.type))
    return found


def evaluate(
    policies: Sequence[NamedPolicy], running: Sequence[ArtifactFacts], *, evaluated_at: datetime
) -> PolicyEvaluation:
    verdicts = [
        ArtifactVerdict(
            name=facts.name,
            fingerprint=facts.fingerprint,
            flows=facts.flows,
            reasons=tuple(reason for policy in policies for reason in reasons(policy, facts)),
        )
        for facts in running
    ]
    failing = sorted((verdict for verdict in verdicts if not verdict.compliant), key=lambda v: (v.name, v.fingerprint))
    return PolicyEvaluation(
        policies=tuple(AppliedPolicy(name=policy.name, version=policy.version) for policy in policies),
        compliant=not failing,
        evaluated_at=evaluated_at,
        artifacts_total=len(verdicts),
        non_compliant=tuple(failing),
    )
