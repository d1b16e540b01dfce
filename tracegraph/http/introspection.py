"""Which requests may run without a token: documents made solely of introspection (`__schema`, `__type`,
`__typename` at the root of query operations). The schema is public — its SDL is in the repository — so GraphiQL's
Docs and autocompletion work before a token is typed; every data field still needs one.

Only the root is checked: below `__schema` and `__type` lie introspection types alone, which reach no data. Fragment
spreads and inline fragments at the root are followed, so `{ ...F } fragment F on Query { orgs { name } }` counts as
data. A document that does not parse is not introspection (the caller answers it as unauthenticated).
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from strawberry.http import GraphQLRequestData

INTROSPECTION_FIELDS = frozenset({"__schema", "__type", "__typename"})
# Larger than any introspection query a tool sends (GraphiQL's is ~2 KiB); a tokenless body past it is refused
# before it is decoded, so an anonymous caller cannot make the service parse large documents.
MAX_ANONYMOUS_BODY_BYTES = 32 * 1024
# graphql-core stops parsing past this many tokens (GraphiQL's introspection query has ~250).
MAX_ANONYMOUS_TOKENS = 2_000


def introspection_only(requests: GraphQLRequestData | list[GraphQLRequestData]) -> bool:
    """True when every request's document introspects and nothing else."""
    batch = requests if isinstance(requests, list) else [requests]
    return bool(batch) and all(_document_introspects(request.query) for request in batch)


def _document_introspects(query: str | None) -> bool:
    if not query:
        return False  # a persisted-query hash or an empty request: not provably introspection
    try:
        document = parse(query, no_location=True, max_tokens=MAX_ANONYMOUS_TOKENS)
    except GraphQLError:
        return False
    return _introspects(document)


def _introspects(document: DocumentNode) -> bool:
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    operations = [definition for definition in document.definitions if isinstance(definition, OperationDefinitionNode)]
    if not operations or len(operations) + len(fragments) != len(document.definitions):
        return False  # type definitions or extensions in an executable document: not ours to judge
    return all(
        operation.operation == OperationType.QUERY and _root_introspects(operation.selection_set, fragments, set())
        for operation in operations
    )


def _root_introspects(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> bool:
    return all(_selection_introspects(selection, fragments, seen) for selection in selections.selections)


def _selection_introspects(selection: object, fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> bool:
    if isinstance(selection, FieldNode):
        return selection.name.value in INTROSPECTION_FIELDS
    if isinstance(selection, InlineFragmentNode):
        return _root_introspects(selection.selection_set, fragments, seen)
    if isinstance(selection, FragmentSpreadNode):
        name = selection.name.value
        fragment = fragments.get(name)
        if fragment is None or name in seen:
            return False  # unknown or cyclic: validation refuses it anyway; never let it through here
        return _root_introspects(fragment.selection_set, fragments, seen | {name})
    return False
