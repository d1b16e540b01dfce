"""The instances detail of a Run, stored by both backends as one JSON text (a Run's detail is written once, when
the Run opens, and read whole), and the per-snapshot summaries both backends assemble from what they fetched."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import InstanceInput
from tracegraph.graph.views import Instance, SnapshotSummary

MAX_SUMMARIES = 1_000


def dump(detail: Sequence[InstanceInput]) -> str | None:
    """None when the report said nothing of its instances (nothing stored)."""
    if not detail:
        return None
    return json.dumps(
        [
            {
                "name": item.name,
                "namespace": item.namespace,
                "started_at": None if item.started_at is None else item.started_at.isoformat(),
                "context": item.context,
            }
            for item in detail
        ],
        separators=(",", ":"),
    )


def load(text: str | None) -> tuple[Instance, ...]:
    if not text:
        return ()
    return tuple(
        Instance(
            name=item["name"],
            namespace=item["namespace"],
            started_at=None if item["started_at"] is None else datetime.fromisoformat(item["started_at"]),
            context=item["context"],
        )
        for item in json.loads(text)
    )


def summary_indexes(indexes: Sequence[int]) -> list[int]:
    """The distinct indexes asked for, ascending; more than MAX_SUMMARIES is refused."""
    if len(indexes) > MAX_SUMMARIES:
        raise InvalidInput("indexes", f"at most {MAX_SUMMARIES:,} indexes in one call")
    return sorted({index for index in indexes if index >= 1})


def summaries(
    snapshots: Iterable[tuple[int, datetime]],
    runs: Iterable[tuple[str, int, int | None]],
    failing: set[str],
) -> list[SnapshotSummary]:
    """Summaries of `snapshots` (index, reported_at) from the Runs (fingerprint, from_index, to_index) spanning them
    and the fingerprints that fail compliance."""
    # Counted by bisection on the Runs' starts and ends: (Runs started by N) - (Runs ended by N) run at N.
    starts: list[int] = []
    ends: list[int] = []
    failing_starts: list[int] = []
    failing_ends: list[int] = []
    for fingerprint, first, end in runs:
        starts.append(first)
        if end is not None:
            ends.append(end)
        if fingerprint in failing:
            failing_starts.append(first)
            if end is not None:
                failing_ends.append(end)
    for values in (starts, ends, failing_starts, failing_ends):
        values.sort()
    return [
        SnapshotSummary(
            index=index,
            reported_at=reported_at,
            compliant=bisect_right(failing_starts, index) == bisect_right(failing_ends, index),
            running_total=bisect_right(starts, index) - bisect_right(ends, index),
        )
        for index, reported_at in sorted(snapshots)
    ]
