"""Policies as the store keeps them: named, versioned YAML per org, attached to environments by name (an
attachment follows the policy's latest version). The rules both backends answer by are here, once: what a new
version is, the NotFound wording, and how the fetched rows become the facts `tracegraph.policies` evaluates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from tracegraph.errors import NotFound
from tracegraph.graph.inputs import Input
from tracegraph.graph.model import Node
from tracegraph.graph.rules import Name, Text
from tracegraph.graph.views import SnapshotSummary
from tracegraph.policies import (
    MAX_POLICY_BYTES,
    ArtifactFacts,
    AttestationFact,
    NamedPolicy,
    PolicyDocument,
    PolicyError,
    PolicyEvaluation,
    evaluate,
    parse_policy,
)


def _valid_policy(text: str) -> str:
    try:
        parse_policy(text)
    except PolicyError as error:
        raise ValueError(str(error)) from None
    return text


def _text(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_POLICY_BYTES:
        raise ValueError(f"must be at most {MAX_POLICY_BYTES} bytes")
    return value


PolicyYaml = Annotated[
    str, BeforeValidator(_text), StringConstraints(max_length=MAX_POLICY_BYTES), AfterValidator(_valid_policy)
]


class PolicyInput(Input):
    """A policy's new content: the same `yaml` and `description` as its latest version changes nothing; anything
    else is version N+1. `yaml` is validated here (docs/policies.md), so the store keeps only valid documents."""

    org: Name
    name: Name
    description: Text = ""
    yaml: PolicyYaml


class Policy(Node):
    org: str
    name: str
    version: int
    description: str
    yaml: str
    created_at: datetime

    def named(self) -> NamedPolicy:
        return NamedPolicy(name=self.name, version=self.version, document=_document(self.yaml))


@lru_cache(maxsize=256)
def _document(text: str) -> PolicyDocument:
    """Parsed once per process and text: every attestation to a governed artifact evaluates its policies again."""
    return parse_policy(text)


def unchanged(latest: Policy | None, policy: PolicyInput) -> bool:
    return latest is not None and latest.yaml == policy.yaml and latest.description == policy.description


def not_found(org: str, name: str) -> NotFound:
    return NotFound(f"policy '{name}' not found in org '{org}'")


def artifact_not_found(org: str, flow: str | None, fingerprint: str) -> NotFound:
    """Kosli's wording (`kosli assert artifact`)."""
    where = f"flow '{flow}'" if flow else "any flow"
    return NotFound(
        f"Artifact with fingerprint '{fingerprint}' does not exist in {where} belonging to organization '{org}'"
    )


def facts(
    running: Iterable[tuple[str, str]],
    builds: Iterable[tuple[str, str, bool]],
    attestations: Iterable[tuple[str, str, str, bool]],
) -> list[ArtifactFacts]:
    """Facts per running (fingerprint, observed name) from its builds (fingerprint, flow, trail compliant) and their
    attestations (fingerprint, name, type, compliant), oldest first."""
    flows: dict[str, list[str]] = defaultdict(list)
    trails_ok: dict[str, bool] = {}
    for fingerprint, flow, trail_ok in builds:
        flows[fingerprint].append(flow)
        trails_ok[fingerprint] = trails_ok.get(fingerprint, True) and trail_ok
    evidence: dict[str, list[AttestationFact]] = defaultdict(list)
    for fingerprint, name, kind, compliant in attestations:
        evidence[fingerprint].append(AttestationFact(name=name, type=kind, compliant=compliant))
    return [
        ArtifactFacts(
            name=name,
            fingerprint=fingerprint,
            flows=tuple(sorted(flows[fingerprint])),
            attestations=tuple(evidence[fingerprint]),
            trail_compliant=trails_ok.get(fingerprint, False),
        )
        for fingerprint, name in running
    ]


def evaluation(policies: Sequence[Policy], running: Sequence[ArtifactFacts], now: datetime) -> PolicyEvaluation:
    return evaluate([policy.named() for policy in policies], running, evaluated_at=now)


def policy_compliance(summaries: list[SnapshotSummary], evaluated: dict[int, bool]) -> list[SnapshotSummary]:
    """Summaries whose snapshot was evaluated against policies answer by that evaluation."""
    return [
        summary.model_copy(update={"compliant": evaluated[summary.index]}) if summary.index in evaluated else summary
        for summary in summaries
    ]
