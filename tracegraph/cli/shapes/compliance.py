"""Compliance: `findings`, `versions`, `assert snapshot|artifact`, `policy …`, `attestation-type …`."""

from __future__ import annotations

from tracegraph.cli.shapes.common import JSON, flow_names


def findings(environment: str, found: JSON) -> JSON:
    """`findings`: what is wrong in one snapshot of the environment, a flat list per kind (tracegraph's own)."""

    def deployed(item: JSON) -> JSON:
        deployment = item["deployment"]
        return {
            "flow_name": deployment["flow"]["name"],
            "deployment_number": deployment["number"],
            "artifact_name": item["artifact"]["name"] if item["artifact"] else None,
            "fingerprint": deployment["fingerprint"],
            "reported_at": deployment["reportedAt"],
            "window_ends_at": item["windowEndsAt"],
        }

    return {
        "environment_name": environment,
        "snapshot_index": found["snapshotIndex"],
        "as_of": found["asOf"],
        "start_window_seconds": found["startWindowSeconds"],
        "total": found["total"],
        "without_provenance": [
            {"name": i["name"], "fingerprint": i["fingerprint"], "running_since_index": i["sinceIndex"]}
            for i in found["withoutProvenance"]
        ],
        "deployed_not_started": [deployed(item) for item in found["deployedNotStarted"]],
        "pending_deployments": [deployed(item) for item in found["pendingDeployments"]],
        "started_without_deployment": [
            {
                "name": i["name"],
                "fingerprint": i["fingerprint"],
                "flows": flow_names(i["artifacts"]),
                "running_since_index": i["sinceIndex"],
            }
            for i in found["startedWithoutDeployment"]
        ],
        "non_compliant": [
            {"name": i["running"]["name"], "flow_name": i["artifact"]["flow"]["name"], "reasons": i["reasons"]}
            for i in found["nonCompliant"]
        ],
        "roll_backs": [
            {
                "name": i["running"]["name"],
                "flow_name": i["started"]["flow"]["name"],
                "git_commit": i["started"]["gitCommit"],
                "replaced_name": i["replaced"]["name"],
                "replaced_git_commit": i["replaced"]["gitCommit"],
                "running_since_index": i["running"]["sinceIndex"],
                "basis": i["basis"],
            }
            for i in found["rollBacks"]
        ],
    }


def versions(found: list[JSON]) -> list[JSON]:
    """`versions`: per environment (by name), its latest snapshot and the matching artifacts running there."""
    return [
        {
            "environment_name": place["environment"]["name"],
            "snapshot_index": place["snapshot"]["index"] if place["snapshot"] else None,
            "artifacts": [
                {
                    "name": item["name"],
                    "fingerprint": item["fingerprint"],
                    "instances": item["instances"],
                    "flows": [
                        {"flow_name": a["flow"]["name"], "git_commit": a["commit"]["sha"] if a["commit"] else None}
                        for a in item["artifacts"]
                    ],
                }
                for item in place["running"]
            ],
        }
        for place in found
    ]


def _evaluation(evaluation: JSON | None) -> JSON:
    """An evaluation's verdicts, named as kosli's `policy_evaluations`; without one (no policy was attached), no
    policies and no reasons."""
    if evaluation is None:
        return {"evaluated_at": None, "policy_evaluations": [], "non_compliant": []}
    failing = {reason["policy"] for item in evaluation["nonCompliant"] for reason in item["reasons"]}
    return {
        "evaluated_at": evaluation["evaluatedAt"],
        "policy_evaluations": [
            {
                "policy_name": applied["name"],
                "policy_version": applied["version"],
                "status": "NON-COMPLIANT" if applied["name"] in failing else "COMPLIANT",
            }
            for applied in evaluation["policies"]
        ],
        "non_compliant": [
            {
                "name": item["name"],
                "fingerprint": item["fingerprint"],
                "flows": item["flows"],
                "reasons": [
                    {"policy_name": reason["policy"], "kind": reason["kind"], "message": reason["message"]}
                    for reason in item["reasons"]
                ],
            }
            for item in evaluation["nonCompliant"]
        ],
    }


def assert_snapshot(environment: JSON) -> JSON:
    """`assert snapshot`: kosli's `compliant`, with the evaluation it follows (null `evaluated_at` and empty lists
    when no policy was attached: then provenance and attestations decide, and `findings` shows what fails)."""
    snapshot = environment["snapshot"]
    return {
        "environment_name": environment["name"],
        "snapshot_index": snapshot["index"],
        "compliant": snapshot["compliant"],
        **_evaluation(snapshot["policyEvaluation"]),
    }


def assert_artifact(environment: JSON, artifact: JSON) -> JSON:
    """`assert artifact`: the artifact evaluated now against the environment's policies (compliant when none is
    attached)."""
    evaluation = environment["artifactEvaluation"]
    return {
        "environment_name": environment["name"],
        "flow_name": artifact["flow"]["name"],
        "fingerprint": artifact["fingerprint"],
        "compliant": evaluation["compliant"],
        **_evaluation(evaluation),
    }


def policy(found: JSON) -> JSON:
    """`policy create` and each item of `policy list` (which adds `environments`)."""
    shaped = {
        "name": found["name"],
        "version": found["version"],
        "description": found["description"],
        "created_at": found["createdAt"],
    }
    if "environments" in found:
        shaped["environments"] = found["environments"]
    return shaped


def policy_attachment(environment: str, name: str, attached: list[JSON]) -> JSON:
    """`policy attach|detach`: the environment's policies afterwards."""
    return {
        "environment_name": environment,
        "policy_name": name,
        "policies": [{"name": item["name"], "version": item["version"]} for item in attached],
    }


def attestation_type(found: JSON) -> JSON:
    """`attestation-type create` and each item of `attestation-type list`."""
    return {
        "name": found["name"],
        "version": found["version"],
        "description": found["description"],
        "json_schema": found["jsonSchema"],
        "jq_rules": found["jqRules"],
        "created_at": found["createdAt"],
    }
