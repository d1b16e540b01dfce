"""Webhooks through the real app, its dispatcher and a real loopback receiver, on both backends: signed deliveries,
retries on 5xx, org isolation, replays with the same idempotency key, bad URLs refused, secrets never logged."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.api.conftest import Api, make_settings, serve
from tests.webhook_receiver import Receiver
from tracegraph import __version__
from tracegraph.app import create_app
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.observability.logging import JsonFormatter, TextFormatter, log_config

ORG = "acme"
CREATE = """
mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { webhook { id url events active } secret }
}
"""
REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { changed } }"
DELIVERIES = """
query($org: String!, $failedOnly: Boolean! = false) {
  org(name: $org) {
    webhooks {
      id
      deliveries(failedOnly: $failedOnly) {
        nodes { id event status idempotencyKey changeId attempts { series number statusCode error durationMs } }
      }
    }
  }
}
"""
REPLAY = """
mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) { delivery { id status } } }
"""
FINGERPRINT = "a" * 64


@pytest_asyncio.fixture(loop_scope="session")
async def hooked(store: GraphStore, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its webhook dispatcher, polling fast and retrying after 50 ms."""
    settings = make_settings(tmp_path, webhook_poll_seconds=0.05, webhook_backoff_seconds=0.05)
    async with serve(create_app(settings, store=store, webhooks=True)) as client:
        api = Api(client, store)
        await api.bootstrap(ORG)
        yield api


async def environment(api: Api, org: str = ORG) -> None:
    query = "mutation($input: CreateEnvironmentInput!) { createEnvironment(input: $input) { environment { name } } }"
    await api.data(query, {"input": {"org": org, "name": "prod", "type": "K8S"}})


async def create(api: Api, url: str, org: str = ORG, **fields: Any) -> dict[str, Any]:
    answer = await api.data(CREATE, {"input": {"org": org, "url": url, "events": ["SNAPSHOT_REPORTED"], **fields}})
    created: dict[str, Any] = answer["createWebhook"]
    return created


async def report(api: Api, instances: int, org: str = ORG) -> None:
    running = [{"fingerprint": FINGERPRINT, "name": "web", "instances": instances}]
    answer = await api.data(REPORT, {"input": {"org": org, "environment": "prod", "artifacts": running}})
    assert answer["reportSnapshot"]["changed"]


async def received(receiver: Receiver, count: int, *, within: float = 15.0) -> None:
    async with asyncio.timeout(within):
        while receiver.count() < count:  # noqa: ASYNC110 (the receiver is another thread)
            await asyncio.sleep(0.01)


async def deliveries(api: Api, org: str = ORG, *, failed_only: bool = False) -> list[dict[str, Any]]:
    answer = await api.data(DELIVERIES, {"org": org, "failedOnly": failed_only})
    [webhook] = answer["org"]["webhooks"]
    nodes: list[dict[str, Any]] = webhook["deliveries"]["nodes"]
    return nodes


async def settled(api: Api, *, within: float = 15.0) -> list[dict[str, Any]]:
    """The deliveries once none is PENDING."""
    async with asyncio.timeout(within):
        while True:
            found = await deliveries(api)
            if found and all(item["status"] != "PENDING" for item in found):
                return found
            await asyncio.sleep(0.02)


async def test_a_delivery_is_signed_with_the_secret_and_carries_the_change(hooked: Api) -> None:
    await environment(hooked)
    with Receiver() as receiver:
        made = await create(hooked, receiver.url)
        secret = made["secret"]
        assert secret.startswith("whsec_")
        await report(hooked, 1)
        await received(receiver, 1)
    [request] = receiver.received
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-tracegraph-signature-256"], expected)
    body = json.loads(request.body)
    assert body["event"] == "snapshot.reported"
    assert body["org"] == ORG
    assert body["data"]["environment"] == "prod"
    assert body["data"]["snapshot_index"] == 1
    assert body["data"]["started"] == [{"flow": None, "fingerprint": FINGERPRINT, "commit": None}]
    assert request.headers["x-tracegraph-event"] == "snapshot.reported"
    assert request.headers["x-tracegraph-delivery"] == body["id"]
    assert request.headers["idempotency-key"] == body["idempotency_key"]
    assert request.headers["user-agent"] == f"tracegraph/{__version__}"
    assert request.headers["content-type"] == "application/json"
    [delivery] = await settled(hooked)
    assert (delivery["id"], delivery["status"]) == (body["id"], "DELIVERED")


