"""The Starlette app: `/graphql` (POST, GET for queries, WebSocket for subscriptions; GraphiQL for browsers),
`/healthz` (the process is up) and `/readyz` (the store answers; 503 with the reason otherwise); the web UI at `/`
and its client-side routes (tracegraph.http.webapp).

`create_app(settings)` opens the configured store in the lifespan and closes it after; tests may pass a started
`store`, which the app then uses without starting or closing it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from tracegraph.auth.access import ANONYMOUS, Principal
from tracegraph.auth.middleware import TokenAuth, principal_of
from tracegraph.errors import UNAVAILABLE_MESSAGE, TracegraphError
from tracegraph.evidence import EvidenceStore
from tracegraph.graph.factory import open_store
from tracegraph.graph.store import GraphStore
from tracegraph.http.body_limit import BodyLimit
from tracegraph.http.frontends import frontend_middleware
from tracegraph.http.gate import ACCEPTED, GraphQLGate
from tracegraph.http.outcome import StatusByOutcome
from tracegraph.http.paths import CollapseSlashes
from tracegraph.http.webapp import UIAssets, ui_route
from tracegraph.kosli import kosli_api, ready_response
from tracegraph.live.connection import LiveConnection, SubscriptionCounts
from tracegraph.live.follower import FeedFollower
from tracegraph.live.sockets import ClosingOnceAdapter
from tracegraph.observability.metrics import metrics_endpoint
from tracegraph.observability.middleware import Observe
from tracegraph.observability.operations import record_errors
from tracegraph.observability.store_calls import trace_with
from tracegraph.observability.tracing import provider_from_environment
from tracegraph.resolvers.context import Context
from tracegraph.schema import make_schema
from tracegraph.schema.errors import TracegraphSchema
from tracegraph.settings import Settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("tracegraph") / "static"))
GRAPHIQL_BUNDLE = STATIC_DIR / "graphiql" / "graphiql.js"
UI_BUNDLE = STATIC_DIR / "ui"  # the web UI (web/), built at install time like GraphiQL
# Where the view keeps, per request, what sets its response status from its results.
OUTCOME_KEY = "tracegraph.outcome"
# Where it keeps a WebSocket's connection (tracegraph.live), to end it with the socket.
LIVE_KEY = "tracegraph.live"


class GraphQLApp(GraphQL[Context, None]):
    schema: TracegraphSchema
    # Closing a socket twice (ours with its reason, then Strawberry's after a rejection) is a no-op.
    websocket_adapter_class = ClosingOnceAdapter

    def __init__(
        self, settings: Settings, store: StoreHolder, tracer_provider: TracerProvider | None, live: LiveServices
    ) -> None:
        # Subscriptions only, over graphql-transport-ws (the schema refuses queries and mutations on a socket: they go
        # over HTTP, where every request's token is checked). A socket's token is checked again while it is open
        # (tracegraph.live.connection), so it does not keep a revoked token's rights.
        super().__init__(
            make_schema(settings, tracer_provider=tracer_provider),
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self._settings = settings
        self._store = store
        self._live = live

    def encode_json(self, data: object) -> str:
        # orjson: a page of 100 running artifacts encodes in ~0.02 ms instead of json's ~0.4 ms. Text, not bytes:
        # Strawberry sends bytes as binary WebSocket frames, which graphql-transport-ws clients refuse. What orjson
        # refuses (an integer past 64 bits in a reported JSON document) goes through json, which writes it exactly.
        try:
            return orjson.dumps(data).decode()
        except orjson.JSONEncodeError:
            return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        principal = principal_of(request.scope)
        live: LiveConnection | None = None
        if isinstance(request, WebSocket):
            live = self._live.connection(request)
            request.scope.setdefault("state", {})[LIVE_KEY] = live
        return Context(
            store=self._store.get(),
            settings=self._settings,
            principal=principal or ANONYMOUS,
            authenticated=principal is not None,
            live=live,
            follower=self._live.follower if live is not None else None,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        assert context.live is not None
        if not await context.live.connect(context.connection_params or {}):
            raise ConnectionRejectionError()  # the socket is closed already, with its code and reason
        context.renew()
        acknowledged: UnsetType = UNSET
        return acknowledged

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            live: LiveConnection | None = request.scope.get("state", {}).get(LIVE_KEY)
            if live is not None:
                await live.shutdown()

    async def parse_http_body(
        self, request_adapter: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # The gate (tracegraph.http.gate) has decoded and checked the body already; decoding it twice would double
        # the cost of a large report.
        accepted = ACCEPTED.get()
        return accepted if accepted is not None else await super().parse_http_body(request_adapter)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        response = await super().get_sub_response(request)
        request.scope.setdefault("state", {})[OUTCOME_KEY] = StatusByOutcome(response)
        return response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        outcome: StatusByOutcome | None = request.scope.get("state", {}).get(OUTCOME_KEY)
        if outcome is not None:
            outcome.record(result)
        record_errors(result)
        return await super().process_result(request, result)

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


class LiveServices:
    """What subscriptions share in the process: the feed follower, the subscription counts, the token check."""

    def __init__(self, settings: Settings, holder: StoreHolder) -> None:
        self.settings = settings
        self.follower = FeedFollower(
            holder.store,
            poll_seconds=settings.feed_poll_seconds,
            queue_size=settings.subscription_queue,
            retention=timedelta(days=settings.change_retention_days),
        )
        self.counts = SubscriptionCounts(
            per_token=settings.max_subscriptions_per_token, per_process=settings.max_subscriptions_per_process
        )
        # Cached no longer than a socket's re-check interval: that interval bounds a revoked token's life.
        self.tokens = TokenAuth(
            _no_app,
            store=holder.get,
            anonymous_public_reads=settings.allow_anonymous_public_reads,
            cache_seconds=min(settings.token_cache_seconds, settings.subscription_recheck_seconds),
        )

    async def _authenticate(self, authorization: str | None, fresh: bool) -> Principal | None:
        return await self.tokens.authenticate(authorization, fresh=fresh)

    def connection(self, websocket: WebSocket) -> LiveConnection:
        async def close(code: int, reason: str) -> None:
            await websocket.close(code=code, reason=reason)

        return LiveConnection(
            authenticate=self._authenticate,
            close=close,
            counts=self.counts,
            upgrade_authorization=websocket.headers.get("authorization"),
            recheck_seconds=self.settings.subscription_recheck_seconds,
            idle_seconds=self.settings.subscription_idle_seconds,
        )


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The token check is used here for its `authenticate` alone, never as middleware."""


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


