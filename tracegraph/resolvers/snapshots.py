"""Environments, their snapshots and their logs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from tracegraph.errors import InvalidInput, NotFound, TracegraphError
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Environment
from tracegraph.graph.selectors import (
    LATEST,
    MAX_INDEX,
    LogQuery,
    SelectorKind,
    SnapshotSelector,
    parse_interval,
    parse_number,
    parse_snapshot_expr,
)
from tracegraph.graph.views import SnapshotDetail, SnapshotEvents, SnapshotSummary
from tracegraph.graph.windows import SnapshotParts
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, encode_cursor, page_args
from tracegraph.resolvers.snapshot_parts import child, snapshot_parts


def selector(index: int | None, expr: str | None) -> SnapshotSelector:
    if index is not None and expr is not None:
        raise InvalidInput("expr", "give either index or expr, not both")
    if index is not None:
        if index < 1:
            raise InvalidInput("index", f"must be a snapshot number >= 1; got {index}")
        return SnapshotSelector(kind=SelectorKind.INDEX, value=index)
    return parse_snapshot_expr(expr) if expr is not None else LATEST


async def environment(ctx: Context, org: str, name: str, selections: Iterable[Selection] = ()) -> Environment:
    """The environment, checked to exist. When the query also asks for one of its snapshots, that snapshot is
    fetched now: the store answers a snapshot together with its environment, so the seed's whole traversal
    (environment → snapshot → events, running set, artifacts, commits) costs one round trip."""
    wanted = _snapshot_selector(selections)
    field = child(selections, "snapshot")
    if wanted is not None and field is not None:
        try:
            detail = await ctx.loaders.snapshot.load((org, name, wanted, snapshot_parts(field)))
        except NotFound:
            pass  # no such snapshot, or no such environment: the environment lookup below tells which
        else:
            ctx.loaders.remember_snapshot(detail)
            return detail.environment
    return await ctx.loaders.environment.load((org, name))


def _snapshot_selector(selections: Iterable[Selection]) -> SnapshotSelector | None:
    for selection in selections:
        if isinstance(selection, SelectedField) and selection.name == "snapshot":
            index, expr = selection.arguments.get("index"), selection.arguments.get("expr")
            # Literal arguments arrive as their source text; variables as values.
            if isinstance(index, str) and parse_number(index) is not None:
                index = parse_number(index)
            if not isinstance(index, int | None) or not isinstance(expr, str | None):
                return None
            try:
                return selector(index, expr)
            except TracegraphError:
                return None  # the field itself reports the bad argument
        if isinstance(selection, InlineFragment | FragmentSpread):
            found = _snapshot_selector(selection.selections)
            if found is not None:
                return found
    return None


async def snapshot(
    ctx: Context, org: str, environment: str, wanted: SnapshotSelector, parts: SnapshotParts
) -> SnapshotDetail:
    detail = await ctx.loaders.snapshot.load((org, environment, wanted, parts))
    ctx.loaders.remember_snapshot(detail)
    return detail


async def snapshot_by_index(
    ctx: Context, org: str, environment: str, index: int, parts: SnapshotParts
) -> SnapshotDetail:
    return await snapshot(ctx, org, environment, SnapshotSelector(kind=SelectorKind.INDEX, value=index), parts)


async def summaries(ctx: Context, org: str, environment: str, indexes: list[int]) -> list[SnapshotSummary]:
    return await ctx.store.snapshot_summaries(org, environment, indexes)


async def log(
    ctx: Context,
    org: str,
    environment: str,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    interval: str | None,
    since: datetime | None,
    until: datetime | None,
    flow: str | None,
    oldest_first: bool,
    repos: list[str] | None = None,
    provenance: bool = True,
    deployments: bool = True,
) -> Page[SnapshotEvents]:
    """A page of the environment's log, newest first unless `oldest_first`. Keyset on the snapshot index."""
    args = page_args("snapshot", first=first, after=after, last=last, before=before)
    low, high = parse_interval(interval) if interval is not None else (None, None)
    cursor = args.cursor[0] if args.cursor and isinstance(args.cursor[0], int) else None
    if args.cursor is not None and (cursor is None or not 0 <= cursor <= MAX_INDEX):
        raise InvalidInput("after" if args.forward else "before", "is not a cursor returned by this connection")
    # Walking backwards (last/before) reads the opposite order from the cursor, then flips the rows.
    ascending = oldest_first != (not args.forward)
    data: dict[str, object] = {
        "org": org,
        "environment": environment,
        "min_index": low,
        "max_index": high,
        "since": since,
        "until": until,
        "flow": flow,
        "repo_urls": repos,
        "oldest_first": ascending,
        "limit": max(args.size, 1),
        "provenance": provenance,
        "deployments": deployments,
    }
    if cursor is not None:
        data["after" if ascending else "before"] = cursor
    query = parse(LogQuery, {key: value for key, value in data.items() if value is not None})
    ctx.loaders.spend("snapshots")  # one call per environment: under `environments { nodes { snapshots } }`, per item
    page = await ctx.store.environment_log(query)
    ctx.loaders.environment.prime((org, environment), page.environment)
    rows = list(page.snapshots)[: args.size]
    more = page.has_more or len(page.snapshots) > args.size
    if args.size == 0:
        more = page.total > 0 if cursor is None else more
    if not args.forward:
        rows.reverse()
    items = [(encode_cursor("snapshot", (row.snapshot.index,)), row) for row in rows]
    if args.forward:
        return Page(items, has_next=more, has_previous=cursor is not None, total=page.total)
    return Page(items, has_next=cursor is not None, has_previous=more, total=page.total)
