"""`--output json`: one documented shape per command (docs/cli.md), named as kosli's JSON names them where kosli has
the command, and independent of how the GraphQL query nests its answer — so a script survives a query change."""

from __future__ import annotations

from typing import Any


def log_events(environment: str, snapshots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`log env`: kosli's event array, one entry per artifact whose instance count changed in a snapshot."""
    return [
        {
            "environment_name": environment,
            "snapshot_index": snapshot["index"],
            "reported_at": snapshot["reportedAt"],
            "artifact_name": event["name"],
            "sha256": event["fingerprint"],
            "description": event["description"],
            "type": event["type"],
            "pipeline": _first_flow(event["artifacts"]),
            "flows": sorted({artifact["flow"]["name"] for artifact in event["artifacts"]}),
            "deployments": [deployment["number"] for deployment in event["deployments"]],
            "findings": event.get("findings") or [],
        }
        for snapshot in snapshots
        for event in snapshot["events"]["nodes"]
    ]


def snapshot(environment: str, found: dict[str, Any], running: list[dict[str, Any]]) -> dict[str, Any]:
    """`get snapshot`: kosli's snapshot object with its `artifacts`."""
    return {
        "environment_name": environment,
        "index": found["index"],
        "timestamp": found["reportedAt"],
        "artifacts": [
            {
                "name": item["name"],
                "fingerprint": item["fingerprint"],
                "flow_name": _first_flow(item["artifacts"]),
                "git_commit": next((a["gitCommit"] for a in item["artifacts"] if a["gitCommit"]), None),
                "instances": item["instances"],
                "running_since_index": item["sinceIndex"],
                "flows": [
                    {"flow_name": a["flow"]["name"], "git_commit": a["gitCommit"], "state": a["state"]}
                    for a in item["artifacts"]
                ],
            }
            for item in running
        ],
    }


def environment(found: dict[str, Any]) -> dict[str, Any]:
    """`get environment`: kosli's environment object."""
    return {
        "name": found["name"],
        "type": found["type"],
        "description": found["description"],
        "created_at": found["createdAt"],
        "last_reported_at": found["lastReportedAt"],
        "last_modified_at": found["lastChangedAt"],
        "latest_snapshot_index": found["latestIndex"],
    }


def flow(found: dict[str, Any]) -> dict[str, Any]:
    """`get flow`: kosli's flow object (tracegraph has no visibility, template or tags)."""
    return {
        "name": found["name"],
        "description": found["description"],
        "repo_url": found["repoUrl"],
        "created_at": found["createdAt"],
    }


def _first_flow(artifacts: list[dict[str, Any]]) -> str:
    """kosli's single flow name (`pipeline`, `flow_name`); "" without provenance, as kosli's CLI expects a string."""
    return min((artifact["flow"]["name"] for artifact in artifacts), default="")


def findings(environment: str, found: dict[str, Any]) -> dict[str, Any]:
    """`findings`: what is wrong in one snapshot of the environment, a flat list per kind (tracegraph's own)."""

    def deployed(item: dict[str, Any]) -> dict[str, Any]:
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
                "flows": sorted({a["flow"]["name"] for a in i["artifacts"]}),
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


def versions(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
