"""kill -9 of `tracegraph serve` (embedded store) while reporters burst: every report the server acknowledged is
there after a restart, exactly as acknowledged, and nothing is half-written."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import token_headers
from tests.e2e.server import RunningServer, start_server
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import EnvironmentInput
from tracegraph.graph.model import Role

ORG = "durable"
REPORTERS = 6
KILL_AFTER_ACKNOWLEDGED = 60

REPORT = """
mutation($org: String!, $env: String!, $artifacts: [RunningArtifactInput!]!) {
  reportSnapshot(input: {org: $org, environment: $env, artifacts: $artifacts}) { snapshot { index } }
}"""
RUNNING = """
query($org: String!, $env: String!, $index: Int!) {
  environment(org: $org, name: $env) {
    snapshot(index: $index) { index running(first: 100) { totalCount nodes { fingerprint } } }
  }
}"""

LATEST = """
query($org: String!, $env: String!) { environment(org: $org, name: $env) { latestIndex } }"""


@dataclass(frozen=True)
class Acknowledged:
    environment: str
    index: int
    fingerprints: frozenset[str]


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def running_set(reporter: int, round_: int) -> list[dict[str, object]]:
    """A running set that differs from the previous round's, so each report makes a new snapshot."""
    return [
        {"fingerprint": fingerprint(reporter, round_, slot), "name": f"service-{slot}", "instances": 1 + slot % 3}
        for slot in range(1 + round_ % 5)
    ]


async def prepare(data_dir: Path) -> dict[str, str]:
    store = EmbeddedStore(data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        headers = await token_headers(store, ORG, role=Role.WRITER)
        for reporter in range(REPORTERS):
            await store.create_environment(EnvironmentInput(org=ORG, name=f"env-{reporter}", type="K8S"))
    finally:
        await store.close()
    return headers


def burst(
    server: RunningServer,
    headers: dict[str, str],
    reporter: int,
    acknowledged: list[Acknowledged],
    refused: list[str],
) -> None:
    """Report until the server goes away; keep what it acknowledged."""
    environment = f"env-{reporter}"
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        for round_ in range(10_000):
            artifacts = running_set(reporter, round_)
            try:
                response = client.post(
                    "/graphql",
                    json={"query": REPORT, "variables": {"org": ORG, "env": environment, "artifacts": artifacts}},
                )
            except httpx.TransportError:
                return
            body = response.json()
            if response.status_code != 200 or "errors" in body:
                refused.append(f"{environment} round {round_}: HTTP {response.status_code} {body}")
                return
            index = body["data"]["reportSnapshot"]["snapshot"]["index"]
            prints = frozenset(str(item["fingerprint"]) for item in artifacts)
            acknowledged.append(Acknowledged(environment, index, prints))


def test_every_acknowledged_report_survives_kill_9(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    headers = asyncio.run(prepare(home / "data"))
    server = start_server(home)
    acknowledged: list[Acknowledged] = []
    refused: list[str] = []
    threads = [
        threading.Thread(target=burst, args=(server, headers, reporter, acknowledged, refused), daemon=True)
        for reporter in range(REPORTERS)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < KILL_AFTER_ACKNOWLEDGED and time.monotonic() < deadline:
        time.sleep(0.01)
    server.process.kill()  # SIGKILL: no shutdown, no flush, mid-request for most reporters
    server.process.wait()
    for thread in threads:
        thread.join(timeout=60)
    assert not refused, refused[:3]
    assert len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED, server.log.read_text()[-2000:]

    restarted = start_server(home)
    try:
        with httpx.Client(base_url=restarted.url, headers=headers, timeout=30) as client:
            for reporter in range(REPORTERS):
                assert_history_intact(
                    client, reporter, [ack for ack in acknowledged if ack.environment == f"env-{reporter}"]
                )
    finally:
        restarted.stop()


def assert_history_intact(client: httpx.Client, reporter: int, acknowledged: list[Acknowledged]) -> None:
    """Every snapshot up to the latest holds exactly the running set reported for it: the acknowledged ones, and at
    most one more that committed before its answer was lost."""
    environment = f"env-{reporter}"
    latest = latest_index(client, environment)
    last_acknowledged = max((ack.index for ack in acknowledged), default=0)
    assert last_acknowledged <= latest <= last_acknowledged + 1, (environment, latest)
    by_index = {ack.index: ack.fingerprints for ack in acknowledged}
    for index in range(1, latest + 1):
        running = snapshot(client, environment, index)["running"]
        expected = {str(item["fingerprint"]) for item in running_set(reporter, index - 1)}
        assert by_index.get(index, expected) == expected, (environment, index)
        assert running["totalCount"] == len(expected), (environment, index)
        assert {node["fingerprint"] for node in running["nodes"]} == expected, (environment, index)


def latest_index(client: httpx.Client, environment: str) -> int:
    """The environment's latest snapshot number; 0 when the kill came before its first report committed."""
    variables = {"org": ORG, "env": environment}
    body = client.post("/graphql", json={"query": LATEST, "variables": variables}).json()
    assert "errors" not in body, (environment, body)
    count: int = body["data"]["environment"]["latestIndex"]
    return count


def snapshot(client: httpx.Client, environment: str, index: int) -> dict[str, Any]:
    variables = {"org": ORG, "env": environment, "index": index}
    body = client.post("/graphql", json={"query": RUNNING, "variables": variables}).json()
    assert "errors" not in body, (environment, index, body)
    found: dict[str, Any] = body["data"]["environment"]["snapshot"]
    return found
