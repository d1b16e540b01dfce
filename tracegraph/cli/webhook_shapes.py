"""`--output json` of `tracegraph admin webhook ...`: flat shapes, documented in docs/cli.md (snake_case names, times
in ISO 8601 UTC). The secret appears only in `create`'s answer."""

from __future__ import annotations

from typing import Any

from tracegraph.graph.webhooks import Delivery, Webhook


def webhook(found: Webhook) -> dict[str, Any]:
    return {
        "id": found.id,
        "org": found.org,
        "url": found.url,
        "events": [event.value for event in found.events],
        "environments": list(found.environments),
        "flows": list(found.flows),
        "active": found.active,
        "created_at": found.created_at.isoformat(),
    }


def created(found: Webhook, secret: str) -> dict[str, Any]:
    return {**webhook(found), "secret": secret}


def delivery(found: Delivery) -> dict[str, Any]:
    last = found.attempts[-1] if found.attempts else None
    return {
        "id": found.id,
        "webhook_id": found.webhook,
        "event": found.event.value,
        "change_id": found.change_id,
        "idempotency_key": found.idempotency_key,
        "status": found.status.value,
        "created_at": found.created_at.isoformat(),
        "next_attempt_at": found.next_attempt_at.isoformat() if found.next_attempt_at else None,
        "attempts": len(found.attempts),
        "last_status_code": last.status_code if last else None,
        "last_error": last.error if last else None,
        "attempt_log": [
            {
                "series": attempt.series,
                "number": attempt.number,
                "at": attempt.at.isoformat(),
                "duration_ms": round(attempt.duration_ms, 3),
                "status_code": attempt.status_code,
                "error": attempt.error,
            }
            for attempt in found.attempts
        ],
    }
