"""Snapshot semantics, the same for every backend.

A running set maps fingerprint → (observed name, instances). A report changes the environment when its running set
differs from the open Runs in fingerprints or instance counts (a new observed name alone is not a change). Snapshot
N+1 then closes the Runs that stopped or scaled and opens Runs for what started or scaled; the events of a snapshot
are read back from the Runs that open or close at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracegraph.graph.inputs import RunningArtifactInput
from tracegraph.graph.views import EventType


@dataclass(frozen=True, slots=True)
class OpenRun:
    fingerprint: str
    name: str
    instances: int


@dataclass(frozen=True, slots=True)
class RunChanges:
    """What snapshot N+1 does to the Runs: close these fingerprints' open Runs, open these Runs."""

    close: tuple[str, ...]
    open: tuple[OpenRun, ...]

    @property
    def changed(self) -> bool:
        return bool(self.close or self.open)


def plan_changes(current: Mapping[str, OpenRun], reported: Iterable[RunningArtifactInput]) -> RunChanges:
    close: list[str] = []
    opened: list[OpenRun] = []
    seen: set[str] = set()
    for running in reported:
        seen.add(running.fingerprint)
        before = current.get(running.fingerprint)
        if before is not None and before.instances == running.instances:
            continue
        if before is not None:
            close.append(running.fingerprint)
        opened.append(OpenRun(running.fingerprint, running.name, running.instances))
    close.extend(fingerprint for fingerprint in current if fingerprint not in seen)
    return RunChanges(close=tuple(sorted(close)), open=tuple(sorted(opened, key=lambda run: run.fingerprint)))


@dataclass(frozen=True, slots=True)
class EventShape:
    type: EventType
    fingerprint: str
    name: str
    from_instances: int
    to_instances: int


def events_at(opened: Iterable[OpenRun], closed: Iterable[OpenRun]) -> list[EventShape]:
    """The events of one snapshot from the Runs opening and closing at it, ordered by observed name then
    fingerprint (stable for both backends)."""
    started = {run.fingerprint: run for run in opened}
    stopped = {run.fingerprint: run for run in closed}
    events: list[EventShape] = []
    for fingerprint in started.keys() | stopped.keys():
        new, old = started.get(fingerprint), stopped.get(fingerprint)
        if new and old:
            events.append(EventShape(EventType.SCALED, fingerprint, new.name, old.instances, new.instances))
        elif new:
            events.append(EventShape(EventType.STARTED, fingerprint, new.name, 0, new.instances))
        elif old:
            events.append(EventShape(EventType.STOPPED, fingerprint, old.name, old.instances, 0))
    return sorted(events, key=lambda event: (event.name, event.fingerprint))
