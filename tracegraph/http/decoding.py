"""A POST body as JSON: `application/json`, UTF-8 (no other charset), parseable. Every refusal is 400
BAD_REQUEST naming the rule, never a traceback."""

from __future__ import annotations

import json

from strawberry.http.parse_content_type import parse_content_type

from tracegraph.http.responses import RequestRefused

UTF8_NAMES = frozenset({"utf-8", "utf8"})


def decode_json(body: bytes, content_type: str | None) -> object:
    media_type, parameters = parse_content_type(content_type or "")
    if media_type != "application/json":
        raise _bad(f"Send the GraphQL request as JSON (Content-Type: application/json), not {media_type or 'nothing'}.")
    charset = parameters.get("charset", "utf-8").lower()
    if charset not in UTF8_NAMES:
        raise _bad(f"The request body must be JSON in UTF-8; charset={charset} is not accepted.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = body[error.start]
        raise _bad(f"The request body is not valid UTF-8: byte 0x{byte:02X} at offset {error.start}.") from None
    try:
        return json.loads(text)
    except RecursionError:
        # The C decoder recurses once per level; the nesting rule itself (`requests.MAX_JSON_DEPTH`) is checked
        # after decoding, and this is the same rule met earlier.
        raise _bad("The request body nests JSON arrays or objects too deeply.") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise _bad(f"The request body is not valid JSON: {error.msg} ({where}).") from None


def _bad(message: str) -> RequestRefused:
    return RequestRefused(400, message, code="BAD_REQUEST")
