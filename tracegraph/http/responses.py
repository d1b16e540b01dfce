"""The JSON answer of a request refused at the HTTP boundary, shaped like a GraphQL error response."""

from __future__ import annotations

import json
from collections.abc import Sequence

from starlette.types import Send


class RequestRefused(Exception):
    """A request that breaks a rule of the boundary; `extensions` carries at least its `code`."""

    def __init__(self, status: int, message: str, *, code: str, **extensions: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extensions: dict[str, str] = {"code": code, **extensions}


def error_body(message: str, extensions: dict[str, str]) -> bytes:
    return json.dumps({"errors": [{"message": message, "extensions": extensions}]}).encode()


async def send_refusal(send: Send, refused: RequestRefused, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = error_body(refused.message, refused.extensions)
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
