"""`diff snapshots` (SPEC §2.15): `GET /env-diff/{org}?snappish1=S1&snappish2=S2`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Role
from tracegraph.graph.views import RunningArtifact
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint
from tracegraph.kosli.running import provenance_fields, snapshot_times
from tracegraph.kosli.snappish import snappish
from tracegraph.kosli.times import epoch

Times = dict[tuple[str, int], datetime]


def _item(item: RunningArtifact, environment: str, times: Times) -> dict[str, Any]:
    provenance = provenance_fields(item.artifacts)
    return {
        "fingerprint": item.fingerprint,
        "name": item.name,
        "flow": provenance["flow_name"],
        "commit_url": provenance["commit_url"],
        "git_commit": provenance["git_commit"],
        "most_recent_timestamp": epoch(times[(environment, item.since_index)]),
        "instance_count": item.instances,
        "pods": [],
    }


@endpoint
async def diff(request: Request) -> Response:
    """`scaled` items carry both counts and the target's start; an empty environment's latest is an empty side."""
    org = request.path_params["org"]
    first, second = request.query_params.get("snappish1", ""), request.query_params.get("snappish2", "")
    if not first or not second:
        raise InvalidInput("snappish1" if not first else "snappish2", "must name a snapshot, e.g. aws-prod#176")
    source, target = snappish(first, field="snappish1"), snappish(second, field="snappish2")
    store = await caller(request, org, Role.READER)
    result = await store.diff(org, source, target)
    src, dst = result.source.environment, result.target.environment
    wanted = {(src, item.since_index) for item in (*result.only_in_source, *result.unchanged)}
    wanted |= {(dst, item.since_index) for item in result.only_in_target}
    wanted |= {(dst, scaled.after.since_index) for scaled in result.scaled}
    times = await snapshot_times(store, org, wanted)

    def snapshot_id(environment: str, index: int | None) -> str:
        return f"{environment}#{index or 0}"

    changed = []
    for scaled in result.scaled:
        entry = _item(scaled.after, dst, times)
        entry["s1_instance_count"], entry["s2_instance_count"] = scaled.before.instances, scaled.after.instances
        changed.append(entry)
    source_index = result.source.snapshot.index if result.source.snapshot else None
    target_index = result.target.snapshot.index if result.target.snapshot else None
    return CompactJSON(
        {
            "snappish1": {
                "snapshot_id": snapshot_id(src, source_index),
                "artifacts": [_item(item, src, times) for item in result.only_in_source],
            },
            "snappish2": {
                "snapshot_id": snapshot_id(dst, target_index),
                "artifacts": [_item(item, dst, times) for item in result.only_in_target],
            },
            "changed": {"artifacts": changed},
            "not-changed": {"artifacts": [_item(item, src, times) for item in result.unchanged]},
        }
    )


ROUTES = [Route("/env-diff/{org}", diff, methods=["GET"])]
