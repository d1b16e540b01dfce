"""What CI sends: `report deployment|snapshot|commits` (`report artifact` answers as `list artifacts` lists an
artifact), and `fingerprint`."""

from __future__ import annotations

from tracegraph.cli.shapes.common import JSON


def deployment_report(found: JSON) -> JSON:
    return {
        "deployment_number": found["number"],
        "flow_name": found["flow"]["name"],
        "environment_name": found["environment"]["name"],
        "fingerprint": found["fingerprint"],
        "reported_at": found["reportedAt"],
        "user": found["user"],
        "description": found["description"],
    }


def snapshot_report(environment: str, found: JSON) -> JSON:
    """The snapshot the report made (or the latest, unchanged: `changed` false and no events), with what changed,
    named as `log env` names an event."""
    return {
        "environment_name": environment,
        "snapshot_index": found["snapshot"]["index"],
        "reported_at": found["snapshot"]["reportedAt"],
        "changed": found["changed"],
        "events": [
            {
                "artifact_name": event["name"],
                "sha256": event["fingerprint"],
                "description": event["description"],
                "type": event["type"],
            }
            for event in found["events"]
        ],
    }


def commits_report(
    repo_url: str, received: int, created: int, *, incremental: bool, normalised: dict[str, int]
) -> JSON:
    """`incremental`: only what the server lacked was sent; `normalised`: how many of each fix-up the reader made
    (empty when none)."""
    return {
        "repo_url": repo_url,
        "received": received,
        "created": created,
        "incremental": incremental,
        "normalised": normalised,
    }


def fingerprint(path: str, artifact_type: str, digest: str) -> JSON:
    return {"fingerprint": digest, "artifact_type": artifact_type, "path": path}
