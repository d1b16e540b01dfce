"""How failures reach GraphQL clients.

- Expected failures (`TracegraphError`) keep their message and carry `extensions.code` — BAD_USER_INPUT (with
  `field` and, for an ambiguous prefix, `candidates`), NOT_FOUND, CONFLICT, UNAVAILABLE.
- Request errors keep graphql-core's message, with the code given where they are raised (tracegraph.http.documents,
  tracegraph.http.document_limits): GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT (malformed
  variables), LIMIT_EXCEEDED (with `setting`, the TRACEGRAPH_* variable that sets it).
- Anything else is a bug: masked as "Unexpected error." (code INTERNAL_SERVER_ERROR) and logged once with its
  traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from tracegraph.errors import UNAVAILABLE_MESSAGE, InvalidInput, TracegraphError, Unavailable
from tracegraph.http.document_cache import DocumentCache
from tracegraph.http.documents import Prepared

logger = logging.getLogger(__name__)

UNEXPECTED = "Unexpected error."


def is_unexpected(error: GraphQLError) -> bool:
    """Raised while resolving a field by something other than a `TracegraphError`."""
    if isinstance(error.original_error, TracegraphError):
        return False
    return error.path is not None or (
        error.original_error is not None and not isinstance(error.original_error, GraphQLError | ValueError)
    )


class TracegraphSchema(strawberry.Schema):
    # The documents kept across requests (tracegraph.http.documents); None for a schema built without settings.
    documents: DocumentCache[Prepared] | None = None

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        # Shaped here rather than in an extension: errors raised while parsing (e.g. the token limit) leave the
        # extensions' operation hooks before the result exists.
        # Subscriptions run over a WebSocket only (tracegraph.live): over HTTP they are refused as an operation type
        # the method does not allow (400), instead of running as a query.
        allowed = kwargs.get("allowed_operation_types")
        if allowed is not None:
            kwargs["allowed_operation_types"] = set(allowed) - {OperationType.SUBSCRIPTION}
        result = await super().execute(*args, **kwargs)
        if result.errors:
            result.errors = [shape(error) for error in result.errors]
        return result

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        # Streams run over WebSockets (tracegraph.live): subscriptions only — queries and mutations go over HTTP,
        # through the gate's limits and a token check per request. Errors are shaped as `execute` shapes them.
        kwargs["allowed_operation_types"] = (OperationType.SUBSCRIPTION,)
        return _shaped(await super().stream(*args, **kwargs))

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Strawberry logs every error; expected ones are answers, not incidents. Log only bugs, once each.
        for error in errors:
            if is_unexpected(error):
                logger.error(
                    "Unexpected error resolving %s",
                    ".".join(str(part) for part in error.path or ()) or "the request",
                    exc_info=error.original_error or error,
                )


ONLY_SUBSCRIPTIONS = "Only subscriptions run over the WebSocket: send queries and mutations over HTTP."


async def _shaped(results: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
    async with aclosing(results):
        async for result in results:
            if getattr(result, "errors", None):
                result.errors = [_shape_streamed(error) for error in result.errors]
            yield result


def _shape_streamed(error: GraphQLError) -> GraphQLError:
    if isinstance(error.original_error, InvalidOperationTypeError):
        return _copy(error, ONLY_SUBSCRIPTIONS, {"code": "BAD_REQUEST"})
    return shape(error)


def shape(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, Unavailable):
        # The detail names hosts, ports or paths: for the server's log, not for callers.
        logger.error("Store unavailable: %s", original.message)
        return _copy(error, UNAVAILABLE_MESSAGE, {"code": original.code})
    if isinstance(original, TracegraphError):
        extensions: dict[str, object] = {"code": original.code}
        if isinstance(original, InvalidInput):
            extensions["field"] = original.field
            if original.code == "LIMIT_EXCEEDED":
                extensions["setting"] = getattr(original, "setting", "TRACEGRAPH_MAX_ITEM_LOOKUPS")
            if original.candidates:
                extensions["candidates"] = list(original.candidates)
        return _copy(error, original.message, extensions)
    if is_unexpected(error):
        return _copy(error, UNEXPECTED, {"code": "INTERNAL_SERVER_ERROR"})
    # Coded at the source; a schema built without settings (for the SDL) has no coding extension.
    return _copy(error, error.message, {"code": (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED"})


def _copy(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), **extensions},
    )
