"""`create environment`, `get environment`, `list environments` (SPEC §2.4-2.5)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Environment, Role
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.store import GraphStore
from tracegraph.graph.windows import SnapshotParts
from tracegraph.kosli.bodies import json_object
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.models import EnvironmentBody
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.times import epoch_or_none
from tracegraph.kosli.translate import environment_input, environment_type

COMPLIANCE_ONLY = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=True)
SORT_KEYS = ("name", "last_modified_at", "last_changed_at")


def environment_item(environment: Environment, policies: list[str] | None = None) -> dict[str, Any]:
    return {
        "name": environment.name,
        "type": environment.type,
        "description": environment.description,
        "org": environment.org,
        "last_reported_at": epoch_or_none(environment.last_reported_at),
        "last_modified_at": epoch_or_none(environment.last_changed_at),
        "tags": {},
        "policies": policies or [],  # the names of the policies attached (docs/policies.md)
    }


@endpoint
async def create_environment(request: Request) -> Response:
    """Create or update by name. `include_scaling`, `require_provenance` and `included_environments` (logical
    environments) are accepted and not kept: the store has no place for them (provenance is required by attaching
    a policy with `provenance: required`, docs/policies.md)."""
    org = path_param(request, "org")
    store = await caller(request, org, Role.ADMIN)
    environment = environment_input(org, parse(EnvironmentBody, await json_object(request)))
    try:
        await store.get_environment(org, environment.name)
        existed = True
    except NotFound:
        existed = False
    await store.create_environment(environment)
    return CompactJSON({}, status_code=200 if existed else 201)


async def compliant_now(store: GraphStore, environment: Environment) -> bool | None:
    if environment.latest_index == 0:
        return None
    detail = await store.snapshot(environment.org, environment.name, LATEST, COMPLIANCE_ONLY)
    return detail.compliant


@endpoint
async def get_environment(request: Request) -> Response:
    org, name = path_param(request, "org"), path_param(request, "env")
    store = await caller(request, org, Role.READER)
    environment = await store.get_environment(org, name)
    state = await compliant_now(store, environment)
    policies = [policy.name for policy in await store.environment_policies(org, environment.name)]
    return CompactJSON({**environment_item(environment, policies), "state": state, "include_scaling": True})


def _matches(environment: Environment, request: Request) -> bool:
    name = request.query_params.get("name")
    if name and name.lower() not in environment.name.lower():
        return False
    types = request.query_params.getlist("type")
    return not types or any(environment.type.lower() == kind.lower() for kind in types)


@endpoint
async def list_environments(request: Request) -> Response:
    """`name` and `type` filter; `tag` and `space_id` match nothing but an unfiltered list would be wrong, so they
    are refused (the store has no tags or spaces)."""
    org = path_param(request, "org")
    store = await caller(request, org, Role.READER)
    for unsupported in ("tag", "space_id"):
        if request.query_params.getlist(unsupported):
            flag = unsupported.replace("_", "-")
            raise NotSupported(f"--{flag} is not supported yet: the store has no environment {unsupported}s")
    for kind in request.query_params.getlist("type"):
        environment_type(kind)
    environments = [env for env in await store.list_environments(org) if _matches(env, request)]
    sort = request.query_params.get("sort") or "name"
    if sort not in SORT_KEYS:
        raise InvalidInput("sort", f"must be one of {', '.join(SORT_KEYS)}; got {sort[:40]!r}")
    if sort != "name":
        environments.sort(key=lambda env: env.last_changed_at.timestamp() if env.last_changed_at else 0.0)
    if request.query_params.get("sort_direction", "asc").lower() == "desc":
        environments.reverse()
    attached = await store.policy_attachments(org)
    items = [environment_item(env, attached.get(env.name)) for env in environments]
    paging = Paging.of(request)
    if not paging.asked:
        return CompactJSON(items)
    return CompactJSON(
        {
            "page": paging.page,
            "per_page": paging.per_page,
            "total_pages": paging.pages(len(items)),
            "total_count": len(items),
            "environments": paging.take(items),
        }
    )


ROUTES = [
    Route("/environments/{org}", create_environment, methods=["PUT"]),
    Route("/environments/{org}", list_environments, methods=["GET"]),
    Route("/environments/{org}/{env}", get_environment, methods=["GET"]),
]
