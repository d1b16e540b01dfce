"""The exported SDL matches the code, and every type and field is described (GraphiQL users read them)."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from tracegraph.schema import make_schema, sdl

EXPORTED = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_exported_sdl_matches_the_code() -> None:
    assert EXPORTED.read_text(encoding="utf-8") == sdl(), (
        "schema/schema.graphql is out of date: run scripts/export-schema and commit the result"
    )


def test_every_type_and_field_has_a_description() -> None:
    schema = make_schema()._schema
    missing: list[str] = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__"):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing.extend(f"{name}.{field}" for field, value in graphql_type.fields.items() if not value.description)
        if isinstance(graphql_type, GraphQLEnumType):
            assert graphql_type.values, name
    assert missing == []
