"""Document limits as validation rules whose errors are coded where they are raised: LIMIT_EXCEEDED with the
`setting` that sets the limit, and the setting named in the message."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions.max_aliases import count_fields_with_alias

DEPTH_SETTING = "TRACEGRAPH_MAX_QUERY_DEPTH"
ALIASES_SETTING = "TRACEGRAPH_MAX_ALIASES"
TOKENS_SETTING = "TRACEGRAPH_MAX_QUERY_TOKENS"


def limit_error(message: str, setting: str, nodes: Sequence[Node] | None = None) -> GraphQLError:
    return GraphQLError(
        f"{message} (limit set by {setting})", nodes, extensions={"code": "LIMIT_EXCEEDED", "setting": setting}
    )


def fragments_of(context: ValidationContext) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in context.document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """An operation whose fields nest more than `max_depth` levels below its root fields is refused. Introspection
    fields (`__schema`, `__type`) are not counted: GraphiQL's own query nests `ofType` deeply."""

    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments = fragments_of(context)
            levels: dict[str, int] = {}
            for operation in context.document.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                if _levels(operation.selection_set, fragments, levels, frozenset()) > max_depth:
                    name = operation.name.value if operation.name else "anonymous"
                    message = f"'{name}' exceeds maximum operation depth of {max_depth}"
                    context.report_error(limit_error(message, DEPTH_SETTING, [operation]))

    return DepthLimit


def _levels(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    levels: dict[str, int],
    entered: frozenset[str],
) -> int:
    """Levels of fields below this selection set's own (0: only leaves). Each fragment is measured once (`levels`):
    fragments spreading others twice would otherwise cost 2^n walks."""
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None or selection.name.value.startswith("__"):
                continue
            deepest = max(deepest, 1 + _levels(selection.selection_set, fragments, levels, entered))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _levels(selection.selection_set, fragments, levels, entered))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in entered:  # unknown or cyclic: other rules report it
                continue
            if name not in levels:
                levels[name] = _levels(fragment.selection_set, fragments, levels, entered | {name})
            deepest = max(deepest, levels[name])
    return deepest


def aliases_rule(max_aliases: int) -> type[ValidationRule]:
    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            fragments = fragments_of(context)
            total = sum(
                count_fields_with_alias(definition, fragments)
                for definition in context.document.definitions
                if isinstance(definition, OperationDefinitionNode)
            )
            if total > max_aliases:
                context.report_error(limit_error(f"{total} aliases found. Allowed: {max_aliases}", ALIASES_SETTING))

    return AliasLimit
