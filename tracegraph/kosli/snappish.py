"""Snapshot expressions as the CLI sends them (SPEC §2.13-2.15): `-N` (1 = latest), `N`, `#N`, `~N`,
`@{YYYY-MM-DDTHH:MM:SS}`, `@{N.hours|days|weeks|months.ago}`, `@{now}`; snappishes `ENV[expr]`; intervals `A..B`."""

from __future__ import annotations

import re
from datetime import timedelta

from tracegraph.errors import InvalidInput
from tracegraph.graph.rules import utc_now
from tracegraph.graph.selectors import (
    LATEST,
    SelectorKind,
    SnapshotSelector,
    parse_number,
    parse_snapshot_expr,
)

_AGO = re.compile(r"^@\{\s*(\d{1,9})\.(hour|hours|day|days|week|weeks|month|months)\.ago\s*\}$")
# A month is taken as 30 days: Kosli does not say what it means by one.
_UNIT = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30)}
SEPARATORS = "~#@"


def expression(text: str, *, field: str = "snapshot_expression") -> SnapshotSelector:
    text = text.strip()
    if text.startswith("-"):
        number = parse_number(text[1:])
        if number is None or number < 1:
            raise InvalidInput(field, f"must be -N with N >= 1 (-1 is the latest); got {text[:40]!r}")
        return LATEST if number == 1 else SnapshotSelector(kind=SelectorKind.BEFORE_LATEST, value=number - 1)
    if text.lstrip("#") == "0":
        raise InvalidInput(field, "snapshot indexes are 1-based; got 0")
    if match := _AGO.match(text):
        delta = _UNIT[match.group(2).removesuffix("s")] * int(match.group(1))
        return SnapshotSelector(kind=SelectorKind.AT_TIME, at=utc_now() - delta)
    if text.replace(" ", "").lower() == "@{now}":
        return LATEST
    return parse_snapshot_expr(text, field=field)


def snappish(text: str, *, field: str) -> tuple[str, SnapshotSelector]:
    """`aws-beta#199` → ("aws-beta", #199); the environment alone is its latest snapshot."""
    cut = min((text.index(mark) for mark in SEPARATORS if mark in text), default=len(text))
    environment, rest = text[:cut], text[cut:]
    if not environment:
        raise InvalidInput(
            field, f"must be ENVIRONMENT, ENVIRONMENT#N, ENVIRONMENT~N or ENVIRONMENT@{{time}}; got {text[:80]!r}"
        )
    return environment, (expression(rest, field=field) if rest else LATEST)


def interval(text: str, latest: int, *, field: str = "interval") -> tuple[int, int] | None:
    """`A..B`, inclusive, each side `N`, `~N` or `NOW`; an omitted lower side is 1, an omitted upper side NOW.
    None when empty. Sides out of range are clamped to 1..latest."""
    text = text.strip()
    if not text:
        return None
    lower, separator, upper = text.partition("..")
    if not separator:
        upper = lower
    low = _side(lower, latest, default=1, field=field, whole=text)
    high = _side(upper, latest, default=latest, field=field, whole=text)
    if low > high:
        raise InvalidInput(field, f"must be an interval A..B with A <= B; got {text[:80]!r}")
    return max(low, 1), min(high, latest)


def _side(text: str, latest: int, *, default: int, field: str, whole: str) -> int:
    text = text.strip()
    if not text:
        return default
    if text.upper() == "NOW":
        return latest
    number = parse_number(text[1:] if text.startswith("~") else text)
    if number is None or (not text.startswith("~") and number < 1):
        raise InvalidInput(field, f"must be an interval A..B of N, ~N or NOW (N >= 1); got {whole[:80]!r}")
    return latest - number if text.startswith("~") else number
