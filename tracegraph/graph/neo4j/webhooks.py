"""Webhooks on Neo4j (schema step 9): `(:Webhook {org, id})`, `(:WebhookDelivery {org, id})` keyed once per
(webhook, change, event), `(:WebhookAttempt {org, delivery, series, number})`, and one `(:WebhookCursor {key})`
node holding the dispatcher's place in the change feed and the hooks' generation.

Every function runs inside the caller's transaction. What must not happen twice (moving the cursor, claiming a
delivery) first takes the cursor node's write lock, held to the commit, so dispatchers in several processes take
turns; managed transactions may run again after a transient failure, so writes MERGE on their keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from tracegraph.graph.neo4j import changes as feed
from tracegraph.graph.neo4j.records import maybe_datetime, to_datetime
from tracegraph.graph.neo4j.transaction import Row, Tx, execute, existing, fetch
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

_HOOK = "w {.org, .id, .url, .events, .environments, .flows, .active, .created_at, .after_change}"  # no secret

CREATE_WEBHOOK = (
    """
MATCH (:Org {name: $org})
CREATE (w:Webhook {org: $org, id: $id, url: $url, events: $events, environments: $environments, flows: $flows,
                   secret: $secret, active: $active, created_at: $now, after_change: $last})
RETURN """
    + _HOOK
    + " AS hook"
)
# Creating or deleting a hook bumps the generation: a plan made before is refused (see `enqueue`).
BUMP_CURSOR = """
MERGE (c:WebhookCursor {key: 'feed'})
ON CREATE SET c.change_id = $last, c.generation = 0
SET c.generation = c.generation + 1
"""
LIST_WEBHOOKS = "MATCH (w:Webhook {org: $org}) RETURN " + _HOOK + " AS hook ORDER BY w.created_at, w.id"
GET_WEBHOOK = "MATCH (w:Webhook {org: $org, id: $id}) RETURN " + _HOOK + " AS hook"
DELETE_WEBHOOK = """
MATCH (w:Webhook {org: $org, id: $id})
OPTIONAL MATCH (d:WebhookDelivery {org: $org, webhook: $id})
OPTIONAL MATCH (a:WebhookAttempt {org: $org, delivery: d.id})
DETACH DELETE a, d, w
"""
DISPATCH_STATE = (
    """
MATCH (c:WebhookCursor {key: 'feed'})
RETURN c.change_id AS cursor, c.generation AS generation,
       COLLECT { MATCH (w:Webhook) WHERE w.active RETURN """
    + _HOOK
    + """ } AS hooks
"""
)
# The lock first (SET on the node), then the check: two dispatchers cannot both move the cursor from one place.
LOCK_CURSOR = """
MATCH (c:WebhookCursor {key: 'feed'})
SET c.lock = randomUUID()
RETURN c.change_id AS cursor, c.generation AS generation
"""
INSERT_DELIVERIES = """
UNWIND $planned AS p
MERGE (d:WebhookDelivery {webhook: p.webhook, change_id: p.change_id, event: p.event})
ON CREATE SET d.org = p.org, d.id = p.id, d.idempotency_key = p.idempotency_key, d.body = p.body,
              d.status = 'PENDING', d.series = 1, d.tries = 0, d.created_at = $now, d.next_attempt_at = $now
"""
MOVE_CURSOR = "MATCH (c:WebhookCursor {key: 'feed'}) SET c.change_id = $through"
_DELIVERY = (
    "d {.*, attempts: COLLECT { MATCH (a:WebhookAttempt {org: d.org, delivery: d.id}) "
    "RETURN a {.*} AS a ORDER BY a.series, a.number }}"
)
DELIVERIES = (
    """
MATCH (d:WebhookDelivery {org: $org, webhook: $webhook})
WHERE (NOT $failed OR d.status = 'FAILED')
  AND ($before_change IS NULL OR d.change_id < $before_change
       OR (d.change_id = $before_change AND d.event < $before_event))
