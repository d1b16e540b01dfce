"""Webhooks on SQLite (schema step 11): the hooks, the dispatcher's cursor over the change feed, deliveries and
their attempts. Every function runs inside the caller's transaction; writers are serialised by `BEGIN IMMEDIATE`
across processes, so a claim or a cursor move is never made twice."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from tracegraph.graph.embedded import changes as feed
from tracegraph.graph.embedded import reads
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.rules import utc_now
from tracegraph.graph.webhooks import (
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryJob,
    DeliveryStatus,
    DispatchState,
    PlannedDelivery,
    Webhook,
    WebhookEvent,
    WebhookInput,
    not_found_delivery,
    not_found_webhook,
)

INSERT_WEBHOOK = """
    INSERT INTO webhooks (org, id, url, events, environments, flows, secret, active, created_at, after_change)
    VALUES (:org, :id, :url, :events, :environments, :flows, :secret, :active, :created_at, :after_change)
"""
SELECT_WEBHOOK = "SELECT * FROM webhooks WHERE org = ? AND id = ?"
SELECT_WEBHOOKS = "SELECT * FROM webhooks WHERE org = ? ORDER BY created_at, id"
SELECT_ACTIVE = "SELECT * FROM webhooks WHERE active = 1 ORDER BY org, created_at, id"
DELETE_WEBHOOK = "DELETE FROM webhooks WHERE org = ? AND id = ?"
DELETE_ATTEMPTS_OF_WEBHOOK = """
    DELETE FROM webhook_attempts WHERE org = ? AND delivery IN (
        SELECT id FROM webhook_deliveries WHERE org = ? AND webhook = ?)
"""
DELETE_DELIVERIES_OF_WEBHOOK = "DELETE FROM webhook_deliveries WHERE org = ? AND webhook = ?"
# One row: the last change turned into deliveries, and the generation of the set of hooks.
SELECT_CURSOR = "SELECT change_id, generation FROM webhook_cursor WHERE key = 'feed'"
# A new hook starts the cursor at the feed's end when there is none yet (no hook ever wanted anything before).
BUMP_CURSOR = """
    INSERT INTO webhook_cursor (key, change_id, generation) VALUES ('feed', :last, 1)
    ON CONFLICT (key) DO UPDATE SET generation = generation + 1
"""
MOVE_CURSOR = "UPDATE webhook_cursor SET change_id = :through WHERE key = 'feed' AND change_id = :cursor"
INSERT_DELIVERY = """
    INSERT OR IGNORE INTO webhook_deliveries (org, id, webhook, change_id, event, idempotency_key, body, status, series,
        tries, created_at, next_attempt_at)
    VALUES (:org, :id, :webhook, :change_id, :event, :idempotency_key, :body, 'PENDING', 1, 0, :now, :now)
"""
SELECT_DELIVERY = "SELECT * FROM webhook_deliveries WHERE org = ? AND id = ?"
SELECT_DELIVERIES = """
    SELECT * FROM webhook_deliveries INDEXED BY webhook_deliveries_by_hook
    WHERE org = :org AND webhook = :webhook AND (:failed = 0 OR status = 'FAILED')
      AND (:before_change IS NULL OR (change_id, event) < (:before_change, :before_event))
    ORDER BY change_id DESC, event DESC LIMIT :limit
"""
SELECT_ATTEMPTS = """
    SELECT a.* FROM json_each(:ids) AS i CROSS JOIN webhook_attempts AS a
    WHERE a.org = :org AND a.delivery = i.value ORDER BY a.delivery, a.series, a.number
"""
# Due, and not leased by a live claim: a lease past its time belongs to a process that died mid-send.
SELECT_DUE = """
    SELECT d.org, d.id, d.webhook, d.event, d.idempotency_key, d.body, d.series, d.tries, w.url, w.secret
    FROM webhook_deliveries AS d INDEXED BY webhook_deliveries_due
    JOIN webhooks AS w ON w.org = d.org AND w.id = d.webhook
    WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now AND (d.lease_until IS NULL OR d.lease_until <= :now)
    ORDER BY d.next_attempt_at LIMIT :limit
"""
LEASE = "UPDATE webhook_deliveries SET lease_owner = :owner, lease_until = :until WHERE org = :org AND id = :id"
INSERT_ATTEMPT = """
    INSERT OR IGNORE INTO webhook_attempts (org, delivery, series, number, at, duration_ms, status_code, error)
    VALUES (:org, :delivery, :series, :number, :at, :duration_ms, :status_code, :error)
