"""Schema-driven fuzzing of `/graphql` on every backend: documents generated from `schema/schema.graphql` by
hypothesis-graphql, for every root query and mutation field, valid ones (literal arguments of every shape the schema
allows) and invalid ones. Whatever a client sends, the answer is never a 5xx and never a masked "Unexpected error."

Deterministic: a fixed number of examples per root field (TRACEGRAPH_FUZZ_EXAMPLES, default 60 valid and 15 invalid),
derandomized, no example database. A failure names the document that caused it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import Mode, nodes
from hypothesis_graphql import from_schema as documents_of

from tests.api.conftest import DEFAULT_ORG, Api

SDL = (Path(__file__).parents[2] / "schema" / "schema.graphql").read_text(encoding="utf-8")
SCHEMA = graphql.build_schema(SDL)
EXAMPLES = int(os.environ.get("TRACEGRAPH_FUZZ_EXAMPLES", "60"))
INVALID_EXAMPLES = max(1, EXAMPLES // 4)

# Names the seeded org answers to, mixed into generated strings so some documents reach real data.
KNOWN_WORDS = [DEFAULT_ORG, "web", "prod", "latest", "#1", "~1", "prod#1", "0123456", "a" * 64]

CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "DateTime": st.one_of(
        st.datetimes(min_value=datetime(1, 1, 2), timezones=st.just(UTC)).map(lambda moment: moment.isoformat()),
        st.text(max_size=30),
    ).map(nodes.String),
    "JSON": st.one_of(st.text(max_size=20).map(nodes.String), st.integers().map(nodes.Int), st.just(nodes.Null)),
}


def root_fields(type_: graphql.GraphQLObjectType | None) -> list[str]:
    assert type_ is not None
    return sorted(type_.fields)


def generate(field: str, mode: Mode, examples: int) -> list[str]:
    """`examples` documents asking `field` (a root query or mutation field), printed."""
    strategy = documents_of(SDL, fields=[field], custom_scalars=CUSTOM_SCALARS, mode=mode)
    found: list[str] = []

    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(document=strategy, word=st.sampled_from(KNOWN_WORDS))
    def collect(document: Any, word: str) -> None:
        text = str(document)
        # Aim a share of the documents at the seeded org: replace the first string literal with a known word.
        if '"' in text and len(found) % 2 == 0:
            start = text.index('"')
            end = text.find('"', start + 1)
            if end > start:
                text = f"{text[: start + 1]}{word}{text[end:]}"
        found.append(text)

    try:
        collect()
    except InvalidArgument:
        if mode is Mode.POSITIVE:
            raise
        return []  # nothing to violate: the field takes no argument of a built-in scalar type
    return found


def is_masked(error: dict[str, Any]) -> bool:
    return error.get("message") == "Unexpected error." or (error.get("extensions") or {}).get("code") in {
        "INTERNAL_SERVER_ERROR",
        None,
    }


async def send_all(api: Api, documents: list[str]) -> list[str]:
    """The documents whose answer was a 5xx or carried a masked error, with what came back."""
    failures: list[str] = []
    for document in documents:
        response = await api.http.post("/graphql", json={"query": document}, headers=api.headers)
        if response.status_code >= 500:
            failures.append(f"HTTP {response.status_code} for {document!r}: {response.text[:300]}")
            continue
        body = response.json()
        masked = [error for error in body.get("errors") or [] if is_masked(error)]
        if masked:
            failures.append(f"masked {masked[0]} for {document!r}")
    return failures


async def assert_never_fails(api: Api, field: str) -> None:
    documents = generate(field, Mode.POSITIVE, EXAMPLES) + generate(field, Mode.NEGATIVE, INVALID_EXAMPLES)
    assert documents
    failures = await send_all(api, documents)
    assert not failures, f"{len(failures)} of {len(documents)} documents failed:\n" + "\n".join(failures[:5])


async def seed(api: Api) -> None:
    await api.data('mutation { createFlow(input: {org: "acme", name: "web"}) { flow { name } } }')
    await api.data(
        'mutation { createEnvironment(input: {org: "acme", name: "prod", type: K8S}) { environment { name } } }'
    )


@pytest.mark.parametrize("field", root_fields(SCHEMA.query_type))
async def test_generated_queries_never_fail_the_server(api: Api, field: str) -> None:
    await seed(api)
    await assert_never_fails(api, field)


@pytest.mark.parametrize("field", root_fields(SCHEMA.mutation_type))
async def test_generated_mutations_never_fail_the_server(api: Api, field: str) -> None:
    await seed(api)
    await assert_never_fails(api, field)
