"""When a reported snapshot happened: never earlier than the environment's latest snapshot.

Snapshot times never decrease along the index (the environment log's time filters rely on it). An explicit time
earlier than the latest snapshot's is refused; a defaulted one (the server's clock, which may be behind another
server's) is raised to it.
"""

from __future__ import annotations

from datetime import datetime

from tracegraph.errors import InvalidInput
from tracegraph.graph.model import Snapshot


def snapshot_time(reported_at: datetime | None, *, now: datetime, latest: Snapshot | None) -> datetime:
    """The time of a report given at `reported_at` (None: `now`), the environment's latest snapshot being `latest`."""
    at = reported_at or now
    if latest is None:
        return at
    if reported_at is not None and reported_at < latest.reported_at:
        raise InvalidInput(
            "reported_at",
            f"must not be earlier than the latest snapshot #{latest.index} ({latest.reported_at.isoformat()})",
        )
    return max(at, latest.reported_at)
