"""Strawberry's ASGI WebSocket adapter, made safe to close twice and to send to after a close.

A connection closed by tracegraph (a refused token, a revocation, a slow consumer: tracegraph.live.connection) may
still be closed or written to by Strawberry's graphql-transport-ws handler afterwards (its rejection close, a last
message); Starlette raises on both, which would log an error for an ordinary end."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.websockets import WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter


class ClosingOnceAdapter(ASGIWebSocketAdapter):
    def _closed(self) -> bool:
        return WebSocketState.DISCONNECTED in (self.ws.application_state, self.ws.client_state)

    async def send_json(self, message: Mapping[str, object]) -> None:
        if not self._closed():
            await super().send_json(message)

    async def close(self, code: int, reason: str) -> None:
        if not self._closed():
            await super().close(code, reason)
