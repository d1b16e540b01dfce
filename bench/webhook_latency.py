"""Webhook delivery latency, report → receiver: `python -m bench.webhook_latency [--neo4j-uri bolt://…]`.

The real app (its lifespan starts the dispatcher) on a fresh store, a real loopback receiver in a thread, one
webhook for `snapshot.reported`. Each of `--reports` snapshot reports (a changed running set, so each is a change of
the feed) goes through `/graphql`; the latency is from sending the report to the receiver reading the delivery,
and from the report's answer to it. Median and p95 in milliseconds, as a Markdown table on stdout, for each
`--poll` interval (TRACEGRAPH_WEBHOOK_POLL_SECONDS). The reports are sent one at a time, each after the previous
delivery arrived and a random pause within one poll interval (so reports land anywhere in the dispatcher's cycle).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from tests.webhook_receiver import Receiver
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.factory import open_store
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.settings import Settings

ORG = "bench"
REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { changed } }"
CREATE = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def measure(settings: Settings, reports: int) -> tuple[list[float], list[float]]:
    store = open_store(settings)
    await store.start()
    if settings.neo4j_uri:
        from tests.conftest import wipe_neo4j

        await wipe_neo4j(settings.neo4j_uri)
    await store.create_org(OrgInput(name=ORG))
    await store.create_environment(EnvironmentInput(org=ORG, name="prod", type=EnvironmentType.K8S))
    secret = new_secret()
    await store.create_token(TokenInput(org=ORG, role=Role.ADMIN, secret_hash=hash_secret(secret)))
    app = create_app(settings, store=store, webhooks=True)
    headers = {"Authorization": f"Bearer {secret}"}
    from_send: list[float] = []
    from_answer: list[float] = []
    with Receiver() as receiver:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench", headers=headers
            ) as client,
        ):
            hook = {"org": ORG, "url": receiver.url, "events": ["SNAPSHOT_REPORTED"]}
            (await client.post("/graphql", json={"query": CREATE, "variables": {"input": hook}})).raise_for_status()
            for number in range(1, reports + 1):
                # Reports come at random moments of the dispatcher's poll cycle, not just after its last turn.
                await asyncio.sleep(random.uniform(0, settings.webhook_poll_seconds))
                running = [{"fingerprint": f"{number:064x}", "name": "web", "instances": 1}]
                variables = {"input": {"org": ORG, "environment": "prod", "artifacts": running}}
                sent = time.perf_counter()
                answer = await client.post("/graphql", json={"query": REPORT, "variables": variables})
                answered = time.perf_counter()
                assert answer.json()["data"]["reportSnapshot"]["changed"], answer.text
                while receiver.count() < number:  # noqa: ASYNC110 (the receiver is another thread)
                    await asyncio.sleep(0.001)
                arrived = receiver.received[number - 1].at
                from_send.append((arrived - sent) * 1000)
                from_answer.append((arrived - answered) * 1000)
    await store.close()
    return from_send, from_answer


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--poll", type=float, action="append", help="poll intervals in seconds (default 0.25, 0.05)")
    parser.add_argument("--neo4j-uri", help="measure on this Neo4j (wiped first) instead of the embedded store")
    options = parser.parse_args()
    print("| store | poll (s) | reports | report sent → received, median / p95 (ms) | answered → received (ms) |")
    print("| --- | --- | --- | --- | --- |")
    for poll in options.poll or [0.25, 0.05]:
        with tempfile.TemporaryDirectory() as directory:
            settings = Settings(
                data_dir=Path(directory), neo4j_uri=options.neo4j_uri, webhook_poll_seconds=poll, metrics_enabled=False
            )
            sent, answered = await measure(settings, options.reports)
        backend = "neo4j" if options.neo4j_uri else "embedded"
        print(
            f"| {backend} | {poll:g} | {options.reports} | {statistics.median(sent):.0f} / {p95(sent):.0f} "
            f"| {statistics.median(answered):.0f} / {p95(answered):.0f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
