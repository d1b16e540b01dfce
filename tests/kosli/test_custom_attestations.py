"""`kosli attest custom` (SPEC §2.9.4) through the real app: the type defined first (in the store, as
`tracegraph attestation-type create` does), then the CLI's exact body; compliance decided by the type's jq rules,
data checked by its schema, nothing written on any refusal."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from tests.kosli.conftest import headers_for
from tests.kosli.test_replay import multipart
from tests.kosli.test_trails import attest_artifact
from tracegraph.graph.inputs import AttestationTypeInput, FlowInput
from tracegraph.graph.store import GraphStore

ORG = "acme"
WEB = hashlib.sha256(b"web").hexdigest()
SCHEMA = {"type": "object", "properties": {"coverage": {"type": "number"}}, "required": ["coverage"]}


async def setup(store: GraphStore, client: httpx.AsyncClient, rules: list[str]) -> dict[str, str]:
    headers = await headers_for(store, ORG)
    await store.create_flow(FlowInput(org=ORG, name="web"))
    await store.create_attestation_type(
        AttestationTypeInput(org=ORG, name="coverage-metrics", json_schema=SCHEMA, jq_rules=rules)
    )
    assert (await attest_artifact(client, headers, WEB, trail="t1", slot="creator")).status_code == 201
    return headers


def observed(**changes: Any) -> dict[str, Any]:
    """SPEC §2.9.4's observed body."""
    return {
        "artifact_fingerprint": WEB,
        "attestation_name": "coverage",
        "user_data": {},
        "type_name": "coverage-metrics",
        "attestation_data": {"coverage": 93.5},
        **changes,
    }


async def attest_custom(
    client: httpx.AsyncClient, headers: dict[str, str], data: dict[str, Any], *, trail: str = "t1"
) -> httpx.Response:
    content, content_type = multipart([{"name": "data_json", "json": data}])
    return await client.post(
        f"/api/v2/attestations/{ORG}/web/trail/{trail}/custom",
        content=content,
        headers={**headers, "Content-Type": content_type},
    )


async def test_the_observed_body_is_evaluated_by_the_types_rules(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client, [".coverage > 80", ".coverage >= 0"])
    answer = await attest_custom(client, headers, observed())
    assert answer.status_code == 201, answer.text
    (stored,) = (await store.artifact(ORG, "web", WEB)).attestations
    assert (stored.id, stored.type, stored.name, stored.compliant) == (
        answer.json()["id"], "custom:coverage-metrics", "coverage", True,
    )  # fmt: skip
    assert stored.data["type_name"] == "coverage-metrics"
    assert stored.data["type_version"] == 1
    assert stored.data["attestation_data"] == {"coverage": 93.5}
    assert stored.data["rule_results"] == [
        {"rule": ".coverage > 80", "passed": True, "reason": None},
        {"rule": ".coverage >= 0", "passed": True, "reason": None},
    ]

    low = await attest_custom(client, headers, observed(attestation_name="low", attestation_data={"coverage": 12}))
    assert low.status_code == 201, low.text
    found = {item.name: item for item in (await store.artifact(ORG, "web", WEB)).attestations}
    assert found["low"].compliant is False
    failed = {"rule": ".coverage > 80", "passed": False, "reason": "yielded false"}
    assert found["low"].data["rule_results"][0] == failed


async def test_rules_that_error_or_yield_no_boolean_are_not_met(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client, ['error("no baseline")', '"yes"', ".coverage > 1"])
    answer = await attest_custom(client, headers, observed())
    assert answer.status_code == 201, answer.text
    (stored,) = (await store.artifact(ORG, "web", WEB)).attestations
    assert stored.compliant is False
    reasons = [result["reason"] for result in stored.data["rule_results"]]
    assert reasons == ["raised an error: no baseline", 'yielded "yes", not a boolean', None]


async def test_no_rules_means_compliant_when_the_schema_passes(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client, [])
    data = observed(attestation_name="ünïcödé", attestation_data={"coverage": 1, "note": "façade 🧪"})
    answer = await attest_custom(client, headers, {**data, "attestation_name": "unicode"})
    assert answer.status_code == 201, answer.text
    (stored,) = (await store.artifact(ORG, "web", WEB)).attestations
    assert (stored.compliant, stored.data["rule_results"], stored.data["attestation_data"]["note"]) == (
        True, [], "façade 🧪",
    )  # fmt: skip


async def test_refusals_name_the_type_or_the_path_and_write_nothing(
    store: GraphStore, client: httpx.AsyncClient
) -> None:
    headers = await setup(store, client, [".coverage > 80"])
    unknown = await attest_custom(client, headers, observed(type_name="nope"))
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["message"] == f"attestation type 'nope' not found in org '{ORG}'"
    invalid = await attest_custom(client, headers, observed(attestation_data={"coverage": "high"}))
    assert invalid.status_code == 400, invalid.text
    assert "$.coverage: 'high' is not of type 'number'" in invalid.json()["errors"]["attestation_data"]
    missing_type = await attest_custom(client, headers, observed(type_name=None))
    assert missing_type.status_code == 400
    assert "type_name" in missing_type.json()["errors"]
    missing_data = await attest_custom(client, headers, observed(attestation_data=None))
    assert "attestation_data" in missing_data.json()["errors"]
    assert (await store.artifact(ORG, "web", WEB)).attestations == ()


async def test_a_redefined_type_versions_new_attestations_only(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client, [".coverage > 80"])
    assert (await attest_custom(client, headers, observed(attestation_name="before"))).status_code == 201
    await store.create_attestation_type(
        AttestationTypeInput(org=ORG, name="coverage-metrics", json_schema=SCHEMA, jq_rules=[".coverage > 95"])
    )
    assert (await attest_custom(client, headers, observed(attestation_name="after"))).status_code == 201
    found = {item.name: item for item in (await store.artifact(ORG, "web", WEB)).attestations}
    assert (found["before"].data["type_version"], found["before"].compliant) == (1, True)
    assert (found["after"].data["type_version"], found["after"].compliant) == (2, False)


async def test_trail_level_and_pending_custom_attestations(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client, [".coverage > 80"])
    trail_level = {key: value for key, value in observed().items() if key != "artifact_fingerprint"}
    assert (await attest_custom(client, headers, trail_level)).status_code == 201
    slot = {**trail_level, "attestation_name": "db", "target_artifacts": ["db"]}
    pending = await attest_custom(client, headers, slot)
    assert pending.status_code == 201, pending.text
    detail = await store.trail(ORG, "web", "t1")
    assert [(a.type, a.compliant) for a in detail.trail_attestations] == [("custom:coverage-metrics", True)]
    assert [(a.type, a.target_artifact) for a in detail.pending_attestations] == [("custom:coverage-metrics", "db")]
