"""Commits and where they run: through the store's batch placement lookup, never one call per commit."""

from __future__ import annotations

from tracegraph.graph.model import Commit
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import CommitPlacement
from tracegraph.resolvers.context import Context


async def commit(ctx: Context, org: str, sha: str) -> Commit:
    return await ctx.store.commit(org, hex_prefix(sha, field="sha", longest=40))


async def running_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    return await ctx.loaders.placements.load((org, sha, False))


async def ran_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    everything = await ctx.loaders.placements.load((org, sha, True))
    return [placement for placement in everything if not placement.current]