def create_app(
    settings: Settings | None = None, *, store: GraphStore | None = None, tracer_provider: TracerProvider | None = None
) -> Starlette:
    """`tracer_provider`: where spans go (tests); by default the one the `OTEL_*` variables describe, if any."""
    settings = settings if settings is not None else Settings()
    holder = StoreHolder(settings, store)
    owned_provider = tracer_provider is None
    tracer_provider = tracer_provider if tracer_provider is not None else provider_from_environment()
    trace_with(tracer_provider.get_tracer("tracegraph.store") if tracer_provider is not None else None)
    live = LiveServices(settings, holder)
    graphql = GraphQLApp(settings, holder, tracer_provider, live)

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
        # One feed follower per process, reading the store's change feed for every subscription (tracegraph.live).
        await live.follower.start()
        try:
            yield
        finally:
            await live.follower.stop()
            if holder.owned:
                await holder.store.close()
            if owned_provider and tracer_provider is not None:
                tracer_provider.shutdown()  # sends the spans still batched

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        reason = await holder.ready()
        if reason is not None:
            logger.error("Not ready: %s", reason)  # hosts and paths stay in the log
            answer = {"status": "unavailable", "backend": holder.store.backend, "reason": UNAVAILABLE_MESSAGE}
            return JSONResponse(answer, status_code=503)
        return JSONResponse({"status": "ready", "backend": holder.store.backend})

    async def ready(request: Request) -> Response:
        return ready_response(await holder.ready())

    kosli = kosli_api(
        holder.get,
        EvidenceStore(settings.data_dir / "evidence", max_bytes=settings.max_evidence_bytes),
        anonymous_public_reads=settings.allow_anonymous_public_reads,
        cache_seconds=settings.token_cache_seconds,
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),  # `kosli status`
            Mount("/api/v2", kosli),  # the kosli CLI (tracegraph.kosli, docs/kosli-api.md)
            Mount("/static/ui", UIAssets(directory=UI_BUNDLE, check_dir=False), name="ui-assets"),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
            *([Route("/metrics", metrics_endpoint, methods=["GET"])] if settings.metrics_enabled else []),
            # Last: the web UI's index page for its client-side routes (tracegraph.http.webapp).
            ui_route(bundle=UI_BUNDLE, missing=STATIC_DIR / "ui-missing.html"),
        ],
        middleware=[
            *([Middleware(OpenTelemetryMiddleware, tracer_provider=tracer_provider)] if tracer_provider else []),
            Middleware(Observe),  # request ids, the request log line, request metrics (tracegraph.observability)
            *frontend_middleware(settings),
            Middleware(CollapseSlashes),
            Middleware(BodyLimit, max_bytes=settings.max_request_bytes),
            Middleware(
                TokenAuth,
                store=holder.get,
                anonymous_public_reads=settings.allow_anonymous_public_reads,
                cache_seconds=settings.token_cache_seconds,
            ),
            Middleware(GraphQLGate, max_batch=settings.max_batch_operations, max_query_bytes=settings.max_query_bytes),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = holder.store
    app.state.documents = graphql.schema.documents
    app.state.live = live
    return app
