"""Custom attestation types over GraphQL: `createAttestationType` (admin), `Org.attestationTypes` and
`Org.attestationType`, and `attest` with `type: "custom:NAME"` deciding compliance by the type's rules."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import DEFAULT_ORG, Api
from tests.contract.scenario import fp
from tracegraph.graph.inputs import ArtifactInput, FlowInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

ORG = DEFAULT_ORG
CREATE = """
mutation($input: CreateAttestationTypeInput!) {
  createAttestationType(input: $input) { attestationType { name version description jsonSchema jqRules } }
}
"""
TYPES = """
query($name: String!, $version: Int) {
  org(name: "acme") {
    attestationTypes { name version }
    attestationType(name: $name, version: $version) { name version jqRules }
  }
}
"""
ATTEST = """
mutation($input: AttestInput!) {
  attest(input: $input) { attestation { type name compliant data } }
}
"""
SCHEMA = {"type": "object", "properties": {"coverage": {"type": "number"}}, "required": ["coverage"]}


def definition(**changes: Any) -> dict[str, Any]:
    return {"input": {"org": ORG, "name": "coverage-metrics", "jsonSchema": SCHEMA, "jqRules": [".coverage > 80"],
                      **changes}}  # fmt: skip


def attestation(**changes: Any) -> dict[str, Any]:
    fields = {"org": ORG, "flow": "web", "fingerprint": fp("web"), "type": "custom:coverage-metrics", "name": "cov",
              "attestationData": {"coverage": 93.5}, **changes}  # fmt: skip
    return {"input": {key: value for key, value in fields.items() if value is not None}}


async def test_types_are_defined_versioned_and_read(api: Api) -> None:
    made = (await api.data(CREATE, definition(description="línea")))["createAttestationType"]["attestationType"]
    assert made == {"name": "coverage-metrics", "version": 1, "description": "línea", "jsonSchema": SCHEMA,
                    "jqRules": [".coverage > 80"]}  # fmt: skip
    assert (await api.data(CREATE, definition(description="línea")))["createAttestationType"]["attestationType"] == made
    again = await api.data(CREATE, definition(jqRules=[]))
    assert again["createAttestationType"]["attestationType"]["version"] == 2
    found = (await api.data(TYPES, {"name": "coverage-metrics"}))["org"]
    assert found["attestationTypes"] == [{"name": "coverage-metrics", "version": 2}]
    assert found["attestationType"] == {"name": "coverage-metrics", "version": 2, "jqRules": []}
    first = (await api.data(TYPES, {"name": "coverage-metrics", "version": 1}))["org"]["attestationType"]
    assert first["jqRules"] == [".coverage > 80"]
    missing = await api.error(TYPES, {"name": "nope"})
    assert (missing["extensions"]["code"], missing["message"]) == (
        "NOT_FOUND", "attestation type 'nope' not found in org 'acme'",
    )  # fmt: skip


async def test_definition_errors_name_the_input_field(api: Api) -> None:
    bad_rule = await api.error(CREATE, definition(jqRules=[".a", ".b |"]))
    assert bad_rule["extensions"]["code"] == "BAD_USER_INPUT"
    assert bad_rule["message"].startswith("input.jqRules.1: does not compile: jq: error")
    bad_schema = await api.error(CREATE, definition(jsonSchema={"type": 7}))
    assert bad_schema["message"].startswith("input.jsonSchema: is not a valid JSON Schema (draft 2020-12) at type")


async def test_a_writer_may_not_define_types(api: Api, store: GraphStore) -> None:
    await api.bootstrap("writers", role=Role.WRITER)
    refused = await api.error(CREATE, {"input": {**definition()["input"], "org": "writers"}})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert await store.list_attestation_types("writers") == []


async def test_attest_with_a_custom_type_is_decided_by_its_rules(api: Api, store: GraphStore) -> None:
    await store.create_flow(FlowInput(org=ORG, name="web"))
    await store.report_artifact(ArtifactInput(org=ORG, flow="web", fingerprint=fp("web"), name="web"))
    await api.data(CREATE, definition())
    passed = (await api.data(ATTEST, attestation(data={"ticket": "T-1"})))["attest"]["attestation"]
    assert (passed["type"], passed["compliant"]) == ("custom:coverage-metrics", True)
    assert passed["data"] == {
        "ticket": "T-1",
        "type_name": "coverage-metrics",
        "type_version": 1,
        "attestation_data": {"coverage": 93.5},
        "rule_results": [{"rule": ".coverage > 80", "passed": True, "reason": None}],
    }
    failed = (await api.data(ATTEST, attestation(name="low", attestationData={"coverage": 3})))["attest"]
    assert failed["attestation"]["compliant"] is False

    refusals = {
        "input.compliant": attestation(compliant=True),
        "input.attestationData": attestation(attestationData={"coverage": "all"}),
        "input.type": attestation(type="custom: "),
    }
    for field, variables in refusals.items():
        error = await api.error(ATTEST, variables)
        assert error["message"].startswith(field + ":"), error
    unknown = await api.error(ATTEST, attestation(type="custom:nope"))
    assert unknown["extensions"]["code"] == "NOT_FOUND"
    not_custom = await api.error(ATTEST, attestation(type="generic"))
    assert not_custom["message"].startswith("input.attestationData: is only for a custom type")
    no_compliance = await api.error(ATTEST, attestation(type="generic", attestationData=None))
    assert no_compliance["message"].startswith("input.compliant: is required")
    names = [item.name for item in (await store.artifact(ORG, "web", fp("web"))).attestations]
    assert sorted(names) == ["cov", "low"]
