"""Webhooks as the store keeps them, and the rules both backends and the dispatcher share: which URLs are allowed,
which changes of the feed a hook wants, what a delivery's body says, when a failed attempt is tried again.

A webhook belongs to one org and receives only that org's changes, from the first change after its creation
(`after_change`). Each (webhook, change, event) becomes at most one delivery; its `idempotency_key` is derived from
those three, so a delivery sent twice (a crash after the receiver answered, a replay) carries the same key.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import random
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, StringConstraints

from tracegraph.errors import NotFound
from tracegraph.graph.inputs import Input
from tracegraph.graph.model import Node
from tracegraph.graph.rules import Name, _valid_unicode

if TYPE_CHECKING:
    from tracegraph.graph.changes import Change

WEBHOOK_URL_RULE = (
    "an https URL, or an http URL to a loopback host (127.0.0.0/8, ::1, localhost), with a host and no user name or "
    "password, at most 2,048 characters, without whitespace or control characters"
)
SECRET_RULE = "16-256 printable ASCII characters (no spaces)"  # noqa: S105 (a rule, not a secret)
SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of generated secrets)
MAX_FILTER = 100
_NOT_IN_A_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u180e\u200b\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_SECRET = re.compile(r"[\x21-\x7e]{16,256}")


class WebhookEvent(StrEnum):
    SNAPSHOT_REPORTED = "snapshot.reported"
    ARTIFACT_REPORTED = "artifact.reported"
    DEPLOYMENT_REPORTED = "deployment.reported"
    # An artifact built from a known commit started running: one delivery per snapshot that started any.
    COMMIT_ARRIVED = "commit.arrived"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its next attempt (or being attempted: leased)
    DELIVERED = "DELIVERED"  # a 2xx answer
    FAILED = "FAILED"  # given up: a 4xx other than 408/429, or the last attempt failed


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_webhook_url(value: str) -> str:
    if _NOT_IN_A_URL.search(value):
        raise ValueError(f"must be {WEBHOOK_URL_RULE}")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise ValueError(f"must be {WEBHOOK_URL_RULE}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"must be {WEBHOOK_URL_RULE}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"must be {WEBHOOK_URL_RULE}: credentials in a URL end up in logs; sign with the secret")
    if parts.scheme == "http" and not _loopback(host):
        raise ValueError(f"must be {WEBHOOK_URL_RULE}: plain http is allowed only to a loopback host")
    return value


def _check_secret(value: str) -> str:
    if not _SECRET.fullmatch(value):
        raise ValueError(f"must be {SECRET_RULE}")
    return value


WebhookUrl = Annotated[
    str,
    BeforeValidator(_valid_unicode),
    StringConstraints(max_length=2048, strip_whitespace=True),
    AfterValidator(_check_webhook_url),
]
WebhookSecret = Annotated[str, BeforeValidator(_valid_unicode), AfterValidator(_check_secret)]


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class WebhookInput(Input):
    """A new webhook of `org`. `secret` is kept as given (it signs every delivery) and never answered again;
    `environments` and `flows`, when not empty, narrow the events that name an environment or a flow."""

    org: Name
    url: WebhookUrl
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WebhookEvent))
    secret: WebhookSecret
    environments: list[Name] = Field(default_factory=list, max_length=MAX_FILTER)
    flows: list[Name] = Field(default_factory=list, max_length=MAX_FILTER)
    active: bool = True


class Webhook(Node):
    """A webhook as listed: never its secret."""

    org: str
    id: str
    url: str
    events: tuple[WebhookEvent, ...]
    environments: tuple[str, ...]
    flows: tuple[str, ...]
    active: bool
    created_at: datetime
    after_change: int  # the feed's last id when it was created: it receives the changes after it


class DeliveryAttempt(Node):
    series: int  # 1, then one more per replay
    number: int  # 1.. within the series
    at: datetime
    duration_ms: float
    status_code: int | None  # the receiver's answer; None when none came (error says why)
    error: str | None


class Delivery(Node):
    org: str
    id: str
    webhook: str
    change_id: int
    event: WebhookEvent
    idempotency_key: str
    body: str  # the JSON sent, byte for byte the same on every attempt
    status: DeliveryStatus
    series: int
    created_at: datetime
    next_attempt_at: datetime | None
    attempts: tuple[DeliveryAttempt, ...] = ()


class PlannedDelivery(Node):
    """A delivery the dispatcher decided on, as the store inserts it (once per webhook, change and event)."""

    org: str
    id: str
    webhook: str
    change_id: int
    event: WebhookEvent
    idempotency_key: str
    body: str


class DispatchState(Node):
    """Where the dispatcher stands: the last change turned into deliveries, the webhooks' generation (bumped by
    each create and delete, so a plan made before a hook changed is refused), and the active hooks."""

    cursor: int
    generation: int
    webhooks: tuple[Webhook, ...]


class DeliveryJob(Node):
    """A claimed delivery with what sending it needs."""

    org: str
    id: str
    webhook: str
    url: str
    secret: SecretStr  # SecretStr: a job logged by mistake shows `**********`
    event: WebhookEvent
    idempotency_key: str
    body: str
    series: int
    attempt: int  # this attempt's number within the series


class AttemptOutcome(Node):
    """An attempt as sent and what follows it: the delivery's new status and, when PENDING, its next time."""

    org: str
    delivery: str
    owner: str
    series: int
    number: int
    at: datetime
    duration_ms: float
    status_code: int | None
    error: str | None
    status: DeliveryStatus
    next_attempt_at: datetime | None


def not_found_webhook(org: str, webhook_id: str) -> NotFound:
    return NotFound(f"webhook '{webhook_id}' not found in org '{org}'")


