"""Request bodies as the CLI sends them: compact JSON, or multipart/form-data whose `data_json` part is JSON.

Multipart is read with the standard library's MIME parser (no extra dependency); file parts are kept as bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

from starlette.requests import Request

from tracegraph.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class FormBody:
    data: dict[str, Any]
    files: dict[str, Upload] = field(default_factory=dict)


def _json(raw: bytes, where: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(where, "must be UTF-8") from None
    except RecursionError:
        raise InvalidInput(where, "must be JSON nested less deeply") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(where, f"must be JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None


async def json_object(request: Request) -> dict[str, Any]:
    data = _json(await request.body(), "body")
    if not isinstance(data, dict):
        raise InvalidInput("body", "must be a JSON object")
    return cast("dict[str, Any]", data)


async def form(request: Request) -> FormBody:
    """A multipart body's `data_json` object and its files; a JSON body is accepted too (as `data_json`)."""
    content_type = request.headers.get("content-type", "")
    raw = await request.body()
    if not content_type.lower().startswith("multipart/form-data"):
        plain = _json(raw, "body")
        if not isinstance(plain, dict):
            raise InvalidInput("body", "must be a JSON object")
        return FormBody(cast("dict[str, Any]", plain))
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message: EmailMessage = BytesParser(policy=policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart() or message.defects:
        raise InvalidInput("body", "must be multipart/form-data with a boundary")
    data: Any = None
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if name == "data_json":
            data = _json(content, "data_json")
        elif isinstance(name, str):
            files[name] = Upload(filename=part.get_filename() or name, content=content)
    if not isinstance(data, dict):
        raise InvalidInput("data_json", "must be a part holding a JSON object")
    return FormBody(cast("dict[str, Any]", data), files)
