"""`list snapshots`, `get snapshot`, `assert snapshot` (SPEC §2.12-2.14)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.graph.views import Event, EventType, SnapshotDetail
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.instances import creation_timestamps, pods
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.running import provenance_fields
from tracegraph.kosli.snappish import expression, interval
from tracegraph.kosli.times import epoch

_ANNOTATION = {EventType.STARTED: "started", EventType.STOPPED: "exited", EventType.SCALED: "changed"}


@endpoint
async def list_snapshots(request: Request) -> Response:
    """Newest first (`reverse=true`: oldest first); `to` is when the next snapshot replaced it (0 for the latest),
    `duration` is `to - from`, or `now - from` for the latest. One `snapshot_summaries` read for the page."""
    org, name = path_param(request, "org"), path_param(request, "env")
    store = await caller(request, org, Role.READER)
    paging = Paging.of(request)
    environment = await store.get_environment(org, name)
    latest = environment.latest_index
    if latest == 0:
        return CompactJSON([])
    low, high = interval(request.query_params.get("interval", ""), latest) or (1, latest)
    every = list(range(low, high + 1))
    if request.query_params.get("reverse", "false").lower() != "true":
        every.reverse()
    shown = paging.take(every)
    if not shown:
        return CompactJSON([])
    wanted = sorted({*shown, *(index + 1 for index in shown if index < latest)})
    found = {summary.index: summary for summary in await store.snapshot_summaries(org, name, wanted)}
    now = utc_now()
    items = []
    for index in shown:
        if index not in found:
            continue  # reported after get_environment read the latest index: not in this page's range
        started = found[index].reported_at
        following = found.get(index + 1)
        ended = following.reported_at if following is not None else None
        items.append(
            {
                "index": index,
                "from": epoch(started),
                "to": epoch(ended) if ended is not None else 0,
                "duration": int(((ended or now) - started).total_seconds()),
                "compliant": found[index].compliant,
            }
        )
    return CompactJSON(items)


def _stopped(event: Event) -> dict[str, Any]:
    return {
        "name": event.name,
        **provenance_fields(event.artifacts),
        "deployments": [deployment.number for deployment in event.deployments],
        "fingerprint": event.fingerprint,
        "creationTimestamp": [],
        "pods": None,
        "annotation": {"type": "exited", "was": event.from_instances, "now": 0},
    }


def snapshot_body(detail: SnapshotDetail) -> dict[str, Any]:
    """`creationTimestamp` and `pods` per instance as reported (`tracegraph.kosli.instances`)."""
    changes = {event.fingerprint: event for event in detail.events}
    artifacts = []
    for item in detail.running:
        event = changes.get(item.fingerprint)
        annotation = (
            {"type": _ANNOTATION[event.type], "was": event.from_instances, "now": item.instances}
            if event is not None
            else {"type": "unchanged", "was": item.instances, "now": item.instances}
        )
        artifacts.append(
            {
                "name": item.name,
                **provenance_fields(item.artifacts),
                "deployments": [deployment.number for deployment in event.deployments] if event else [],
                "fingerprint": item.fingerprint,
                "creationTimestamp": creation_timestamps(item),
                "pods": pods(item),
                "annotation": annotation,
            }
        )
    artifacts.extend(_stopped(event) for event in detail.events if event.type is EventType.STOPPED)
    return {
        "index": detail.snapshot.index,
        "timestamp": epoch(detail.snapshot.reported_at),
        "type": detail.environment.type,
        "user_id": "",
        "user_name": "",
        "compliant": bool(detail.compliant),
        "is_latest": detail.snapshot.index == detail.environment.latest_index,
        "artifacts": artifacts,
    }


@endpoint
async def get_snapshot(request: Request) -> Response:
    org, name = path_param(request, "org"), path_param(request, "env")
    selector = expression(path_param(request, "expression"))
    store = await caller(request, org, Role.READER)
    detail = await store.snapshot(org, name, selector)
    return CompactJSON(snapshot_body(detail))


ROUTES = [
    Route("/snapshots/{org}/{env}", list_snapshots, methods=["GET"]),
    Route("/snapshots/{org}/{env}/{expression}", get_snapshot, methods=["GET"]),
]
