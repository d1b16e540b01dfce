"""The web UI (web/, a single-page app built into tracegraph/static/ui/ at install time): its index page for every
client-side route, its assets with long cache lifetimes.

A GET asking for HTML at a path no other route owns gets the index page; the app's router (web/src/app.tsx) shows
the page or its own "not found". The API's paths stay the API's: anything under them that reached this route is a
404, never the index page. Asset names carry a content hash (Vite), so they are cached for a year; the index page is
revalidated on every visit so a new install is picked up at once.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

# script-src/connect-src 'self': the bundle is served here and talks only to /graphql; nothing else loads.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    # Links out (commit and build URLs) do not tell the host which page of tracegraph they came from.
    "Referrer-Policy": "no-referrer",
}
ASSET_CACHE = "public, max-age=31536000, immutable"
# Paths owned by the API and the service; the index page is never their answer.
RESERVED = ("/graphql", "/api/", "/static/", "/healthz", "/readyz", "/ready", "/metrics")


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def is_reserved(path: str) -> bool:
    return any(path == prefix.rstrip("/") or path.startswith(prefix.rstrip("/") + "/") for prefix in RESERVED)


def ui_route(*, bundle: Path, missing: Path) -> Route:
    """The index page for the UI's routes (last in the route list); `missing` (how to build the UI) when the bundle
    was not built."""
    index = bundle / "index.html"

    async def page(request: Request) -> Response:
        path = request.url.path
        if is_reserved(path) or not (wants_html(request) or path == "/"):
            return PlainTextResponse("Not Found", status_code=404)
        if not index.is_file():
            return FileResponse(missing, media_type="text/html", headers=PAGE_HEADERS)
        return FileResponse(index, media_type="text/html", headers=PAGE_HEADERS)

    return Route("/{path:path}", page, methods=["GET"])


class UIAssets(StaticFiles):
    """The bundle's files: hashed assets cached for good, the rest (index.html) revalidated."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        immutable = Path(full_path).parent.name == "assets"
        response.headers["Cache-Control"] = ASSET_CACHE if immutable else "no-cache"
        return response
