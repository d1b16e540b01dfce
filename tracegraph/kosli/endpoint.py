"""Every `/api/v2` handler is wrapped once: expected failures become the CLI's error bodies (`errors`), anything
else is logged once and answered 500 without details."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tracegraph.errors import TracegraphError
from tracegraph.kosli.errors import error_response, message_response

logger = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except TracegraphError as error:
            return error_response(error)
        except Exception:
            logger.exception("Unexpected failure in %s %s", request.method, request.url.path)
            return message_response(500, "Internal error; it was logged.")

    return answer


class CompactJSON(Response):
    """Compact JSON with no leading whitespace: `get artifact` tells an array from an object by its first byte."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def path_param(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    return value
