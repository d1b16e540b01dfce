"""Snapshot reports of every environment type the CLI sends (SPEC §2.10): each payload's digests become running
artifacts, a report equal to the running set makes no snapshot, and concurrent reporters get gap-free indexes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from typing import Any

import httpx
import pytest

from tests.kosli.conftest import headers_for
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, OrgInput
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.store import GraphStore

ORG = "acme"


def fp(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def payload(kind: str, version: str) -> tuple[dict[str, Any], dict[str, tuple[str, int]]]:
    """A report of `kind` as the CLI builds it, and the running set it must make (fingerprint → name, instances)."""
    a, b = fp(f"a{version}"), fp(f"b{version}")
    match kind:
        case "server" | "docker" | "S3":
            return {"artifacts": [{"digests": {"web": a}, "creationTimestamp": 1700000000}]}, {a: ("web", 1)}
        case "lambda":
            # A Zip function's hex digest, and an Image function's CodeSha256 as AWS returns it (base64).
            image = base64.b64encode(bytes.fromhex(b)).decode()
            items = [{"digests": {"zip-fn": a}, "creationTimestamp": 1}, {"digests": {"image-fn": image}}]
            return {"artifacts": items}, {a: ("zip-fn", 1), b: ("image-fn", 1)}
        case "K8S":
            owners = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u", "controller": True}]
            pods = [
                {
                    "podName": f"web-{n}",
                    "namespace": "prod",
                    "digests": {"nginx:1.25": a, "sidecar:1": b},
                    "creationTimestamp": 1700000000 + n,
                    "owners": owners if n else None,
                }
                for n in range(3)
            ]
            return {"artifacts": pods}, {a: ("nginx:1.25", 3), b: ("sidecar:1", 3)}
        case "ECS":
            tasks = [
                {
                    "taskArn": "arn:1",
                    "cluster_name": "c",
                    "service_name": "s",
                    "digests": {"web": a, "unknown": ""},
                    "creationTimestamp": 1700000000,
                },
                {
                    "taskArn": "arn:2",
                    "cluster_name": "c",
                    "service_name": "s",
                    "digests": {"web": f"sha256:{a}"},
                    "creationTimestamp": 1700000001,
                },
            ]
            return {"artifacts": tasks}, {a: ("web", 2)}
        case "azure-apps":
            apps = [
                {
                    "app_name": "shop",
                    "app_kind": "app",
                    "digests_source": "acr",
                    "digests": {"shop:1": a},
                    "creationTimestamp": 0,
                }
            ]
            return {"artifacts": apps}, {a: ("shop:1", 1)}
        case "cloud-run":
            revisions = [
                {
                    "digests": {"gcr.io/p/svc": a},
                    "creationTimestamp": 1,
                    "kind": "service",
                    "serviceName": "svc",
                    "revisionName": "svc-1",
                },
                {"digests": {"gcr.io/p/job": b}, "creationTimestamp": 2, "kind": "job", "jobName": "job"},
            ]
            return {"type": "cloud-run", "artifacts": revisions}, {a: ("gcr.io/p/svc", 1), b: ("gcr.io/p/job", 1)}
    raise AssertionError(kind)


KINDS = {
    "server": EnvironmentType.SERVER,
    "docker": EnvironmentType.DOCKER,
    "K8S": EnvironmentType.K8S,
    "ECS": EnvironmentType.ECS,
    "lambda": EnvironmentType.LAMBDA,
    "S3": EnvironmentType.S3,
    "azure-apps": EnvironmentType.AZURE_APPS,
    "cloud-run": EnvironmentType.CLOUD_RUN,
}


async def running(store: GraphStore, environment: str) -> dict[str, tuple[str, int]]:
    detail = await store.snapshot(ORG, environment, LATEST)
    return {item.fingerprint: (item.name, item.instances) for item in detail.running}


@pytest.mark.parametrize("kind", list(KINDS))
async def test_report_each_type_change_only(kind: str, store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    await store.create_environment(EnvironmentInput(org=ORG, name="env", type=KINDS[kind]))
    url = f"/api/v2/environments/{ORG}/env/report/{kind}"
    body, expected = payload(kind, "1")
    first = await client.put(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert await running(store, "env") == expected
    again = await client.put(url, json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == {"index": 1, "changed": False}
    changed, expected = payload(kind, "2")
    assert (await client.put(url, json=changed, headers=headers)).json() == {"index": 2, "changed": True}
    assert await running(store, "env") == expected
    empty = await client.put(url, json={"artifacts": []}, headers=headers)
    assert empty.json() == {"index": 3, "changed": True}
    assert await running(store, "env") == {}
    assert (await store.get_environment(ORG, "env")).latest_index == 3


async def test_bad_digest_names_the_field(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    await store.create_environment(EnvironmentInput(org=ORG, name="env", type=EnvironmentType.K8S))
    body = {"artifacts": [{"podName": "p", "digests": {"nginx": "not-hex"}, "creationTimestamp": 1}]}
    response = await client.put(f"/api/v2/environments/{ORG}/env/report/K8S", json=body, headers=headers)
    assert response.status_code == 400
    assert "64 hexadecimal" in response.json()["errors"]["artifacts.0.digests.nginx"]
    assert (await store.get_environment(ORG, "env")).latest_index == 0
    unknown = await client.put(
        f"/api/v2/environments/{ORG}/nowhere/report/K8S", json={"artifacts": []}, headers=headers
    )
    assert unknown.status_code == 404


async def test_create_cloud_run_environment(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    body = {"name": "run", "type": "cloud-run", "description": "Cloud Run"}
    response = await client.put(f"/api/v2/environments/{ORG}", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert (await store.get_environment(ORG, "run")).type == "cloud-run"
    shown = await client.get(f"/api/v2/environments/{ORG}/run", headers=headers)
    assert shown.json()["type"] == "cloud-run"  # `snapshot cloud-run -A` compares it case-insensitively
    listed = await client.get(f"/api/v2/environments/{ORG}?type=cloud-run", headers=headers)
    assert [item["name"] for item in listed.json()] == ["run"]


async def test_twenty_concurrent_reporters_are_gap_free(store: GraphStore, client: httpx.AsyncClient) -> None:
    await store.create_org(OrgInput(name=ORG))
    headers = await headers_for(store, ORG)
    await store.create_environment(EnvironmentInput(org=ORG, name="env", type=EnvironmentType.SERVER))
    url = f"/api/v2/environments/{ORG}/env/report/server"

    async def report(n: int) -> httpx.Response:
        body = {"artifacts": [{"digests": {f"svc-{n}": fp(f"svc-{n}")}, "creationTimestamp": n}]}
        return await client.put(url, json=body, headers=headers)

    answers = await asyncio.gather(*(report(n) for n in range(20)))
    assert all(answer.status_code == 201 for answer in answers), [a.text for a in answers]
    assert sorted(answer.json()["index"] for answer in answers) == list(range(1, 21))
    listed = await client.get(f"/api/v2/snapshots/{ORG}/env?interval=&page=1&per_page=20&reverse=true", headers=headers)
    assert [item["index"] for item in listed.json()] == list(range(1, 21))
