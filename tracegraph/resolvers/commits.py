"""Commits and where they run: through the store's batch placement lookup, never one call per commit."""

from __future__ import annotations

import re

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Commit
from tracegraph.graph.rules import MIN_PREFIX
from tracegraph.graph.views import CommitPlacement
from tracegraph.resolvers.context import Context

SHA_PREFIX_RULE = "a full commit sha (40 hex characters) or a unique prefix of at least 5"


async def commit(ctx: Context, org: str, sha: str) -> Commit:
    value = sha.strip()
    if not MIN_PREFIX <= len(value) <= 40 or not re.fullmatch(r"[0-9a-fA-F]+", value):
        raise InvalidInput("sha", f"must be {SHA_PREFIX_RULE}; got {sha!r}")
    return await ctx.store.commit(org, value.lower())


async def running_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    return await ctx.loaders.placements.load((org, sha, False))


async def ran_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    everything = await ctx.loaders.placements.load((org, sha, True))
    return [placement for placement in everything if not placement.current]
