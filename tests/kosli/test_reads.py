"""Each read command against the demo org: the response carries every field the kosli CLI reads (SPEC §2), with
the JSON type it decodes it as (integers where it decodes int64, never null where it asserts a type)."""

from __future__ import annotations

from typing import Any

import httpx

from tracegraph.demo.cyber_dojo import INCIDENT_FINGERPRINT, INCIDENT_SHA, REPLACED_FINGERPRINT

API = "/api/v2"
PROD_EVENTS = "/environments/cyber-dojo/aws-prod/events?page=1&reverse="


def has(item: dict[str, Any], **types: type | tuple[type, ...]) -> None:
    for name, kind in types.items():
        assert name in item, f"{name} missing from {sorted(item)}"
        value = item[name]
        assert isinstance(value, kind), f"{name}={value!r}"
        assert kind is not int or not isinstance(value, bool), f"{name}={value!r}"


async def get(client: httpx.AsyncClient, headers: dict[str, str], path: str) -> Any:
    response = await client.get(API + path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.content[:1] in (b"[", b"{")  # `get artifact` tells an array from an object by byte 0
    return response.json()


async def test_log_env_interval(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    events = await get(client, demo, PROD_EVENTS + "false&per_page=15&interval=176..177")
    assert [(e["snapshot_index"], e["sha256"]) for e in events] == [
        (177, REPLACED_FINGERPRINT),
        (176, INCIDENT_FINGERPRINT),
    ]
    for event in events:
        has(event, snapshot_index=int, artifact_name=str, sha256=str, description=str, reported_at=int, pipeline=str)
    assert events[0]["description"] == "1 instance stopped running (from 1 to 0)."
    assert events[1]["description"] == "1 instance started running (from 0 to 1)."
    assert events[1]["reported_at"] == 1662475948
    assert events[1]["pipeline"] == "creator"
    everything = await get(client, demo, PROD_EVENTS + "false&per_page=15&interval=")
    assert everything
    assert everything[0]["snapshot_index"] >= 177
    oldest = await get(client, demo, PROD_EVENTS + "true&per_page=1&interval=")
    assert {e["snapshot_index"] for e in oldest} == {1}


async def test_get_artifact_by_fingerprint_and_commit(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    artifact = await get(client, demo, "/artifacts/cyber-dojo/creator/fingerprint/860ad17")
    by_commit = await get(client, demo, "/artifacts/cyber-dojo/creator/commit_sha/b7a5908")
    assert isinstance(by_commit, list)
    assert by_commit[0] == artifact
    has(artifact, filename=str, flow_name=str, fingerprint=str, created_at=int, git_commit=str, commit_url=str)
    has(artifact, build_url=str, html_url=str, state=str, running=list, exited=list, history=list)
    assert artifact["filename"] == "cyberdojo/creator:b7a5908"
    assert artifact["git_commit"] == INCIDENT_SHA
    assert artifact["state"] == "COMPLIANT"
    assert artifact["created_at"] == 1662475687
    for place in artifact["running"] + artifact["exited"]:
        has(place, environment_name=str, snapshot_index=int)
    events = [entry["event"] for entry in artifact["history"]]
    assert events[:5] == [
        "Artifact created",
        "Deployment #88 to aws-beta environment",
        "Deployment #89 to aws-prod environment",
        "Started running in aws-beta#196 environment",
        "Started running in aws-prod#176 environment",
    ]
    assert all(isinstance(entry["timestamp"], int) for entry in artifact["history"])


async def test_search(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    found = await get(client, demo, "/search/cyber-dojo/sha/b7a5908")
    assert found["resolved_to"]["type"] == "commit"
    assert found["resolved_to"]["full_match"] == INCIDENT_SHA
    has(found["resolved_to"]["commits"], count=int, matches=list)
    has(found["resolved_to"]["fingerprints"], count=int, matches=list)
    [artifact] = found["artifacts"]
    has(artifact, fingerprint=str, name=str, flow=str, git_commit=str, has_provenance=bool, commit_url=str)
    has(artifact, build_url=str, html_url=str, compliance_state=str, running_in=list, exited_from=list, history=list)
    assert artifact["fingerprint"] == INCIDENT_FINGERPRINT
    assert artifact["has_provenance"] is True
    missing = await client.get(API + "/search/cyber-dojo/sha/fffffff", headers=demo)
    assert missing.status_code == 404
    assert missing.json() == {"message": "No matches for 'fffffff'."}
    fingerprint = await get(client, demo, "/search/cyber-dojo/sha/860ad172")
    assert fingerprint["resolved_to"]["type"] == "fingerprint"


async def test_diff_snapshots(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    diff = await get(client, demo, "/env-diff/cyber-dojo?snappish1=aws-beta&snappish2=aws-prod")
    assert diff["snappish1"]["snapshot_id"].startswith("aws-beta#")
    assert diff["snappish2"]["snapshot_id"] == "aws-prod#179"
    listed = [*diff["snappish1"]["artifacts"], *diff["snappish2"]["artifacts"], *diff["not-changed"]["artifacts"]]
    assert listed
    for item in listed + diff["changed"]["artifacts"]:
        has(item, fingerprint=str, name=str, flow=str, commit_url=str, most_recent_timestamp=int, instance_count=int)
        has(item, pods=list)
    for item in diff["changed"]["artifacts"]:
        has(item, s1_instance_count=int, s2_instance_count=int)
    indexed = await get(client, demo, "/env-diff/cyber-dojo?snappish1=aws-beta%23199&snappish2=aws-prod~1")
    assert indexed["snappish1"]["snapshot_id"] == "aws-beta#199"
    assert indexed["snappish2"]["snapshot_id"] == "aws-prod#178"


async def test_snapshots(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    listed = await get(client, demo, "/snapshots/cyber-dojo/aws-prod?interval=&page=1&per_page=3&reverse=false")
    assert [item["index"] for item in listed] == [179, 178, 177]
    for item in listed:
        has(item, index=int, to=int, duration=int, compliant=bool, **{"from": int})
    assert listed[0]["to"] == 0
    assert listed[1]["to"] == listed[0]["from"]
    interval = await get(
        client, demo, "/snapshots/cyber-dojo/aws-prod?interval=176..177&page=1&per_page=15&reverse=true"
    )
    assert [item["index"] for item in interval] == [176, 177]
    for expression, index in (
        ("%23176", 176),
        ("176", 176),
        ("-1", 179),
        ("-2", 178),
        ("~1", 178),
        ("@%7Bnow%7D", 179),
    ):
        snapshot = await get(client, demo, f"/snapshots/cyber-dojo/aws-prod/{expression}")
        assert snapshot["index"] == index, expression
    at_time = await get(client, demo, "/snapshots/cyber-dojo/aws-prod/@%7B2022-09-06T14:52:30%7D")
    assert at_time["index"] == 176
    ago = await get(client, demo, "/snapshots/cyber-dojo/aws-prod/@%7B2.hours.ago%7D")
    assert ago["index"] == 179
    snapshot = await get(client, demo, "/snapshots/cyber-dojo/aws-prod/%23176")
    has(snapshot, index=int, timestamp=int, type=str, compliant=bool, artifacts=list)
    assert snapshot["type"] == "ECS"
    for artifact in snapshot["artifacts"]:
        has(artifact, name=str, flow_name=str, compliant=bool, deployments=list, fingerprint=str, git_commit=str)
        has(artifact, creationTimestamp=list, annotation=dict)
        assert all(isinstance(moment, int) for moment in artifact["creationTimestamp"])
        assert all(isinstance(number, int) for number in artifact["deployments"])
        assert artifact["git_commit"] == "" or len(artifact["git_commit"]) >= 7
        has(artifact["annotation"], type=str, was=int, now=int)
        assert artifact["annotation"]["now"] == len(artifact["creationTimestamp"])
    started = [a for a in snapshot["artifacts"] if a["fingerprint"] == INCIDENT_FINGERPRINT]
    assert started[0]["annotation"] == {"type": "started", "was": 0, "now": 1}
    assert started[0]["creationTimestamp"] == [1662475948]
    assert started[0]["deployments"] == [89]


async def test_assert_snapshot_and_artifact(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    for path in ("-1", "10", "-3"):
        has(await get(client, demo, f"/snapshots/cyber-dojo/aws-prod/{path}"), compliant=bool)
    zero = await client.get(API + "/snapshots/cyber-dojo/aws-prod/0", headers=demo)
    assert zero.status_code == 400
    assert "1-based" in zero.json()["errors"]["snapshot_expression"]
    verdict = await get(client, demo, f"/asserts/cyber-dojo/fingerprint/{INCIDENT_FINGERPRINT}?flow_name=creator")
    has(verdict, compliant=bool, scope=str, flows=list, html_url=str)
    assert verdict["compliant"] is True
    assert verdict["scope"] == "flow"
    for flow in verdict["flows"]:
        has(flow, flow=str)
        for status in flow["compliance_status"]["attestations_statuses"]:
            has(status, attestation_name=str, attestation_type=str, status=str, is_compliant=bool)


async def test_environments_flows_artifacts(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    environment = await get(client, demo, "/environments/cyber-dojo/aws-prod")
    has(environment, name=str, type=str, description=str, last_reported_at=int, tags=dict, policies=list)
    assert environment["state"] in (True, False)
    missing = await client.get(API + "/environments/cyber-dojo/nowhere", headers=demo)
    assert missing.status_code == 404
    assert isinstance(missing.json()["message"], str)
    environments = await get(client, demo, "/environments/cyber-dojo")
    assert [env["name"] for env in environments] == ["aws-beta", "aws-prod"]
    for env in environments:
        has(env, name=str, type=str, last_reported_at=int, last_modified_at=int, tags=dict, policies=list)
    paged = await get(client, demo, "/environments/cyber-dojo?page=2&per_page=1")
    assert paged["total_count"] == 2
    assert paged["total_pages"] == 2
    assert paged["environments"][0]["name"] == "aws-prod"
    flow = await get(client, demo, "/flows/cyber-dojo/creator")
    has(flow, name=str, description=str, visibility=str, template=str, tags=dict)
    assert isinstance(flow["last_deployment_at"], int)  # the demo deploys creator
    flows = await get(client, demo, "/flows/cyber-dojo")
    assert "creator" in [item["name"] for item in flows]
    for item in flows:
        has(item, name=str, description=str, visibility=str, tags=dict)
    searched = await get(client, demo, "/flows/cyber-dojo?case_sensitive=false&page=1&per_page=1&search_by_name=CRE")
    assert [item["name"] for item in searched["data"]] == ["creator"]
    assert searched["pagination"]["total"] == 1
    artifacts = await get(client, demo, "/artifacts/cyber-dojo?flow_name=creator&page=1&per_page=15")
    assert len(artifacts) == 15
    for artifact in artifacts:
        has(artifact, git_commit=str, filename=str, fingerprint=str, state=str, created_at=int)
        assert len(artifact["git_commit"]) >= 7
    second = await get(client, demo, "/artifacts/cyber-dojo?flow_name=creator&page=2&per_page=15")
    assert second
    assert not {a["fingerprint"] for a in second} & {a["fingerprint"] for a in artifacts}


async def test_ready(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.text == "OK"
