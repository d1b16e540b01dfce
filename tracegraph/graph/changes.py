"""The change feed: one row per report that changed something, numbered in commit order across every process.

Subscriptions (tracegraph/live/) and webhooks follow it with `changes_after(last_id)`, so a report written through
any process reaches every subscriber, and a client that resumes from the last id it saw misses nothing. A row is
written in the same transaction as the report that causes it; a re-report that changes nothing writes none.

Both backends call the rules here: what a report's change row says (`snapshot_change`, `artifact_changes`,
`deployment_change`) and whether a resume point is still retained (`check_after`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import TypeAdapter

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Artifact, Deployment, Node
from tracegraph.graph.views import EventType, ReportedSnapshot

# Most changes one `changes_after` call answers; callers page with the last id.
MAX_CHANGES_PAGE = 1_000
DEFAULT_RETENTION = timedelta(days=7)


class ChangeKind(StrEnum):
    SNAPSHOT_REPORTED = "SNAPSHOT_REPORTED"
    ARTIFACT_REPORTED = "ARTIFACT_REPORTED"
    DEPLOYMENT_REPORTED = "DEPLOYMENT_REPORTED"


class StartedArtifact(Node):
    """A fingerprint that started running in the snapshot, per build that reported it (flow and commit None when
    none did: running without provenance)."""

    flow: str | None
    fingerprint: str
    commit: str | None


class Change(Node):
    """`id` is the feed's sequence: strictly increasing in commit order. `at` is when the change was written (UTC).
    The subject: SNAPSHOT_REPORTED names `environment` and `snapshot_index` (and what `started`);
    ARTIFACT_REPORTED `flow` and `fingerprint`; DEPLOYMENT_REPORTED all of `environment`, `flow`, `fingerprint` and
    `deployment_number`."""

    id: int
    org: str
    kind: ChangeKind
    at: datetime
    environment: str | None = None
    snapshot_index: int | None = None
    flow: str | None = None
    fingerprint: str | None = None
    deployment_number: int | None = None
    started: tuple[StartedArtifact, ...] = ()


class NewChange(Node):
    """A change as a write records it; the store gives it its id and time."""

    org: str
    kind: ChangeKind
    environment: str | None = None
    snapshot_index: int | None = None
    flow: str | None = None
    fingerprint: str | None = None
    deployment_number: int | None = None
    started: tuple[StartedArtifact, ...] = ()

    def row(self) -> dict[str, object]:
        """The values both backends store (`started` as JSON text)."""
        return self.model_dump(mode="json", exclude={"started"}) | {"started": dump_started(self.started)}


_STARTED = TypeAdapter(tuple[StartedArtifact, ...])


def dump_started(started: Sequence[StartedArtifact]) -> str:
    return _STARTED.dump_json(tuple(started)).decode()


def load_started(text: str | None) -> tuple[StartedArtifact, ...]:
    return _STARTED.validate_json(text) if text else ()


def snapshot_change(reported: ReportedSnapshot) -> NewChange | None:
    """The change a snapshot report makes: None when the running set did not change (no new snapshot)."""
    if not reported.changed:
        return None
    started: list[StartedArtifact] = []
    for event in reported.events:
        if event.type is not EventType.STARTED:
            continue
        if not event.artifacts:
            started.append(StartedArtifact(flow=None, fingerprint=event.fingerprint, commit=None))
        started.extend(
            StartedArtifact(flow=p.artifact.flow, fingerprint=event.fingerprint, commit=p.artifact.git_commit)
            for p in event.artifacts
        )
    snapshot = reported.snapshot
    return NewChange(
        org=snapshot.org,
        kind=ChangeKind.SNAPSHOT_REPORTED,
        environment=snapshot.environment,
        snapshot_index=snapshot.index,
        started=tuple(started),
    )


ArtifactKey = tuple[str, str, str]  # org, flow, fingerprint


def artifact_key(artifact: Artifact) -> ArtifactKey:
    return (artifact.org, artifact.flow, artifact.fingerprint)


def artifact_changes(before: Mapping[ArtifactKey, Artifact], after: Iterable[Artifact]) -> list[NewChange]:
    """One change per artifact (in report order, each once) that is new or stored differently than before the
    write; the same artifact reported again changes nothing."""
    changes: dict[ArtifactKey, NewChange] = {}
    for artifact in after:
        key = artifact_key(artifact)
        if key in changes or before.get(key) == artifact:
            continue
        changes[key] = NewChange(
            org=artifact.org, kind=ChangeKind.ARTIFACT_REPORTED, flow=artifact.flow, fingerprint=artifact.fingerprint
        )
    return list(changes.values())


def deployment_change(deployment: Deployment) -> NewChange:
    return NewChange(
        org=deployment.org,
        kind=ChangeKind.DEPLOYMENT_REPORTED,
        environment=deployment.environment,
        flow=deployment.flow,
        fingerprint=deployment.fingerprint,
        deployment_number=deployment.number,
    )


def check_page(after: int, limit: int) -> None:
    if after < 0:
        raise InvalidInput("after", "must be 0 or a change id")
    if not 1 <= limit <= MAX_CHANGES_PAGE:
        raise InvalidInput("limit", f"must be between 1 and {MAX_CHANGES_PAGE}")


def check_after(after: int, *, oldest_retained: int | None, last: int) -> None:
    """Refuse a resume point whose following changes were pruned (or that the feed never reached): answering from
    the oldest retained change instead would silently skip what was pruned."""
    pruned_through = last if oldest_retained is None else oldest_retained - 1
    if after < pruned_through:
        raise InvalidInput(
            "after",
            f"change {after} is older than the changes retained (from {pruned_through + 1}; see "
            "TRACEGRAPH_CHANGE_RETENTION_DAYS): read the current state again and resume from the last id",
        )
    if after > last:
        raise InvalidInput("after", f"no change {after} yet: the feed's last id is {last}")


class ChangeListeners:
    """Callbacks a store calls after each of its own report writes (this process only): the feed follower is woken
    at once instead of at its next poll. Other processes' writes are found by polling."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[], None]] = []

    def add(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def remove(self, callback: Callable[[], None]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def notify(self) -> None:
        for callback in list(self._callbacks):
            callback()