async def test_a_receiver_failing_twice_gets_three_attempts_and_the_delivery_ends_delivered(hooked: Api) -> None:
    await environment(hooked)
    with Receiver(script=[500, 503]) as receiver:
        await create(hooked, receiver.url)
        await report(hooked, 1)
        await received(receiver, 3)
        [delivery] = await settled(hooked)
    assert [(a["series"], a["number"], a["statusCode"]) for a in delivery["attempts"]] == [
        (1, 1, 500),
        (1, 2, 503),
        (1, 3, 200),
    ]
    assert delivery["status"] == "DELIVERED"
    keys = {request.headers["idempotency-key"] for request in receiver.received}
    bodies = {request.body for request in receiver.received}
    assert keys == {delivery["idempotencyKey"]}
    assert len(bodies) == 1
    assert receiver.count() == 3


async def test_a_4xx_fails_at_once_and_a_replay_sends_again_with_the_same_key(hooked: Api) -> None:
    await environment(hooked)
    with Receiver(script=[410]) as receiver:
        await create(hooked, receiver.url)
        await report(hooked, 1)
        [failed] = await settled(hooked)
        assert failed["status"] == "FAILED"
        assert [d["id"] for d in await deliveries(hooked, failed_only=True)] == [failed["id"]]
        replayed = await hooked.data(REPLAY, {"input": {"org": ORG, "id": failed["id"]}})
        assert replayed["replayWebhookDelivery"]["delivery"] == {"id": failed["id"], "status": "PENDING"}
        await received(receiver, 2)
        [delivery] = await settled(hooked)
    first, second = receiver.received
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == delivery["idempotencyKey"]
    assert first.body == second.body
    assert delivery["status"] == "DELIVERED"
    assert [(a["series"], a["number"], a["statusCode"]) for a in delivery["attempts"]] == [(1, 1, 410), (2, 1, 200)]
    assert await deliveries(hooked, failed_only=True) == []


async def test_another_orgs_hook_receives_nothing(hooked: Api) -> None:
    await environment(hooked)
    with Receiver() as ours, Receiver() as theirs:
        await create(hooked, ours.url)
        admin_of_acme = hooked.headers
        await hooked.bootstrap("other-co")
        await environment(hooked, "other-co")
        await create(hooked, theirs.url, org="other-co")
        hooked.headers = admin_of_acme
        await report(hooked, 1)
        await report(hooked, 2)
        await received(ours, 2)
        await asyncio.sleep(0.3)  # several dispatcher turns after ours got both
    assert theirs.received == []
    assert {json.loads(request.body)["org"] for request in ours.received} == {ORG}


async def test_network_errors_are_retried_then_the_delivery_fails(store: GraphStore, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, webhook_poll_seconds=0.05, webhook_backoff_seconds=0.01, webhook_max_attempts=2)
    async with serve(create_app(settings, store=store, webhooks=True)) as client:
        api = Api(client, store)
        await api.bootstrap(ORG)
        await environment(api)
        with Receiver() as closed:
            url = closed.url
        await create(api, url)  # nothing listens there any more
        await report(api, 1)
        [delivery] = await settled(api)
    assert delivery["status"] == "FAILED"
    assert [a["number"] for a in delivery["attempts"]] == [1, 2]
    assert all(a["statusCode"] is None and a["error"] for a in delivery["attempts"])


