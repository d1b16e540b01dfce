"""Orgs, flows and environments: small lists, answered whole by the store and paged here."""

from __future__ import annotations

from tracegraph.auth.access import can_read
from tracegraph.graph.model import Environment, Flow, Org, Role
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, page_args, page_sequence


async def org(ctx: Context, name: str) -> Org:
    await ctx.access.require(name, Role.READER)
    return await ctx.store.get_org(name)


async def orgs(ctx: Context) -> list[Org]:
    """Only the orgs the caller may read: their own and the public ones."""
    return [item for item in await ctx.store.list_orgs() if can_read(ctx.principal, item.name, public=item.public)]


async def flow(ctx: Context, org: str, name: str) -> Flow:
    return await ctx.loaders.flow.load((org, name))


async def flows(
    ctx: Context, org: str, *, first: int | None, after: str | None, last: int | None, before: str | None
) -> Page[Flow]:
    args = page_args("flow", first=first, after=after, last=last, before=before)
    found = await ctx.store.list_flows(org)
    for item in found:
        ctx.loaders.flow.prime((org, item.name), item)
    return page_sequence("flow", found, lambda item: (item.name,), args)


async def environments(
    ctx: Context, org: str, *, first: int | None, after: str | None, last: int | None, before: str | None
) -> Page[Environment]:
    args = page_args("environment", first=first, after=after, last=last, before=before)
    found = await ctx.store.list_environments(org)
    for item in found:
        ctx.loaders.environment.prime((org, item.name), item)
    return page_sequence("environment", found, lambda item: (item.name,), args)
