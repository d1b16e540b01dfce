"""A decoded payload as GraphQL requests: one JSON object, or a batch (a JSON array) of them, whose text is valid
Unicode, whose nesting is bounded and whose query documents fit `TRACEGRAPH_MAX_QUERY_BYTES`."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.http import GraphQLRequestData

from tracegraph.graph.rules import lone_surrogate
from tracegraph.http.responses import RequestRefused

# Deep enough for any report or attestation; shallow enough that nothing downstream recurses into trouble.
MAX_JSON_DEPTH = 64

_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


def graphql_requests(
    payload: object, *, max_batch: int, max_query_bytes: int
) -> GraphQLRequestData | list[GraphQLRequestData]:
    if not isinstance(payload, list):
        return _request(payload, "", max_query_bytes)
    if not payload:
        raise _bad("An empty batch: send at least one operation.")
    if len(payload) > max_batch:
        raise RequestRefused(
            400,
            f"A batch may hold at most {max_batch} operations; this one has {len(payload)} "
            "(limit set by TRACEGRAPH_MAX_BATCH_OPERATIONS).",
            code="LIMIT_EXCEEDED",
            setting="TRACEGRAPH_MAX_BATCH_OPERATIONS",
        )
    return [_request(item, f"{index}.", max_query_bytes) for index, item in enumerate(payload)]


def _request(item: object, prefix: str, max_query_bytes: int) -> GraphQLRequestData:
    where = f"Operation {prefix[:-1]} of the batch" if prefix else "The request body"
    if not isinstance(item, dict):
        raise _bad(f"{where} must be a JSON object with `query` (and optionally `variables`), not {_kind(item)}.")
    check_text(item, prefix)
    query, variables = item.get("query"), item.get("variables")
    operation_name, extensions = item.get("operationName"), item.get("extensions")
    for name, value, expected in (
        ("query", query, str),
        ("operationName", operation_name, str),
        ("variables", variables, dict),
        ("extensions", extensions, dict),
    ):
        if value is not None and not isinstance(value, expected):
            raise _bad(f"{prefix}{name} must be {_JSON_TYPES[expected]} or null, not {_kind(value)}.")
    if query is not None:
        size = len(query.encode("utf-8"))
        if size > max_query_bytes:
            raise RequestRefused(
                413,
                f"The GraphQL document is {size} bytes; at most {max_query_bytes} are accepted (limit set by "
                "TRACEGRAPH_MAX_QUERY_BYTES). Pass large values as variables.",
                code="LIMIT_EXCEEDED",
                setting="TRACEGRAPH_MAX_QUERY_BYTES",
            )
    return GraphQLRequestData(
        query=query, variables=variables, operation_name=operation_name, extensions=extensions, protocol="http"
    )


def check_text(value: object, path: str = "") -> None:
    """Refuse lone surrogates (which JSON's `\\uD800` escapes can carry, and no store can encode) in any string or
    key, and nesting deeper than `MAX_JSON_DEPTH`. Iterative: the depth is what it guards."""
    stack: list[tuple[object, str, int]] = [(value, path, 0)]
    while stack:
        current, where, depth = stack.pop()
        if isinstance(current, str):
            _check_string(current, where[:-1] if where.endswith(".") else where)
        elif isinstance(current, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _bad(f"{where[:-1] or 'The request body'} nests JSON deeper than {MAX_JSON_DEPTH} levels.")
            for key, child in _children(current):
                if isinstance(key, str):
                    _check_string(key, f"{where}(a key)")
                stack.append((child, f"{where}{key}.", depth + 1))


def _children(container: dict[object, object] | list[object]) -> Iterator[tuple[object, object]]:
    return iter(container.items()) if isinstance(container, dict) else enumerate(container)


def _check_string(text: str, field: str) -> None:
    found = lone_surrogate(text)
    if found is not None:
        position, code_point = found
        field = field.removesuffix(".")
        raise RequestRefused(
            400,
            f"{field}: must be valid Unicode: lone surrogate U+{code_point:04X} at position {position}",
            code="BAD_USER_INPUT",
            field=field,
        )


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value)) or ("a number" if isinstance(value, int | float) else type(value).__name__)


def _bad(message: str) -> RequestRefused:
    return RequestRefused(400, message, code="BAD_REQUEST")
