"""Every request of /work/shared/kosli-api/captured-requests.jsonl (what the real kosli CLI sent) replayed in order
against fresh orgs, then what the graph holds afterwards."""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx
import pytest

from tests.kosli.conftest import CAPTURED, captured_path, headers_for
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import FlowInput, OrgInput
from tracegraph.graph.selectors import LATEST
from tracegraph.graph.store import GraphStore

FP_CREATOR = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
FP_FILE = "d0184cff2e6257a42961148c7e2f1470663251a9671b9eb723e859f3fae92bee"
FP_WEB = "d3ccbf827f05413b3b9ffd8b3e3607da7b84687bcae290ba3ef3c59692f88d88"
SHA = "b35edb0579577ffd0b97d6e790fe11bb6aa85fd8"
PARENT = "c9f06678c0002daa8de2e001348f10a2c6f48ff0"


def records() -> list[dict[str, Any]]:
    if not CAPTURED.is_file():
        return []
    return [json.loads(line) for line in CAPTURED.read_text().splitlines() if line.strip()]


def multipart(parts: list[dict[str, Any]]) -> tuple[bytes, str]:
    """The body as the CLI builds it: `data_json` a plain field, files as application/octet-stream."""
    boundary = secrets.token_hex(30)
    chunks = []
    for part in parts:
        if part["name"] == "data_json":
            head = 'Content-Disposition: form-data; name="data_json"\r\n\r\n'
            content = json.dumps(part["json"], separators=(",", ":")).encode()
        else:
            head = (
                f'Content-Disposition: form-data; name="{part["name"]}"; filename="{part["filename"]}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            )
            content = (part.get("text_head") or "").encode()
        chunks.append(f"--{boundary}\r\n{head}".encode() + content + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def send(client: httpx.AsyncClient, store: GraphStore, record: dict[str, Any]) -> httpx.Response:
    org = "acme" if "/acme" in record["path"] else "cyber-dojo"
    headers = await headers_for(store, org)
    body = record.get("body")
    content: bytes | None = None
    if isinstance(body, dict) and "multipart" in body:
        content, headers["Content-Type"] = multipart(body["multipart"])
    elif body is not None:
        content = json.dumps(body, separators=(",", ":")).encode()
    # The path is recorded as sent (still percent-encoded, `%23176`): httpx must not encode it again.
    query = httpx.URL("/", params=record.get("query") or {}).query
    url = httpx.URL("http://tracegraph.test").copy_with(
        raw_path=record["path"].encode() + (b"?" + query if query else b"")
    )
    return await client.request(record["method"], url, content=content, headers=headers)


async def fresh_orgs(store: GraphStore) -> None:
    await store.create_org(OrgInput(name="cyber-dojo"))
    await store.create_org(OrgInput(name="acme"))
    # The capture's acme scenario reported to a flow it never created (its mock accepted anything).
    await store.create_flow(FlowInput(org="acme", name="web"))


@pytest.mark.parametrize("position", range(len(records())) or [pytest.param(0, marks=pytest.mark.skip("no capture"))])
async def test_replay(position: int, store: GraphStore, client: httpx.AsyncClient) -> None:
    every = records() if captured_path() else []
    record = every[position]
    await fresh_orgs(store)
    for earlier in every[:position]:
        if earlier["method"] != "GET":  # reads change nothing
            await send(client, store, earlier)
    response = await send(client, store, record)
    assert response.status_code not in (409, 429), response.text
    assert response.status_code < 500, response.text
    body = response.json() if record["path"] != "/ready" else response.text
    if record["method"] != "GET":
        assert response.status_code in (200, 201), response.text
    else:
        assert response.status_code in (200, 404), response.text
        if response.status_code == 404:
            assert isinstance(body, dict)
            assert isinstance(body["message"], str)
    await check_graph(store, record, response)


async def check_graph(store: GraphStore, record: dict[str, Any], response: httpx.Response) -> None:
    tag = record["tag"]
    if tag == "create flow":
        assert response.status_code == 201
        flow = await store.get_flow("cyber-dojo", "creator")
        assert (flow.description, flow.template_yaml) == ("d", "version: 1")
    elif tag == "begin trail":
        assert response.status_code == 201  # `trail '…' was begun`
        trail = await store.trail("cyber-dojo", "creator", SHA)
        assert trail.trail.git_commit == SHA
        assert trail.commit is not None
        assert trail.commit.message == "second commit"
    elif tag == "begin trail with https origin":
        trail = await store.trail("acme", "web", SHA)
        assert trail.commit is not None
        assert trail.commit.url == f"https://github.com/acme/web/commit/{SHA}"
        assert [item.provenance.artifact.fingerprint for item in trail.artifacts] == [FP_WEB]
    elif tag == "create environment":
        assert (await store.get_environment("cyber-dojo", "aws-prod")).type == "K8S"
    elif tag == "attest artifact (fingerprint given)":
        detail = await store.artifact("cyber-dojo", "creator", FP_CREATOR)
        assert detail.provenance.artifact.git_commit == SHA
        assert detail.provenance.artifact.name == "cyberdojo/creator:b7a5908"
        assert detail.provenance.commit is not None
        assert detail.provenance.commit.message == "second commit"
        assert detail.provenance.commit.author == "Tester"
        assert detail.provenance.commit.author_email == "a@b.c"
        assert detail.provenance.artifact.trail == SHA
        slots = [
            (a.provenance.artifact.fingerprint, a.template_reference_name)
            for a in (await store.trail("cyber-dojo", "creator", SHA)).artifacts
        ]
        assert slots == [(FP_CREATOR, "creator")]
    elif tag == "attest artifact (file, computed)":
        assert (await store.artifact("cyber-dojo", "creator", FP_FILE)).provenance.artifact.name == "f"
    elif tag == "attest generic (on artifact)":
        attestations = (await store.artifact("cyber-dojo", "creator", FP_CREATOR)).attestations
        assert [(a.type, a.name, a.compliant) for a in attestations] == [("generic", "unit-test", True)]
    elif tag in ("snapshot paths", "snapshot path"):
        detail = await store.snapshot("cyber-dojo", "aws-prod", LATEST)
        running = {item.fingerprint: (item.name, item.instances) for item in detail.running}
        expected = {FP_WEB: ("web", 1), FP_FILE: ("single", 1)} if tag == "snapshot paths" else {FP_WEB: ("web", 1)}
        assert running == expected
    elif tag == "snapshot paths --auto-environment":
        assert response.json()["type"] == "K8S"
    elif tag == "attest artifact with https origin":
        artifact = (await store.artifact("acme", "web", FP_WEB)).provenance.artifact
        assert artifact.git_commit == SHA
        assert artifact.build_url == "https://ci/2"
    elif tag == "report artifact (deprecated)" and record["method"] == "GET":
        assert response.json() == {"latest_commit": SHA}  # the flow's newest other artifact (FP_WEB)
    elif tag == "report artifact (deprecated)":
        assert (await store.artifact("acme", "web", FP_CREATOR)).provenance.artifact.git_commit == SHA
        assert (await store.commit("acme", SHA)).parents == (PARENT,)
    elif tag == "status":
        assert response.text == "OK"


async def test_nothing_is_written_on_failure(store: GraphStore, client: httpx.AsyncClient) -> None:
    await fresh_orgs(store)
    headers = await headers_for(store, "acme")
    body = {"fingerprint": FP_WEB, "filename": "app", "git_commit": SHA, "build_url": "not a url", "repo_url": ""}
    response = await client.post("/api/v2/artifacts/acme/web", json=body, headers=headers)
    assert response.status_code == 400
    answer = response.json()
    assert answer["message"] == "Input payload validation failed"
    assert "http or https URL" in answer["errors"]["build_url"]
    with pytest.raises(NotFound):
        await store.artifact("acme", "web", FP_WEB)