@pytest.mark.parametrize(
    "url",
    ["http://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "ftp://hooks.example.com/x", "not a url"],
)
async def test_bad_urls_are_refused_naming_url(api: Api, url: str) -> None:
    error = await api.error(CREATE, {"input": {"org": ORG, "url": url, "events": ["SNAPSHOT_REPORTED"]}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "input.url"
    assert "https URL" in error["message"]
    answer = await api.data('query { org(name: "acme") { webhooks { id } } }')
    assert answer["org"]["webhooks"] == []  # nothing written


async def test_webhooks_are_for_admins(api: Api) -> None:
    await api.bootstrap("readers-co", role=Role.READER)
    error = await api.error('query { org(name: "readers-co") { webhooks { id } } }')
    assert error["extensions"]["code"] == "FORBIDDEN"


async def test_the_secret_is_never_logged_nor_answered_again(hooked: Api, caplog: pytest.LogCaptureFixture) -> None:
    # As `tracegraph serve --log-level debug` sets its loggers.
    caplog.set_level(logging.DEBUG)
    for name, logger in log_config("debug", "json")["loggers"].items():
        caplog.set_level(logger["level"], logger=name)
    await environment(hooked)
    given = "given-secret-0123456789"
    with Receiver(script=[500]) as receiver:
        made = await create(hooked, receiver.url, secret=given)
        assert made["secret"] == given
        await report(hooked, 1)
        await received(receiver, 2)
        await settled(hooked)
        listed = await hooked.call(DELIVERIES, {"org": ORG})
        delete = "mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { webhook { id } } }"
        deleted = await hooked.call(delete, {"input": {"org": ORG, "id": made["webhook"]["id"]}})
    logged = "\n".join(
        formatter.format(record) for record in caplog.records for formatter in (JsonFormatter(), TextFormatter())
    )
    assert "tracegraph.webhooks.dispatcher" in {record.name for record in caplog.records}
    assert given not in logged
    assert given not in json.dumps(listed)
    assert given not in json.dumps(deleted)
    assert deleted["data"]["deleteWebhook"]["webhook"]["id"] == made["webhook"]["id"]


async def test_several_dispatchers_deliver_each_change_once(store: GraphStore, tmp_path: Path) -> None:
    """Two server processes' dispatchers (two apps on one store) race for the cursor and the claims."""
    settings = make_settings(tmp_path, webhook_poll_seconds=0.02, webhook_backoff_seconds=0.05)
    async with (
        serve(create_app(settings, store=store, webhooks=True)) as first,
        serve(create_app(settings, store=store, webhooks=True)) as second,
    ):
        api = Api(first, store)
        await api.bootstrap(ORG)
        other = Api(second, store)
        other.headers = api.headers
        await environment(api)
        with Receiver() as receiver:
            await create(api, receiver.url)
            for instances in range(1, 11):
                await report(api if instances % 2 else other, instances)
            await received(receiver, 10)
            await asyncio.sleep(0.5)  # many turns of both: nothing more comes
    keys = [request.headers["idempotency-key"] for request in receiver.received]
    assert len(keys) == len(set(keys)) == 10
    indexes = sorted(json.loads(request.body)["data"]["snapshot_index"] for request in receiver.received)
    assert indexes == list(range(1, 11))


async def test_a_delivery_pending_at_shutdown_is_sent_after_the_restart(store: GraphStore, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, webhook_poll_seconds=0.02, webhook_backoff_seconds=0.5)
    with Receiver(script=[503]) as receiver:
        async with serve(create_app(settings, store=store, webhooks=True)) as client:
            api = Api(client, store)
            await api.bootstrap(ORG)
            await environment(api)
            await create(api, receiver.url)
            await report(api, 1)
            await received(receiver, 1)  # the 503: the retry is due in 0.25-0.5 s, after the shutdown
        assert receiver.count() == 1
        async with serve(create_app(settings, store=store, webhooks=True)) as client:
            api.http = client
            await received(receiver, 2, within=20)
            [delivery] = await settled(api)
    assert delivery["status"] == "DELIVERED"
    assert [a["statusCode"] for a in delivery["attempts"]] == [503, 200]
