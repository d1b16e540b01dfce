"""The WebSocket side of `/graphql`, over a real uvicorn: without a valid token the upgrade is refused; with one, no
GraphQL sub-protocol is offered yet (there are no subscriptions, and a socket would keep a revoked token's rights
for queries and mutations, which go over HTTP)."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from tests.api.conftest import make_settings
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import OrgInput, TokenInput
from tracegraph.graph.model import Role

PROTOCOL = "graphql-transport-ws"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_session(url: str, headers: dict[str, str]) -> None:
    async with connect(url, subprotocols=[PROTOCOL], additional_headers=headers) as socket_:  # type: ignore[arg-type, list-item]
        await socket_.send(json.dumps({"type": "connection_init"}))
        await socket_.recv()


async def test_websocket_needs_a_valid_token(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        store = app.state.store
        await store.create_org(OrgInput(name="acme"))
        secret = new_secret()
        await store.create_token(TokenInput(org="acme", role=Role.READER, secret_hash=hash_secret(secret)))
        url = f"ws://127.0.0.1:{port}/graphql"
        for headers in ({}, {"Authorization": "Bearer tg_wrong"}):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url, subprotocols=[PROTOCOL], additional_headers=headers):  # type: ignore[list-item]
                    pass
            assert refused.value.response.status_code == 403
        headers = {"Authorization": f"Bearer {secret}"}
        with pytest.raises((InvalidHandshake, ConnectionClosed)):
            await start_session(url, headers)
    finally:
        server.should_exit = True
        await task
