"""Artifacts: `get artifact`, `list artifacts`, `search`."""

from __future__ import annotations

from tracegraph.cli.shapes.common import JSON


def artifact(found: JSON) -> JSON:
    """`get artifact`: kosli's artifact object. Where it runs (`running`: since which snapshot) and ran (`exited`:
    the snapshot it stopped at) are read from its history, so no further store call per artifact is spent."""
    running, exited = _stretches(found["history"])
    return {
        "filename": found["name"],
        "flow_name": found["flow"]["name"],
        "fingerprint": found["fingerprint"],
        "created_at": found["createdAt"],
        "git_commit": found["gitCommit"],
        "commit_url": found["commitUrl"],
        "build_url": found["buildUrl"],
        "state": found["state"],
        "trail_name": found["trail"],
        "running": running,
        "exited": exited,
        "history": [{"event": entry["description"], "timestamp": entry["at"]} for entry in found["history"]],
        "deployments": [entry["deploymentNumber"] for entry in found["history"] if entry["kind"] == "DEPLOYED"],
    }


def artifact_item(found: JSON) -> JSON:
    """`list artifacts`: kosli's list item."""
    return {
        "filename": found["name"],
        "fingerprint": found["fingerprint"],
        "flow_name": found["flow"]["name"],
        "git_commit": found["gitCommit"],
        "commit_url": found["commitUrl"],
        "build_url": found["buildUrl"],
        "state": found["state"],
        "created_at": found["createdAt"],
    }


def _stretches(history: list[JSON]) -> tuple[list[JSON], list[JSON]]:
    """(running, exited) as kosli lists them: `{environment_name, snapshot_index}` where a stretch started and is
    still running, or where it stopped; the history is in time order."""
    started: dict[str, int] = {}
    exited: list[JSON] = []
    for entry in history:
        if entry["kind"] == "STARTED":
            started[entry["environment"]] = entry["snapshotIndex"]
        elif entry["kind"] == "STOPPED":
            started.pop(entry["environment"], None)
            exited.append({"environment_name": entry["environment"], "snapshot_index": entry["snapshotIndex"]})
    running = [{"environment_name": name, "snapshot_index": index} for name, index in started.items()]
    return running, exited


def search(found: JSON) -> JSON:
    """`search`: kosli's `resolved_to` and `artifacts`, and tracegraph's `commits`: each matching commit with where
    it runs now (built from it, or from a later commit: `distance` commits later)."""
    commits = [commit["sha"] for commit in found["commits"]]
    fingerprints = [match["fingerprint"] for match in found["fingerprints"]]
    if len(commits) == 1 and not fingerprints:
        kind, full = "commit", commits[0]
    elif len(fingerprints) == 1 and not commits:
        kind, full = "fingerprint", fingerprints[0]
    else:
        kind, full = "multiple", ""
    artifacts = [_found(item) for commit in found["commits"] for item in commit["artifacts"]]
    for match in found["fingerprints"]:
        if not match["artifacts"]:
            artifacts.append(_without_provenance(match))
        artifacts += [_found(item, match["placements"]) for item in match["artifacts"]]
    return {
        "resolved_to": {
            "type": kind,
            "full_match": full,
            "fingerprints": {"type": "fingerprint", "count": len(fingerprints), "matches": fingerprints},
            "commits": {"type": "commit", "count": len(commits), "matches": commits},
        },
        "commits": [_commit(commit) for commit in found["commits"]],
        "artifacts": artifacts,
    }


def _commit(commit: JSON) -> JSON:
    return {
        "sha": commit["sha"],
        "message": commit["message"],
        "author": commit["author"],
        "timestamp": commit["timestamp"],
        "url": commit["url"],
        "running_in": [
            {
                "environment_name": place["environment"]["name"],
                "snapshot_index": place["snapshot"]["index"],
                "artifact_name": place["artifact"]["name"],
                "fingerprint": place["artifact"]["fingerprint"],
                "git_commit": place["artifact"]["gitCommit"],
                "distance": place["distance"],
            }
            for place in commit["runningIn"]
        ],
        "undecided_commits": commit["undecidedCommits"],
    }


def _found(item: JSON, placements: list[JSON] | None = None) -> JSON:
    """kosli's search item for a build; `running_in`/`exited_from` as `ENV#N`."""
    if placements is None:
        running, exited = _stretches(item["history"])
    else:
        running, exited = _placed(placements)
    return {
        "fingerprint": item["fingerprint"],
        "name": item["name"],
        "flow": item["flow"]["name"],
        "git_commit": item["gitCommit"],
        "has_provenance": True,
        "commit_url": item["commitUrl"],
        "build_url": item["buildUrl"],
        "compliance_state": item["state"],
        "running_in": sorted(f"{p['environment_name']}#{p['snapshot_index']}" for p in running),
        "exited_from": [f"{p['environment_name']}#{p['snapshot_index']}" for p in exited],
        "history": [{"event": entry["description"], "timestamp": entry["at"]} for entry in item["history"]],
    }


def _without_provenance(match: JSON) -> JSON:
    """A fingerprint no build reported: what ran, under the name it was first seen with."""
    placements = match["placements"]
    running, exited = _placed(placements)
    events = [(p["startedAt"], f"Started running in {p['environment']['name']}#{p['fromIndex']} environment")
              for p in placements]  # fmt: skip
    events += [
        (p["stoppedAt"], f"No longer running in {p['environment']['name']}#{p['toIndex']} environment")
        for p in placements
        if p["stoppedAt"] is not None
    ]
    return {
        "fingerprint": match["fingerprint"],
        "name": placements[0]["name"] if placements else "",
        "flow": "",
        "git_commit": None,
        "has_provenance": False,
        "commit_url": None,
        "build_url": None,
        "compliance_state": None,
        "running_in": sorted(f"{p['environment_name']}#{p['snapshot_index']}" for p in running),
        "exited_from": [f"{p['environment_name']}#{p['snapshot_index']}" for p in exited],
        "history": [{"event": text, "timestamp": at} for at, text in sorted(events)],
    }


def _placed(placements: list[JSON]) -> tuple[list[JSON], list[JSON]]:
    running = [
        {"environment_name": p["environment"]["name"], "snapshot_index": p["fromIndex"]}
        for p in placements
        if p["toIndex"] is None
    ]
    exited = [
        {"environment_name": p["environment"]["name"], "snapshot_index": p["toIndex"]}
        for p in placements
        if p["toIndex"] is not None
    ]
    return running, exited
