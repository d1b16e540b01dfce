"""`create flow` keeps its template (the `template_file` part, or the legacy `template` list) and `get flow` answers
it as the CLI prints it (SPEC §2.2-2.3)."""

from __future__ import annotations

import httpx

from tests.kosli.conftest import headers_for
from tests.kosli.test_replay import multipart
from tracegraph.graph.store import GraphStore

ORG = "acme"
TEMPLATE = (
    "version: 1\ntrail:\n  attestations:\n  - name: unit-test\n    type: junit\n  artifacts:\n  - name: creator\n"
)


async def create(client: httpx.AsyncClient, headers: dict[str, str], name: str, template: str) -> httpx.Response:
    content, content_type = multipart(
        [
            {"name": "data_json", "json": {"name": name, "description": "UX for creation"}},
            {"name": "template_file", "filename": "template.yml", "text_head": template},
        ]
    )
    return await client.put(
        f"/api/v2/flows/{ORG}/template_file", content=content, headers={**headers, "Content-Type": content_type}
    )


async def test_template_file_is_kept_and_shown(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    assert (await create(client, headers, "creator", TEMPLATE)).status_code == 201
    assert (await store.get_flow(ORG, "creator")).template_yaml == TEMPLATE
    shown = (await client.get(f"/api/v2/flows/{ORG}/creator", headers=headers)).json()
    assert shown["template"] == TEMPLATE  # a string starting `version: `, which the CLI prints line by line
    assert (await create(client, headers, "creator", "version: 1")).status_code == 200
    assert (await store.get_flow(ORG, "creator")).template_yaml == "version: 1"


async def test_legacy_template_list(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    body = {"name": "legacy", "description": "x", "template": ["artifact", "unit-test"]}
    assert (await client.put(f"/api/v2/flows/{ORG}", json=body, headers=headers)).status_code == 201
    assert (await store.get_flow(ORG, "legacy")).template_yaml == '["artifact","unit-test"]'
    shown = (await client.get(f"/api/v2/flows/{ORG}/legacy", headers=headers)).json()
    assert shown["template"] == ["artifact", "unit-test"]  # printed `[artifact, unit-test]`


async def test_a_template_that_is_not_text_is_refused(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    bad = await create(client, headers, "creator", "version: 1\x01")
    assert bad.status_code == 400
    assert "template_file" in bad.json()["errors"]
    missing = await client.get(f"/api/v2/flows/{ORG}/creator", headers=headers)
    assert missing.status_code == 404
