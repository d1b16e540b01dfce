"""`list snapshots`, `get snapshot`, `assert snapshot` (SPEC §2.12-2.14)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import Event, EventType, SnapshotDetail
from tracegraph.graph.windows import SnapshotParts
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.running import provenance_fields, since_keys, snapshot_times
from tracegraph.kosli.snappish import expression, interval
from tracegraph.kosli.times import epoch

SUMMARY = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=True)
_ANNOTATION = {EventType.STARTED: "started", EventType.STOPPED: "exited", EventType.SCALED: "changed"}


async def _summaries(store: GraphStore, org: str, environment: str, indexes: list[int]) -> list[SnapshotDetail]:
    """Each snapshot's time and compliance: one store call per snapshot of the page, concurrently (the store has
    no list of snapshot summaries; see docs/kosli-api.md)."""

    async def one(index: int) -> SnapshotDetail:
        return await store.snapshot(org, environment, SnapshotSelector(kind=SelectorKind.INDEX, value=index), SUMMARY)

    return list(await asyncio.gather(*(one(index) for index in indexes)))


@endpoint
async def list_snapshots(request: Request) -> Response:
    """Newest first (`reverse=true`: oldest first); `to` is when the next snapshot replaced it (0 for the latest),
    `duration` is `to - from`, or `now - from` for the latest."""
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
    details = {detail.snapshot.index: detail for detail in await _summaries(store, org, name, wanted)}
    now = utc_now()
    items = []
    for index in shown:
        started = details[index].snapshot.reported_at
        following = details.get(index + 1)
        ended = following.snapshot.reported_at if following is not None else None
        items.append(
            {
                "index": index,
                "from": epoch(started),
                "to": epoch(ended) if ended is not None else 0,
                "duration": int(((ended or now) - started).total_seconds()),
                "compliant": bool(details[index].compliant),
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


async def snapshot_body(store: GraphStore, detail: SnapshotDetail) -> dict[str, Any]:
    changes = {event.fingerprint: event for event in detail.events}
    running = list(detail.running)
    since = await snapshot_times(store, detail.environment.org, since_keys(detail.environment.name, running))
    artifacts = []
    for item in running:
        event = changes.get(item.fingerprint)
        started = epoch(since[(detail.environment.name, item.since_index)])
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
                "creationTimestamp": [started] * item.instances,
                "pods": None,
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
    return CompactJSON(await snapshot_body(store, detail))


ROUTES = [
    Route("/snapshots/{org}/{env}", list_snapshots, methods=["GET"]),
    Route("/snapshots/{org}/{env}/{expression}", get_snapshot, methods=["GET"]),
]
