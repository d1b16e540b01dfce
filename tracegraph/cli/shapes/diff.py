"""`diff snapshots`: kosli's env-diff object."""

from __future__ import annotations

from tracegraph.cli.shapes.common import JSON, first_flow, snapshot_id


def diff(found: JSON) -> JSON:
    """Only in the first (`snappish1`), only in the second (`snappish2`), scaled (`changed`, with both counts) and
    unchanged (`not-changed`, always listed: `--show-unchanged` only changes the table)."""

    def side(key: str) -> str:
        snapshot = found[key]["snapshot"]
        return snapshot_id(found[key]["environment"]["name"], snapshot["index"] if snapshot else None)

    changed = [
        {**_item(scaled["after"]), "s1_instance_count": scaled["before"]["instances"],
         "s2_instance_count": scaled["after"]["instances"]}
        for scaled in found["scaled"]
    ]  # fmt: skip
    return {
        "snappish1": {"snapshot_id": side("source"), "artifacts": [_item(item) for item in found["onlyInFrom"]]},
        "snappish2": {"snapshot_id": side("target"), "artifacts": [_item(item) for item in found["onlyInTo"]]},
        "changed": {"artifacts": changed},
        "not-changed": {"artifacts": [_item(item) for item in found["unchanged"]]},
    }


def _item(running: JSON) -> JSON:
    """kosli's diff item: `flow`, `git_commit` and `commit_url` of the first build by flow name (`""`, null and
    null without provenance)."""
    builds = running["artifacts"]
    first = next((build for build in builds if build["flow"]["name"] == first_flow(builds)), None)
    return {
        "name": running["name"],
        "fingerprint": running["fingerprint"],
        "flow": first_flow(builds),
        "git_commit": first["gitCommit"] if first else None,
        "commit_url": first["commitUrl"] if first else None,
        "instance_count": running["instances"],
        "running_since_index": running["sinceIndex"],
    }