WITH d ORDER BY d.change_id DESC, d.event DESC LIMIT $limit
RETURN """
    + _DELIVERY
    + " AS delivery"
)
GET_DELIVERY = "MATCH (d:WebhookDelivery {org: $org, id: $id}) RETURN " + _DELIVERY + " AS delivery"
REPLAY = """
MATCH (d:WebhookDelivery {org: $org, id: $id})
SET d.status = 'PENDING', d.series = d.series + 1, d.tries = 0, d.next_attempt_at = $now, d.lease_owner = null,
    d.lease_until = null
"""
CLAIM = """
MATCH (d:WebhookDelivery {status: 'PENDING'})
WHERE d.next_attempt_at <= $now AND (d.lease_until IS NULL OR d.lease_until <= $now)
WITH d ORDER BY d.next_attempt_at LIMIT $limit
MATCH (w:Webhook {org: d.org, id: d.webhook})
SET d.lease_owner = $owner, d.lease_until = $until
RETURN d {.org, .id, .webhook, .event, .idempotency_key, .body, .series, .tries} AS delivery, w.url AS url,
       w.secret AS secret
"""
INSERT_ATTEMPT = """
MERGE (a:WebhookAttempt {org: $org, delivery: $delivery, series: $series, number: $number})
ON CREATE SET a.at = $at, a.duration_ms = $duration_ms, a.status_code = $status_code, a.error = $error
"""
# Only the holder of the lease moves the delivery on: a replay (or a claim after the lease ran out) took it over.
FINISH_ATTEMPT = """
MATCH (d:WebhookDelivery {org: $org, id: $delivery})
WHERE d.lease_owner = $owner AND d.series = $series
SET d.status = $status, d.tries = $number, d.next_attempt_at = $next_attempt_at, d.lease_owner = null,
    d.lease_until = null
