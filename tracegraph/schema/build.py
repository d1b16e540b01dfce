"""Assemble the Strawberry schema, with the limits the settings give."""

from __future__ import annotations

from collections.abc import Callable

from graphql.validation import ASTValidationRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, SchemaExtension, ValidationCache
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import IgnoreContext
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import BatchingConfig, StrawberryConfig

from tracegraph.schema.errors import TracegraphSchema
from tracegraph.schema.mutation import Mutation
from tracegraph.schema.query import Query
from tracegraph.schema.types.commit_placement import CommitPlacement
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.org import Org
from tracegraph.schema.types.snapshot import Snapshot
from tracegraph.settings import Settings


def _introspection(context: IgnoreContext) -> bool:
    # GraphiQL's introspection query nests `ofType` deeply; it reads the schema, not the graph.
    return context.field_name.startswith("__")


def make_schema(settings: Settings | None = None) -> TracegraphSchema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = []
    batching: BatchingConfig | None = None
    if settings is not None:
        limit_rules: list[type[ASTValidationRule]] = [
            depth_rule(settings.max_query_depth, _introspection),
            aliases_rule(settings.max_aliases),
        ]
        extensions = [
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            # The rule classes are built once: the validation cache keys on them, so a class per request would
            # never hit.
            lambda: AddValidationRules(limit_rules),
            lambda: ParserCache(maxsize=settings.parser_cache_size),
            lambda: ValidationCache(maxsize=settings.validation_cache_size),
        ]
        batching = BatchingConfig(max_operations=settings.max_batch_operations)
    return TracegraphSchema(
        query=Query,
        mutation=Mutation,
        # Reachable only through an interface or a lazy annotation: listed so they are always in the schema.
        types=[Org, Flow, Environment, Snapshot, CommitPlacement],
        extensions=extensions,
        config=StrawberryConfig(batching_config=batching),
    )


def sdl() -> str:
    """The schema in SDL, as exported to `schema/schema.graphql`."""
    return make_schema().as_str() + "\n"
