"""Authentication at the HTTP edge of `/graphql`: a valid `Authorization: Bearer <token>` or nothing gets through.

A missing, unknown, expired or revoked token is answered 401 UNAUTHENTICATED with one message for all four cases,
so nothing is revealed about which. A browser opening GraphiQL (GET, `Accept: text/html`) gets the page without a
token: the page holds no data, and its queries carry the token. WebSocket upgrades are checked the same way and
closed with code 4401. With `allow_anonymous_public_reads`, a request with no token at all goes on as anonymous.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from tracegraph.auth.access import ANONYMOUS, Principal
from tracegraph.auth.tokens import bearer_token, hash_secret
from tracegraph.errors import Unavailable
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore

UNAUTHENTICATED = "A valid API token is required: send `Authorization: Bearer <token>`."
PRINCIPAL_KEY = "tracegraph.principal"


def principal_of(scope: Scope) -> Principal:
    principal: Principal = scope.get("state", {}).get(PRINCIPAL_KEY, ANONYMOUS)
    return principal


class TokenAuth:
    def __init__(
        self, app: ASGIApp, *, store: Callable[[], GraphStore], anonymous_public_reads: bool, path: str = "/graphql"
    ) -> None:
        self.app = app
        self.store = store
        self.anonymous_public_reads = anonymous_public_reads
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        if scope["type"] == "http" and scope["method"] == "GET" and "text/html" in headers.get("accept", ""):
            await self.app(scope, receive, send)  # the GraphiQL page itself
            return
        try:
            principal = await self.authenticate(headers.get("authorization"))
        except Unavailable as error:
            await self._refuse(scope, send, 503, error.message, "UNAVAILABLE")
            return
        if principal is None:
            await self._refuse(scope, send, 401, UNAUTHENTICATED, "UNAUTHENTICATED")
            return
        scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        await self.app(scope, receive, send)

    async def authenticate(self, authorization: str | None) -> Principal | None:
        secret = bearer_token(authorization)
        if secret is None:
            return ANONYMOUS if authorization is None and self.anonymous_public_reads else None
        token = await self.store().token_by_hash(hash_secret(secret))
        if token is None or not token.usable(utc_now()):
            return None
        return Principal(org=token.org, role=token.role, token_id=token.id)

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str, code: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4000 + status, "reason": message})
            return
        body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if status == 401:
            headers.append((b"www-authenticate", b'Bearer realm="tracegraph"'))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
