"""Running artifacts as Kosli shows them: provenance fields, and since when they run (the time of the snapshot
their Run opened in: the store keeps no per-instance start time)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from tracegraph.graph.model import ArtifactState
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import Provenance, RunningArtifact
from tracegraph.graph.windows import SnapshotParts

TIME_ONLY = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=False)


def state_text(state: ArtifactState) -> str:
    return "NON-COMPLIANT" if state is ArtifactState.NON_COMPLIANT else "COMPLIANT"


def provenance_fields(artifacts: tuple[Provenance, ...]) -> dict[str, Any]:
    """The first build reported for the fingerprint (a fingerprint built by several flows shows the first)."""
    if not artifacts:
        return {"flow_name": "", "git_commit": "", "commit_url": "", "compliant": False}
    first = artifacts[0].artifact
    return {
        "flow_name": first.flow,
        "git_commit": first.git_commit or "",
        "commit_url": first.commit_url or "",
        "compliant": all(item.artifact.state is ArtifactState.COMPLIANT for item in artifacts),
    }


async def snapshot_times(store: GraphStore, org: str, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], datetime]:
    """When each (environment, index) snapshot was reported: one store call per distinct snapshot, concurrently
    (the store has no batch read of snapshot times; see docs/kosli-api.md)."""
    keys = sorted(wanted)

    async def one(environment: str, index: int) -> datetime:
        selector = SnapshotSelector(kind=SelectorKind.INDEX, value=index)
        return (await store.snapshot(org, environment, selector, TIME_ONLY)).snapshot.reported_at

    times = await asyncio.gather(*(one(environment, index) for environment, index in keys))
    return dict(zip(keys, times, strict=True))


def since_keys(environment: str, items: list[RunningArtifact]) -> set[tuple[str, int]]:
    return {(environment, item.since_index) for item in items}
