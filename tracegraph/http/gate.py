"""The ASGI middleware in front of the GraphQL view: only an authenticated request executes anything — but for a
tokenless document made solely of introspection (tracegraph.http.introspection) — and only a well-formed one
(tracegraph.http.decoding, tracegraph.http.requests) reaches Strawberry, which then takes the requests as decoded here
(`GraphQLApp.parse_http_body` reads `ACCEPTED`) instead of decoding the body again.

A client that disconnects before its body is complete is logged in one line, not as an application error.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http import GraphQLRequestData

from tracegraph.auth.middleware import UNAUTHENTICATED, is_page_load, principal_of, route_path
from tracegraph.http.decoding import decode_json
from tracegraph.http.introspection import MAX_ANONYMOUS_BODY_BYTES, introspection_only
from tracegraph.http.requests import graphql_requests
from tracegraph.http.responses import RequestRefused, send_refusal

logger = logging.getLogger(__name__)

Accepted = GraphQLRequestData | list[GraphQLRequestData]
# Set for the duration of the view's call: middleware and view run in the same task.
ACCEPTED: ContextVar[Accepted | None] = ContextVar("tracegraph_accepted_request", default=None)

# Bodies above this are decoded and checked in a worker thread, so a large report does not stall other requests.
OFFLOAD_BYTES = 256 * 1024

T = TypeVar("T")


class GraphQLGate:
    def __init__(self, app: ASGIApp, *, max_batch: int, max_query_bytes: int, path: str = "/graphql") -> None:
        self.app = app
        self.max_batch = max_batch
        self.max_query_bytes = max_query_bytes
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or route_path(scope).rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        anonymous = principal_of(scope) is None
        if anonymous and is_page_load(scope):  # the GraphiQL page, which executes nothing
            await self.app(scope, receive, send)
            return
        if anonymous and scope["method"] not in ("GET", "POST"):
            await refuse_unauthenticated(send)
            return
        body = b""
        try:
            if scope["method"] == "POST":
                try:
                    body = await read_body(receive, MAX_ANONYMOUS_BODY_BYTES if anonymous else None)
                except BodyTooLarge:
                    await refuse_unauthenticated(send)
                    return
                except ClientDisconnected:
                    client = scope.get("client")
                    logger.info("Client %s disconnected before its request body was complete", client)
                    return
                content_type = Headers(scope=scope).get("content-type")
                accepted = await _maybe_offloaded(
                    len(body) > OFFLOAD_BYTES, lambda: self._requests(decode_json(body, content_type))
                )
            elif scope["method"] == "GET":
                accepted = self._requests(query_payload(QueryParams(scope["query_string"])))
            else:  # the view answers 405
                await self.app(scope, receive, send)
                return
        except RequestRefused as refused:
            await (refuse_unauthenticated(send) if anonymous else send_refusal(send, refused))
            return
        if anonymous and not introspection_only(accepted):
            await refuse_unauthenticated(send)
            return
        token = ACCEPTED.set(accepted)
        try:
            await self.app(scope, replay(body, receive), send)
        finally:
            ACCEPTED.reset(token)

    def _requests(self, payload: object) -> Accepted:
        return graphql_requests(payload, max_batch=self.max_batch, max_query_bytes=self.max_query_bytes)


async def refuse_unauthenticated(send: Send) -> None:
    refused = RequestRefused(401, UNAUTHENTICATED, code="UNAUTHENTICATED")
    await send_refusal(send, refused, [(b"www-authenticate", b'Bearer realm="tracegraph"')])


class ClientDisconnected(Exception):
    pass


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, max_bytes: int | None = None) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """The body once, as one message; then the server's own messages (a disconnect)."""
    sent = False

    async def replaying() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replaying


def query_payload(params: QueryParams) -> dict[str, object]:
    """A GET request's parameters as the JSON object a POST would carry (`variables`, `extensions` are JSON)."""
    payload: dict[str, object] = dict(params)
    for name in ("variables", "extensions"):
        text = params.get(name)
        if not text:
            payload.pop(name, None)
            continue
        try:
            payload[name] = json.loads(text)
        except (ValueError, RecursionError):
            raise RequestRefused(400, f"The `{name}` parameter is not valid JSON.", code="BAD_REQUEST") from None
    return payload


async def _maybe_offloaded(offload: bool, work: Callable[[], T]) -> T:
    return await asyncio.to_thread(work) if offload else work()
