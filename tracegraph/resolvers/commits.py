"""Commits and where they run: through the store's batch placement lookup, never one call per commit."""

from __future__ import annotations

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import MAX_COMMITS_PER_BATCH
from tracegraph.graph.model import Commit
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import CommitPlacement
from tracegraph.resolvers.context import Context


async def commit(ctx: Context, org: str, sha: str) -> Commit:
    return await ctx.loaders.commit.load((org, hex_prefix(sha, field="sha", longest=40)))


async def running_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    return list((await ctx.loaders.placements.load((org, sha, False))).placements)


async def ran_in(ctx: Context, org: str, sha: str) -> list[CommitPlacement]:
    everything = await ctx.loaders.placements.load((org, sha, True))
    return [placement for placement in everything.placements if not placement.current]


async def undecided(ctx: Context, org: str, sha: str) -> list[str]:
    """Commits of artifacts that run or ran whose descent from `sha` cannot be decided (same call as `ranIn`)."""
    return list((await ctx.loaders.placements.load((org, sha, True))).undecided)


async def with_history(ctx: Context, org: str, shas: list[str]) -> list[str]:
    if len(shas) > MAX_COMMITS_PER_BATCH:
        raise InvalidInput("shas", f"must hold at most {MAX_COMMITS_PER_BATCH:,} shas; got {len(shas):,}")
    wanted = [hex_prefix(sha, field="shas", longest=40) for sha in shas]
    if short := next((sha for sha in wanted if len(sha) != 40), None):
        raise InvalidInput("shas", f"must be full shas of 40 hexadecimal characters; got {short!r}")
    known = await ctx.store.commits_with_history(org, wanted)
    return [sha for sha in dict.fromkeys(wanted) if sha in known]
