"""Errors as the kosli CLI parses them: a JSON object `{"message": ...}` (plus `errors` naming the field for a
broken input rule) with a status the CLI does not retry.

    TracegraphError (tracegraph.errors)      status
     ├── Unauthenticated (here)               401
     ├── InvalidInput                         400  "Input payload validation failed", errors {field: rule}
     ├── NotFound                             404  (a hidden org answers exactly like a missing one)
     ├── Forbidden                            403
     ├── Conflict                             400  (never 409: the CLI retries 409 as a lock conflict)
     ├── NotSupported (here)                  501  (not retried; names the store operation that is missing)
     └── Unavailable                          503  with Retry-After (retried, as it should be)

The CLI passes the message through a printf-style formatter, so every `%` is doubled to print as one.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import JSONResponse

from tracegraph.errors import (
    UNAVAILABLE_MESSAGE,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TracegraphError,
    Unavailable,
)
from tracegraph.http.outcome import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

VALIDATION_FAILED = "Input payload validation failed"


class Unauthenticated(TracegraphError):
    """No usable token: missing, unknown, expired or revoked (one message for all four)."""

    code = "UNAUTHENTICATED"


class NotSupported(TracegraphError):
    """The command needs something the store cannot hold yet; the message names what."""

    code = "NOT_SUPPORTED"


def _printable(text: str) -> str:
    return text.replace("%", "%%")


def message_response(status: int, message: str, *, errors: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"message": _printable(message)}
    if errors is not None:
        body["errors"] = {field: _printable(rule) for field, rule in errors.items()}
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(body, status_code=status, headers=headers)


def error_response(error: TracegraphError) -> JSONResponse:
    if isinstance(error, InvalidInput):
        errors = {error.field or "body": error.rule}
        if error.candidates:
            errors["candidates"] = ", ".join(error.candidates)
        return message_response(400, VALIDATION_FAILED, errors=errors)
    if isinstance(error, Unauthenticated):
        response = message_response(401, error.message)
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracegraph"'
        return response
    if isinstance(error, NotFound):
        return message_response(404, error.message)
    if isinstance(error, Forbidden):
        return message_response(403, error.message)
    if isinstance(error, Conflict):
        return message_response(400, error.message)
    if isinstance(error, NotSupported):
        return message_response(501, error.message)
    if isinstance(error, Unavailable):
        logger.error("Store unavailable: %s", error.message)
        return message_response(503, UNAVAILABLE_MESSAGE)
    logger.error("Unexpected %s: %s", type(error).__name__, error.message)
    return message_response(500, "Internal error; it was logged.")
