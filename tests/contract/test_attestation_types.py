"""Custom attestation types in the store: versions, idempotent redefinition, listing, and the input rules."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.scenario import ORG, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import AttestationTypeInput, parse
from tracegraph.graph.store import GraphStore

SCHEMA = {"type": "object", "properties": {"coverage": {"type": "number"}}, "required": ["coverage"]}


def definition(name: str = "coverage-metrics", **changes: Any) -> AttestationTypeInput:
    fields = {"org": ORG, "name": name, "json_schema": SCHEMA, "jq_rules": [".coverage > 80"], **changes}
    return parse(AttestationTypeInput, fields)


async def test_a_type_is_versioned_when_its_definition_changes(store: GraphStore) -> None:
    await topology(store)
    first = await store.create_attestation_type(definition(description="line coverage"))
    assert (first.name, first.version, first.jq_rules, first.json_schema) == (
        "coverage-metrics", 1, (".coverage > 80",), SCHEMA,
    )  # fmt: skip
    # The same definition again (its schema's keys in another order) changes nothing.
    reordered = dict(reversed(list(SCHEMA.items())))
    again = await store.create_attestation_type(definition(description="line coverage", json_schema=reordered))
    assert (again.version, again.created_at) == (1, first.created_at)
    second = await store.create_attestation_type(definition(description="line coverage", jq_rules=[".coverage > 90"]))
    assert second.version == 2
    third = await store.create_attestation_type(definition(description="branch coverage", jq_rules=[".coverage > 90"]))
    assert third.version == 3
    latest = await store.attestation_type(ORG, "coverage-metrics")
    assert (latest.version, latest.description, latest.jq_rules) == (3, "branch coverage", (".coverage > 90",))
    older = await store.attestation_type(ORG, "coverage-metrics", version=1)
    assert (older.version, older.jq_rules, older.description) == (1, (".coverage > 80",), "line coverage")


async def test_types_are_listed_by_name_with_their_latest_version(store: GraphStore) -> None:
    await topology(store)
    assert await store.list_attestation_types(ORG) == []
    await store.create_attestation_type(definition("zeta"))
    await store.create_attestation_type(definition("alpha"))
    await store.create_attestation_type(definition("alpha", jq_rules=[]))
    await store.create_attestation_type(definition("Ωmega métriques", description="ünïcode 🧪"))
    listed = await store.list_attestation_types(ORG)
    assert [(found.name, found.version) for found in listed] == [("alpha", 2), ("zeta", 1), ("Ωmega métriques", 1)]
    assert listed[0].jq_rules == ()
    assert listed[2].description == "ünïcode 🧪"


async def test_unknown_types_and_orgs_are_not_found(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(NotFound, match="attestation type 'nope' not found in org"):
        await store.attestation_type(ORG, "nope")
    await store.create_attestation_type(definition())
    with pytest.raises(NotFound, match="attestation type 'coverage-metrics' has no version 2"):
        await store.attestation_type(ORG, "coverage-metrics", version=2)
    with pytest.raises(NotFound, match="org 'missing-org' not found"):
        await store.create_attestation_type(definition().model_copy(update={"org": "missing-org"}))
    with pytest.raises(NotFound, match="org 'missing-org' not found"):
        await store.list_attestation_types("missing-org")
    with pytest.raises(NotFound, match="org 'missing-org' not found"):
        await store.attestation_type("missing-org", "coverage-metrics")


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"json_schema": {"type": "objekt"}}, "json_schema", "is not a valid JSON Schema (draft 2020-12) at type"),
        ({"json_schema": {"minimum": "ten"}}, "json_schema", "is not a valid JSON Schema"),
        ({"json_schema": ["not", "an", "object"]}, "json_schema", "valid dictionary"),
        ({"jq_rules": [".a", ".b |"]}, "jq_rules.1", "does not compile: jq: error"),
        ({"jq_rules": [" "]}, "jq_rules.0", "must be a jq program of 1-2,000 characters"),
        ({"jq_rules": [".a"] * 51}, "jq_rules", "at most 50 items"),
        ({"name": "two\nlines"}, "name", "1-200 characters"),
        ({"name": ""}, "name", "at least 1"),
    ],
)
def test_definition_rules_name_the_field(changes: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        definition(**changes)
    assert raised.value.field == field
    assert rule in raised.value.rule


async def test_a_refused_definition_writes_nothing(store: GraphStore) -> None:
    await topology(store)
    await store.create_attestation_type(definition())
    with pytest.raises(InvalidInput):
        await store.create_attestation_type(definition(jq_rules=["]["]))
    assert [(found.name, found.version) for found in await store.list_attestation_types(ORG)] == [
        ("coverage-metrics", 1)
    ]


async def test_each_call_is_one_round_trip(store: GraphStore) -> None:
    await topology(store)
    before = store.round_trips
    await store.create_attestation_type(definition())
    await store.create_attestation_type(definition())
    await store.attestation_type(ORG, "coverage-metrics")
    await store.list_attestation_types(ORG)
    assert store.round_trips - before == 4
