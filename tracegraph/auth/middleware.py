"""Authentication at the HTTP edge of `/graphql`: a valid `Authorization: Bearer <token>` or nothing gets through.

A missing, unknown, expired or revoked token is answered 401 UNAUTHENTICATED with one message for all four cases,
so nothing is revealed about which. A request with no `Authorization` header at all goes on without a principal to
the gate (tracegraph.http.gate), which lets through only a browser opening GraphiQL (GET for HTML, no query: the page
holds no data) and documents made solely of introspection (the schema is public), and answers the rest 401 the same
way. A WebSocket upgrade with a bad token is refused (403); one without a token goes on and sends it in
`connection_init` (tracegraph.live.connection). With
`allow_anonymous_public_reads`, a request with no token at all goes on as anonymous.

A usable token's lookup is kept `cache_seconds` (TRACEGRAPH_TOKEN_CACHE_SECONDS, 5 s by default) in a small
in-process cache (tracegraph.auth.cache), so a revoked token may work that long after its revocation; its expiry is
checked on every request, cached or not. A request whose token is not cached needs the store: when the store is
down it is answered 503 UNAVAILABLE, as is every request that reaches the store then.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from tracegraph.auth.access import ANONYMOUS, Principal
from tracegraph.auth.cache import CheckedToken, TokenCache
from tracegraph.auth.tokens import bearer_token, hash_secret
from tracegraph.errors import UNAVAILABLE_MESSAGE, Unavailable
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore
from tracegraph.http.outcome import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

UNAUTHENTICATED = "A valid API token is required: send `Authorization: Bearer <token>`."
PRINCIPAL_KEY = "tracegraph.principal"


def principal_of(scope: Scope) -> Principal | None:
    """Who the middleware authenticated; None when it did not (a GraphiQL page load)."""
    principal: Principal | None = scope.get("state", {}).get(PRINCIPAL_KEY)
    return principal


def route_path(scope: Scope) -> str:
    """The path below the app's mount point (`root_path`), as Starlette's router matches it."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def is_page_load(scope: Scope) -> bool:
    """GET asking for HTML (or anything) without a query: what the GraphQL view answers with the GraphiQL page."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    request = Request(scope)
    accept = request.headers.get("accept", "")  # the first Accept header, as the GraphQL view reads it
    return "text/html" in accept or ("*/*" in accept and request.query_params.get("query") is None)


class TokenAuth:
    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Callable[[], GraphStore],
        anonymous_public_reads: bool,
        cache_seconds: float = 0.0,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.store = store
        self.anonymous_public_reads = anonymous_public_reads
        self.path = path
        # One per app instance: Starlette builds its middleware stack once.
        self.cache = TokenCache(ttl=cache_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or route_path(scope).rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        authorization = Headers(scope=scope).get("authorization")
        try:
            principal = await self.authenticate(authorization)
        except Unavailable as error:
            logger.error("Cannot check a token: %s", error.message)
            await self._refuse(scope, send, 503, UNAVAILABLE_MESSAGE, "UNAVAILABLE")
            return
        if principal is None and authorization is None:
            # No token at all: no principal. The gate (tracegraph.http.gate) lets through only the GraphiQL page and
            # introspection-only documents, and refuses the rest as this would; a WebSocket sends its token in
            # `connection_init` (browsers cannot set headers on the upgrade), checked there (tracegraph.live).
            await self.app(scope, receive, send)
            return
        if principal is None:
            await self._refuse(scope, send, 401, UNAUTHENTICATED, "UNAUTHENTICATED")
            return
        scope.setdefault("state", {})[PRINCIPAL_KEY] = principal
        await self.app(scope, receive, send)

    async def authenticate(self, authorization: str | None, *, fresh: bool = False) -> Principal | None:
        """`fresh`: ask the store even when the token's answer is cached (a WebSocket's periodic re-check)."""
        secret = bearer_token(authorization)
        if secret is None:
            return ANONYMOUS if authorization is None and self.anonymous_public_reads else None
        secret_hash = hash_secret(secret)
        checked = None if fresh else self.cache.get(secret_hash)
        if checked is None:
            token = await self.store().token_by_hash(secret_hash)
            if token is None or not token.usable(utc_now()):
                return None  # never cached: a token created a moment later must work at once
            checked = CheckedToken(Principal(org=token.org, role=token.role), token.expires_at)
            self.cache.put(secret_hash, checked)
        if checked.expired(utc_now()):
            return None
        return checked.principal

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str, code: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4000 + status, "reason": message})
            return
        body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if status == 401:
            headers.append((b"www-authenticate", b'Bearer realm="tracegraph"'))
        if status == 503:
            headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
