"""`begin trail` (SPEC §2.6): `PUT /trails/{org}/{flow}`, multipart `data_json` and an optional `template_file`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.kosli.bodies import form
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.models import TrailBody
from tracegraph.kosli.translate import trail_input


@endpoint
async def begin_trail(request: Request) -> Response:
    """One `begin_trail` call (the commit upserted with it); 201 when the trail is new, 200 when it was updated,
    which the CLI prints as `begun` or `updated`. `external_urls` are not kept."""
    org, flow = path_param(request, "org"), path_param(request, "flow")
    store = await caller(request, org, Role.WRITER)
    body = await form(request)
    trail = trail_input(org, flow, parse(TrailBody, body.data), body.files.get("template_file"))
    # New or updated, told by the one write itself: the store stamps a new trail with its own clock, read after this
    # moment, and keeps an existing trail's created_at (no read first, and no race with a concurrent begin).
    before = utc_now()
    stored = await store.begin_trail(trail)
    created = stored.created_at >= before
    return CompactJSON({"name": stored.name, "flow_name": stored.flow}, status_code=201 if created else 200)


ROUTES = [Route("/trails/{org}/{flow}", begin_trail, methods=["PUT"])]