"""
# Only the holder of the lease moves the delivery on: a replay (or a claim after the lease ran out) took it over.
FINISH_ATTEMPT = """
    UPDATE webhook_deliveries
    SET status = :status, tries = :number, next_attempt_at = :next_attempt_at, lease_owner = NULL, lease_until = NULL
    WHERE org = :org AND id = :delivery AND lease_owner = :owner AND series = :series
"""
REPLAY = """
    UPDATE webhook_deliveries
    SET status = 'PENDING', series = series + 1, tries = 0, next_attempt_at = :now, lease_owner = NULL,
        lease_until = NULL
    WHERE org = :org AND id = :id
"""


def _names(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def webhook(row: sqlite3.Row) -> Webhook:
    return Webhook(
        org=row["org"],
        id=row["id"],
        url=row["url"],
        events=tuple(WebhookEvent(event) for event in json.loads(row["events"])),
        environments=_names(row["environments"]),
        flows=_names(row["flows"]),
        active=bool(row["active"]),
        created_at=from_micros(row["created_at"]),
        after_change=row["after_change"],
    )


def _attempt(row: sqlite3.Row) -> DeliveryAttempt:
    return DeliveryAttempt(
        series=row["series"],
        number=row["number"],
        at=from_micros(row["at"]),
        duration_ms=row["duration_ms"],
        status_code=row["status_code"],
        error=row["error"],
    )


def _delivery(row: sqlite3.Row, attempts: Sequence[DeliveryAttempt]) -> Delivery:
    next_at = row["next_attempt_at"]
    status = DeliveryStatus(row["status"])
    return Delivery(
        org=row["org"],
        id=row["id"],
        webhook=row["webhook"],
        change_id=row["change_id"],
        event=WebhookEvent(row["event"]),
        idempotency_key=row["idempotency_key"],
        body=row["body"],
        status=status,
        series=row["series"],
        created_at=from_micros(row["created_at"]),
        next_attempt_at=from_micros(next_at) if status is DeliveryStatus.PENDING and next_at is not None else None,
        attempts=tuple(attempts),
    )


def _with_attempts(connection: sqlite3.Connection, org: str, found: list[sqlite3.Row]) -> list[Delivery]:
    by_delivery: dict[str, list[DeliveryAttempt]] = {row["id"]: [] for row in found}
    if found:
        ids = json.dumps(list(by_delivery))
        for row in connection.execute(SELECT_ATTEMPTS, {"ids": ids, "org": org}):
            by_delivery[row["delivery"]].append(_attempt(row))
    return [_delivery(row, by_delivery[row["id"]]) for row in found]


def create_webhook(connection: sqlite3.Connection, webhook_input: WebhookInput) -> Webhook:
    reads.require_org(connection, webhook_input.org)
    last = feed.last_change_id(connection)
    values = {
        "org": webhook_input.org,
        "id": uuid.uuid4().hex,
        "url": webhook_input.url,
        "events": json.dumps(sorted({event.value for event in webhook_input.events})),
        "environments": json.dumps(sorted(set(webhook_input.environments))),
        "flows": json.dumps(sorted(set(webhook_input.flows))),
        "secret": webhook_input.secret,
        "active": int(webhook_input.active),
        "created_at": to_micros(utc_now()),
        "after_change": last,
    }
    connection.execute(INSERT_WEBHOOK, values)
    connection.execute(BUMP_CURSOR, {"last": last})
    return webhook(connection.execute(SELECT_WEBHOOK, (webhook_input.org, values["id"])).fetchone())


def list_webhooks(connection: sqlite3.Connection, org: str) -> list[Webhook]:
    reads.require_org(connection, org)
    return [webhook(row) for row in connection.execute(SELECT_WEBHOOKS, (org,))]


def _require_webhook(connection: sqlite3.Connection, org: str, webhook_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = connection.execute(SELECT_WEBHOOK, (org, webhook_id)).fetchone()
    if row is None:
        reads.require_org(connection, org)
        raise not_found_webhook(org, webhook_id)
    return row


def delete_webhook(connection: sqlite3.Connection, org: str, webhook_id: str) -> Webhook:
    found = webhook(_require_webhook(connection, org, webhook_id))
    connection.execute(DELETE_ATTEMPTS_OF_WEBHOOK, (org, org, webhook_id))
    connection.execute(DELETE_DELIVERIES_OF_WEBHOOK, (org, webhook_id))
    connection.execute(DELETE_WEBHOOK, (org, webhook_id))
    connection.execute(BUMP_CURSOR, {"last": feed.last_change_id(connection)})
    return found


def deliveries(
    connection: sqlite3.Connection,
    org: str,
    webhook_id: str,
    *,
    limit: int,
    before: tuple[int, str] | None,
    failed_only: bool,
) -> list[Delivery]:
    _require_webhook(connection, org, webhook_id)
    values = {
        "org": org,
        "webhook": webhook_id,
        "failed": int(failed_only),
        "before_change": before[0] if before else None,
        "before_event": before[1] if before else None,
        "limit": limit,
    }
    return _with_attempts(connection, org, connection.execute(SELECT_DELIVERIES, values).fetchall())


def delivery(connection: sqlite3.Connection, org: str, delivery_id: str) -> Delivery:
    row = connection.execute(SELECT_DELIVERY, (org, delivery_id)).fetchone()
    if row is None:
        reads.require_org(connection, org)
        raise not_found_delivery(org, delivery_id)
    return _with_attempts(connection, org, [row])[0]


def replay(connection: sqlite3.Connection, org: str, delivery_id: str) -> Delivery:
    if connection.execute(REPLAY, {"org": org, "id": delivery_id, "now": to_micros(utc_now())}).rowcount == 0:
        reads.require_org(connection, org)
        raise not_found_delivery(org, delivery_id)
    return delivery(connection, org, delivery_id)


def dispatch_state(connection: sqlite3.Connection) -> DispatchState | None:
    row = connection.execute(SELECT_CURSOR).fetchone()
    if row is None:
        return None
    hooks = tuple(webhook(found) for found in connection.execute(SELECT_ACTIVE))
    return DispatchState(cursor=row["change_id"], generation=row["generation"], webhooks=hooks)


def enqueue(
    connection: sqlite3.Connection,
    *,
    cursor: int,
    generation: int,
    through: int,
    planned: Sequence[PlannedDelivery],
) -> bool:
    """Insert `planned` and move the cursor from `cursor` to `through`, unless another process moved it or the
    hooks changed since the plan was made (then nothing is written and the caller plans again)."""
    row = connection.execute(SELECT_CURSOR).fetchone()
    if row is None or row["change_id"] != cursor or row["generation"] != generation:
        return False
    now = to_micros(utc_now())
    connection.executemany(INSERT_DELIVERY, [item.model_dump(mode="json") | {"now": now} for item in planned])
    connection.execute(MOVE_CURSOR, {"through": through, "cursor": cursor})
    return True


def claim(connection: sqlite3.Connection, owner: str, *, lease: timedelta, limit: int) -> list[DeliveryJob]:
    now = utc_now()
    due = connection.execute(SELECT_DUE, {"now": to_micros(now), "limit": limit}).fetchall()
    until = to_micros(now + lease)
    connection.executemany(LEASE, [{"owner": owner, "until": until, "org": row["org"], "id": row["id"]} for row in due])
    return [
        DeliveryJob(
            org=row["org"],
            id=row["id"],
            webhook=row["webhook"],
            url=row["url"],
            secret=row["secret"],
            event=WebhookEvent(row["event"]),
            idempotency_key=row["idempotency_key"],
            body=row["body"],
            series=row["series"],
            attempt=row["tries"] + 1,
        )
        for row in due
    ]


def record_attempt(connection: sqlite3.Connection, outcome: AttemptOutcome) -> None:
    values = {
        "org": outcome.org,
        "delivery": outcome.delivery,
        "owner": outcome.owner,
        "series": outcome.series,
        "number": outcome.number,
        "at": to_micros(outcome.at),
        "duration_ms": outcome.duration_ms,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "status": outcome.status.value,
        "next_attempt_at": _micros(outcome.next_attempt_at),
    }
    connection.execute(INSERT_ATTEMPT, values)
    connection.execute(FINISH_ATTEMPT, values)


def _micros(moment: datetime | None) -> int | None:
    return None if moment is None else to_micros(moment)
