"""Applying a custom attestation type (tracegraph/attestation_types.py) in its worker process: schema failures name
their JSON paths, every rule's outcome is kept, and a rule that never ends is stopped, not waited for."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tracegraph.attestation_types import evaluate
from tracegraph.errors import InvalidInput
from tracegraph.graph.model import AttestationType
from tracegraph.graph.rules import utc_now


def of(schema: dict[str, Any], rules: list[str]) -> AttestationType:
    return AttestationType(
        org="acme", name="t", version=3, description="", json_schema=schema, jq_rules=tuple(rules), created_at=utc_now()
    )


async def test_each_rule_outcome_is_kept() -> None:
    rules = [".a == 1", ".a", ".a - 1", ".list[]", "empty", "false", '.a | error("bad \\(.)")']
    found = await evaluate(of({}, rules), {"a": 1, "list": [True, True]}, field="data")
    assert not found.compliant
    assert [(result.passed, result.reason) for result in found.rules] == [
        (True, None),
        (False, "yielded 1, not a boolean"),
        (False, "yielded 0, not a boolean"),
        (False, "yielded 2 values; a rule must yield one boolean"),
        (False, "yielded nothing; a rule must yield true"),
        (False, "yielded false"),
        (False, "raised an error: bad 1"),
    ]
    assert found.evidence()["type_version"] == 3


async def test_schema_failures_name_the_first_paths_and_count_the_rest() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    data = {"a b": "x", "c": [1], "d": 1.5, "e": None, "f": 2}
    with pytest.raises(InvalidInput) as raised:
        await evaluate(of(schema, [".f == 2"]), data, field="attestation_data")
    assert raised.value.field == "attestation_data"
    assert raised.value.rule.startswith("does not satisfy the schema of type 't' (version 3): $[\"a b\"]: 'x' is not")
    assert "$.c: [1] is not of type 'integer' (type)" in raised.value.rule
    assert raised.value.rule.endswith("(and 1 more)")


async def test_a_rule_that_never_ends_is_stopped_and_the_rest_not_run() -> None:
    started = time.monotonic()
    found = await evaluate(of({}, ["true", "def f: f; f", "true"]), {}, field="data", seconds=1.0)
    assert time.monotonic() - started < 5
    assert [(result.passed, result.reason) for result in found.rules] == [
        (True, None),
        (False, "did not finish within 1 s or ran out of memory"),
        (False, "not run: an earlier rule did not finish"),
    ]


async def test_a_schema_that_never_ends_is_refused() -> None:
    backtracking = {"type": "string", "pattern": "^(a+)+$"}
    with pytest.raises(InvalidInput, match="could not be checked against the schema of type 't' within 1 s"):
        await evaluate(of(backtracking, []), "a" * 64 + "!", field="attestation_data", seconds=1.0)


async def test_rules_do_not_see_the_servers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEGRAPH_NEO4J_PASSWORD", "hunter2")
    rules = ['$ENV | has("TRACEGRAPH_NEO4J_PASSWORD") | not', '[env | keys[] | select(startswith("TRACEGRAPH"))] == []']
    found = await evaluate(of({}, rules), {}, field="d")
    assert [(result.passed, result.reason) for result in found.rules] == [(True, None), (True, None)]
