"""Every opaque token the API hands out to be sent back, encoded and decoded here only: the keyset cursors of
connections (`after`, `before`) and the Relay global ids of nodes (`id`).

Decoding is strict: a token is accepted only when it is exactly one this server writes — canonical URL-safe base64
without padding, of canonical JSON (a cursor) or of `Type:key` (an id), with the shape its kind prescribes. Anything
else (bad base64, not JSON, another kind, wrong arity or element types, extra elements, out-of-range numbers, lone
surrogates) is `InvalidInput` naming the argument and saying what it must be; nothing reaches a store.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from typing import Any

from tracegraph.errors import InvalidInput
from tracegraph.graph.rules import NAME_PATTERN, unicode_error
from tracegraph.graph.selectors import MAX_INDEX
from tracegraph.graph.webhooks import WebhookEvent

Key = tuple[Any, ...]

CURSOR_RULE = (
    "a cursor of this connection, passed back unchanged from `edges.cursor`, `pageInfo.startCursor` or "
    "`pageInfo.endCursor`"
)
ID_RULE = "a global id taken from an object's `id` field"

# Far above any token written here (the longest: a running item's 512-character name, each character escaped as
# \uXXXX twice for a surrogate pair); a bound before any decoding work.
MAX_CURSOR = 16_384
MAX_ID = 2_048

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_NAME = re.compile(NAME_PATTERN)
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_TYPE_NAME = re.compile(r"[A-Z][A-Za-z]{0,63}")
_EVENTS = frozenset(event.value for event in WebhookEvent)


def _name(part: object) -> bool:
    return isinstance(part, str) and _NAME.fullmatch(part) is not None


def _fingerprint(part: object) -> bool:
    return isinstance(part, str) and _FINGERPRINT.fullmatch(part) is not None


def _index(part: object) -> bool:
    return type(part) is int and 1 <= part <= MAX_INDEX  # `type(...) is int`: JSON's true is no index


def _micros(part: object) -> bool:
    return type(part) is int and part >= 0


def _observed_name(part: object) -> bool:
    # As stored, not as the rules accept it today: names reported before a rule tightened still page.
    return isinstance(part, str) and 1 <= len(part) <= 512 and unicode_error(part) is None


def _change_id(part: object) -> bool:
    return type(part) is int and part >= 1


def _event(part: object) -> bool:
    return isinstance(part, str) and part in _EVENTS


# The key of each kind of cursor, element by element.
SHAPES: dict[str, tuple[Callable[[object], bool], ...]] = {
    "artifact": (_fingerprint,),  # a flow's artifacts, newest first: the last fingerprint seen
    "snapshot": (_index,),  # an environment's log: the last snapshot index seen
    "running": (_observed_name, _fingerprint),  # a snapshot's running set: (observed name, fingerprint)
    "event": (_observed_name, _fingerprint),  # a snapshot's events: (observed name, fingerprint)
    "flow": (_name,),
    "environment": (_name,),
    "trail": (_name,),  # a flow's trails, newest first: the last trail name seen
    "trail_artifact": (_micros, _fingerprint),  # a trail's artifacts: (created_at in µs since 1970, fingerprint)
    "repo_artifact": (_name, _fingerprint),  # a repository's artifacts, newest first: the last (flow, fingerprint)
    "webhook_delivery": (_change_id, _event),  # a webhook's deliveries, newest first: the last (change id, event)
}


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64decode(token: str, *, longest: int) -> bytes | None:
    if len(token) > longest or len(token) % 4 == 1 or not _BASE64URL.fullmatch(token):
        return None
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None


def encode_cursor(kind: str, key: Key) -> str:
    return _b64encode(json.dumps([kind, *key], separators=(",", ":")).encode())


def decode_cursor(kind: str, cursor: str, *, field: str) -> Key:
    """The key of a cursor of `kind`, or `InvalidInput(field, ...)` when `cursor` is anything else."""
    shape = SHAPES[kind]
    key = _cursor_key(kind, shape, cursor)
    if key is None:
        raise InvalidInput(field, f"must be {CURSOR_RULE}")
    return key


def _cursor_key(kind: str, shape: tuple[Callable[[object], bool], ...], cursor: str) -> Key | None:
    raw = _b64decode(cursor, longest=MAX_CURSOR)
    if raw is None:
        return None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: not JSON, or an int of 4,300+ digits
        return None
    if not isinstance(value, list) or len(value) != len(shape) + 1 or value[0] != kind:
        return None
    key = tuple(value[1:])
    if not all(check(part) for check, part in zip(shape, key, strict=True)):
        return None
    # Only the exact token written: no padding, whitespace, escapes or number spellings of our own choosing.
    return key if encode_cursor(kind, key) == cursor else None


def encode_id(type_name: str, key: str) -> str:
    return _b64encode(f"{type_name}:{key}".encode())


def decode_id(value: str, *, field: str = "id") -> tuple[str, str]:
    """(type name, key) of a global id; `InvalidInput(field, ...)` for anything this server did not write."""
    raw = _b64decode(value, longest=MAX_ID)
    try:
        text = raw.decode("utf-8") if raw is not None else ""
    except UnicodeDecodeError:
        text = ""
    type_name, separator, key = text.partition(":")
    if (
        not separator
        or not key
        or not _TYPE_NAME.fullmatch(type_name)
        or any(not _NAME.fullmatch(piece) for piece in key.split("/"))
        or encode_id(type_name, key) != value
    ):
        raise InvalidInput(field, f"must be {ID_RULE}")
    return type_name, key
