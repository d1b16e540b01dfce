"""A graphql-transport-ws client over `websockets`, and the app served by a real uvicorn on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect

PROTOCOL = "graphql-transport-ws"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[str]:
    """The app (lifespan included) on a free loopback port; yields its base URL (http://…)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(400):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class Live:
    """One graphql-transport-ws connection."""

    def __init__(self, socket_: ClientConnection) -> None:
        self.socket = socket_
        self._ids = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._ids += 1
        operation = str(self._ids)
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(json.dumps({"id": operation, "type": "subscribe", "payload": payload}))
        return operation

    async def receive(self, within: float = 10.0) -> dict[str, Any]:
        """The next message other than a ping (answered)."""
        while True:
            message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), within))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            return message

    async def next_data(self, within: float = 10.0) -> dict[str, Any]:
        message = await self.receive(within)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def nothing_within(self, seconds: float) -> None:
        try:
            message = await self.receive(seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected message {message}")

    async def complete(self, operation: str) -> None:
        await self.socket.send(json.dumps({"id": operation, "type": "complete"}))


@asynccontextmanager
async def live(
    base: str, token: str | None, *, header: str | None = None, acknowledged: bool = True
) -> AsyncIterator[Live]:
    """A connection to `base`/graphql, initialised with `token` in the connection_init payload (and `header` as the
    upgrade's Authorization header)."""
    url = base.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": header} if header else {}
    async with connect(url, subprotocols=[PROTOCOL], additional_headers=headers) as socket_:  # type: ignore[list-item]
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await socket_.send(json.dumps({"type": "connection_init", "payload": payload}))
        client = Live(socket_)
        if acknowledged:
            ack = await client.receive()
            assert ack["type"] == "connection_ack", ack
        yield client
