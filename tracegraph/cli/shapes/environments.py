"""Environments, flows and their snapshots: `log env`, `get snapshot|environment|flow`, `list environments|flows|
snapshots`."""

from __future__ import annotations

from datetime import datetime

from tracegraph.cli.shapes.common import JSON, first_flow, flow_names
from tracegraph.cli.timefmt import parse_time


def log_events(environment: str, snapshots: list[JSON]) -> list[JSON]:
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
            "pipeline": first_flow(event["artifacts"]),
            "flows": flow_names(event["artifacts"]),
            "deployments": [deployment["number"] for deployment in event["deployments"]],
            "findings": event.get("findings") or [],
        }
        for snapshot in snapshots
        for event in snapshot["events"]["nodes"]
    ]


def snapshot(environment: str, found: JSON, running: list[JSON]) -> JSON:
    """`get snapshot`: kosli's snapshot object with its `artifacts`."""
    return {
        "environment_name": environment,
        "index": found["index"],
        "timestamp": found["reportedAt"],
        "artifacts": [
            {
                "name": item["name"],
                "fingerprint": item["fingerprint"],
                "flow_name": first_flow(item["artifacts"]),
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


def environment(found: JSON) -> JSON:
    """`get environment` and each item of `list environments`: kosli's environment object."""
    return {
        "name": found["name"],
        "type": found["type"],
        "description": found["description"],
        "created_at": found["createdAt"],
        "last_reported_at": found["lastReportedAt"],
        "last_modified_at": found["lastChangedAt"],
        "latest_snapshot_index": found["latestIndex"],
    }


def flow(found: JSON) -> JSON:
    """`get flow` and each item of `list flows`: kosli's flow object (tracegraph has no visibility, template or
    tags)."""
    return {
        "name": found["name"],
        "description": found["description"],
        "repo_url": found["repoUrl"],
        "created_at": found["createdAt"],
    }


def snapshot_item(found: JSON, replaced_at: str | None, now: datetime) -> JSON:
    """`list snapshots`: kosli's snapshot summary; `to` is when the next snapshot replaced it (null for the latest)
    and `duration` the seconds it was current (until now for the latest)."""
    until = parse_time(replaced_at) if replaced_at else now
    return {
        "index": found["index"],
        "from": found["reportedAt"],
        "to": replaced_at,
        "duration": int((until - parse_time(found["reportedAt"])).total_seconds()),
        "compliant": found["compliant"],
    }
