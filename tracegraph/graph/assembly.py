"""Answers assembled from what a backend fetched: the parts of reads that are plain Python, written once so both
backends shape placements, histories and diffs the same way (the contract suite checks they do)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Attestation, Deployment
from tracegraph.graph.views import (
    CommitPlacement,
    DiffSide,
    Event,
    HistoryEntry,
    HistoryKind,
    Instance,
    Placement,
    Provenance,
    RunningArtifact,
    Scaled,
    SnapshotDiff,
)
from tracegraph.ingest.running_set import EventShape


@dataclass(frozen=True, slots=True)
class RunSpan:
    """One Run with the times of the snapshots where it starts and (if it did) ends."""

    environment: str
    fingerprint: str
    name: str
    instances: int
    from_index: int
    to_index: int | None
    started_at: datetime
    stopped_at: datetime | None


def placements(spans: Iterable[RunSpan]) -> dict[str, tuple[Placement, ...]]:
    """Where each fingerprint runs or ran: contiguous Runs in one environment merged (a scale does not break a
    placement; its instances are the last Run's), ordered by start time, environment, first index."""
    found: dict[str, list[Placement]] = defaultdict(list)
    for span in sorted(spans, key=lambda span: (span.fingerprint, span.environment, span.from_index)):
        merged = found[span.fingerprint]
        previous = merged[-1] if merged else None
        if previous and previous.environment == span.environment and previous.to_index == span.from_index:
            merged[-1] = previous.model_copy(
                update={
                    "instances": span.instances,
                    "to_index": span.to_index,
                    "stopped_at": span.stopped_at,
                    "name": span.name,
                }
            )
            continue
        merged.append(
            Placement(
                environment=span.environment,
                fingerprint=span.fingerprint,
                name=span.name,
                instances=span.instances,
                from_index=span.from_index,
                to_index=span.to_index,
                started_at=span.started_at,
                stopped_at=span.stopped_at,
            )
        )
    return {
        fingerprint: tuple(sorted(items, key=lambda item: (item.started_at, item.environment, item.from_index)))
        for fingerprint, items in found.items()
    }


_HISTORY_ORDER = {kind: position for position, kind in enumerate(HistoryKind)}


def history(
    origin: Provenance,
    deployments: Sequence[Deployment],
    attestations: Sequence[Attestation],
    where: Sequence[Placement],
) -> tuple[HistoryEntry, ...]:
    """An artifact's life in time order (then kind, then environment)."""
    entries = [HistoryEntry(kind=HistoryKind.CREATED, at=origin.artifact.created_at)]
    entries += [
        HistoryEntry(
            kind=HistoryKind.DEPLOYED, at=item.reported_at, environment=item.environment, deployment_number=item.number
        )
        for item in deployments
    ]
    entries += [
        HistoryEntry(kind=HistoryKind.ATTESTED, at=item.reported_at, attestation=item.name) for item in attestations
    ]
    for placement in where:
        entries.append(
            HistoryEntry(
                kind=HistoryKind.STARTED,
                at=placement.started_at,
                environment=placement.environment,
                snapshot_index=placement.from_index,
            )
        )
        if placement.stopped_at is not None:
            entries.append(
                HistoryEntry(
                    kind=HistoryKind.STOPPED,
                    at=placement.stopped_at,
                    environment=placement.environment,
                    snapshot_index=placement.to_index,
                )
            )
    return tuple(sorted(entries, key=lambda entry: (entry.at, _HISTORY_ORDER[entry.kind], entry.environment or "")))


def commit_placements(
    built: Mapping[tuple[str, str], int],
    where: Mapping[str, Sequence[Placement]],
    origins: Mapping[tuple[str, str], Provenance],
    latest: Mapping[str, int],
    *,
    include_past: bool,
) -> list[CommitPlacement]:
    """For artifacts (flow, fingerprint) built `distance` commits after the one asked about: one placement per
    environment — current when a Run is open there, else (with `include_past`) past. Current first, nearest first."""
    found: list[CommitPlacement] = []
    for (flow, fingerprint), distance in built.items():
        by_environment: dict[str, list[Placement]] = defaultdict(list)
        for placement in where.get(fingerprint, ()):
            by_environment[placement.environment].append(placement)
        for environment, items in by_environment.items():
            current = any(item.to_index is None for item in items)
            if not current and not include_past:
                continue
            last_to = None if current else max(item.to_index or 0 for item in items)
            found.append(
                CommitPlacement(
                    environment=environment,
                    snapshot_index=latest[environment] if current else (last_to or 1) - 1,
                    current=current,
                    from_index=min(item.from_index for item in items),
                    to_index=last_to,
                    distance=distance,
                    provenance=origins[(flow, fingerprint)],
                )
            )
    return sorted(
        found,
        key=lambda item: (
            not item.current,
            item.distance,
            item.environment,
            item.provenance.artifact.flow,
            item.provenance.artifact.fingerprint,
        ),
    )


def diff(
    source: DiffSide, before: Sequence[RunningArtifact], target: DiffSide, after: Sequence[RunningArtifact]
) -> SnapshotDiff:
    """Compare two running sets by fingerprint."""
    before_by = {item.fingerprint: item for item in before}
    after_by = {item.fingerprint: item for item in after}
    in_both = [item for item in after if item.fingerprint in before_by]
    return SnapshotDiff(
        source=source,
        target=target,
        only_in_source=tuple(item for item in before if item.fingerprint not in after_by),
        only_in_target=tuple(item for item in after if item.fingerprint not in before_by),
        scaled=tuple(
            Scaled(before=before_by[item.fingerprint], after=item)
            for item in in_both
            if before_by[item.fingerprint].instances != item.instances
        ),
        unchanged=tuple(item for item in in_both if before_by[item.fingerprint].instances == item.instances),
    )


def matches(item: RunningArtifact, flow: str | None, name: str | None) -> bool:
    """Whether a running artifact is of `flow`, or has `name` in its observed or reported name."""
    if flow is not None and not any(p.artifact.flow == flow for p in item.artifacts):
        return False
    if name is not None:
        return name in item.name or any(name in p.artifact.name for p in item.artifacts)
    return True


def events(
    shapes: Sequence[EventShape],
    known: dict[str, tuple[Provenance, ...]],
    deployed: dict[str, tuple[Deployment, ...]],
    flow: str | None = None,
    repo_urls: Sequence[str] = (),
) -> tuple[Event, ...]:
    """Events from their shapes with what is known of their fingerprints (only those touching `flow` and the
    repositories `repo_urls`, when given: see `touches`)."""
    return tuple(
        Event(
            type=shape.type,
            fingerprint=shape.fingerprint,
            name=shape.name,
            from_instances=shape.from_instances,
            to_instances=shape.to_instances,
            artifacts=known.get(shape.fingerprint, ()),
            deployments=deployed.get(shape.fingerprint, ()),
        )
        for shape in shapes
        if (flow is None and not repo_urls)
        or any(touches(item, flow, repo_urls) for item in known.get(shape.fingerprint, ()))
    )


def no_artifact_after(after: tuple[str, str]) -> InvalidInput:
    """A repository page's `after` (flow, fingerprint) naming no artifact."""
    return InvalidInput("after", f"no artifact '{after[1]}' in flow '{after[0]}' to page after")


def touches(item: Provenance, flow: str | None, repo_urls: Sequence[str]) -> bool:
    """Whether a build passes a log's filters: in `flow`, and built from a reported commit of one of `repo_urls`."""
    if flow is not None and item.artifact.flow != flow:
        return False
    return not repo_urls or (item.commit is not None and item.commit.repo_url in repo_urls)


def running_items(
    rows: Iterable[tuple[str, str, int, int, datetime]],
    known: Mapping[str, tuple[Provenance, ...]],
    detail: Mapping[str, tuple[Instance, ...]] | None = None,
) -> tuple[RunningArtifact, ...]:
    """Running items from (name, fingerprint, instances, since_index, since) rows, with what is known of their
    builds and, when read (`detail` not None), of their instances."""
    return tuple(
        RunningArtifact(
            fingerprint=fingerprint,
            name=name,
            instances=instances,
            since_index=since_index,
            since=since,
            artifacts=known.get(fingerprint, ()),
            instances_detail=None if detail is None else detail.get(fingerprint, ()),
        )
        for name, fingerprint, instances, since_index, since in rows
    )
