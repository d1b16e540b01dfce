"""The subscriptions' resolvers: each follows the change feed of its org (tracegraph/live/) and yields the events
it asks for, each with its change id, the cursor a client resumes `after`.

Before each event the socket's token is checked (LiveConnection.still_valid) and the org's visibility again, with
fresh loaders, as a new request would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass

from tracegraph.errors import InvalidInput
from tracegraph.graph.changes import Change, ChangeKind
from tracegraph.graph.model import Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.views import CommitPlacement
from tracegraph.live import arrivals
from tracegraph.live.connection import REASON_SLOW, SLOW_CONSUMER, LiveConnection
from tracegraph.live.follower import FeedFollower, FeedLost, SlowConsumer
from tracegraph.live.stream import changes
from tracegraph.resolvers.context import Context

FEED_LOST = "Changes were missed while the store was out of reach: subscribe again with your last cursor."
OVER_WEBSOCKET = "subscriptions run over a WebSocket on /graphql (graphql-transport-ws)"


@dataclass(frozen=True, slots=True)
class Arrival:
    change: Change
    placement: CommitPlacement


def parse_after(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdecimal() or len(after) > 18:
        raise InvalidInput("after", f"must be the cursor of an event (a change id, digits); got {after!r}")
    return int(after)


async def cursor(ctx: Context) -> str:
    """The change feed's position now: a subscription started `after` it receives every change committed since
    this was read. It names no org (the feed is one for all), so it needs only the request's token."""
    return str(await ctx.store.last_change_id())


async def _hold() -> None:
    """The socket is closed: wait for the handler to end this operation (sending on it would fail)."""
    await asyncio.Event().wait()


def _live(ctx: Context) -> tuple[LiveConnection, FeedFollower]:
    if ctx.live is None or ctx.follower is None:
        raise InvalidInput("subscription", OVER_WEBSOCKET)
    return ctx.live, ctx.follower


async def _followed(ctx: Context, org: str, after: int | None) -> AsyncGenerator[Change, None]:
    """The org's changes for one subscription, counted against the limits while it is open."""
    live, follower = _live(ctx)
    live.started()
    try:
        async with aclosing(changes(follower, frozenset([org]), after=after)) as found:
            async for change in found:
                yield change
    except SlowConsumer:
        await live.close(SLOW_CONSUMER, REASON_SLOW)
        await _hold()
    except FeedLost:
        await live.close(1011, FEED_LOST)
        await _hold()
    finally:
        live.ended()


async def _deliverable(ctx: Context, org: str) -> None:
    """Re-check the token (closing the socket when it no longer holds) and the org's visibility before an event."""
    live, _ = _live(ctx)
    if not await live.still_valid():
        await _hold()
    ctx.renew()
    await ctx.access.require(org, Role.READER)


async def snapshot_reported(
    ctx: Context, org: str, environment: str | None, after: str | None
) -> AsyncGenerator[Change, None]:
    """Without an environment, every environment of the org: one subscription (one unit of the per-token limit) for
    the UI's overview however many environments the org has."""
    start = parse_after(after)
    _live(ctx)
    if environment is None:
        await ctx.store.get_org(org)
        name = None
    else:
        name = (await ctx.store.get_environment(org, environment)).name
    async with aclosing(_followed(ctx, org, start)) as found:
        async for change in found:
            if change.kind is not ChangeKind.SNAPSHOT_REPORTED or change.environment is None:
                continue
            if name is None or change.environment == name:
                await _deliverable(ctx, org)
                yield change


async def artifact_reported(ctx: Context, org: str, flow: str, after: str | None) -> AsyncGenerator[Change, None]:
    start = parse_after(after)
    _live(ctx)
    found_flow = await ctx.store.get_flow(org, flow)
    async with aclosing(_followed(ctx, org, start)) as found:
        async for change in found:
            if change.kind is ChangeKind.ARTIFACT_REPORTED and change.flow == found_flow.name:
                await _deliverable(ctx, org)
                yield change


async def commit_arrived(ctx: Context, org: str, sha: str, after: str | None) -> AsyncGenerator[Arrival, None]:
    """A full sha may name a commit not reported yet (CI reports it with its build); a shorter prefix must name one
    commit reported already."""
    start = parse_after(after)
    _live(ctx)
    prefix = hex_prefix(sha, field="sha", longest=40)
    if len(prefix) == 40:
        await ctx.store.get_org(org)
        full = prefix
    else:
        full = (await ctx.store.commit(org, prefix)).sha
    async with aclosing(_followed(ctx, org, start)) as found:
        async for change in found:
            if change.kind is not ChangeKind.SNAPSHOT_REPORTED or change.environment is None:
                continue
            if not any(started.commit is not None for started in change.started):
                continue  # nothing built from a known commit started: the commit cannot have arrived
            placement = await _arrival(ctx, org, full, change)
            if placement is not None:
                await _deliverable(ctx, org)
                yield Arrival(change, placement)


async def _arrival(ctx: Context, org: str, sha: str, change: Change) -> CommitPlacement | None:
    assert change.environment is not None
    assert change.snapshot_index is not None
    placements = (await ctx.store.commit_placements(org, [sha], include_past=True))[sha]
    if not any(placement.environment == change.environment for placement in placements.placements):
        return None
    snapshot = await ctx.store.snapshot(
        org,
        change.environment,
        SnapshotSelector(kind=SelectorKind.INDEX, value=change.snapshot_index),
        arrivals.SNAPSHOT_PARTS,
    )
    return arrivals.arrival(placements, snapshot)
