"""Mutations: each GraphQL input is validated once by the graph layer's pydantic models (`inputs.parse`), then
written in one store call. Errors name the offending field as the caller wrote it (`input.artifacts.3.fingerprint`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from tracegraph.errors import Forbidden, InvalidInput
from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    FlowInput,
    OrgInput,
    SnapshotInput,
    TrailInput,
    parse,
)
from tracegraph.graph.model import Artifact, Attestation, Deployment, Environment, Flow, Org, Role, Trail
from tracegraph.graph.views import CommitsReported, ReportedSnapshot
from tracegraph.observability.metrics import record_snapshot
from tracegraph.resolvers.context import Context

ModelT = TypeVar("ModelT", bound=BaseModel)
ResultT = TypeVar("ResultT")


def graphql_path(field: str, *, root: str = "input") -> str:
    """`artifacts.3.reported_at` → `input.artifacts.3.reportedAt`."""
    parts = [root] if root else []
    for part in field.split(".") if field else []:
        head, *rest = part.split("_")
        parts.append(head + "".join(word.capitalize() for word in rest))
    return ".".join(parts)


async def _write(model: type[ModelT], data: dict[str, Any], action: Callable[[ModelT], Awaitable[ResultT]]) -> ResultT:
    try:
        return await action(parse(model, data))
    except InvalidInput as error:
        raise InvalidInput(graphql_path(error.field), error.rule, candidates=error.candidates) from None


async def write(model: type[ModelT], data: dict[str, Any], action: Callable[[ModelT], Awaitable[ResultT]]) -> ResultT:
    """Validate `data` as `model` and write it; an error names the GraphQL field (for inputs defined elsewhere)."""
    return await _write(model, data, action)


async def create_org(ctx: Context, data: dict[str, Any]) -> Org:
    # The same answer whether the org exists or not: nothing leaks about other orgs.
    if ctx.principal.org != data.get("name") or ctx.principal.role is not Role.ADMIN:
        raise Forbidden(
            f"only an admin token of org '{data.get('name')}' may change it; new orgs are created on the server "
            "with `tracegraph admin create-org`"
        )
    return await _write(OrgInput, data, ctx.store.create_org)


async def create_flow(ctx: Context, data: dict[str, Any]) -> Flow:
    return await _write(FlowInput, data, ctx.store.create_flow)


async def create_environment(ctx: Context, data: dict[str, Any]) -> Environment:
    return await _write(EnvironmentInput, data, ctx.store.create_environment)


async def report_artifact(ctx: Context, data: dict[str, Any]) -> Artifact:
    return await _write(ArtifactInput, data, ctx.store.report_artifact)


async def report_commits(ctx: Context, data: dict[str, Any]) -> CommitsReported:
    return await _write(CommitsInput, data, ctx.store.report_commits)


async def report_deployment(ctx: Context, data: dict[str, Any]) -> Deployment:
    return await _write(DeploymentInput, data, ctx.store.report_deployment)


async def report_snapshot(ctx: Context, data: dict[str, Any]) -> ReportedSnapshot:
    reported = await _write(SnapshotInput, data, ctx.store.report_snapshot)
    record_snapshot(reported)
    return reported


async def attest(ctx: Context, data: dict[str, Any]) -> Attestation:
    from tracegraph.resolvers import attestation_types  # imports this module (graphql_path)

    return await _write(AttestationInput, await attestation_types.evaluated(ctx, data), ctx.store.attest)


async def begin_trail(ctx: Context, data: dict[str, Any]) -> Trail:
    return await _write(TrailInput, data, ctx.store.begin_trail)
