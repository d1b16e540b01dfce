"""Artifacts: by fingerprint prefix, by commit, and a flow's artifacts newest first."""

from __future__ import annotations

from tracegraph.graph.model import Artifact
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import ArtifactDetail
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, decode_cursor, encode_cursor, page_args


async def artifact(ctx: Context, org: str, flow: str, fingerprint: str) -> ArtifactDetail:
    detail = await ctx.store.artifact(org, flow, hex_prefix(fingerprint, field="fingerprint"))
    ctx.loaders.artifact.prime((org, flow, detail.provenance.artifact.fingerprint), detail)
    return detail


async def detail(ctx: Context, org: str, flow: str, fingerprint: str) -> ArtifactDetail:
    """The full detail of an artifact already known by its key (history, deployments, attestations)."""
    return await ctx.loaders.artifact.load((org, flow, fingerprint))


async def for_commit(ctx: Context, org: str, commit: str, flow: str | None) -> list[ArtifactDetail]:
    found = await ctx.store.artifacts_for_commit(org, hex_prefix(commit, field="commit", longest=40), flow)
    for item in found:
        ctx.loaders.artifact.prime((org, item.provenance.artifact.flow, item.provenance.artifact.fingerprint), item)
    return found


async def built_from(ctx: Context, org: str, sha: str) -> list[ArtifactDetail]:
    return await ctx.loaders.commit_artifacts.load((org, sha))


async def of_repository(
    ctx: Context, org: str, repo_url: str, *, first: int | None, after: str | None
) -> Page[Artifact]:
    """Newest first, keyset on the (flow, fingerprint) of the last artifact seen (the store's own paging)."""
    args = page_args("repo_artifact", first=first, after=after)
    cursor = None
    if after is not None:
        flow, fingerprint = decode_cursor("repo_artifact", after, field="after")
        cursor = (str(flow), str(fingerprint))
    if args.size == 0:
        return Page([], has_next=False, has_previous=cursor is not None, total=None)
    found = await ctx.store.list_artifacts_of_repo(org, repo_url, limit=args.size + 1, after=cursor)
    rows = found[: args.size]
    items = [(encode_cursor("repo_artifact", (row.flow, row.fingerprint)), row) for row in rows]
    return Page(items, has_next=len(found) > args.size, has_previous=cursor is not None, total=None)


async def of_flow(ctx: Context, org: str, flow: str, *, first: int | None, after: str | None) -> Page[Artifact]:
    """Newest first, keyset on the fingerprint of the last artifact seen (the store's own paging)."""
    args = page_args("artifact", first=first, after=after)
    cursor = str(decode_cursor("artifact", after, field="after")[0]) if after is not None else None
    if args.size == 0:
        return Page([], has_next=False, has_previous=cursor is not None, total=None)
    ctx.loaders.spend("artifacts")  # one call per flow: under `flows { nodes { artifacts } }` that is per item
    found = await ctx.store.list_artifacts(org, flow, limit=args.size + 1, after=cursor)
    rows = found[: args.size]
    items = [(encode_cursor("artifact", (row.fingerprint,)), row) for row in rows]
    return Page(items, has_next=len(found) > args.size, has_previous=cursor is not None, total=None)
