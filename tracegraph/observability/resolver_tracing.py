"""Resolver spans for the resolvers that can call the store, not for every field.

Strawberry's `OpenTelemetryExtension` opens a span for every field with its own resolver: 115 of the 124 spans of
the tutorial's `Incident` query, ~10 ms of CPU per request (BENCHMARKS.md, "Observability overhead"), almost all
for methods that compute from the object already loaded. Only asynchronous resolvers reach the store (directly or
through a DataLoader), so only they get a span; the store calls under them keep theirs (store_calls.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from graphql import GraphQLResolveInfo
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.types.field import StrawberryField

DEFINITION = "strawberry-definition"  # where Strawberry keeps a GraphQL field's StrawberryField


class StoreResolverTracing(OpenTelemetryExtension):
    # Per (parent type, field): decided once per process; the schema's fields are a fixed set.
    _traced: ClassVar[dict[tuple[str, str], bool]] = {}

    async def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: str, **kwargs: Any
    ) -> Any:
        if self._reaches_store(info):
            return await super().resolve(_next, root, info, *args, **kwargs)
        result = _next(root, info, *args, **kwargs)
        return await result if hasattr(result, "__await__") else result

    @classmethod
    def _reaches_store(cls, info: GraphQLResolveInfo[Any]) -> bool:
        key = (info.parent_type.name, info.field_name)
        traced = cls._traced.get(key)
        if traced is None:
            field = info.parent_type.fields.get(info.field_name)
            definition = field.extensions.get(DEFINITION) if field is not None and field.extensions else None
            traced = isinstance(definition, StrawberryField) and definition.is_async
            cls._traced[key] = traced
        return traced
