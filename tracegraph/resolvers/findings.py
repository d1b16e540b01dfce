"""Findings: which kinds a query selects, the store call for one snapshot, and the event flags batched per log page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from strawberry.types.nodes import Selection

from tracegraph.graph.findings import ALL_KINDS, MAX_EVENT_INDEXES, FindingKind, Findings
from tracegraph.graph.selectors import SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.resolvers.snapshot_parts import fields

if TYPE_CHECKING:  # the context holds the loaders, which batch through this module
    from tracegraph.resolvers.context import Context

EventKey = tuple[str, str, int, str]  # (org, environment, snapshot index, fingerprint)

# The Findings fields that need a kind read; `total` needs them all.
KIND_FIELDS = {
    "withoutProvenance": FindingKind.WITHOUT_PROVENANCE,
    "deployedNotStarted": FindingKind.DEPLOYED_NOT_STARTED,
    "pendingDeployments": FindingKind.DEPLOYED_NOT_STARTED,
    "startedWithoutDeployment": FindingKind.STARTED_WITHOUT_DEPLOYMENT,
    "nonCompliant": FindingKind.NON_COMPLIANT,
    "rollBacks": FindingKind.ROLL_BACK,
}


def start_window(ctx: Context) -> timedelta:
    return timedelta(seconds=ctx.settings.deployment_start_window_seconds)


def selected_kinds(field: Selection, asked: Sequence[FindingKind] | None) -> frozenset[FindingKind]:
    """The kinds the selection under a `findings` field shows, within those `asked` for (all when None)."""
    names = {selected.name for selected in fields(field.selections)} if hasattr(field, "selections") else set()
    wanted = ALL_KINDS if "total" in names else frozenset(KIND_FIELDS[name] for name in names if name in KIND_FIELDS)
    return wanted if asked is None else wanted & frozenset(asked)


async def findings(
    ctx: Context, org: str, environment: str, selector: SnapshotSelector, kinds: frozenset[FindingKind]
) -> Findings:
    return await ctx.store.findings(org, environment, selector, kinds=kinds, window=start_window(ctx))


async def load_event_findings(
    store: GraphStore, window: timedelta, keys: list[EventKey]
) -> Sequence[tuple[FindingKind, ...]]:
    """One store call per environment (and per 1,000 snapshots) for every event of a request."""
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for org, environment, index, _ in keys:
        groups[(org, environment)].add(index)
    flags: dict[tuple[str, str, int], dict[str, tuple[FindingKind, ...]]] = {}
    for (org, environment), indexes in groups.items():
        ordered = sorted(indexes)
        for start in range(0, len(ordered), MAX_EVENT_INDEXES):
            chunk = ordered[start : start + MAX_EVENT_INDEXES]
            answer = await store.event_findings(org, environment, chunk, window=window)
            flags.update({(org, environment, index): found for index, found in answer.items()})
    return [
        flags.get((org, environment, index), {}).get(fingerprint, ()) for org, environment, index, fingerprint in keys
    ]
