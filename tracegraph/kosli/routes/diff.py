"""`diff snapshots` (SPEC §2.15): `GET /env-diff/{org}?snappish1=S1&snappish2=S2`."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Role
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import DiffSide, RunningArtifact
from tracegraph.graph.windows import EVERYTHING, SnapshotParts
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint
from tracegraph.kosli.instances import most_recent, pod_names
from tracegraph.kosli.running import provenance_fields
from tracegraph.kosli.snappish import snappish

# Only the running set's instances: what `diff` does not answer.
INSTANCES = SnapshotParts(
    running=EVERYTHING, events=None, provenance=False, deployments=False, compliance=False, instances=True
)
Detail = dict[str, RunningArtifact]


async def _instances(store: GraphStore, org: str, side: DiffSide) -> Detail:
    """The side's running artifacts with their instances detail: one `snapshot` read (none for an empty side)."""
    if side.snapshot is None:
        return {}
    selector = SnapshotSelector(kind=SelectorKind.INDEX, value=side.snapshot.index)
    detail = await store.snapshot(org, side.environment, selector, INSTANCES)
    return {item.fingerprint: item for item in detail.running}


def _item(item: RunningArtifact, detail: Detail) -> dict[str, Any]:
    """`most_recent_timestamp` is the newest instance start; `pods` the K8S pod names."""
    provenance = provenance_fields(item.artifacts)
    instances = detail.get(item.fingerprint, item)
    return {
        "fingerprint": item.fingerprint,
        "name": item.name,
        "flow": provenance["flow_name"],
        "commit_url": provenance["commit_url"],
        "git_commit": provenance["git_commit"],
        "most_recent_timestamp": most_recent(instances),
        "instance_count": item.instances,
        "pods": pod_names(instances),
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
    before, after = await asyncio.gather(_instances(store, org, result.source), _instances(store, org, result.target))

    def snapshot_id(environment: str, index: int | None) -> str:
        return f"{environment}#{index or 0}"

    changed = []
    for scaled in result.scaled:
        entry = _item(scaled.after, after)
        entry["s1_instance_count"], entry["s2_instance_count"] = scaled.before.instances, scaled.after.instances
        changed.append(entry)
    source_index = result.source.snapshot.index if result.source.snapshot else None
    target_index = result.target.snapshot.index if result.target.snapshot else None
    return CompactJSON(
        {
            "snappish1": {
                "snapshot_id": snapshot_id(src, source_index),
                "artifacts": [_item(item, before) for item in result.only_in_source],
            },
            "snappish2": {
                "snapshot_id": snapshot_id(dst, target_index),
                "artifacts": [_item(item, after) for item in result.only_in_target],
            },
            "changed": {"artifacts": changed},
            "not-changed": {"artifacts": [_item(item, before) for item in result.unchanged]},
        }
    )


ROUTES = [Route("/env-diff/{org}", diff, methods=["GET"])]