"""


def webhook(props: Row) -> Webhook:
    return Webhook(
        org=props["org"],
        id=props["id"],
        url=props["url"],
        events=tuple(WebhookEvent(event) for event in props["events"]),
        environments=tuple(props["environments"]),
        flows=tuple(props["flows"]),
        active=bool(props["active"]),
        created_at=to_datetime(props["created_at"]),
        after_change=int(props["after_change"]),
    )


def _delivery(props: Row) -> Delivery:
    status = DeliveryStatus(props["status"])
    return Delivery(
        org=props["org"],
        id=props["id"],
        webhook=props["webhook"],
        change_id=int(props["change_id"]),
        event=WebhookEvent(props["event"]),
        idempotency_key=props["idempotency_key"],
        body=props["body"],
        status=status,
        series=int(props["series"]),
        created_at=to_datetime(props["created_at"]),
        next_attempt_at=maybe_datetime(props.get("next_attempt_at")) if status is DeliveryStatus.PENDING else None,
        attempts=tuple(
            DeliveryAttempt(
                series=int(a["series"]),
                number=int(a["number"]),
                at=to_datetime(a["at"]),
                duration_ms=float(a["duration_ms"]),
                status_code=a.get("status_code"),
                error=a.get("error"),
            )
            for a in props["attempts"]
        ),
    )


async def create_webhook(tx: Tx, webhook_input: WebhookInput, now: datetime) -> Webhook:
    last = await feed.last_change_id(tx)
    rows = await fetch(
        tx,
        CREATE_WEBHOOK,
        org=webhook_input.org,
        id=uuid.uuid4().hex,
        url=webhook_input.url,
        events=sorted({event.value for event in webhook_input.events}),
        environments=sorted(set(webhook_input.environments)),
        flows=sorted(set(webhook_input.flows)),
        secret=webhook_input.secret,
        active=webhook_input.active,
        now=now,
        last=last,
    )
    if not rows:
        (await existing(tx, webhook_input.org)).require_org()
    await execute(tx, BUMP_CURSOR, last=last)
    return webhook(rows[0]["hook"])


async def list_webhooks(tx: Tx, org: str) -> list[Webhook]:
    (await existing(tx, org)).require_org()
    return [webhook(row["hook"]) for row in await fetch(tx, LIST_WEBHOOKS, org=org)]


async def _require_webhook(tx: Tx, org: str, webhook_id: str) -> Webhook:
    rows = await fetch(tx, GET_WEBHOOK, org=org, id=webhook_id)
    if not rows:
        (await existing(tx, org)).require_org()
        raise not_found_webhook(org, webhook_id)
    return webhook(rows[0]["hook"])


async def delete_webhook(tx: Tx, org: str, webhook_id: str) -> Webhook:
    found = await _require_webhook(tx, org, webhook_id)
    await execute(tx, DELETE_WEBHOOK, org=org, id=webhook_id)
    await execute(tx, BUMP_CURSOR, last=await feed.last_change_id(tx))
    return found


async def deliveries(
    tx: Tx, org: str, webhook_id: str, *, limit: int, before: tuple[int, str] | None, failed_only: bool
) -> list[Delivery]:
    await _require_webhook(tx, org, webhook_id)
    rows = await fetch(
        tx,
        DELIVERIES,
        org=org,
        webhook=webhook_id,
        failed=failed_only,
        before_change=before[0] if before else None,
        before_event=before[1] if before else None,
        limit=limit,
    )
    return [_delivery(row["delivery"]) for row in rows]


async def delivery(tx: Tx, org: str, delivery_id: str) -> Delivery:
    rows = await fetch(tx, GET_DELIVERY, org=org, id=delivery_id)
    if not rows:
        (await existing(tx, org)).require_org()
        raise not_found_delivery(org, delivery_id)
    return _delivery(rows[0]["delivery"])


async def replay(tx: Tx, org: str, delivery_id: str, now: datetime) -> Delivery:
    await delivery(tx, org, delivery_id)
    await execute(tx, REPLAY, org=org, id=delivery_id, now=now)
    return await delivery(tx, org, delivery_id)


async def dispatch_state(tx: Tx) -> DispatchState | None:
    rows = await fetch(tx, DISPATCH_STATE)
    if not rows:
        return None
    row = rows[0]
    return DispatchState(
        cursor=int(row["cursor"]),
        generation=int(row["generation"]),
        webhooks=tuple(webhook(props) for props in row["hooks"]),
    )


async def enqueue(
    tx: Tx, *, cursor: int, generation: int, through: int, planned: Sequence[PlannedDelivery], now: datetime
) -> bool:
    rows = await fetch(tx, LOCK_CURSOR)
    if not rows or rows[0]["cursor"] != cursor or rows[0]["generation"] != generation:
        return False
    if planned:
        await execute(tx, INSERT_DELIVERIES, planned=[item.model_dump(mode="json") for item in planned], now=now)
    await execute(tx, MOVE_CURSOR, through=through)
    return True


async def claim(tx: Tx, owner: str, *, lease: timedelta, limit: int, now: datetime) -> list[DeliveryJob]:
    if not await fetch(tx, LOCK_CURSOR):
        return []  # no webhook was ever created
    rows = await fetch(tx, CLAIM, now=now, until=now + lease, owner=owner, limit=limit)
    return [
        DeliveryJob(
            org=row["delivery"]["org"],
            id=row["delivery"]["id"],
            webhook=row["delivery"]["webhook"],
            url=row["url"],
            secret=row["secret"],
            event=WebhookEvent(row["delivery"]["event"]),
            idempotency_key=row["delivery"]["idempotency_key"],
            body=row["delivery"]["body"],
            series=int(row["delivery"]["series"]),
            attempt=int(row["delivery"]["tries"]) + 1,
        )
        for row in rows
    ]


async def record_attempt(tx: Tx, outcome: AttemptOutcome) -> None:
    values = outcome.model_dump(exclude={"status"}) | {"status": outcome.status.value}
    await execute(tx, INSERT_ATTEMPT, **values)
    await execute(tx, FINISH_ATTEMPT, **values)
