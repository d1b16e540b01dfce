"""Trails: a flow's trails newest first, one trail with its artifacts, and a trail's artifacts paged in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracegraph.errors import NotFound
from tracegraph.graph.model import Commit, Trail
from tracegraph.graph.views import TrailArtifact, TrailDetail
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, decode_cursor, encode_cursor, page_args, page_sequence

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


async def trail(ctx: Context, org: str, flow: str, name: str) -> TrailDetail:
    return await ctx.store.trail(org, flow, name)


async def detail_of(ctx: Context, found: Trail) -> TrailDetail:
    """The detail of a trail listed by `of_flow`: one store call per trail, counted against the per-request cap."""
    ctx.loaders.spend("artifacts")
    return await ctx.store.trail(found.org, found.flow, found.name)


async def commit_of(ctx: Context, found: Trail) -> Commit | None:
    """A listed trail's commit, batched with every other commit of the request; bare when never reported."""
    if found.git_commit is None:
        return None
    try:
        return await ctx.loaders.commit.load((found.org, found.git_commit))
    except NotFound:
        return Commit.bare(found.org, found.git_commit)


async def of_flow(ctx: Context, org: str, flow: str, *, first: int | None, after: str | None) -> Page[Trail]:
    """Newest first, keyset on the name of the last trail seen (the store's own paging)."""
    args = page_args("trail", first=first, after=after)
    cursor = str(decode_cursor("trail", after, field="after")[0]) if after is not None else None
    if args.size == 0:
        return Page([], has_next=False, has_previous=cursor is not None, total=None)
    ctx.loaders.spend("trails")  # one call per flow: under `flows { nodes { trails } }` that is per item
    found = await ctx.store.trails(org, flow, limit=args.size + 1, after=cursor)
    rows = found[: args.size]
    items = [(encode_cursor("trail", (row.name,)), row) for row in rows]
    return Page(items, has_next=len(found) > args.size, has_previous=cursor is not None, total=None)


def artifacts_page(detail: TrailDetail, *, first: int | None, after: str | None) -> Page[TrailArtifact]:
    """A trail's artifacts (oldest first, then by fingerprint), all fetched with the trail, paged here."""
    args = page_args("trail_artifact", first=first, after=after)
    return page_sequence("trail_artifact", detail.artifacts, _artifact_key, args)


def _artifact_key(item: TrailArtifact) -> tuple[int, str]:
    created = item.provenance.artifact.created_at
    return (created - _EPOCH) // _MICROSECOND, item.provenance.artifact.fingerprint
