# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""Root query fields. Every root field takes `org` explicitly."""

from __future__ import annotations

from typing import Annotated

import strawberry

from tracegraph.errors import NotFound
from tracegraph.graph.model import Role
from tracegraph.graph.rules import PREFIX_RULE
from tracegraph.graph.selectors import parse_number
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.resolvers import commits as commit_resolvers
from tracegraph.resolvers import explore, topology
from tracegraph.resolvers import live as live_resolvers
from tracegraph.resolvers import snapshots as snapshot_resolvers
from tracegraph.resolvers import tokens as token_resolvers
from tracegraph.resolvers.explore import SIDE_RULE
from tracegraph.resolvers.snapshot_parts import diff_needs_provenance, snapshot_parts
from tracegraph.schema.connection import PAGING_RULE, Connection, connection
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node, decode_id, split_key
from tracegraph.schema.permissions import Administers, Reads
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.commit import Commit
from tracegraph.schema.types.diff import SnapshotDiff
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.org import Org
from tracegraph.schema.types.search import SearchResult
from tracegraph.schema.types.snapshot import Snapshot
from tracegraph.schema.types.token import Token
from tracegraph.schema.types.versions import EnvironmentVersions

ORG = "The org's name."


@strawberry.type(description="Reads: what is running where, and which commit put it there.")
class Query:
    @strawberry.field(description="Any object by its global `id`; NOT_FOUND when it no longer exists.")
    async def node(self, info: Info, id: strawberry.ID) -> Node:
        return await load_node(info, str(id))

    @strawberry.field(description="An org by name.")
    async def org(self, info: Info, name: str) -> Org:
        return Org.of(await topology.org(info.context, name))

    @strawberry.field(description="Every org, ordered by name.")
    async def orgs(self, info: Info) -> list[Org]:
        return [Org.of(item) for item in await topology.orgs(info.context)]

    @strawberry.field(
        permission_classes=[Reads], description="An environment by name; NOT_FOUND when the org has none of that name."
    )
    async def environment(
        self,
        info: Info,
        org: Annotated[str, strawberry.argument(description=ORG)],
        name: Annotated[str, strawberry.argument(description="The environment's name.")],
    ) -> Environment:
        selections = info.selected_fields[0].selections if info.selected_fields else []
        found = await snapshot_resolvers.environment(info.context, org, name, selections)
        return Environment.of(found)

    @strawberry.field(permission_classes=[Reads], description="The org's environments, ordered by name. " + PAGING_RULE)
    async def environments(
        self,
        info: Info,
        org: str,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Environment]:
        page = await topology.environments(info.context, org, first=first, after=after, last=last, before=before)
        return connection(page, Environment.of)

    @strawberry.field(permission_classes=[Reads], description="A flow by name.")
    async def flow(self, info: Info, org: str, name: str) -> Flow:
        return Flow.of(await topology.flow(info.context, org, name))

    @strawberry.field(permission_classes=[Reads], description="The org's flows, ordered by name. " + PAGING_RULE)
    async def flows(
        self,
        info: Info,
        org: str,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Flow]:
        page = await topology.flows(info.context, org, first=first, after=after, last=last, before=before)
        return connection(page, Flow.of)

    @strawberry.field(
        permission_classes=[Reads],
        description=f"An artifact of a flow by fingerprint: the full fingerprint or a unique prefix ({PREFIX_RULE}). "
        "An ambiguous prefix is BAD_USER_INPUT listing the candidates.",
    )
    async def artifact(self, info: Info, org: str, flow: str, fingerprint: str) -> Artifact:
        return Artifact.of_detail(await artifact_resolvers.artifact(info.context, org, flow, fingerprint))

    @strawberry.field(
        permission_classes=[Reads],
        description="Artifacts built from a commit (full sha or unique prefix of at least 5 hex characters), "
        "optionally in one flow, newest first.",
    )
    async def artifacts(self, info: Info, org: str, commit: str, flow: str | None = None) -> list[Artifact]:
        found = await artifact_resolvers.for_commit(info.context, org, commit, flow)
        return [Artifact.of_detail(item) for item in found]

    @strawberry.field(
        permission_classes=[Reads],
        description="A commit by full sha or by a unique prefix of at least 5 hex characters (an ambiguous prefix is "
        "BAD_USER_INPUT listing the candidates). Known commits are those reported and those named by an artifact.",
    )
    async def commit(self, info: Info, org: str, sha: str) -> Commit:
        return Commit.of(await commit_resolvers.commit(info.context, org, sha))

    @strawberry.field(
        permission_classes=[Reads],
        description="Of the given full shas (at most 5,000), those the org knows with their whole history: reported "
        "with its parents, and so was every ancestor. `tracegraph report commits` asks this of a clone's branch tips "
        "to send only the commits the server does not have. In the order given, without repeats.",
    )
    async def commits_with_history(self, info: Info, org: str, shas: list[str]) -> list[str]:
        return await commit_resolvers.with_history(info.context, org, shas)

    @strawberry.field(
        permission_classes=[Reads],
        description=f"Commits and fingerprints starting with `prefix` ({PREFIX_RULE}), and where each runs.",
    )
    async def search(self, info: Info, org: str, prefix: str) -> SearchResult:
        return SearchResult.of(org, await explore.search(info.context, org, prefix))

    @strawberry.field(
        permission_classes=[Reads],
        description=f"Compare two running sets. `from` and `to` are each {SIDE_RULE} — e.g. `aws-beta` (its latest) "
        "and `aws-prod#176`, or `aws-prod~1` and `aws-prod`.",
    )
    async def diff(
        self,
        info: Info,
        org: str,
        # Not `source`: strawberry passes the parent object to permission classes under that name.
        compared_from: Annotated[str, strawberry.argument(name="from", description="The snapshot compared from.")],
        compared_to: Annotated[str, strawberry.argument(name="to", description="The snapshot compared to.")],
    ) -> SnapshotDiff:
        provenance = diff_needs_provenance(info.selected_fields[0])
        found = await explore.diff(info.context, org, compared_from, compared_to, provenance=provenance)
        return SnapshotDiff.of(org, found)

    @strawberry.field(
        permission_classes=[Reads],
        description="What runs now in every environment (ordered by name): the artifacts of `flow`, or those whose "
        "observed or reported name contains `name`. Give exactly one of them.",
    )
    async def versions(
        self, info: Info, org: str, flow: str | None = None, name: str | None = None
    ) -> list[EnvironmentVersions]:
        return [EnvironmentVersions.of(item) for item in await explore.versions(info.context, org, flow, name)]

    @strawberry.field(
        description="The change feed's position now: pass it as `after` to a subscription to receive every change "
        "committed after this answer was read (a page reads it with its data, so nothing reported between the query "
        "and the subscription is missed). Ids increase with each committed change, over all orgs."
    )
    async def live_cursor(self, info: Info) -> strawberry.ID:
        return strawberry.ID(await live_resolvers.cursor(info.context))

    @strawberry.field(
        permission_classes=[Administers],
        description="The org's API tokens, oldest first, without secrets (admin only).",
    )
    async def tokens(self, info: Info, org: str) -> list[Token]:
        return [Token.of(token) for token in await token_resolvers.listed(info.context, org)]


