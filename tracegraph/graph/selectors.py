"""How readers point at snapshots and pages: `latest`, `#N`, `~N`, `@{time}`, intervals and log queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tracegraph.errors import InvalidInput
from tracegraph.graph import not_found
from tracegraph.graph.model import Environment
from tracegraph.graph.rules import Name, Timestamp, Url

SNAPSHOT_EXPR_RULE = "a snapshot expression: empty or 'latest', '#N' or 'N', '~N' (N before the latest), '@{time}'"
INTERVAL_RULE = "an interval 'A..B' of snapshot indexes with 1 <= A <= B (either end may be omitted)"
MAX_PAGE = 100
MAX_LOG_REPOS = 100


class SelectorKind(StrEnum):
    LATEST = "LATEST"
    INDEX = "INDEX"
    BEFORE_LATEST = "BEFORE_LATEST"
    AT_TIME = "AT_TIME"


class SnapshotSelector(BaseModel):
    """Which snapshot of an environment: the latest, number N, N before the latest, or the one in force at a time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SelectorKind = SelectorKind.LATEST
    value: int = 0
    at: Timestamp | None = None

    def __str__(self) -> str:
        match self.kind:
            case SelectorKind.LATEST:
                return "latest"
            case SelectorKind.INDEX:
                return f"#{self.value}"
            case SelectorKind.BEFORE_LATEST:
                return f"~{self.value}"
            case SelectorKind.AT_TIME:
                return f"@{{{self.at.isoformat() if self.at else ''}}}"


LATEST = SnapshotSelector()


def resolve_index(env: Environment, selector: SnapshotSelector, found_at: int | None = None) -> int:
    """The index `selector` points at in `env`, or the NotFound saying why none. For `@{time}` the backend fetches
    `found_at`, the index of the last snapshot reported at or before that time (None when there is none)."""
    if env.latest_index == 0:
        raise not_found.no_snapshots(env.name)
    match selector.kind:
        case SelectorKind.LATEST:
            index = env.latest_index
        case SelectorKind.INDEX:
            index = selector.value
        case SelectorKind.BEFORE_LATEST:
            index = env.latest_index - selector.value
        case SelectorKind.AT_TIME:
            assert selector.at is not None
            if found_at is None:
                raise not_found.no_snapshot_at(env.name, selector.at)
            index = found_at
    if not 1 <= index <= env.latest_index:
        raise not_found.snapshot(env.name, selector, env.latest_index)
    return int(index)


def nothing_reported(env: Environment, selector: SnapshotSelector) -> bool:
    """Whether `selector` asks for the latest snapshot of an environment never reported: a diff's empty side."""
    return env.latest_index == 0 and selector.kind is SelectorKind.LATEST


_TIME_EXPR = re.compile(r"^@\{(.+)\}$")


def parse_snapshot_expr(expr: str | None, *, field: str = "expr") -> SnapshotSelector:
    """Parse the part after the environment name. A time without a zone is read as UTC."""
    text = (expr or "").strip()
    if text in ("", "latest"):
        return LATEST
    if text.startswith("#") or parse_number(text) is not None:
        number = parse_number(text.removeprefix("#"))
        if number is not None and number >= 1:
            return SnapshotSelector(kind=SelectorKind.INDEX, value=number)
    elif text.startswith("~"):
        number = parse_number(text[1:])
        if number is not None:
            return SnapshotSelector(kind=SelectorKind.BEFORE_LATEST, value=number)
    elif match := _TIME_EXPR.match(text):
        return SnapshotSelector(kind=SelectorKind.AT_TIME, at=_parse_time(match.group(1), field))
    raise InvalidInput(field, f"must be {SNAPSHOT_EXPR_RULE}; got {text!r}")


MAX_INDEX = 2**62  # far beyond any history, and within what every backend's integers hold
# ASCII only: str.isdigit() also accepts superscripts and full-width digits.
_DIGITS = re.compile(r"^[0-9]{1,19}$")


def parse_number(text: str) -> int | None:
    """A snapshot number or count in ASCII digits; None when it is not one (or absurdly large)."""
    if not _DIGITS.match(text):
        return None
    value = int(text)
    return value if value <= MAX_INDEX else None


def _parse_time(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
        return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(field, f"time {text!r} must be ISO 8601 in range, e.g. 2022-09-06T14:52:00Z") from None


def parse_interval(text: str, *, field: str = "interval") -> tuple[int | None, int | None]:
    """`176..177` → (176, 177); `176..` → (176, None); `..177` and `177` likewise."""
    lower, separator, upper = text.strip().partition("..")
    if not separator:
        upper = lower
    low = parse_number(lower.strip()) if lower.strip() else None
    high = parse_number(upper.strip()) if upper.strip() else None
    if (lower.strip() and low is None) or (upper.strip() and high is None):
        raise InvalidInput(field, f"must be {INTERVAL_RULE}; got {text[:80]!r}")
    if (low is not None and low < 1) or (high is not None and high < 1) or (low and high and low > high):
        raise InvalidInput(field, f"must be {INTERVAL_RULE}; got {text!r}")
    return low, high


class LogQuery(BaseModel):
    """A page of an environment's log. Filters (index range, time range, flow) narrow the snapshots; paging is by
    keyset: newest first, snapshots with index below `before` (or above `after` when `oldest_first`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    org: Name
    environment: Name
    min_index: int | None = Field(default=None, ge=1, le=MAX_INDEX)
    max_index: int | None = Field(default=None, ge=1, le=MAX_INDEX)
    since: Timestamp | None = None
    until: Timestamp | None = None
    flow: Name | None = None
    # Only events of artifacts built from a reported commit of one of these repositories (with `flow`: artifacts
    # of that flow so built).
    repo_urls: list[Url] = Field(default_factory=list, max_length=MAX_LOG_REPOS)
    before: int | None = Field(default=None, ge=1, le=MAX_INDEX)
    after: int | None = Field(default=None, ge=0, le=MAX_INDEX)
    oldest_first: bool = False
    limit: int = Field(default=15, ge=1, le=MAX_PAGE)
    provenance: bool = True  # the events' artifacts (with their commits)
    deployments: bool = True  # the events' deployments

    @model_validator(mode="after")
    def _ordered(self) -> LogQuery:
        if self.min_index and self.max_index and self.min_index > self.max_index:
            raise ValueError("min_index must not exceed max_index")
        if self.since and self.until and self.since > self.until:
            raise ValueError("since must not be after until")
        return self
