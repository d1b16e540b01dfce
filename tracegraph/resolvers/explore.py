"""Search, diff and versions: the investigation reads, each one store call."""

from __future__ import annotations

import re

from tracegraph.errors import InvalidInput
from tracegraph.graph.rules import NAME_PATTERN, hex_prefix
from tracegraph.graph.selectors import SNAPSHOT_EXPR_RULE, SnapshotSelector, parse_snapshot_expr
from tracegraph.graph.views import EnvironmentVersions, SearchResult, SnapshotDiff
from tracegraph.resolvers.context import Context

_SIDE = re.compile(r"^([^#~@]+)((?:[#~@].*)?)$")
MAX_NAME_FRAGMENT = 512  # as long as an observed name may be
SIDE_RULE = f"an environment name optionally followed by {SNAPSHOT_EXPR_RULE.removeprefix('a snapshot expression: ')}"


def side(text: str, *, field: str) -> tuple[str, SnapshotSelector]:
    """`aws-prod`, `aws-prod#176`, `aws-prod~1`, `aws-prod@{2022-09-06T14:52:00Z}`."""
    match = _SIDE.match(text.strip())
    if match is None or not re.match(NAME_PATTERN, match.group(1)):
        raise InvalidInput(field, f"must be {SIDE_RULE}, e.g. 'aws-prod#176'; got {text!r}")
    return match.group(1), parse_snapshot_expr(match.group(2), field=field)


async def search(ctx: Context, org: str, prefix: str) -> SearchResult:
    return await ctx.store.search(org, hex_prefix(prefix, field="prefix"))


async def diff(ctx: Context, org: str, source: str, target: str, *, provenance: bool = True) -> SnapshotDiff:
    return await ctx.store.diff(org, side(source, field="from"), side(target, field="to"), provenance=provenance)


async def versions(ctx: Context, org: str, flow: str | None, name: str | None) -> list[EnvironmentVersions]:
    if (flow is None) == (name is None):
        raise InvalidInput("flow", "give exactly one of flow or name")
    if name is not None and not 1 <= len(name.strip()) <= MAX_NAME_FRAGMENT:
        raise InvalidInput("name", f"must be 1 to {MAX_NAME_FRAGMENT} characters of an artifact's name")
    found = await ctx.store.versions(org, flow=flow, name=name.strip() if name is not None else None)
    for item in found:
        ctx.loaders.environment.prime((org, item.environment.name), item.environment)
    return found
