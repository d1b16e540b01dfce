"""Assemble the Strawberry schema, with the limits the settings give."""

from __future__ import annotations

from collections.abc import Callable

from graphql.validation import ASTValidationRule
from opentelemetry.sdk.trace import TracerProvider
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.schema.config import BatchingConfig, StrawberryConfig

from tracegraph.http.document_cache import DocumentCache
from tracegraph.http.document_limits import aliases_rule, depth_rule
from tracegraph.http.documents import Prepared, PreparedDocuments, document_cache
from tracegraph.observability.operations import OperationNames
from tracegraph.observability.resolver_tracing import StoreResolverTracing
from tracegraph.schema.errors import TracegraphSchema
from tracegraph.schema.execution import PlainFieldExecutor, shortcut_simple_resolvers
from tracegraph.schema.mutation import Mutation
from tracegraph.schema.query import Query
from tracegraph.schema.subscription import Subscription
from tracegraph.schema.types.commit_placement import CommitPlacement
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.org import Org
from tracegraph.schema.types.snapshot import Snapshot
from tracegraph.settings import Settings


def make_schema(
    settings: Settings | None = None, *, fast_execution: bool = True, tracer_provider: TracerProvider | None = None
) -> TracegraphSchema:
    """`fast_execution=False` gives Strawberry's own execution (bench/executor.py measures the difference);
    `tracer_provider` adds a span per operation and resolver (tracegraph.observability.tracing)."""
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = []
    batching: BatchingConfig | None = None
    documents: DocumentCache[Prepared] | None = None
    if settings is not None:
        # Built once per schema: the rule classes and the cache outlive requests (the cache keys on query text,
        # its validation results hold for these rules only).
        limit_rules: list[type[ASTValidationRule]] = [
            depth_rule(settings.max_query_depth),
            aliases_rule(settings.max_aliases),
        ]
        documents = document_cache(max_bytes=settings.query_cache_bytes, max_entries=settings.query_cache_entries)
        extensions = [
            lambda: AddValidationRules(limit_rules),
            lambda: PreparedDocuments(cache=documents, max_tokens=settings.max_query_tokens),
            OperationNames,
        ]
        batching = BatchingConfig(max_operations=settings.max_batch_operations)
    if tracer_provider is not None:
        extensions.append(lambda: StoreResolverTracing(tracer_provider=tracer_provider))
    schema = TracegraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Reachable only through an interface or a lazy annotation: listed so they are always in the schema.
        types=[Org, Flow, Environment, Snapshot, CommitPlacement],
        extensions=extensions,
        execution_context_class=PlainFieldExecutor if fast_execution else None,
        config=StrawberryConfig(batching_config=batching),
    )
    schema.documents = documents
    if fast_execution:
        shortcut_simple_resolvers(schema._schema)
    return schema


def sdl() -> str:
    """The schema in SDL, as exported to `schema/schema.graphql`."""
    return make_schema().as_str() + "\n"
