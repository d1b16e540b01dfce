"""Parsing and validation as a Strawberry extension: cached by query text (tracegraph.http.document_cache), run in
a worker thread when the document is large enough to hold the event loop noticeably, and every error coded where it
is raised — GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, LIMIT_EXCEEDED (tokens), BAD_USER_INPUT (variables
that do not fit their types, reported by execution before any resolver runs)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, Lexer, Source, TokenKind, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from tracegraph.http.document_cache import DocumentCache
from tracegraph.http.document_limits import TOKENS_SETTING, limit_error

# Documents longer than this are parsed and validated in a worker thread: a 5,000-token document can take
# 150 ms to validate, which would stall every other request on the loop.
OFFLOAD_CHARS = 4096
# What a parsed document keeps per token (its AST nodes and the token chain their locations point into),
# measured on graphql-core 3.2: the cache's budget counts this besides the text.
TOKEN_COST_BYTES = 400

T = TypeVar("T")


@dataclass(slots=True)
class Prepared:
    document: DocumentNode
    errors: list[GraphQLError] | None = field(default=None)  # None until validated


def document_cache(*, max_bytes: int, max_entries: int) -> DocumentCache[Prepared]:
    return DocumentCache(max_bytes=max_bytes, max_entries=max_entries)


class PreparedDocuments(SchemaExtension):
    def __init__(self, *, cache: DocumentCache[Prepared], max_tokens: int) -> None:
        super().__init__()
        self.cache = cache
        self.max_tokens = max_tokens
        self.prepared: Prepared | None = None

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query = context.query
        if query is not None and context.graphql_document is None:
            prepared = self.cache.get(query)
            if prepared is None:
                document, tokens = await _off_loop(
                    len(query) > OFFLOAD_CHARS, lambda: parse_within(query, self.max_tokens)
                )
                prepared = Prepared(document)
                size = len(query.encode("utf-8", "surrogatepass"))
                self.cache.put(query, prepared, weight=size + tokens * TOKEN_COST_BYTES)
            self.prepared = prepared
            context.graphql_document = prepared.document
        yield

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        prepared = self.prepared
        if prepared is not None and context.pre_execution_errors is None:
            if prepared.errors is None:
                # Strawberry keeps graphql-core's schema as `_schema`; its own ValidationCache reads it the same way.
                schema = context.schema._schema
                rules = context.validation_rules
                errors = await _off_loop(
                    len(context.query or "") > OFFLOAD_CHARS,
                    lambda: validate_document(schema, prepared.document, rules),
                )
                prepared.errors = [_coded(error, "GRAPHQL_VALIDATION_FAILED") for error in errors]
            context.pre_execution_errors = prepared.errors
        yield

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            # Before any resolver runs, execution reports only variables that do not fit their declared types.
            if error.path is None:
                _coded(error, "BAD_USER_INPUT")


def parse_within(query: str, max_tokens: int) -> tuple[DocumentNode, int]:
    """The document and its token count; more than `max_tokens` tokens is LIMIT_EXCEEDED before parsing."""
    source = Source(query)
    tokens = count_tokens(source, max_tokens + 1)
    if tokens > max_tokens:
        message = f"Syntax Error: Document contains more than {max_tokens} tokens. Parsing aborted."
        raise limit_error(message, TOKENS_SETTING)
    try:
        return parse(source), tokens
    except GraphQLSyntaxError as error:
        raise _coded(error, "GRAPHQL_PARSE_FAILED") from None
    except RecursionError:
        raise GraphQLError(
            "Syntax Error: Document nests selections too deeply.", extensions={"code": "GRAPHQL_PARSE_FAILED"}
        ) from None


def count_tokens(source: Source, stop_at: int) -> int:
    """Lexical tokens (comments excluded, as the parser counts them), up to `stop_at`; a lexing error ends the
    count and is reported by the parser."""
    lexer = Lexer(source)
    count = 0
    try:
        while count < stop_at and lexer.advance().kind != TokenKind.EOF:
            count += 1
    except GraphQLSyntaxError:
        pass
    return count


def _coded(error: GraphQLError, code: str) -> GraphQLError:
    if not (error.extensions or {}).get("code"):
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


async def _off_loop(offload: bool, work: Callable[[], T]) -> T:
    return await asyncio.to_thread(work) if offload else work()
