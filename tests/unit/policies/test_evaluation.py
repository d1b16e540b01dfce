"""Evaluation: a pure function of the policies and the facts, with one reason per failed rule."""

from __future__ import annotations

from datetime import UTC, datetime

from tracegraph.policies import ArtifactFacts, AttestationFact, NamedPolicy, ReasonKind, evaluate, parse_policy

HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def policy(name: str, body: str) -> NamedPolicy:
    return NamedPolicy(name=name, version=1, document=parse_policy(HEAD + body))


STRICT = policy(
    "strict",
    "artifacts:\n  provenance:\n    required: true\n  trail-compliance:\n    required: true\n"
    "  attestations:\n    - name: unit-test\n      type: junit\n    - name: scan\n      type: '*'\n"
    '      if: ${{ flow.name == "web" }}\n',
)


def test_reasons_per_rule_and_policy() -> None:
    rogue = ArtifactFacts(name="miner", fingerprint="f1")
    web = ArtifactFacts(
        name="web",
        fingerprint="f2",
        flows=("web",),
        attestations=(AttestationFact("unit-test", "junit", True), AttestationFact("scan", "snyk", False)),
        trail_compliant=True,
    )
    result = evaluate([STRICT], [web, rogue], evaluated_at=NOW)
    assert not result.compliant
    assert result.artifacts_total == 2
    by_name = {verdict.name: [reason.kind for reason in verdict.reasons] for verdict in result.non_compliant}
    assert by_name == {
        "miner": [ReasonKind.MISSING_PROVENANCE, ReasonKind.NON_COMPLIANT_TRAIL, ReasonKind.MISSING_ATTESTATION],
        "web": [ReasonKind.NON_COMPLIANT_ATTESTATION],
    }
    assert [reason.message for reason in result.non_compliant[1].reasons] == ["attestation scan is non-compliant"]
    assert not result.policy_compliant("strict")


def test_the_latest_attestation_decides_and_a_type_must_match() -> None:
    tests = policy("tests", "artifacts:\n  attestations:\n    - name: unit-test\n      type: junit\n")
    retried = ArtifactFacts(
        name="web",
        fingerprint="f",
        flows=("web",),
        attestations=(AttestationFact("unit-test", "junit", False), AttestationFact("unit-test", "junit", True)),
    )
    assert evaluate([tests], [retried], evaluated_at=NOW).compliant
    wrong_type = ArtifactFacts(
        name="web", fingerprint="f", flows=("web",), attestations=(AttestationFact("unit-test", "generic", True),)
    )
    (verdict,) = evaluate([tests], [wrong_type], evaluated_at=NOW).non_compliant
    assert [reason.message for reason in verdict.reasons] == ["missing attestation unit-test (junit)"]


def test_only_rules_count_and_no_policy_rule_means_compliant() -> None:
    failed_but_not_required = ArtifactFacts(
        name="web", fingerprint="f", flows=("web",), attestations=(AttestationFact("lint", "generic", False),)
    )
    result = evaluate([policy("empty", "")], [failed_but_not_required], evaluated_at=NOW)
    assert (result.compliant, result.non_compliant) == (True, ())
    assert evaluate([], [], evaluated_at=NOW).compliant
