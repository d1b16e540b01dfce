# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""The `Node` interface: every object that can be fetched again by `node(id:)` carries an opaque global id."""

from __future__ import annotations

import strawberry

from tracegraph.errors import InvalidInput
from tracegraph.resolvers.cursors import ID_RULE, decode_id, encode_id

__all__ = ["ID_RULE", "Node", "decode_id", "encode_id", "split_key"]


@strawberry.interface(description="An object with a globally unique, opaque id; fetch it again with `node(id:)`.")
class Node:
    @strawberry.field(description="Opaque global id; stable for the object's lifetime. Pass it to `node(id:)`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_id(type(self).__name__, self.node_key()))

    def node_key(self) -> str:
        raise NotImplementedError


def split_key(key: str, parts: int) -> list[str]:
    """Keys join names with `/`, which no name may contain."""
    pieces = key.split("/")
    if len(pieces) != parts or not all(pieces):
        raise InvalidInput("id", f"must be {ID_RULE}")
    return pieces
