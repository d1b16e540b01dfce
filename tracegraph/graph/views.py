"""Aggregates the store answers in one round trip: a snapshot with its provenance, an artifact with its history,
a log page, a diff. Built so a GraphQL query never has to ask again per item."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict

from tracegraph.graph.model import Artifact, Attestation, Commit, Deployment, Environment, Node, Snapshot, Trail
from tracegraph.graph.windows import WHOLE_SNAPSHOT, SnapshotParts


class Provenance(Node):
    """An artifact reported for a fingerprint, with the commit it was built from (None when that commit's details
    were never reported: the sha stays on `artifact.git_commit`)."""

    artifact: Artifact
    commit: Commit | None


class Instance(Node):
    """One instance of a running artifact, as reported with the snapshot that opened its Run (`InstanceInput`)."""

    name: str | None
    namespace: str | None
    started_at: datetime | None
    context: dict[str, str]


class RunningArtifact(Node):
    """One fingerprint in a snapshot's running set. `artifacts` is empty when no build reported it: running
    without provenance. `since` is the time of snapshot `since_index`, which opened its Run. `instances_detail` is
    what the report that opened the Run said of each instance (empty when it said nothing); None when the read did
    not fetch it (only `snapshot()` does, when its parts ask for `instances`)."""

    fingerprint: str
    name: str
    instances: int
    since_index: int
    since: datetime
    artifacts: tuple[Provenance, ...]
    instances_detail: tuple[Instance, ...] | None = None


class EventType(StrEnum):
    STARTED = "STARTED"
    STOPPED = "STOPPED"
    SCALED = "SCALED"


class Event(Node):
    """What changed in one snapshot for one fingerprint."""

    type: EventType
    fingerprint: str
    name: str
    from_instances: int
    to_instances: int
    artifacts: tuple[Provenance, ...]
    deployments: tuple[Deployment, ...]  # deployments of this fingerprint to the environment, oldest first

    @property
    def description(self) -> str:
        return describe(self.type, self.from_instances, self.to_instances)


def describe(event_type: EventType, from_instances: int, to_instances: int) -> str:
    """Kosli's wording: "1 instance started running (from 0 to 1)."."""
    if event_type is EventType.SCALED:
        direction = "up" if to_instances > from_instances else "down"
        return f"Scaled {direction} (from {from_instances} to {to_instances})."
    count = to_instances if event_type is EventType.STARTED else from_instances
    noun = "instance" if count == 1 else "instances"
    verb = "started" if event_type is EventType.STARTED else "stopped"
    return f"{count} {noun} {verb} running (from {from_instances} to {to_instances})."


class SnapshotEvents(Node):
    snapshot: Snapshot
    events: tuple[Event, ...]


