"""Conditions: the supported subset evaluates as documented; everything else is refused with a reason."""

from __future__ import annotations

import pytest

from tracegraph.policies import ConditionError, parse_condition
from tracegraph.policies.expressions import Subject

WEB = Subject(name="registry/web:1", fingerprint="ab" * 32, flows=("web", "docs"))
ROGUE = Subject(name="miner", fingerprint="cd" * 32, flows=())


@pytest.mark.parametrize(
    ("condition", "web", "rogue"),
    [
        ('${{ matches(artifact.name, "^registry/") }}', True, False),
        ('${{ matches(artifact.name, "web") }}', True, False),  # a search, not a full match
        ('${{ flow.name == "docs" }}', True, False),  # any of its flows
        ('${{ flow.name != "web" }}', False, True),
        (f'${{{{ artifact.fingerprint == "{"cd" * 32}" }}}}', False, True),
        ('${{ not matches(artifact.name, "^registry/") }}', False, True),
        ('${{ flow.name == "web" and matches(artifact.name, ":1$") }}', True, False),
        ('${{ flow.name == "x" or (artifact.name == "miner") }}', False, True),
        ('${{ not (flow.name == "web" or flow.name == "docs") }}', False, True),
        ('${{ artifact.name == "say \\"hi\\"" }}', False, False),
    ],
)
def test_conditions_evaluate(condition: str, web: bool, rogue: bool) -> None:
    parsed = parse_condition(condition)
    assert (parsed.holds(WEB), parsed.holds(ROGUE)) == (web, rogue)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ('matches(artifact.name, "x")', "must be written ${{ ... }}"),
        ("${{ }}", "expected one of artifact.name"),
        ("${{ exists(flow) }}", "expected one of artifact.name"),
        ('${{ flow.tags.team == "x" }}', "expected one of artifact.name"),
        ("${{ artifact.name == 3 }}", "unexpected character '3'"),
        ('${{ artifact.name in ["a"] }}', "unexpected character '['"),
        ('${{ artifact.name in "a" }}', "expected == or != after artifact.name, got 'in'"),
        ('${{ matches(artifact.name, "[") }}', "bad regular expression '['"),
        ('${{ matches(artifact.name "x") }}', "expected ,"),
        ('${{ flow.name == "a" flow.name == "b" }}', "unexpected 'flow.name' after the expression"),
        ('${{ (flow.name == "a" }}', "expected ), got the end"),
        ("${{ " + "not " * 400 + 'flow.name == "a" }}', "at most 1000 characters"),
    ],
)
def test_anything_else_is_refused(condition: str, expected: str) -> None:
    with pytest.raises(ConditionError) as refused:
        parse_condition(condition)
    assert expected in str(refused.value)
