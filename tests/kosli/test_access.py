"""The same tokens and access rule as /graphql: no token 401, a reader cannot write (403), a hidden org answers
exactly like a missing one (404); every error is a JSON object with a message, never a status the CLI retries."""

from __future__ import annotations

import httpx

from tests.kosli.conftest import CLI_HEADERS, headers_for
from tracegraph.graph.inputs import FlowInput, OrgInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

FLOW = {"name": "creator", "description": "d", "template": ["artifact"]}
READS = (
    "/flows/{org}",
    "/flows/{org}/creator",
    "/environments/{org}",
    "/environments/{org}/prod",
    "/environments/{org}/prod/events?interval=&page=1&per_page=15&reverse=false",
    "/snapshots/{org}/prod?interval=&page=1&per_page=15&reverse=false",
    "/snapshots/{org}/prod/-1",
    "/env-diff/{org}?snappish1=prod&snappish2=prod",
    "/artifacts/{org}?flow_name=creator&page=1&per_page=15",
    "/artifacts/{org}/creator/fingerprint/860ad17",
    "/search/{org}/sha/b7a5908",
)


async def test_roles_and_hidden_orgs(store: GraphStore, client: httpx.AsyncClient) -> None:
    await store.create_org(OrgInput(name="mine"))
    await store.create_org(OrgInput(name="secret"))
    await store.create_flow(FlowInput(org="secret", name="creator"))
    reader = await headers_for(store, "mine", Role.READER)
    writer = await headers_for(store, "mine", Role.WRITER)
    admin = await headers_for(store, "mine", Role.ADMIN)

    assert (await client.put("/api/v2/flows/mine", json=FLOW, headers=CLI_HEADERS)).status_code == 401
    refused = await client.put("/api/v2/flows/mine", json=FLOW, headers=reader)
    assert refused.status_code == 403
    assert "admin" in refused.json()["message"]
    assert (await client.put("/api/v2/flows/mine", json=FLOW, headers=writer)).status_code == 403
    assert (await client.put("/api/v2/flows/mine", json=FLOW, headers=admin)).status_code == 201
    assert (await client.put("/api/v2/flows/mine", json=FLOW, headers=admin)).status_code == 200
    report = {"artifacts": []}
    assert (
        await client.put("/api/v2/environments/mine/x/report/server", json=report, headers=reader)
    ).status_code == 403

    for path in READS:
        hidden = await client.get("/api/v2" + path.format(org="secret"), headers=admin)
        missing = await client.get("/api/v2" + path.format(org="nowhere"), headers=admin)
        assert hidden.status_code == missing.status_code == 404, path
        assert hidden.json()["message"] == missing.json()["message"].replace("nowhere", "secret"), path
    hidden_write = await client.put("/api/v2/flows/secret", json=FLOW, headers=admin)
    assert hidden_write.status_code == 404


async def test_errors_are_json_and_never_retried(store: GraphStore, client: httpx.AsyncClient) -> None:
    admin = await headers_for(store, "mine")
    answers = [
        await client.put("/api/v2/environments/mine", json={"name": "x", "type": "k9s"}, headers=admin),
        await client.put("/api/v2/environments/mine", content=b"{not json", headers=admin),
        await client.put("/api/v2/flows/mine", json={"name": "bad name!"}, headers=admin),
        await client.get("/api/v2/snapshots/mine/prod/banana", headers=admin),
        await client.get("/api/v2/no/such/thing", headers=admin),
        await client.put("/api/v2/trails/mine/creator", json={"name": "t"}, headers=admin),
    ]
    for answer in answers:
        assert answer.status_code in (400, 404, 501), answer.text
        assert isinstance(answer.json()["message"], str)
        assert "%" not in answer.json()["message"].replace("%%", "")
    assert answers[0].json()["errors"]["type"].startswith("must be one of")
    assert "name" in answers[2].json()["errors"]
