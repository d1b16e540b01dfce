"""Environment snapshot reports of every type (SPEC §2.10): `PUT /environments/{org}/{env}/report/{type}`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Role
from tracegraph.kosli.bodies import json_object
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.models import SnapshotReportBody
from tracegraph.kosli.translate import snapshot_input
from tracegraph.observability.metrics import record_snapshot


@endpoint
async def report(request: Request) -> Response:
    """One `report_snapshot` call: a new snapshot only when the running set changed. Each instance's pod, task,
    app or revision and its `creationTimestamp` go with it (`instances_detail`), kept as the Run first reported."""
    org, name, kind = path_param(request, "org"), path_param(request, "env"), path_param(request, "type")
    store = await caller(request, org, Role.WRITER)
    running = snapshot_input(org, name, kind, parse(SnapshotReportBody, await json_object(request)))
    environment = await store.get_environment(org, name)
    if environment.type == "logical":
        raise InvalidInput("environment", f"cannot report a snapshot to the logical environment {name}")
    reported = await store.report_snapshot(running)
    record_snapshot(reported)
    return CompactJSON({"index": reported.snapshot.index, "changed": reported.changed}, status_code=201)


ROUTES = [Route("/environments/{org}/{env}/report/{type}", report, methods=["PUT"])]
