"""Times as the tutorial prints them: RFC 1123 in the local zone (`Tue, 06 Sep 2022 16:52:28 CEST`), and ages."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def rfc1123(value: str | datetime) -> str:
    moment = parse_time(value) if isinstance(value, str) else value
    return moment.astimezone().strftime("%a, %d %b %Y %H:%M:%S %Z")


_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))


def age(value: str | datetime, now: datetime | None = None) -> str:
    moment = parse_time(value) if isinstance(value, str) else value
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def span(seconds: int) -> str:
    """A duration in its largest whole unit: `45 seconds`, `1 minute`, `2 days`."""
    for unit, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
