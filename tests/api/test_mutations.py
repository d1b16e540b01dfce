"""Every write through its mutation: one input object, a payload back, errors naming the field, nothing written on
error."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.scenario import NEW, ORG, REPORT_SNAPSHOT, report_seed, running

ATTEST = """
mutation($input: AttestInput!) {
  attest(input: $input) { attestation { attestationId type name compliant data reportedAt } }
}
"""

ARTIFACT = """
query($fp: String!) {
  artifact(org: "cyber-dojo", flow: "creator", fingerprint: $fp) {
    name state gitCommit commit { sha message }
    deployments { number environment { name } user }
    attestations { name compliant }
    placements { environment { name } fromIndex toIndex running }
    history { kind description environment snapshotIndex }
  }
}
"""


async def test_attest_and_read_the_artifact_history(api: Api) -> None:
    await report_seed(api)
    attested = await api.data(
        ATTEST,
        {
            "input": {
                "org": ORG,
                "flow": "creator",
                "fingerprint": NEW,
                "type": "junit",
                "name": "unit-tests",
                "compliant": True,
                "data": {"passed": 42},
            }
        },
    )
    attestation = attested["attest"]["attestation"]
    assert (attestation["type"], attestation["compliant"], attestation["data"]) == ("junit", True, {"passed": 42})
    assert len(attestation["attestationId"]) == 32

    artifact = (await api.data(ARTIFACT, {"fp": NEW[:7]}))["artifact"]
    assert artifact["state"] == "COMPLIANT"
    assert artifact["commit"]["message"] == "Fix respond_to typo"
    assert artifact["deployments"] == [{"number": 1, "environment": {"name": "aws-prod"}, "user": "ci"}]
    assert artifact["placements"] == [
        {"environment": {"name": "aws-beta"}, "fromIndex": 1, "toIndex": None, "running": True},
        {"environment": {"name": "aws-prod"}, "fromIndex": 2, "toIndex": None, "running": True},
    ]
    descriptions = [entry["description"] for entry in artifact["history"]]
    assert "Started running in aws-prod#2 environment" in descriptions
    assert "Started running in aws-beta#1 environment" in descriptions
    assert descriptions[0] == "Artifact created"


async def test_an_unchanged_report_makes_no_snapshot(api: Api) -> None:
    await report_seed(api)
    artifacts = running((NEW, "ecr/creator:b7a5908", 1))
    again = await api.data(REPORT_SNAPSHOT, {"input": {"org": ORG, "environment": "aws-beta", "artifacts": artifacts}})
    assert again["reportSnapshot"] == {"changed": False, "snapshot": {"index": 1}, "events": []}
    scaled = running((NEW, "ecr/creator:b7a5908", 3))
    answer = await api.data(REPORT_SNAPSHOT, {"input": {"org": ORG, "environment": "aws-beta", "artifacts": scaled}})
    assert answer["reportSnapshot"]["changed"] is True
    assert answer["reportSnapshot"]["snapshot"] == {"index": 2}
    assert answer["reportSnapshot"]["events"] == [
        {"type": "SCALED", "fingerprint": NEW, "description": "Scaled up (from 1 to 3)."}
    ]


async def test_bad_input_names_the_field_and_writes_nothing(api: Api) -> None:
    await report_seed(api)
    artifacts = [*running((NEW, "ecr/creator:b7a5908", 1)), {"fingerprint": "not-hex", "name": "x"}]
    error = await api.error(REPORT_SNAPSHOT, {"input": {"org": ORG, "environment": "aws-beta", "artifacts": artifacts}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.artifacts.1.fingerprint"}
    assert "64 hexadecimal characters" in error["message"]
    assert error["path"] == ["reportSnapshot"]

    naive = await api.error(
        REPORT_SNAPSHOT,
        {"input": {"org": ORG, "environment": "aws-beta", "artifacts": [], "reportedAt": "2030-01-01T00:00:00"}},
    )
    assert naive["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.reportedAt"}

    earlier = await api.error(
        REPORT_SNAPSHOT,
        {"input": {"org": ORG, "environment": "aws-beta", "artifacts": [], "reportedAt": "2000-01-01T00:00:00Z"}},
    )
    assert earlier["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.reportedAt"}

    latest = await api.data('{ environment(org: "cyber-dojo", name: "aws-beta") { latestIndex } }')
    assert latest["environment"]["latestIndex"] == 1


async def test_malformed_variables_are_bad_user_input(api: Api) -> None:
    error = await api.error(
        "mutation($input: CreateOrgInput!) { createOrg(input: $input) { org { name } } }",
        {"input": {"name": "acme", "public": "yes please"}},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "public" in error["message"]


async def test_writes_into_missing_things_are_not_found(api: Api) -> None:
    flow = await api.error('mutation { createFlow(input: {org: "nobody", name: "web"}) { flow { name } } }')
    assert flow["extensions"]["code"] == "NOT_FOUND"
    await report_seed(api)
    deployment = await api.error(
        "mutation($input: ReportDeploymentInput!) { reportDeployment(input: $input) { deployment { number } } }",
        {"input": {"org": ORG, "flow": "creator", "fingerprint": "f" * 64, "environment": "aws-prod"}},
    )
    assert deployment["extensions"]["code"] == "NOT_FOUND"


async def test_create_is_an_upsert(api: Api) -> None:
    create = (
        'mutation($d: String) { createOrg(input: {name: "acme", description: $d}) { org { description createdAt } } }'
    )
    first = (await api.data(create, {"d": "one"}))["createOrg"]["org"]
    second = (await api.data(create, {"d": "two"}))["createOrg"]["org"]
    assert (second["description"], second["createdAt"]) == ("two", first["createdAt"])
