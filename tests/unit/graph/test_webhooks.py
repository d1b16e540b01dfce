"""The webhook rules both backends and the dispatcher share: which changes a hook gets (org, creation, events,
filters), the body, the signature, and the retry schedule."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from tracegraph.graph.changes import Change, ChangeKind, StartedArtifact
from tracegraph.graph.webhooks import (
    DeliveryStatus,
    Webhook,
    WebhookEvent,
    backoff,
    idempotency_key,
    next_step,
    plan,
    retry_after,
)
from tracegraph.webhooks.signing import signature, verify

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
BASE = timedelta(seconds=5)


def hook(org: str = "acme", *, after: int = 0, **fields: object) -> Webhook:
    values: dict[str, object] = {
        "org": org,
        "id": f"{org}-hook",
        "url": "https://h.example.com/",
        "events": tuple(WebhookEvent),
        "environments": (),
        "flows": (),
        "active": True,
        "created_at": NOW,
        "after_change": after,
    }
    return Webhook.model_validate(values | fields)


def snapshot(change_id: int, org: str = "acme", environment: str = "prod") -> Change:
    started = (
        StartedArtifact(flow="web", fingerprint="a" * 64, commit="c" * 40),
        StartedArtifact(flow="db", fingerprint="b" * 64, commit="d" * 40),
        StartedArtifact(flow=None, fingerprint="e" * 64, commit=None),
    )
    return Change(
        id=change_id, org=org, kind=ChangeKind.SNAPSHOT_REPORTED, at=NOW, environment=environment,
        snapshot_index=7, started=started,
    )  # fmt: skip


def artifact(change_id: int, flow: str = "web") -> Change:
    return Change(id=change_id, org="acme", kind=ChangeKind.ARTIFACT_REPORTED, at=NOW, flow=flow, fingerprint="a" * 64)


def test_a_hook_gets_its_orgs_changes_after_its_creation_of_its_events() -> None:
    planned = plan([snapshot(1), snapshot(2), snapshot(3, org="other"), artifact(4)], [hook(after=1)])
    assert [(p.change_id, p.event) for p in planned] == [
        (2, WebhookEvent.SNAPSHOT_REPORTED),
        (2, WebhookEvent.COMMIT_ARRIVED),
        (4, WebhookEvent.ARTIFACT_REPORTED),
    ]
    only = plan([snapshot(2)], [hook(events=(WebhookEvent.COMMIT_ARRIVED,))])
    assert [p.event for p in only] == [WebhookEvent.COMMIT_ARRIVED]
    assert plan([snapshot(2)], [hook(active=False)]) == []


def test_filters_narrow_environments_flows_and_the_commits_listed() -> None:
    assert plan([snapshot(1, environment="beta")], [hook(environments=("prod",))]) == []
    [kept] = plan([snapshot(1), artifact(2, flow="db")], [hook(flows=("web",), events=(WebhookEvent.COMMIT_ARRIVED,))])
    assert [c["flow"] for c in json.loads(kept.body)["data"]["commits"]] == ["web"]
    assert plan([artifact(2, flow="db")], [hook(flows=("web",))]) == []
    assert len(plan([artifact(2)], [hook(environments=("prod",))])) == 1  # an artifact names no environment


def test_the_body_names_the_delivery_and_the_key_is_stable_per_hook_change_and_event() -> None:
    [first, _] = plan([snapshot(9)], [hook()])
    again = plan([snapshot(9)], [hook()])[0]
    body = json.loads(first.body)
    assert body == {
        "id": first.id,
        "event": "snapshot.reported",
        "idempotency_key": idempotency_key("acme-hook", 9, WebhookEvent.SNAPSHOT_REPORTED),
        "org": "acme",
        "occurred_at": "2026-11-29T12:00:00Z",
        "data": {
            "change_id": 9,
            "environment": "prod",
            "snapshot_index": 7,
            "started": [
                {"flow": "web", "fingerprint": "a" * 64, "commit": "c" * 40},
                {"flow": "db", "fingerprint": "b" * 64, "commit": "d" * 40},
                {"flow": None, "fingerprint": "e" * 64, "commit": None},
            ],
        },
    }
    assert again.idempotency_key == first.idempotency_key
    assert again.id != first.id
    assert idempotency_key("acme-hook", 9, WebhookEvent.COMMIT_ARRIVED) != first.idempotency_key


def test_the_signature_is_hmac_sha256_of_the_raw_body() -> None:
    # RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert signature("Jefe", b"what do ya want for nothing?") == expected
    assert verify("Jefe", b"what do ya want for nothing?", expected)
    assert not verify("Jefe", b"what do ya want for nothing!", expected)
    assert not verify("Jefe", b"", None)


def test_retries_back_off_exponentially_with_jitter_and_give_up() -> None:
    rng = random.Random(7)
    for attempt in range(1, 12):
        full = min(BASE * 2 ** (attempt - 1), timedelta(hours=1))
        assert full / 2 <= backoff(attempt, BASE, rng=rng) <= full
    assert next_step(1, 204, now=NOW, max_attempts=8, base=BASE) == (DeliveryStatus.DELIVERED, None)
    for code in (None, 500, 503, 408, 429):
        status, at = next_step(3, code, now=NOW, max_attempts=8, base=BASE)
        assert status is DeliveryStatus.PENDING
        assert at is not None
        assert NOW + timedelta(seconds=10) <= at <= NOW + timedelta(seconds=20)
    for code in (400, 401, 404, 410, 301):
        assert next_step(1, code, now=NOW, max_attempts=8, base=BASE) == (DeliveryStatus.FAILED, None)
    assert next_step(8, 500, now=NOW, max_attempts=8, base=BASE) == (DeliveryStatus.FAILED, None)


def test_retry_after_is_honoured_up_to_an_hour() -> None:
    assert retry_after("120", NOW) == timedelta(seconds=120)
    assert retry_after("Sun, 29 Nov 2026 12:01:00 GMT", NOW) == timedelta(minutes=1)
    assert retry_after("soon", NOW) is None
    assert retry_after(None, NOW) is None
    _, at = next_step(1, 429, now=NOW, max_attempts=8, base=BASE, wait=timedelta(seconds=90))
    assert at == NOW + timedelta(seconds=90)
    _, capped = next_step(1, 503, now=NOW, max_attempts=8, base=BASE, wait=timedelta(days=2))
    assert capped == NOW + timedelta(hours=1)


def test_a_deployment_is_told_with_its_number() -> None:
    change = Change(
        id=5, org="acme", kind=ChangeKind.DEPLOYMENT_REPORTED, at=NOW, environment="prod", flow="web",
        fingerprint="a" * 64, deployment_number=3,
    )  # fmt: skip
    [planned] = plan([change], [hook(events=(WebhookEvent.DEPLOYMENT_REPORTED,))])
    data = json.loads(planned.body)["data"]
    assert data == {
        "change_id": 5,
        "environment": "prod",
        "flow": "web",
        "fingerprint": "a" * 64,
        "deployment_number": 3,
    }
    assert plan([change], [hook(environments=("beta",))]) == []
