"""Per-instance detail of snapshot reports (SPEC §2.10): kept in the graph as `instances_detail`, shown by
`get snapshot` (`creationTimestamp`, `pods`, §2.13) and `diff snapshots` (`most_recent_timestamp`, `pods`, §2.15);
`list snapshots` in one `snapshot_summaries` read (§2.12)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.kosli.conftest import headers_for
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import RunningArtifact

ORG = "acme"
API = "/api/v2"
WEB = hashlib.sha256(b"web").hexdigest()
OTHER = hashlib.sha256(b"other").hexdigest()
OWNER = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "name": "web-6b8d",
    "uid": "0b1c",
    "controller": True,
    "blockOwnerDeletion": True,
}


def pod(name: str, started: int, digest: str = WEB, owners: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "podName": name,
        "namespace": "prod",
        "digests": {"web:1": digest},
        "creationTimestamp": started,
        "owners": owners if owners is not None else [OWNER],
    }


async def k8s(store: GraphStore, client: httpx.AsyncClient, pods: list[dict[str, Any]]) -> dict[str, str]:
    headers = await headers_for(store, ORG)
    await store.create_environment(EnvironmentInput(org=ORG, name="k8s", type=EnvironmentType.K8S))
    for index, items in enumerate(pods, start=1):
        answer = await client.put(
            f"{API}/environments/{ORG}/k8s/report/K8S", json={"artifacts": items}, headers=headers
        )
        assert answer.json() == {"index": index, "changed": True}, answer.text
    return headers


async def latest(store: GraphStore, environment: str) -> dict[str, RunningArtifact]:
    return {item.fingerprint: item for item in (await store.snapshot(ORG, environment, LATEST)).running}


async def test_two_pods_of_one_image(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await k8s(store, client, [[pod("web-b", 1700000100), pod("web-a", 1700000000, owners=[])]])
    item = (await latest(store, "k8s"))[WEB]
    assert item.instances == 2
    detail = {found.name: found for found in item.instances_detail or ()}
    assert set(detail) == {"web-a", "web-b"}
    assert detail["web-b"].namespace == "prod"
    assert detail["web-b"].started_at == datetime.fromtimestamp(1700000100, tz=UTC)
    assert detail["web-b"].context == {
        "container": "web:1",
        "owner.0.apiVersion": "apps/v1",
        "owner.0.kind": "ReplicaSet",
        "owner.0.name": "web-6b8d",
        "owner.0.uid": "0b1c",
        "owner.0.controller": "true",
        "owner.0.blockOwnerDeletion": "true",
    }
    assert detail["web-a"].context == {"container": "web:1"}

    shown = (await client.get(f"{API}/snapshots/{ORG}/k8s/-1", headers=headers)).json()
    (artifact,) = shown["artifacts"]
    assert artifact["creationTimestamp"] == [1700000000, 1700000100]  # oldest first: the CLI shows element 0
    assert artifact["annotation"]["now"] == 2
    assert artifact["pods"] == {
        "web-a": {"namespace": "prod", "creationTimestamp": 1700000000, "owners": []},
        "web-b": {"namespace": "prod", "creationTimestamp": 1700000100, "owners": [OWNER]},
    }


async def test_owners_beyond_the_labels_are_counted(store: GraphStore, client: httpx.AsyncClient) -> None:
    many = [{**OWNER, "name": f"owner-{n}"} for n in range(7)]
    await k8s(store, client, [[pod("web-a", 1700000000, owners=many)]])
    (found,) = (await latest(store, "k8s"))[WEB].instances_detail or ()
    assert len(found.context) <= 32
    assert found.context["owners"] == "7"
    assert found.context["owner.4.name"] == "owner-4"
    assert "owner.5.name" not in found.context


@pytest.mark.parametrize(
    ("kind", "item", "name", "context", "started"),
    [
        (
            "ECS",
            {"taskArn": "arn:t1", "cluster_name": "c", "service_name": "s", "creationTimestamp": 1700000000},
            "arn:t1",
            {"container": "web:1", "cluster": "c", "service": "s"},
            1700000000,
        ),
        (
            "azure-apps",
            {"app_name": "shop", "app_kind": "app", "digests_source": "acr", "creationTimestamp": 0},
            "shop",
            {"container": "web:1", "app_kind": "app", "digests_source": "acr"},
            None,
        ),
        (
            "cloud-run",
            {"kind": "service", "serviceName": "svc", "revisionName": "svc-1", "creationTimestamp": -62135596800},
            "svc-1",
            {"container": "web:1", "kind": "service", "service": "svc", "revision": "svc-1"},
            None,
        ),
        ("docker", {"creationTimestamp": 1700000000}, None, {"container": "web:1"}, 1700000000),
        ("lambda", {"creationTimestamp": 1700000000}, None, {"container": "web:1"}, 1700000000),
    ],
)
async def test_other_types_keep_their_context(
    kind: str,
    item: dict[str, Any],
    name: str | None,
    context: dict[str, str],
    started: int | None,
    store: GraphStore,
    client: httpx.AsyncClient,
) -> None:
    headers = await headers_for(store, ORG)
    await store.create_environment(EnvironmentInput(org=ORG, name="env", type=EnvironmentType(kind)))
    body = {"artifacts": [{**item, "digests": {"web:1": WEB}}]}
    answer = await client.put(f"{API}/environments/{ORG}/env/report/{kind}", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    running = (await latest(store, "env"))[WEB]
    (found,) = running.instances_detail or ()
    assert (found.name, found.namespace, found.context) == (name, None, context)
    assert found.started_at == (None if started is None else datetime.fromtimestamp(started, tz=UTC))
    (artifact,) = (await client.get(f"{API}/snapshots/{ORG}/env/-1", headers=headers)).json()["artifacts"]
    assert artifact["pods"] is None  # pods are K8S's
    # An unknown start falls back to when the Run started (the snapshot's time).
    assert artifact["creationTimestamp"] == [started or int(running.since.timestamp())]


async def test_diff_shows_pods_and_the_newest_start(store: GraphStore, client: httpx.AsyncClient) -> None:
    first = [pod("web-a", 1700000000), pod("other-a", 1700000050, OTHER)]
    second = [pod("web-a", 1700000000), pod("web-b", 1700000200)]
    headers = await k8s(store, client, [first, second])
    query = {"snappish1": "k8s#1", "snappish2": "k8s#2"}
    diff = (await client.get(f"{API}/env-diff/{ORG}", params=query, headers=headers)).json()
    (gone,) = diff["snappish1"]["artifacts"]
    assert (gone["fingerprint"], gone["pods"], gone["most_recent_timestamp"]) == (OTHER, ["other-a"], 1700000050)
    (scaled,) = diff["changed"]["artifacts"]
    assert scaled["pods"] == ["web-a", "web-b"]
    assert scaled["most_recent_timestamp"] == 1700000200
    assert (scaled["s1_instance_count"], scaled["s2_instance_count"]) == (1, 2)


async def test_list_snapshots_is_one_summaries_read(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await k8s(store, client, [[pod(f"web-{n}", 1700000000 + n)] * (n + 1) for n in range(4)])
    url = f"{API}/snapshots/{ORG}/k8s?interval=&page=1&per_page=15&reverse=false"
    costs = []
    for _ in range(2):
        before = store.round_trips
        listed = (await client.get(url, headers=headers)).json()
        costs.append(store.round_trips - before)
    assert [item["index"] for item in listed] == [4, 3, 2, 1]
    reported = {summary.index: summary for summary in await store.snapshot_summaries(ORG, "k8s", [1, 2, 3, 4])}
    for item in listed:
        summary = reported[item["index"]]
        assert item["from"] == int(summary.reported_at.timestamp())
        assert item["compliant"] is summary.compliant is False  # no provenance
    assert listed[1]["to"] == listed[0]["from"]
    assert listed[0]["to"] == 0
    # The token, the environment, one snapshot_summaries: the same whatever the page size.
    wide = f"{API}/snapshots/{ORG}/k8s?interval=&page=1&per_page=1&reverse=false"
    before = store.round_trips
    await client.get(wide, headers=headers)
    assert costs[0] == costs[1] == store.round_trips - before
    assert costs[0] <= 3
