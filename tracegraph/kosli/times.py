"""Times on the wire: Unix epoch seconds as JSON integers (the CLI decodes some into int64 and rejects `1.0`)."""

from __future__ import annotations

from datetime import datetime


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def epoch_or_none(moment: datetime | None) -> int | None:
    return None if moment is None else epoch(moment)
