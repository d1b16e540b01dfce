"""Trails: a flow's trails newest first, one trail with its artifacts, and a trail's artifacts paged in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tracegraph.errors import NotFound
from tracegraph.graph.model import Commit, Trail
from tracegraph.graph.views import TrailArtifact, TrailDetail
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, decode_cursor, encode_cursor, page_args, page_sequence

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# The `Trail` fields read from its detail; a page of trails selecting any of them is read with every detail at once.
DETAIL_FIELDS = frozenset({"artifacts", "attestations", "trailAttestations", "pendingAttestations"})


async def trail(ctx: Context, org: str, flow: str, name: str) -> TrailDetail:
    return await ctx.store.trail(org, flow, name)


async def detail_of(ctx: Context, found: Trail) -> TrailDetail:
    """The detail of a trail listed without it (its page's query selected no detail): one store call."""
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


async def of_flow(
    ctx: Context, org: str, flow: str, *, first: int | None, after: str | None, with_detail: bool
) -> Page[Trail | TrailDetail]:
    """Newest first, keyset on the name of the last trail seen (the store's own paging); with each trail's detail
    (in the same store call) when the query selects any of it."""
    args = page_args("trail", first=first, after=after)
    cursor = str(decode_cursor("trail", after, field="after")[0]) if after is not None else None
    if args.size == 0:
        return Page([], has_next=False, has_previous=cursor is not None, total=None)
    ctx.loaders.spend("trails")  # one call per flow: under `flows { nodes { trails } }` that is per item
    found: Sequence[Trail | TrailDetail]
    if with_detail:
        found = await ctx.store.trail_details(org, flow, limit=args.size + 1, after=cursor)
    else:
        found = await ctx.store.trails(org, flow, limit=args.size + 1, after=cursor)
    rows = found[: args.size]
    items = [(encode_cursor("trail", (_name(row),)), row) for row in rows]
    return Page(items, has_next=len(found) > args.size, has_previous=cursor is not None, total=None)


def _name(row: Trail | TrailDetail) -> str:
    return row.trail.name if isinstance(row, TrailDetail) else row.name


def artifacts_page(detail: TrailDetail, *, first: int | None, after: str | None) -> Page[TrailArtifact]:
    """A trail's artifacts (oldest first, then by fingerprint), all fetched with the trail, paged here."""
    args = page_args("trail_artifact", first=first, after=after)
    return page_sequence("trail_artifact", detail.artifacts, _artifact_key, args)


def _artifact_key(item: TrailArtifact) -> tuple[int, str]:
    created = item.provenance.artifact.created_at
    return (created - _EPOCH) // _MICROSECOND, item.provenance.artifact.fingerprint
