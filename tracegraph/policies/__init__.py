"""Environment policies: the YAML format (`document`), its conditions (`expressions`) and the pure evaluation of a
running set against them (`evaluation`). No storage, no I/O: the stores call these inside their transactions."""

from __future__ import annotations

from tracegraph.policies.document import MAX_POLICY_BYTES, SCHEMA_URL, PolicyDocument, PolicyError, parse_policy
from tracegraph.policies.evaluation import (
    AppliedPolicy,
    ArtifactFacts,
    ArtifactVerdict,
    AttestationFact,
    NamedPolicy,
    PolicyEvaluation,
    Reason,
    ReasonKind,
    evaluate,
    reasons,
)
from tracegraph.policies.expressions import ConditionError, parse_condition

__all__ = [
    "MAX_POLICY_BYTES",
    "SCHEMA_URL",
    "AppliedPolicy",
    "ArtifactFacts",
    "ArtifactVerdict",
    "AttestationFact",
    "ConditionError",
    "NamedPolicy",
    "PolicyDocument",
    "PolicyError",
    "PolicyEvaluation",
    "Reason",
    "ReasonKind",
    "evaluate",
    "parse_condition",
    "parse_policy",
    "reasons",
]
