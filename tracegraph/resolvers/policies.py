"""Policies: thin calls between the schema and the store; inputs validated once by `PolicyInput`."""

from __future__ import annotations

from typing import Any

from tracegraph.graph.policies import Policy, PolicyInput
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.policies import PolicyEvaluation
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.writes import write


async def create(ctx: Context, data: dict[str, Any]) -> Policy:
    return await write(PolicyInput, data, ctx.store.create_policy)


async def attach(ctx: Context, org: str, environment: str, policy: str) -> list[Policy]:
    return await ctx.store.attach_policy(org, environment, policy)


async def detach(ctx: Context, org: str, environment: str, policy: str) -> list[Policy]:
    return await ctx.store.detach_policy(org, environment, policy)


async def of_org(ctx: Context, org: str) -> list[Policy]:
    return await ctx.store.policies(org)


async def of_environment(ctx: Context, org: str, environment: str) -> list[Policy]:
    return await ctx.loaders.environment_policies.load((org, environment))


async def of_snapshot(ctx: Context, org: str, environment: str, index: int) -> PolicyEvaluation | None:
    # One read per snapshot asked about: bounded per request like other per-item reads (a log page's snapshots).
    ctx.loaders.spend("policyEvaluation")
    return await ctx.store.snapshot_evaluation(org, environment, SnapshotSelector(kind=SelectorKind.INDEX, value=index))


async def of_artifact(ctx: Context, org: str, environment: str, fingerprint: str, flow: str | None) -> PolicyEvaluation:
    return await ctx.store.evaluate_artifact(org, fingerprint, flow=flow, environment=environment)
