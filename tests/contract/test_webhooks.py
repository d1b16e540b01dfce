"""Webhooks in the store: registration, the dispatcher's cursor and plans, claims with leases, attempts, replays,
pages of deliveries — the same answers on both backends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.contract.scenario import ORG, build, fp, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import OrgInput, parse
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore
from tracegraph.graph.webhooks import (
    AttemptOutcome,
    DeliveryStatus,
    WebhookEvent,
    WebhookInput,
    plan,
)

SECRET = "s3cret-s3cret-s3cret"
URL = "https://hooks.example.com/tracegraph"


def hook(org: str = ORG, **fields: object) -> WebhookInput:
    data = {"org": org, "url": URL, "events": ["snapshot.reported"], "secret": SECRET} | fields
    return parse(WebhookInput, data)


async def plan_and_enqueue(store: GraphStore) -> int:
    """One dispatcher pass without the HTTP side: plan the changes after the cursor and insert them."""
    state = await store.webhook_dispatch_state()
    assert state is not None
    changes = await store.changes_after(state.cursor, limit=100)
    planned = plan(changes, state.webhooks)
    through = changes[-1].id if changes else state.cursor
    assert await store.enqueue_webhook_deliveries(
        cursor=state.cursor, generation=state.generation, through=through, planned=planned
    )
    return len(planned)


async def test_webhooks_are_created_listed_and_deleted_without_their_secret(store: GraphStore) -> None:
    await topology(store)
    first = await store.create_webhook(hook(environments=["prod"], flows=["web"]))
    second = await store.create_webhook(hook(url="http://127.0.0.1:9/x", events=["artifact.reported"], active=False))
    assert first.events == (WebhookEvent.SNAPSHOT_REPORTED,)
    assert (first.environments, first.flows, first.active) == (("prod",), ("web",), True)
    assert (second.url, second.active) == ("http://127.0.0.1:9/x", False)
    assert await store.list_webhooks(ORG) == [first, second]
    assert SECRET not in repr(await store.list_webhooks(ORG))
    assert await store.delete_webhook(ORG, first.id) == first
    assert await store.list_webhooks(ORG) == [second]
    with pytest.raises(NotFound, match=f"webhook '{first.id}' not found in org '{ORG}'"):
        await store.delete_webhook(ORG, first.id)
    with pytest.raises(NotFound, match="org 'nope' not found"):
        await store.create_webhook(hook(org="nope"))
    with pytest.raises(NotFound, match="org 'nope' not found"):
        await store.list_webhooks("nope")


async def test_a_webhook_receives_the_changes_after_its_creation_of_its_org_only(store: GraphStore) -> None:
    await topology(store)
    await topology(store, org="other")
    await report(store, "prod", {"web-1": 1}, minutes=1)  # before the hook: never delivered
    assert await store.webhook_dispatch_state() is None
    mine = await store.create_webhook(hook(events=["snapshot.reported", "commit.arrived"]))
    theirs = await store.create_webhook(hook(org="other"))
    await build(store, "web", "web-2", commit="c2")
    await report(store, "prod", {"web-2": 1}, minutes=2)
    await report(store, "prod", {"web-2": 1, "x": 1}, minutes=1, org="other")
    assert await plan_and_enqueue(store) == 3
    assert await plan_and_enqueue(store) == 0  # the cursor moved: nothing planned twice
    ours = await store.webhook_deliveries(ORG, mine.id, limit=10)
    assert [(d.event, d.change_id) for d in ours] == [
        (WebhookEvent.SNAPSHOT_REPORTED, ours[0].change_id),
        (WebhookEvent.COMMIT_ARRIVED, ours[0].change_id),
    ]
    body = json.loads(ours[1].body)
    assert (body["org"], body["event"], body["id"]) == (ORG, "commit.arrived", ours[1].id)
    assert body["data"]["commits"] == [{"sha": sha("c2"), "flow": "web", "fingerprint": fp("web-2")}]
    assert body["idempotency_key"] == ours[1].idempotency_key
    assert all(d.status is DeliveryStatus.PENDING and d.attempts == () for d in ours)
    other = await store.webhook_deliveries("other", theirs.id, limit=10)
    assert [json.loads(d.body)["org"] for d in other] == ["other"]
    with pytest.raises(NotFound):
        await store.webhook_deliveries("other", mine.id, limit=10)  # another org's hook does not exist for it


async def test_a_plan_made_before_the_hooks_changed_is_refused(store: GraphStore) -> None:
    await topology(store)
    await store.create_webhook(hook())
    state = await store.webhook_dispatch_state()
    assert state is not None
    await report(store, "prod", {"web-1": 1}, minutes=1)
    await store.create_webhook(hook(url="https://second.example.com/"))  # a hook the plan does not know
    changes = await store.changes_after(state.cursor, limit=10)
    moved = await store.enqueue_webhook_deliveries(
        cursor=state.cursor, generation=state.generation, through=changes[-1].id, planned=plan(changes, state.webhooks)
    )
    assert not moved
    assert await plan_and_enqueue(store) == 1  # only the first hook: the second was made after the change


async def test_claims_lease_deliveries_once_and_attempts_move_them_on(store: GraphStore) -> None:
    await topology(store)
    made = await store.create_webhook(hook())
    await report(store, "prod", {"web-1": 1}, minutes=1)
    await report(store, "prod", {"web-1": 2}, minutes=2)
    assert await plan_and_enqueue(store) == 2
    lease = timedelta(seconds=30)
    jobs = await store.claim_webhook_deliveries("a", lease=lease, limit=10)
    assert await store.claim_webhook_deliveries("b", lease=lease, limit=10) == []  # leased to a
    assert sorted(job.attempt for job in jobs) == [1, 1]
    assert {job.secret.get_secret_value() for job in jobs} == {SECRET}
    assert {job.url for job in jobs} == {URL}
    failed, delivered = jobs
    now = utc_now()
    retry_at = now - timedelta(milliseconds=1)  # due at once

    def outcome(job_id: str, owner: str, status: DeliveryStatus, code: int | None, number: int = 1) -> AttemptOutcome:
        return AttemptOutcome(
            org=ORG,
            delivery=job_id,
            owner=owner,
            series=1,
            number=number,
            at=now,
            duration_ms=12.5,
            status_code=code,
            error=None if code else "ConnectError: refused",
            status=status,
            next_attempt_at=retry_at if status is DeliveryStatus.PENDING else None,
        )

    await store.record_webhook_attempt(outcome(failed.id, "a", DeliveryStatus.PENDING, None))
    await store.record_webhook_attempt(outcome(delivered.id, "a", DeliveryStatus.DELIVERED, 204))
    again = await store.claim_webhook_deliveries("b", lease=lease, limit=10)
    assert [(job.id, job.attempt) for job in again] == [(failed.id, 2)]
    # A process whose lease was taken over records its attempt, but does not move the delivery on.
    await store.record_webhook_attempt(outcome(failed.id, "a", DeliveryStatus.FAILED, 500, number=2))
    await store.record_webhook_attempt(outcome(failed.id, "b", DeliveryStatus.FAILED, 410, number=3))
    found = await store.webhook_delivery(ORG, failed.id)
    assert found.status is DeliveryStatus.FAILED
    assert [(a.number, a.status_code, a.error) for a in found.attempts] == [
        (1, None, "ConnectError: refused"),
        (2, 500, None),
        (3, 410, None),
    ]
    assert found.attempts[0].duration_ms == 12.5
    assert [d.id for d in await store.webhook_deliveries(ORG, made.id, limit=10, failed_only=True)] == [failed.id]
    assert (await store.webhook_delivery(ORG, delivered.id)).status is DeliveryStatus.DELIVERED


async def test_an_expired_lease_is_claimed_again(store: GraphStore) -> None:
    await topology(store)
    await store.create_webhook(hook())
    await report(store, "prod", {"web-1": 1}, minutes=1)
    await plan_and_enqueue(store)
    [job] = await store.claim_webhook_deliveries("crashed", lease=timedelta(0), limit=10)
    [again] = await store.claim_webhook_deliveries("next", lease=timedelta(seconds=30), limit=10)
    assert (again.id, again.attempt, again.idempotency_key) == (job.id, 1, job.idempotency_key)


async def test_a_replay_is_a_new_series_with_the_same_body_and_key(store: GraphStore) -> None:
    await topology(store)
    await store.create_webhook(hook())
    await report(store, "prod", {"web-1": 1}, minutes=1)
    await plan_and_enqueue(store)
    [job] = await store.claim_webhook_deliveries("a", lease=timedelta(seconds=30), limit=1)
    await store.record_webhook_attempt(
        AttemptOutcome(
            org=ORG,
            delivery=job.id,
            owner="a",
            series=1,
            number=1,
            at=utc_now(),
            duration_ms=1.0,
            status_code=400,
            error=None,
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
        )
    )
    replayed = await store.replay_webhook_delivery(ORG, job.id)
    assert (replayed.status, replayed.series, replayed.idempotency_key) == (
        DeliveryStatus.PENDING,
        2,
        job.idempotency_key,
    )
    assert replayed.body == job.body
    [again] = await store.claim_webhook_deliveries("b", lease=timedelta(seconds=30), limit=1)
    assert (again.series, again.attempt) == (2, 1)
    with pytest.raises(NotFound, match=f"webhook delivery 'nope' not found in org '{ORG}'"):
        await store.replay_webhook_delivery(ORG, "nope")
    await store.create_org(OrgInput(name="other"))
    with pytest.raises(NotFound):
        await store.replay_webhook_delivery("other", job.id)


async def test_deliveries_page_newest_first(store: GraphStore) -> None:
    await topology(store)
    made = await store.create_webhook(hook())
    for minute in range(1, 6):
        await report(store, "prod", {"web-1": minute}, minutes=minute)
    await plan_and_enqueue(store)
    whole = await store.webhook_deliveries(ORG, made.id, limit=10)
    assert [d.change_id for d in whole] == sorted((d.change_id for d in whole), reverse=True)
    first = await store.webhook_deliveries(ORG, made.id, limit=2)
    rest = await store.webhook_deliveries(ORG, made.id, limit=10, before=(first[-1].change_id, first[-1].event.value))
    assert [d.id for d in first + rest] == [d.id for d in whole]
    assert len(whole) == 5


async def test_deleting_a_webhook_deletes_its_deliveries(store: GraphStore) -> None:
    await topology(store)
    made = await store.create_webhook(hook())
    await report(store, "prod", {"web-1": 1}, minutes=1)
    await plan_and_enqueue(store)
    [delivery] = await store.webhook_deliveries(ORG, made.id, limit=10)
    await store.delete_webhook(ORG, made.id)
    with pytest.raises(NotFound):
        await store.webhook_delivery(ORG, delivery.id)
    assert await store.claim_webhook_deliveries("a", lease=timedelta(seconds=30), limit=10) == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/x", "plain http is allowed only to a loopback host"),
        ("https://user:pass@hooks.example.com/x", "credentials"),
        ("https://token@hooks.example.com/x", "credentials"),
        ("ftp://hooks.example.com/x", "an https URL"),
        ("https:///nohost", "an https URL"),
        ("https://hooks.example.com/a b", "an https URL"),
        ("http://10.0.0.1/x", "loopback"),
        ("http://[::2]/x", "loopback"),
    ],
)
def test_webhook_urls_follow_the_rule(url: str, why: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        hook(url=url)
    assert refused.value.field == "url"
    assert why in refused.value.rule


@pytest.mark.parametrize("url", ["https://h.example.com/x", "http://127.0.0.1:8080/x", "http://[::1]/x",
                                 "http://localhost/x", "http://127.8.9.10/x"])  # fmt: skip
def test_webhook_urls_accepted(url: str) -> None:
    assert hook(url=url).url == url


def test_webhook_inputs_name_their_field() -> None:
    for fields, field in [
        ({"events": []}, "events"),
        ({"events": ["nope"]}, "events.0"),
        ({"secret": "short"}, "secret"),
        ({"secret": "has a space in it, long enough"}, "secret"),
        ({"environments": ["bad name!"]}, "environments.0"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            hook(**fields)
        assert refused.value.field == field
