"""Policies through the Kosli API (real ASGI app, every backend): attached names on environments, `assert snapshot`
following the policy evaluation, `assert artifact` with `environment_name` or `policy_name` (SPEC §2.14, §2.19)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.contract.scenario import build, fp, report
from tests.kosli.conftest import headers_for
from tracegraph.graph.inputs import AttestationInput, EnvironmentInput, EnvironmentType, FlowInput
from tracegraph.graph.model import Role
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.store import GraphStore

API = "/api/v2"
ORG = "acme"
HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
TESTS = HEAD + "artifacts:\n  attestations:\n    - name: unit-test\n      type: junit\n"
PROVENANCE = HEAD + "artifacts:\n  provenance:\n    required: true\n"


async def seed(store: GraphStore) -> dict[str, str]:
    headers = await headers_for(store, ORG, Role.READER)
    await store.create_flow(FlowInput(org=ORG, name="web"))
    for name in ("prod", "beta"):
        await store.create_environment(EnvironmentInput(org=ORG, name=name, type=EnvironmentType.K8S))
    await build(store, "web", "w1", org=ORG)
    await store.create_policy(PolicyInput(org=ORG, name="tests", yaml=TESTS))
    await store.create_policy(PolicyInput(org=ORG, name="provenance", yaml=PROVENANCE))
    await store.attach_policy(ORG, "prod", "tests")
    await store.attach_policy(ORG, "prod", "provenance")
    return headers


async def get(client: httpx.AsyncClient, headers: dict[str, str], path: str) -> Any:
    response = await client.get(API + path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_environments_name_their_policies(client: httpx.AsyncClient, store: GraphStore) -> None:
    headers = await seed(store)
    assert (await get(client, headers, "/environments/acme/prod"))["policies"] == ["provenance", "tests"]
    listed = await get(client, headers, "/environments/acme")
    assert [(item["name"], item["policies"]) for item in listed] == [("beta", []), ("prod", ["provenance", "tests"])]


async def test_assert_snapshot_follows_the_policies(client: httpx.AsyncClient, store: GraphStore) -> None:
    headers = await seed(store)
    await report(store, "prod", {"w1": 1}, org=ORG)
    assert (await get(client, headers, "/snapshots/acme/prod/-1"))["compliant"] is False  # no unit-test
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("w1"), type="junit", name="unit-test", compliant=True)
    )
    assert (await get(client, headers, "/snapshots/acme/prod/-1"))["compliant"] is True
    summaries = await get(client, headers, "/snapshots/acme/prod?interval=&page=1&per_page=3&reverse=false")
    assert [item["compliant"] for item in summaries] == [True]


async def test_assert_artifact_in_an_environment(client: httpx.AsyncClient, store: GraphStore) -> None:
    headers = await seed(store)
    verdict = await get(client, headers, f"/asserts/acme/fingerprint/{fp('w1')}?environment_name=prod")
    assert (verdict["compliant"], verdict["scope"], verdict["environment"]) == (False, "environment", "prod")
    statuses = {item["policy_name"]: item["status"] for item in verdict["policy_evaluations"]}
    assert statuses == {"provenance": "COMPLIANT", "tests": "NON-COMPLIANT"}
    (failing,) = [item for item in verdict["policy_evaluations"] if item["policy_name"] == "tests"]
    (rule,) = failing["rule_evaluations"]
    assert rule["ignored"] is False
    assert rule["rule"]["definition"] == {"name": "unit-test", "type": "junit"}
    assert [item["type"] for item in rule["resolutions"]] == ["missing_attestation"]
    assert [flow["flow"] for flow in verdict["flows"]] == ["web"]
    assert verdict["html_url"] == ""


async def test_assert_artifact_against_named_policies(client: httpx.AsyncClient, store: GraphStore) -> None:
    headers = await seed(store)
    path = f"/asserts/acme/fingerprint/{fp('w1')}?flow_name=web&policy_name=provenance"
    verdict = await get(client, headers, path)
    assert (verdict["compliant"], verdict["scope"]) == (True, "policy")
    assert [item["policy_name"] for item in verdict["policy_evaluations"]] == ["provenance"]
    missing = await client.get(API + f"/asserts/acme/fingerprint/{fp('w1')}?policy_name=nope", headers=headers)
    assert missing.status_code == 404
    assert "policy 'nope' not found" in missing.json()["message"]
    both = await client.get(
        API + f"/asserts/acme/fingerprint/{fp('w1')}?policy_name=tests&environment_name=prod", headers=headers
    )
    assert both.status_code == 400
