"""Policy documents: what parses, and the line and rule of every refusal."""

from __future__ import annotations

import pytest

from tracegraph.policies import MAX_POLICY_BYTES, PolicyError, parse_policy
from tracegraph.policies.document import ANY_TYPE

HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
ONE_RULE = "artifacts:\n  attestations:\n    - name: a\n      type: junit\n"
EXCEPTIONS = "artifacts:\n  provenance:\n    required: true\n    exceptions:\n"


def refusal(text: str) -> str:
    with pytest.raises(PolicyError) as refused:
        parse_policy(text)
    return str(refused.value)


def test_a_full_document() -> None:
    document = parse_policy(
        HEAD
        + "artifacts:\n"
        + "  provenance:\n    required: true\n    exceptions:\n"
        + '      - if: ${{ matches(artifact.name, "^datadog") }}\n'
        + "  trail-compliance:\n    required: false\n"
        + "  attestations:\n"
        + "    - name: unit-test\n      type: junit\n"
        + '    - name: scan\n      type: "*"\n      if: ${{ flow.name == "web" }}\n'
        + "    - name: sbom\n      type: custom:cyclonedx\n"
    )
    assert document.provenance.required
    assert len(document.provenance.exceptions) == 1
    assert not document.trail_compliance.required
    assert [(rule.name, rule.type) for rule in document.attestations] == [
        ("unit-test", "junit"),
        ("scan", ANY_TYPE),
        ("sbom", "custom:cyclonedx"),
    ]
    assert document.attestations[1].condition is not None


def test_only_the_schema_is_a_policy_without_rules() -> None:
    document = parse_policy(HEAD)
    assert (document.provenance.required, document.attestations) == (False, ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty: a policy needs at least `_schema:"),
        ("# only a comment\n", "is empty"),
        ("- 1\n- 2\n", "line 1: must be a mapping"),
        ("just text\n", "line 1: must be a mapping"),
        ("a: [\n", "invalid YAML"),
        ("artifacts: {}\n", "line 1: _schema: is required"),
        ("_schema: https://example.com\n", "line 1: _schema: must be https://kosli.com/schemas/policy/environment/v1"),
        (HEAD + "_schema: x\n", "line 2: _schema: duplicate key"),
        (HEAD + "rules: []\n", "line 2: rules: unknown key; allowed: _schema, artifacts"),
        (HEAD + "artifacts:\n  provenanse: {}\n", "line 3: artifacts.provenanse: unknown key"),
        (HEAD + "artifacts:\n  provenance:\n    required: yes please\n", "line 4: artifacts.provenance.required: must"),
        (HEAD + "artifacts:\n  provenance:\n    required: 1\n", "line 4: artifacts.provenance.required: must be true"),
        (HEAD + "artifacts:\n  attestations: {}\n", "line 3: artifacts.attestations: must be a list"),
        (HEAD + "artifacts:\n  attestations:\n    - name: a\n", "line 4: artifacts.attestations[0].type: is required"),
        (
            HEAD + "artifacts:\n  attestations:\n    - name: a\n      type: junit\n    - name: b\n      type: x\n",
            "line 7: artifacts.attestations[1].type: must be one of *, generic, junit",
        ),
        (HEAD + "artifacts:\n  attestations:\n    - name: 7\n      type: junit\n", "must be a non-empty string"),
        (HEAD + "artifacts:\n  attestations:\n    - name: -a\n      type: junit\n", "[0].name: must be 1-200"),
        (
            HEAD + ONE_RULE + '      if: ${{ matches(flow.name, "(") }}\n',
            "line 6: artifacts.attestations[0].if: bad regular expression '('",
        ),
        (
            HEAD + 'artifacts:\n  provenance:\n    exceptions:\n      - if: ${{ artifact.tags.team == "x" }}\n',
            "line 5: artifacts.provenance.exceptions[0].if: expected one of artifact.name",
        ),
        (HEAD + "artifacts:\n  provenance:\n    exceptions:\n      - name: x\n", "exceptions[0].name: unknown key"),
        ("x: &a 1\ny: *a\n", "anchors and aliases are not supported"),
        (HEAD + "artifacts: !!python/object:os.system x\n", "line 2: artifacts: must be a mapping"),
    ],
)
def test_refusals_name_the_line_and_the_rule(text: str, expected: str) -> None:
    assert expected in refusal(text)


def test_a_huge_document_is_refused_before_it_is_read() -> None:
    text = HEAD + "# " + "x" * MAX_POLICY_BYTES + "\n"
    assert refusal(text) == f"must be at most {MAX_POLICY_BYTES} bytes"


def test_too_many_rules_are_refused() -> None:
    rules = "".join(f"    - name: a{n}\n      type: junit\n" for n in range(201))
    assert "must have at most 200 items" in refusal(HEAD + "artifacts:\n  attestations:\n" + rules)


def test_unicode_in_conditions_is_kept() -> None:
    document = parse_policy(HEAD + EXCEPTIONS + '      - if: ${{ matches(artifact.name, "ü") }}\n')
    assert document.provenance.exceptions[0].source == '${{ matches(artifact.name, "ü") }}'
