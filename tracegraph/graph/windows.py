"""What part of a snapshot a read needs: a keyset window on its running set and on its events, and which details
of their items. A query asking for the first 100 of 10,000 running artifacts, without their commits, reads 100
rows and no provenance; page k costs what page 1 costs."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
ItemKey = tuple[str, str]  # (observed name, fingerprint): the order of running sets and events


@dataclass(frozen=True, slots=True)
class Window:
    """Up to `limit` items of a list ordered by (name, fingerprint): the first ones after `key`, or — `backward` —
    the last ones before it. `limit=None` takes every item; `key=None` starts at the list's end."""

    limit: int | None = None
    key: ItemKey | None = None
    backward: bool = False

    def take(self, items: Sequence[T], key: Callable[[T], ItemKey]) -> list[T]:
        """Apply the window to a whole list already in order (for lists the store reads whole anyway)."""
        keys = [key(item) for item in items]
        if self.backward:
            stop = bisect_left(keys, self.key) if self.key is not None else len(items)
            start = 0 if self.limit is None else max(stop - self.limit, 0)
        else:
            start = bisect_right(keys, self.key) if self.key is not None else 0
            stop = len(items) if self.limit is None else min(start + self.limit, len(items))
        return list(items[start:stop])


EVERYTHING = Window()


@dataclass(frozen=True, slots=True)
class SnapshotParts:
    """The parts of a snapshot to read. None leaves a list out entirely (its total is still counted)."""

    running: Window | None = EVERYTHING
    events: Window | None = EVERYTHING
    provenance: bool = True  # the artifacts (and their commits) of running items and events
    deployments: bool = True  # the deployments of events
    compliance: bool = True  # whether the whole running set is compliant
    instances: bool = False  # the instances detail of the running items (read only when a query shows it)

    def covers(self, other: SnapshotParts) -> bool:
        """Whether an answer read for these parts holds everything `other` asks for."""
        return (
            (other.running is None or other.running == self.running)
            and (other.events is None or other.events == self.events)
            and (self.provenance or not other.provenance)
            and (self.deployments or not other.deployments)
            and (self.compliance or not other.compliance)
            and (self.instances or not other.instances)
        )


WHOLE_SNAPSHOT = SnapshotParts(instances=True)
