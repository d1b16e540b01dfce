"""GraphQL execution with a fast path for fields that need only their object.

graphql-core executes every field alike: a `Path`, a `GraphQLResolveInfo`, the resolver call, then `complete_value`
— ~4 to 6 µs a field, which on a page of 100 running artifacts (~1,000 fields) is a large part of a request; and
Strawberry wraps each resolver that is not a plain attribute in its own layer (an `Info` object, argument
conversion, the extension chain).

`shortcut_simple_resolvers` gives every field that needs only its object a direct resolver, once, when the schema is
built: an attribute read for Strawberry's plain fields, a call of the method for resolvers taking only `self` (no
arguments, `info`, permission or extension; synchronous). `PlainFieldExecutor` then answers the leaf-typed ones
(scalars and enums) by reading and serialising the value directly, planned once per selection set and request
(graphql-core memoises the selection sets of a list's items, so one plan serves every item). Object- and list-typed
fields complete through graphql-core as before.

Any field whose value would be an error (null where the schema says non-null, a value the scalar refuses, an
exception) goes through graphql-core's own `execute_field`, which raises the same error with its path: the answer
is identical, only cheaper (`tests/api/test_execution.py` checks both against Strawberry's own execution;
`bench/executor.py` measures the difference).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any, NamedTuple

from graphql import GraphQLEnumType, GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


class PlainField(NamedTuple):
    """How to answer a plain leaf field without graphql-core's per-field machinery."""

    read: Callable[[Any], Any]  # the value from the object
    serialize: Callable[[Any], Any]
    non_null: bool


class PlannedField(NamedTuple):
    response_name: str
    field_details_list: FieldDetailsList
    plain: PlainField | None


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plans by selection set; the set is kept with its plan so that its id cannot be reused in this request.
        self._plans: dict[int, tuple[GroupedFieldSet, list[PlannedField] | None]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set)
        if plan is None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for response_name, field_details_list, plain in plan:
                if plain is not None:
                    value = _plain_value(plain, source_value)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gathered(results, awaitable_fields)

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet) -> list[PlannedField] | None:
        cached = self._plans.get(id(grouped_field_set))
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        planned = [
            PlannedField(name, details, self._plain(parent_type, details))
            for name, details in grouped_field_set.items()
        ]
        # Strawberry hands every request a middleware manager, empty unless an extension wraps resolvers.
        wrapped = self.middleware_manager is not None and bool(self.middleware_manager.middlewares)
        plan = planned if not wrapped and any(item.plain for item in planned) else None
        self._plans[id(grouped_field_set)] = (grouped_field_set, plan)
        return plan

    def _plain(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> PlainField | None:
        node = details[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or field_def.args or node.arguments:
            return None
        read = getattr(field_def.resolve, _DIRECT, None)  # set by `shortcut_simple_resolvers`
        if read is None:
            return None
        return_type = field_def.type
        non_null = isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
            return None
        return PlainField(read, named.serialize, non_null)


def _plain_value(plain: PlainField, source: Any) -> Any:
    """The serialised value, or Undefined when it is (or may be) an error: the generic path then reports it."""
    try:
        value = plain.read(source)
        if value is None:
            return Undefined if plain.non_null else None
        serialized = plain.serialize(value)
    except Exception:
        return Undefined
    return Undefined if serialized is None else serialized


async def _gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    if len(awaitable_fields) == 1:
        name = awaitable_fields[0]
        results[name] = await results[name]
        return results
    pending: list[Awaitable[Any]] = [results[name] for name in awaitable_fields]
    results.update(zip(awaitable_fields, await gather_with_cancel(*pending), strict=True))
    return results


_DIRECT = "_tracegraph_direct"


def shortcut_simple_resolvers(schema: GraphQLSchema) -> int:
    """Give every field that needs only its object a direct resolver: an attribute read for Strawberry's plain fields,
    a call of the method for resolvers taking only `self`. Returns how many fields changed."""
    changed = 0
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field_def in named.fields.values():
            read = _direct_read(field_def)
            if read is not None:
                field_def.resolve = _direct(read)
                changed += 1
    return changed


def _direct_read(field_def: GraphQLField) -> Callable[[Any], Any] | None:
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or field_def.args or definition.extensions:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        # A plain field: Strawberry's default resolver is `getattr(source, python_name)` unless configured otherwise.
        return attrgetter(definition.python_name) if definition.default_resolver is getattr else None
    if definition.is_async or resolver.arguments or not resolver.self_parameter:
        return None
    if resolver.info_parameter or resolver.root_parameter or resolver.parent_parameter:
        return None
    if len(resolver.signature.parameters) != 1 or not callable(resolver.wrapped_func):
        return None
    return resolver.wrapped_func


def _direct(read: Callable[[Any], Any]) -> Callable[..., Any]:
    def resolve(source: Any, _info: Any, **_arguments: Any) -> Any:
        return read(source)

    setattr(resolve, _DIRECT, read)
    return resolve
