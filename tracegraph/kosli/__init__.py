"""A Kosli REST API v2 layer (the subset the kosli CLI v2.38 uses) over the same store, tokens and access rule as
`/graphql`: mounted at `/api/v2` by tracegraph.app. docs/kosli-api.md lists what works and what does not yet."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tracegraph.evidence import EvidenceStore
from tracegraph.graph.store import GraphStore
from tracegraph.kosli.context import Services
from tracegraph.kosli.errors import message_response
from tracegraph.kosli.routes import (
    artifacts,
    asserts,
    attestations,
    diff,
    environments,
    events,
    flows,
    reports,
    search,
    snapshots,
    trails,
)

__all__ = ["kosli_api", "ready_response"]


def kosli_api(
    store: Callable[[], GraphStore], evidence: EvidenceStore, *, anonymous_public_reads: bool, cache_seconds: float
) -> Starlette:
    routes = [
        *flows.ROUTES,
        *reports.ROUTES,
        *events.ROUTES,
        *environments.ROUTES,
        *snapshots.ROUTES,
        *diff.ROUTES,
        *artifacts.ROUTES,
        *search.ROUTES,
        *asserts.ROUTES,
        *attestations.ROUTES,
        *trails.ROUTES,
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.kosli = Services.build(
        store, evidence, anonymous_public_reads=anonymous_public_reads, cache_seconds=cache_seconds
    )
    return app


async def _http_error(request: Request, error: Exception) -> Response:
    """Unknown paths and methods answer JSON too: the CLI cannot parse a plain-text body."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    return message_response(
        status, f"{request.method} {request.url.path}: {'no such endpoint' if status == 404 else 'not allowed'}"
    )


def ready_response(reason: str | None) -> Response:
    """`kosli status` prints the body of any 200 (Kosli answers `OK`) and `Kosli is Down` otherwise."""
    if reason is None:
        return PlainTextResponse("OK")
    return PlainTextResponse("Down", status_code=503, headers={"Retry-After": "1"})