async def load_node(info: Info, global_id: str) -> Node:
    type_name, key = decode_id(global_id)
    ctx = info.context
    match type_name:
        case "Org":
            (org,) = split_key(key, 1)
            await ctx.access.require(org, Role.READER)
            return Org.of(await topology.org(ctx, org))
        case "Flow":
            org, name = split_key(key, 2)
            await ctx.access.require(org, Role.READER)
            return Flow.of(await topology.flow(ctx, org, name))
        case "Environment":
            org, name = split_key(key, 2)
            await ctx.access.require(org, Role.READER)
            return Environment.of(await ctx.loaders.environment.load((org, name)))
        case "Snapshot":
            org, environment, index = split_key(key, 3)
            await ctx.access.require(org, Role.READER)
            number = parse_number(index)
            if number is not None:
                parts = snapshot_parts(info.selected_fields[0])
                detail = await snapshot_resolvers.snapshot_by_index(ctx, org, environment, number, parts)
                return Snapshot.of_detail(detail)
        case "Artifact":
            org, flow, fingerprint = split_key(key, 3)
            await ctx.access.require(org, Role.READER)
            return Artifact.of_detail(await artifact_resolvers.artifact(ctx, org, flow, fingerprint))
        case "Commit":
            org, sha = split_key(key, 2)
            await ctx.access.require(org, Role.READER)
            return Commit.of(await commit_resolvers.commit(ctx, org, sha))
    raise NotFound(f"no object has id {global_id!r}")