def not_found_delivery(org: str, delivery_id: str) -> NotFound:
    return NotFound(f"webhook delivery '{delivery_id}' not found in org '{org}'")


# --- which changes a webhook wants, and what it is sent ---


def idempotency_key(webhook_id: str, change_id: int, event: WebhookEvent) -> str:
    return hashlib.sha256(f"{webhook_id}/{change_id}/{event.value}".encode()).hexdigest()[:32]


def _events_of(change: Change) -> list[tuple[WebhookEvent, dict[str, Any]]]:
    """The webhook events a change makes, each with its `data` (before a hook's filters)."""
    kind = change.kind.value
    if kind == "SNAPSHOT_REPORTED":
        started = [{"flow": s.flow, "fingerprint": s.fingerprint, "commit": s.commit} for s in change.started]
        snapshot = {"environment": change.environment, "snapshot_index": change.snapshot_index}
        events = [(WebhookEvent.SNAPSHOT_REPORTED, {**snapshot, "started": started})]
        commits = [{"sha": s["commit"], "flow": s["flow"], "fingerprint": s["fingerprint"]} for s in started]
        arrived = [commit for commit in commits if commit["sha"] is not None]
        if arrived:
            events.append((WebhookEvent.COMMIT_ARRIVED, {**snapshot, "commits": arrived}))
        return events
    if kind == "ARTIFACT_REPORTED":
        return [(WebhookEvent.ARTIFACT_REPORTED, {"flow": change.flow, "fingerprint": change.fingerprint})]
    if kind == "DEPLOYMENT_REPORTED":
        data = {"environment": change.environment, "flow": change.flow, "fingerprint": change.fingerprint}
        return [(WebhookEvent.DEPLOYMENT_REPORTED, {**data, "deployment_number": change.deployment_number})]
    return []


def _filtered(hook: Webhook, event: WebhookEvent, data: dict[str, Any]) -> dict[str, Any] | None:
    """`data` as `hook` sees it, or None when its filters leave nothing. An environment filter applies to events
    that name an environment; a flow filter to those that name a flow, and to the commits of `commit.arrived`."""
    if hook.environments and data.get("environment") is not None and data["environment"] not in hook.environments:
        return None
    if not hook.flows:
        return data
    if event is WebhookEvent.COMMIT_ARRIVED:
        commits = [commit for commit in data["commits"] if commit["flow"] in hook.flows]
        return {**data, "commits": commits} if commits else None
    if "flow" in data and data["flow"] not in hook.flows:
        return None
    return data


def body(delivery_id: str, event: WebhookEvent, key: str, change: Change, data: dict[str, Any]) -> str:
    document = {
        "id": delivery_id,
        "event": event.value,
        "idempotency_key": key,
        "org": change.org,
        "occurred_at": change.at.isoformat().replace("+00:00", "Z"),
        "data": {"change_id": change.id, **data},
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def plan(changes: Sequence[Change], webhooks: Sequence[Webhook]) -> list[PlannedDelivery]:
    """The deliveries `changes` make for the active `webhooks`: a hook gets only its org's changes, after its
    creation, of the events it asked for, through its filters."""
    by_org: dict[str, list[Webhook]] = {}
    for hook in webhooks:
        if hook.active:
            by_org.setdefault(hook.org, []).append(hook)
    planned: list[PlannedDelivery] = []
    for change in changes:
        hooks = [hook for hook in by_org.get(change.org, ()) if change.id > hook.after_change]
        if not hooks:
            continue
        for event, data in _events_of(change):
            for hook in hooks:
                seen = _filtered(hook, event, data) if event in hook.events else None
                if seen is None:
                    continue
                delivery_id = secrets.token_hex(16)
                key = idempotency_key(hook.id, change.id, event)
                planned.append(
                    PlannedDelivery(
                        org=change.org,
                        id=delivery_id,
                        webhook=hook.id,
                        change_id=change.id,
                        event=event,
                        idempotency_key=key,
                        body=body(delivery_id, event, key, change, seen),
                    )
                )
    return planned


# --- retries ---

MAX_BACKOFF = timedelta(hours=1)


def retryable(status_code: int | None) -> bool:
    """Network errors (no status), 5xx, 408 and 429 are tried again; any other 4xx (and a 3xx: redirects are not
    followed) fails the delivery at once."""
    return status_code is None or status_code >= 500 or status_code in (408, 429)


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A `Retry-After` header: seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - now, timedelta(0))


def backoff(attempt: int, base: timedelta, *, rng: random.Random | None = None) -> timedelta:
    """After failed attempt `attempt` (1..): base x 2^(attempt-1), capped at an hour, of which a random half is
    taken off ("equal jitter"), so receivers coming back from an outage are not hit by every sender at once."""
    full: timedelta = min(base * (2 ** min(attempt - 1, 30)), MAX_BACKOFF)
    jitter: float = (rng or _RANDOM).random()
    return full / 2 + full / 2 * jitter


_RANDOM = random.Random()  # noqa: S311 (jitter, not a secret)


def next_step(
    attempt: int,
    status_code: int | None,
    *,
    now: datetime,
    max_attempts: int,
    base: timedelta,
    wait: timedelta | None = None,
) -> tuple[DeliveryStatus, datetime | None]:
    """The delivery's status after attempt `attempt` answered `status_code` (None: no answer), and when to try
    again. `wait` is the receiver's Retry-After, honoured up to an hour."""
    if status_code is not None and 200 <= status_code < 300:
        return DeliveryStatus.DELIVERED, None
    if not retryable(status_code) or attempt >= max_attempts:
        return DeliveryStatus.FAILED, None
    delay = backoff(attempt, base)
    if wait is not None:
        delay = max(delay, min(wait, MAX_BACKOFF))
    return DeliveryStatus.PENDING, now + delay
