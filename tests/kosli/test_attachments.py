"""`attest generic --attachments FILE`: the file is kept content-addressed under the data directory and its SHA-256
is in the attestation; a file over the limit is refused naming the part, and nothing is written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from tests.api.conftest import make_settings, serve
from tests.kosli.conftest import headers_for
from tracegraph.app import create_app
from tracegraph.graph.inputs import ArtifactInput, FlowInput, OrgInput
from tracegraph.graph.store import GraphStore

ORG = "evidence"
FINGERPRINT = "e" * 64
LIMIT = 1024


@pytest_asyncio.fixture(loop_scope="session")
async def settled(store: GraphStore, tmp_path: Path) -> Path:
    await store.create_org(OrgInput(name=ORG))
    await store.create_flow(FlowInput(org=ORG, name="web"))
    await store.report_artifact(ArtifactInput(org=ORG, flow="web", fingerprint=FINGERPRINT, name="web:1"))
    return tmp_path


def body(attachment: bytes) -> tuple[bytes, str]:
    data = {"artifact_fingerprint": FINGERPRINT, "attestation_name": "tests", "user_data": {}, "is_compliant": True}
    boundary = "b0undary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="data_json"\r\n\r\n{json.dumps(data)}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachment_file"; filename="report.txt"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + attachment
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


async def attest(client: httpx.AsyncClient, store: GraphStore, attachment: bytes) -> httpx.Response:
    content, content_type = body(attachment)
    headers = {**(await headers_for(store, ORG)), "Content-Type": content_type}
    return await client.post(f"/api/v2/attestations/{ORG}/web/trail/t1/generic", content=content, headers=headers)


async def attestations(store: GraphStore) -> list[dict[str, Any]]:
    detail = await store.artifact(ORG, "web", FINGERPRINT)
    return [item.data for item in detail.attestations]


async def test_an_attachment_is_kept_by_its_digest(store: GraphStore, settled: Path) -> None:
    content = b"all 412 tests passed\n\x00binary tail"
    settings = make_settings(settled, max_evidence_bytes=LIMIT)
    async with serve(create_app(settings, store=store)) as client:
        answer = await attest(client, store, content)
    assert answer.status_code == 201, answer.text
    digest = hashlib.sha256(content).hexdigest()
    [data] = await attestations(store)
    assert data["attachment"] == {"filename": "report.txt", "bytes": len(content), "sha256": digest}
    assert (settings.data_dir / "evidence" / digest[:2] / digest).read_bytes() == content


async def test_an_attachment_over_the_limit_is_refused_and_nothing_written(store: GraphStore, settled: Path) -> None:
    settings = make_settings(settled, max_evidence_bytes=LIMIT)
    async with serve(create_app(settings, store=store)) as client:
        answer = await attest(client, store, b"x" * (LIMIT + 1))
    assert answer.status_code == 400, answer.text
    assert "attachment_file" in answer.text
    assert "TRACEGRAPH_MAX_EVIDENCE_BYTES" in answer.text
    assert await attestations(store) == []
    assert not (settings.data_dir / "evidence").exists() or not any((settings.data_dir / "evidence").rglob("*"))
