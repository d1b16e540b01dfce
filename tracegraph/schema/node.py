# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""The `Node` interface: every object that can be fetched again by `node(id:)` carries an opaque global id."""

from __future__ import annotations

import base64
import binascii

import strawberry

from tracegraph.errors import InvalidInput

ID_RULE = "a global id taken from an object's `id` field"


@strawberry.interface(description="An object with a globally unique, opaque id; fetch it again with `node(id:)`.")
class Node:
    @strawberry.field(description="Opaque global id; stable for the object's lifetime. Pass it to `node(id:)`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.node_key()))

    def node_key(self) -> str:
        raise NotImplementedError


def encode_id(type_name: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def decode_id(value: str) -> tuple[str, str]:
    try:
        text = base64.urlsafe_b64decode((value + "=" * (-len(value) % 4)).encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("id", f"must be {ID_RULE}") from None
    type_name, separator, key = text.partition(":")
    if not separator or not key:
        raise InvalidInput("id", f"must be {ID_RULE}")
    return type_name, key


def split_key(key: str, parts: int) -> list[str]:
    """Keys join names with `/`, which no name may contain."""
    pieces = key.split("/")
    if len(pieces) != parts or not all(pieces):
        raise InvalidInput("id", f"must be {ID_RULE}")
    return pieces
