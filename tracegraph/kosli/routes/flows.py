"""`create flow` (both endpoints), `get flow`, `list flows` (SPEC §2.2-2.3)."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import NotFound
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Flow, Role
from tracegraph.kosli.bodies import Upload, form, json_object
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.models import FlowBody
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.times import epoch_or_none
from tracegraph.kosli.translate import flow_input


async def _create(request: Request, data: dict[str, Any], template: Upload | None = None) -> Response:
    org = path_param(request, "org")
    store = await caller(request, org, Role.ADMIN)
    flow = flow_input(org, parse(FlowBody, data), template)
    try:
        await store.get_flow(org, flow.name)
        existed = True
    except NotFound:
        existed = False
    await store.create_flow(flow)
    return CompactJSON({}, status_code=200 if existed else 201)


@endpoint
async def create_with_template(request: Request) -> Response:
    """The template file is kept as given (never evaluated); `get flow` answers it."""
    body = await form(request)
    return await _create(request, body.data, body.files.get("template_file"))


@endpoint
async def create_legacy(request: Request) -> Response:
    return await _create(request, await json_object(request))


def flow_item(flow: Flow, *, public: bool) -> dict[str, Any]:
    return {
        "name": flow.name,
        "description": flow.description,
        "visibility": "public" if public else "private",
        "tags": {},
        "org": flow.org,
        "repo_url": flow.repo_url,
    }


def template(flow: Flow) -> str | list[str]:
    """The YAML text as kept (the CLI prints it line by line when it starts with `version: `); a legacy list
    (kept as `["artifact","unit-test"]`) as the list the CLI sent, which it prints `[artifact, unit-test]`."""
    text = flow.template_yaml or ""
    if text.startswith("["):
        try:
            names = json.loads(text)
        except ValueError:
            return text
        if isinstance(names, list) and all(isinstance(name, str) for name in names):
            return names
    return text


@endpoint
async def get_flow(request: Request) -> Response:
    org, name = path_param(request, "org"), path_param(request, "flow")
    store = await caller(request, org, Role.READER)
    flow = await store.get_flow(org, name)
    public = (await store.get_org(org)).public
    return CompactJSON(
        {
            **flow_item(flow, public=public),
            "template": template(flow),
            "last_deployment_at": epoch_or_none(flow.last_deployment_at),
        }
    )


@endpoint
async def list_flows(request: Request) -> Response:
    org = path_param(request, "org")
    store = await caller(request, org, Role.READER)
    public = (await store.get_org(org)).public
    flows = await store.list_flows(org)
    search = request.query_params.get("search_by_name")
    if search:
        if request.query_params.get("case_sensitive", "true").lower() == "false":
            flows = [flow for flow in flows if search.lower() in flow.name.lower()]
        else:
            flows = [flow for flow in flows if search in flow.name]
    items = [flow_item(flow, public=public) for flow in flows]
    paging = Paging.of(request, default_per_page=20)
    if not paging.asked:
        return CompactJSON(items)
    page = paging.take(items)
    return CompactJSON(
        {"data": page, "pagination": {"page": paging.page, "page_count": paging.pages(len(items)), "total": len(items)}}
    )


ROUTES = [
    Route("/flows/{org}/template_file", create_with_template, methods=["PUT"]),
    Route("/flows/{org}", create_legacy, methods=["PUT"]),
    Route("/flows/{org}", list_flows, methods=["GET"]),
    Route("/flows/{org}/{flow}", get_flow, methods=["GET"]),
]
