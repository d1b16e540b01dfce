"""The Starlette app: `/graphql` (POST, GET for queries, WebSocket for subscriptions; GraphiQL for browsers),
`/healthz` (the process is up) and `/readyz` (the store answers; 503 with the reason otherwise).

`create_app(settings)` opens the configured store in the lifespan and closes it after; tests may pass a started
`store`, which the app then uses without starting or closing it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from tracegraph.auth.access import ANONYMOUS
from tracegraph.auth.middleware import UNAUTHENTICATED, TokenAuth, principal_of
from tracegraph.errors import UNAVAILABLE_MESSAGE, TracegraphError
from tracegraph.graph.factory import open_store
from tracegraph.graph.store import GraphStore
from tracegraph.resolvers.context import Context
from tracegraph.schema import make_schema
from tracegraph.settings import Settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("tracegraph") / "static"))
GRAPHIQL_BUNDLE = STATIC_DIR / "graphiql" / "graphiql.js"


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings, store: StoreHolder) -> None:
        # No WebSocket sub-protocol yet: the schema has no subscriptions, and queries and mutations go over HTTP,
        # where every request's token is checked (a socket would keep a revoked token's rights).
        super().__init__(
            make_schema(settings), graphql_ide="graphiql", allow_queries_via_get=True, subscription_protocols=()
        )
        self._settings = settings
        self._store = store

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        principal = principal_of(request.scope)
        return Context(
            store=self._store.get(),
            settings=self._settings,
            principal=principal or ANONYMOUS,
            authenticated=principal is not None,
        )

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Context,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        # Only a GraphiQL page load passes the token check unauthenticated; it must never execute anything.
        if not context.authenticated:
            raise HTTPException(401, UNAUTHENTICATED)
        return await super().execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=root_value,
            sub_response=sub_response,
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # Browsers get GraphiQL even with ?query= in the address (GraphiQL keeps the query there).
        accept = request.headers.get("accept", "")
        if request.method != "GET":
            return False
        return "text/html" in accept or ("*/*" in accept and request.query_params.get("query") is None)

    async def render_graphql_ide(self, request: Request) -> Response:
        page = "graphiql.html" if GRAPHIQL_BUNDLE.is_file() else "graphiql-missing.html"
        html = (STATIC_DIR / page).read_text(encoding="utf-8")
        root = request.scope.get("root_path", "")
        return HTMLResponse(html.replace("{static}", f"{root}/static").replace("{endpoint}", f"{root}/graphql"))

    def _validate_batch_request(self, request_data: list[Any], protocol: Any) -> None:
        limit = self._settings.max_batch_operations
        if len(request_data) > limit:
            raise HTTPException(
                400,
                f"A batch may hold at most {limit} operations; this one has {len(request_data)} "
                "(limit set by TRACEGRAPH_MAX_BATCH_OPERATIONS).",
            )
        super()._validate_batch_request(request_data, protocol)


class StoreHolder:
    """The app's one store; started in the lifespan unless the caller passed a started one."""

    def __init__(self, settings: Settings, store: GraphStore | None) -> None:
        self.owned = store is None
        self.store = store if store is not None else open_store(settings)
        self.started = store is not None
        self.failure: str | None = None

    def get(self) -> GraphStore:
        return self.store

    async def start(self) -> None:
        try:
            await self.store.start()
        except TracegraphError as error:
            # Serve anyway: /readyz reports the reason and requests answer UNAVAILABLE until the store is back.
            self.failure = error.message
            logger.error("Store %s did not start: %s", self.store.backend, error.message)
        else:
            self.started, self.failure = True, None

    async def ready(self) -> str | None:
        """None when the store answers, else why not."""
        if not self.started:
            await self.start()
            if not self.started:
                return self.failure or "store not started"
        try:
            await self.store.ping()
        except TracegraphError as error:
            return error.message
        return None


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> Starlette:
    settings = settings if settings is not None else Settings()
    holder = StoreHolder(settings, store)
    graphql = GraphQLApp(settings, holder)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if holder.owned:
            await holder.start()
        if settings.allow_anonymous_public_reads:
            logger.warning(
                "TRACEGRAPH_ALLOW_ANONYMOUS_PUBLIC_READS is on: requests without a token may read public orgs. "
                "Use it for development only."
            )
        if holder.owned and holder.started and not await holder.store.list_orgs():
            logger.warning(
                "The store holds no org yet. Create one and its first token on this machine: "
                "`tracegraph admin create-org NAME` then `tracegraph admin create-token --org NAME --role admin` "
                "(or run `tracegraph serve --demo` for the tutorial's data)."
            )
        try:
            yield
        finally:
            if holder.owned:
                await holder.store.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        reason = await holder.ready()
        if reason is not None:
            logger.error("Not ready: %s", reason)  # hosts and paths stay in the log
            answer = {"status": "unavailable", "backend": holder.store.backend, "reason": UNAVAILABLE_MESSAGE}
            return JSONResponse(answer, status_code=503)
        return JSONResponse({"status": "ready", "backend": holder.store.backend})

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[
            Middleware(BodyLimit, max_bytes=settings.max_request_bytes),
            Middleware(
                TokenAuth,
                store=holder.get,
                anonymous_public_reads=settings.allow_anonymous_public_reads,
                cache_seconds=settings.token_cache_seconds,
            ),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = holder.store
    return app


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
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
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "errors": [
                    {
                        "message": f"The request body exceeds {self.max_bytes} bytes "
                        "(limit set by TRACEGRAPH_MAX_REQUEST_BYTES).",
                        "extensions": {"code": "PAYLOAD_TOO_LARGE", "setting": "TRACEGRAPH_MAX_REQUEST_BYTES"},
                    }
                ]
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