class SnapshotDetail(Node):
    """A snapshot with the parts of it that were asked for (`parts`): the window of its events and of its running
    set (each ordered by name, then fingerprint) with their totals, and whether the whole running set is compliant
    (None when not asked): every running fingerprint has provenance and every artifact of it is COMPLIANT."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    environment: Environment
    snapshot: Snapshot
    parts: SnapshotParts = WHOLE_SNAPSHOT
    events: tuple[Event, ...]
    events_total: int
    running: tuple[RunningArtifact, ...]
    running_total: int
    compliant: bool | None


class SnapshotSummary(Node):
    """A snapshot in brief: when it was reported, how many fingerprints its running set holds, and whether that set
    is compliant now (as `SnapshotDetail.compliant`)."""

    index: int
    reported_at: datetime
    compliant: bool
    running_total: int


class LogPage(Node):
    """Snapshots newest first (oldest first when reversed) with their events; `total` counts every snapshot the
    filters match, regardless of paging."""

    environment: Environment
    snapshots: tuple[SnapshotEvents, ...]
    total: int
    has_more: bool


class HistoryKind(StrEnum):
    CREATED = "CREATED"
    DEPLOYED = "DEPLOYED"
    ATTESTED = "ATTESTED"
    STARTED = "STARTED"
    STOPPED = "STOPPED"


class HistoryEntry(Node):
    kind: HistoryKind
    at: datetime
    environment: str | None = None
    snapshot_index: int | None = None
    deployment_number: int | None = None
    attestation: str | None = None

    @property
    def description(self) -> str:
        match self.kind:
            case HistoryKind.CREATED:
                return "Artifact created"
            case HistoryKind.DEPLOYED:
                return f"Deployment #{self.deployment_number} to {self.environment} environment"
            case HistoryKind.ATTESTED:
                return f"Attestation {self.attestation} reported"
            case HistoryKind.STARTED:
                return f"Started running in {self.environment}#{self.snapshot_index} environment"
            case HistoryKind.STOPPED:
                return f"No longer running in {self.environment}#{self.snapshot_index} environment"


class Placement(Node):
    """Where a fingerprint runs or ran: `to_index` None means it runs in the latest snapshot."""

    environment: str
    fingerprint: str
    name: str
    instances: int
    from_index: int
    to_index: int | None
    started_at: datetime
    stopped_at: datetime | None


class ArtifactDetail(Node):
    """An artifact with everything its page shows; `history` is ordered by time."""

    provenance: Provenance
    deployments: tuple[Deployment, ...]
    attestations: tuple[Attestation, ...]
    placements: tuple[Placement, ...]
    history: tuple[HistoryEntry, ...]


class CommitPlacement(Node):
    """An artifact built from the commit asked about or from a descendant of it, and where it runs or ran."""

    environment: str
    snapshot_index: int  # the latest snapshot when current, else the last one it ran in
    current: bool
    from_index: int
    to_index: int | None
    distance: int  # `git rev-list --count X..C`: 0 = built from X itself
    provenance: Provenance


class CommitPlacements(Node):
    """Where one commit's change runs (or ran), and the artifact commits whose descent from it cannot be decided
    because their history was never fully reported: when `undecided` is empty, `placements` is exact."""

    placements: tuple[CommitPlacement, ...]
    undecided: tuple[str, ...]


class DigestMatch(Node):
    fingerprint: str
    artifacts: tuple[Provenance, ...]
    placements: tuple[Placement, ...]


class SearchResult(Node):
    prefix: str
    commits: tuple[Commit, ...]
    fingerprints: tuple[DigestMatch, ...]


class DiffSide(Node):
    environment: str
    snapshot: Snapshot | None  # None when the environment has no snapshot yet


class Scaled(Node):
    before: RunningArtifact
    after: RunningArtifact


class SnapshotDiff(Node):
    """Compares running sets by fingerprint; `scaled` holds fingerprints in both with different instances."""

    source: DiffSide
    target: DiffSide
    only_in_source: tuple[RunningArtifact, ...]
    only_in_target: tuple[RunningArtifact, ...]
    scaled: tuple[Scaled, ...]
    unchanged: tuple[RunningArtifact, ...]


class EnvironmentVersions(Node):
    """What of a flow (or observed name) runs in one environment's latest snapshot."""

    environment: Environment
    snapshot: Snapshot | None
    running: tuple[RunningArtifact, ...]


class ReportedSnapshot(Node):
    """The answer to a snapshot report: the new snapshot, or the latest one when nothing changed. An environment's
    first report always makes snapshot #1, even when empty."""

    snapshot: Snapshot
    changed: bool
    events: tuple[Event, ...]


class CommitsReported(Node):
    received: int
    created: int


class TrailArtifact(Node):
    """An artifact of a trail, with the name of its slot in the flow's template (None when not given)."""

    provenance: Provenance
    template_reference_name: str | None


class TrailDetail(Node):
    """A trail with its commit (None when the trail names none; a bare commit when only its sha is known), its
    artifacts (oldest first, then by fingerprint) and their attestations, its trail-level attestations and those
    pending for a template slot with no artifact yet (each oldest first, then by id)."""

    trail: Trail
    commit: Commit | None
    artifacts: tuple[TrailArtifact, ...]
    attestations: tuple[Attestation, ...]
    trail_attestations: tuple[Attestation, ...] = ()
    pending_attestations: tuple[Attestation, ...] = ()
