"""When a commit arrives in an environment: the rule behind the `commitArrived` subscription.

A commit X is *present* in a snapshot when an artifact built from X or from a descendant of X (the ancestry the
`where`/`commit.runningIn` reads use, graph/ancestry.py) runs in it. X *arrives* in snapshot N when it is present in
N and was not in N - 1: once per environment, and again after it left. Snapshot N - 1's running set is N's with
N's starts taken out and its stops put back, so one read of snapshot N (fingerprints and events, no provenance)
decides it, with the carrying artifacts from `commit_placements(include_past=True)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracegraph.graph.views import CommitPlacement, CommitPlacements, EventType, SnapshotDetail
from tracegraph.graph.windows import EVERYTHING, SnapshotParts

# What `arrival` needs of snapshot N: its running fingerprints and its events, nothing else.
SNAPSHOT_PARTS = SnapshotParts(
    running=EVERYTHING, events=EVERYTHING, provenance=False, deployments=False, compliance=False
)


def arrival(placements: CommitPlacements, snapshot: SnapshotDetail) -> CommitPlacement | None:
    """The nearest artifact carrying the commit that started in `snapshot` when the commit arrived there with it;
    None when it did not arrive there (absent, or present already in the snapshot before)."""
    environment = snapshot.snapshot.environment
    carriers = _carriers(placements.placements, environment)
    if not carriers:
        return None
    running = {item.fingerprint for item in snapshot.running}
    started = {event.fingerprint for event in snapshot.events if event.type is EventType.STARTED}
    stopped = {event.fingerprint for event in snapshot.events if event.type is EventType.STOPPED}
    before = (running - started) | stopped
    if not running & carriers.keys() or before & carriers.keys():
        return None
    arrived = [carriers[fingerprint] for fingerprint in started & carriers.keys()]
    return min(arrived, key=lambda placement: (placement.distance, placement.provenance.artifact.flow))


def _carriers(placements: Iterable[CommitPlacement], environment: str) -> dict[str, CommitPlacement]:
    """The nearest carrying placement in `environment`, by fingerprint."""
    found: dict[str, CommitPlacement] = {}
    for placement in placements:
        if placement.environment != environment:
            continue
        fingerprint = placement.provenance.artifact.fingerprint
        if fingerprint not in found or placement.distance < found[fingerprint].distance:
            found[fingerprint] = placement
    return found
