"""What browser frontends need: CORS for the allowed origins (TRACEGRAPH_CORS_ORIGINS, none by default) and gzip
compression of large answers (TRACEGRAPH_GZIP_MINIMUM_BYTES).

Both sit outside the token check and the GraphQL gate (tracegraph.app): a CORS preflight carries no token and must be
answered before it is asked for one, a refusal (401, 413) needs the CORS headers too for the page to read it, and
compression has to see the whole response whoever wrote it.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

from tracegraph.settings import Settings

# What a browser page sends: the token and a JSON body.
ALLOWED_HEADERS = ("Authorization", "Content-Type")
# What a page may read of an answer besides the simple headers: the id to quote when reporting a problem.
EXPOSED_HEADERS = ("X-Request-ID",)
PREFLIGHT_CACHE_SECONDS = 600


def frontend_middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: compression wraps everything, CORS answers preflights before any token check."""
    return [
        Middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_bytes),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list(),
            allow_methods=["GET", "POST"],
            allow_headers=list(ALLOWED_HEADERS),
            expose_headers=list(EXPOSED_HEADERS),
            allow_credentials=False,  # the token travels in a header, never in cookies
            max_age=PREFLIGHT_CACHE_SECONDS,
        ),
    ]
