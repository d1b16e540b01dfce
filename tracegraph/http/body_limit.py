"""Refuse request bodies over a byte limit with 413, whether announced by Content-Length or streamed."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracegraph.http.responses import RequestRefused, send_refusal


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_refusal(send, self._refusal())
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await send_refusal(send, self._refusal())

    def _refusal(self) -> RequestRefused:
        return RequestRefused(
            413,
            f"The request body exceeds {self.max_bytes} bytes (limit set by TRACEGRAPH_MAX_REQUEST_BYTES).",
            code="PAYLOAD_TOO_LARGE",
            setting="TRACEGRAPH_MAX_REQUEST_BYTES",
        )


class _TooLarge(Exception):
    pass
