"""Policies over GraphQL: admin mutations, reads on Org, Environment and Snapshot, the evaluation with its reasons in
one query (one round trip for the evaluation whatever its size), and the errors naming the field and the line."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.contract.scenario import build, fp, report
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, FlowInput
from tracegraph.graph.store import GraphStore

ORG = "acme"
HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
POLICY = HEAD + (
    "artifacts:\n  provenance:\n    required: true\n  attestations:\n    - name: unit-test\n      type: junit\n"
)
CREATE = "mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { name version } } }"
ATTACH = """
mutation($input: AttachPolicyInput!) { attachPolicy(input: $input) { environment { name } policies { name } } }
"""
DETACH = "mutation($input: AttachPolicyInput!) { detachPolicy(input: $input) { policies { name } } }"
SNAPSHOT = """
query($org: String!) {
  environment(org: $org, name: "prod") {
    policies { name version }
    snapshot {
      index compliant
      policyEvaluation {
        compliant artifactsTotal nonCompliantTotal policies { name version }
        nonCompliant { name fingerprint flows reasons { policy kind message attestationName attestationType } }
      }
    }
  }
}
"""


async def seed(store: GraphStore) -> None:
    await store.create_flow(FlowInput(org=ORG, name="web"))
    await store.create_environment(EnvironmentInput(org=ORG, name="prod", type=EnvironmentType.K8S))
    await build(store, "web", "w1", org=ORG)


async def test_create_attach_and_read_the_evaluation_in_one_query(api: Api, store: GraphStore) -> None:
    await seed(store)
    created = await api.data(CREATE, {"input": {"org": ORG, "name": "prod-policy", "yaml": POLICY}})
    assert created["createPolicy"]["policy"] == {"name": "prod-policy", "version": 1}
    attached = await api.data(ATTACH, {"input": {"org": ORG, "environment": "prod", "policy": "prod-policy"}})
    assert attached["attachPolicy"] == {"environment": {"name": "prod"}, "policies": [{"name": "prod-policy"}]}
    await report(store, "prod", {"w1": 1, "miner": 1}, org=ORG)
    before = store.round_trips
    found = (await api.data(SNAPSHOT, {"org": ORG}))["environment"]
    assert store.round_trips - before <= 5  # environment, its policies, the snapshot, its evaluation (and token)
    assert found["policies"] == [{"name": "prod-policy", "version": 1}]
    evaluation = found["snapshot"]["policyEvaluation"]
    assert found["snapshot"]["compliant"] is False
    assert (evaluation["compliant"], evaluation["artifactsTotal"], evaluation["nonCompliantTotal"]) == (False, 2, 2)
    assert [(item["name"], [r["message"] for r in item["reasons"]]) for item in evaluation["nonCompliant"]] == [
        ("ecr/miner", ["no provenance", "missing attestation unit-test (junit)"]),
        ("ecr/w1", ["missing attestation unit-test (junit)"]),
    ]
    assert evaluation["nonCompliant"][1]["flows"] == ["web"]
    assert evaluation["nonCompliant"][0]["reasons"][0]["kind"] == "MISSING_PROVENANCE"
    assert (await api.data(DETACH, {"input": {"org": ORG, "environment": "prod", "policy": "prod-policy"}})) == {
        "detachPolicy": {"policies": []}
    }
    assert (await api.data(SNAPSHOT, {"org": ORG}))["environment"]["snapshot"]["policyEvaluation"] is None


async def test_an_invalid_policy_names_the_field_and_the_line(api: Api, store: GraphStore) -> None:
    await seed(store)
    bad = POLICY.replace("junit", "junitt")
    error = await api.error(CREATE, {"input": {"org": ORG, "name": "p", "yaml": bad}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "input.yaml"
    assert "line 7: artifacts.attestations[0].type: must be one of" in error["message"]
    empty = await api.error(CREATE, {"input": {"org": ORG, "name": "p", "yaml": ""}})
    assert "is empty" in empty["message"]
    assert (await api.data("query($org: String!) { org(name: $org) { policies { name } } }", {"org": ORG})) == {
        "org": {"policies": []}
    }


async def test_attaching_a_missing_policy_is_not_found(api: Api, store: GraphStore) -> None:
    await seed(store)
    error = await api.error(ATTACH, {"input": {"org": ORG, "environment": "prod", "policy": "nope"}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "policy 'nope' not found" in error["message"]


async def test_artifact_evaluation_against_an_environment(api: Api, store: GraphStore) -> None:
    await seed(store)
    await api.data(CREATE, {"input": {"org": ORG, "name": "prod-policy", "yaml": POLICY}})
    await api.data(ATTACH, {"input": {"org": ORG, "environment": "prod", "policy": "prod-policy"}})
    query = """
    query($org: String!, $fp: String!) { environment(org: $org, name: "prod") {
      artifactEvaluation(flow: "web", fingerprint: $fp) { compliant nonCompliant { reasons { message } } } } }
    """
    found = (await api.data(query, {"org": ORG, "fp": fp("w1")[:10]}))["environment"]["artifactEvaluation"]
    assert found == {
        "compliant": False,
        "nonCompliant": [{"reasons": [{"message": "missing attestation unit-test (junit)"}]}],
    }
