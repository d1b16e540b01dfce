"""tracegraph's execution (tracegraph/schema/execution.py) answers exactly as Strawberry's own: the same data and the
same errors at the same paths — on a schema built to exercise every path (plain and direct fields, nulls where the
schema forbids them, values a scalar refuses, permissions, async resolvers) and on the demo's real answers. Answers
are encoded exactly (orjson, json past 64-bit integers), as UTF-8."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import strawberry
from strawberry.permission import BasePermission

from tests.api.conftest import DEFAULT_ORG, Api, make_settings, serve, token_headers
from tests.api.test_contract_queries import INCIDENT, WHERE
from tracegraph.app import create_app
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.inputs import FlowInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.schema import make_schema
from tracegraph.schema.execution import PlainFieldExecutor, shortcut_simple_resolvers


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Never(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Leaf:
    name: str
    count: int | None
    colour: Colour
    required: str  # holds None in `broken` items: an error at its path, null bubbling up to the item
    when: datetime

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def maybe(self) -> str | None:
        return None if self.name == "b" else self.name

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"{self.name} fails")

    @strawberry.field(permission_classes=[Never])
    def secret(self) -> str | None:
        return "leaked"

    @strawberry.field
    async def later(self) -> str:
        return self.name + "!"

    @strawberry.field
    def child(self) -> Leaf | None:
        return None if self.name == "b" else leaf(self.name + "-child")

    @strawberry.field
    def children(self) -> list[Leaf]:
        return [leaf(self.name + "-1"), leaf(self.name + "-2")]

    @strawberry.field
    def greeting(self, who: str) -> str:
        return f"{who}, {self.name}"


def leaf(name: str, **overrides: Any) -> Leaf:
    values: dict[str, Any] = {
        "name": name,
        "count": len(name),
        "colour": Colour.BLUE,
        "required": "ok",
        "when": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    values.update(overrides)
    return Leaf(**values)


@strawberry.type
class Query:
    @strawberry.field
    def leaves(self) -> list[Leaf]:
        return [leaf("a"), leaf("b", count=None, colour=Colour.RED), leaf("c")]

    @strawberry.field
    def broken(self) -> list[Leaf | None]:
        return [leaf("x"), leaf("y", required=None), leaf("z", colour="not a colour")]

    @strawberry.field
    def strict(self) -> list[Leaf]:
        return [leaf("s"), leaf("t", required=None)]  # a non-null item nulled: the whole list is null


QUERIES = [
    "{ leaves { name count colour required when shout maybe later child { name shout } children { name colour } } }",
    '{ leaves { name fails secret greeting(who: "hi") alias: name again: shout } }',
    "{ broken { name required colour } }",
    "{ strict { name required } }",
    "{ leaves { __typename name ... on Leaf { count } } }",
]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    ours = strawberry.Schema(query=Query, execution_context_class=PlainFieldExecutor)
    assert shortcut_simple_resolvers(ours._schema) > 0
    return ours, strawberry.Schema(query=Query)


def outcome(result: Any) -> tuple[Any, list[tuple[str, list[str | int] | None]]]:
    errors = sorted((error.message, error.path) for error in result.errors or [])
    return result.data, errors


async def test_every_path_answers_as_strawberry_does() -> None:
    ours, strawberry_own = schemas()
    for query in QUERIES:
        mine, theirs = outcome(await ours.execute(query)), outcome(await strawberry_own.execute(query))
        assert mine == theirs, query
    data, errors = outcome(await ours.execute(QUERIES[2]))
    assert data == {"broken": [{"name": "x", "required": "ok", "colour": "BLUE"}, None, None]}
    assert [path for _, path in errors] == [["broken", 1, "required"], ["broken", 2, "colour"]]
    data, errors = outcome(await ours.execute(QUERIES[1]))
    assert {message for message, _ in errors} == {"a fails", "b fails", "c fails", "not for you"}


async def test_the_demo_answers_the_same_with_either_execution(store: GraphStore, tmp_path: Path) -> None:
    await load_demo(store)
    headers = await token_headers(store, DEMO_ORG, role=Role.READER)
    settings = make_settings(tmp_path)
    fast_app, generic_app = create_app(settings, store=store), create_app(settings, store=store)
    generic_app.routes[0].endpoint.schema = make_schema(settings, fast_execution=False)  # type: ignore[attr-defined]
    requests = [
        (INCIDENT, {"org": DEMO_ORG, "env": "aws-prod", "index": 177}),
        (INCIDENT, {"org": DEMO_ORG, "env": "aws-beta", "index": 1}),
        (WHERE, {"org": DEMO_ORG, "sha": "b7a5908"}),
        (
            'query($org: String!) { search(org: $org, prefix: "860ad17") { prefix fingerprints { fingerprint } } }',
            {"org": DEMO_ORG},
        ),
    ]
    async with serve(fast_app) as fast, serve(generic_app) as generic:
        for query, variables in requests:
            answers = [await ask(http, headers, query, variables) for http in (fast, generic)]
            assert answers[0] == answers[1]
            assert "errors" not in answers[0], answers[0]


async def ask(http: httpx.AsyncClient, headers: dict[str, str], query: str, variables: dict[str, Any]) -> Any:
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    return response.json()


async def test_answers_encode_unicode_and_integers_past_64_bits_exactly(api: Api, store: GraphStore) -> None:
    await store.create_flow(FlowInput(org=DEFAULT_ORG, name="web"))
    user_data = {"big": 10**30, "negative": -(2**70), "text": "ünï ✓ \u2028 𝄞"}
    begin = "mutation($input: BeginTrailInput!) { beginTrail(input: $input) { trail { userData } } }"
    variables = {"input": {"org": DEFAULT_ORG, "flow": "web", "name": "t1", "userData": user_data}}
    assert (await api.data(begin, variables))["beginTrail"]["trail"]["userData"] == user_data
    for data in (user_data, {"text": user_data["text"]}):  # through json (past 64 bits), then through orjson
        await api.data(begin, {"input": {**variables["input"], "userData": data}})
        read = 'query { flow(org: "acme", name: "web") { trail(name: "t1") { name userData } } }'
        response = await api.http.post("/graphql", json={"query": read}, headers=api.headers)
        assert response.headers["content-type"].startswith("application/json")
        assert "ünï ✓" in response.content.decode("utf-8")  # UTF-8, as RFC 8259 asks
        assert response.json()["data"]["flow"]["trail"]["userData"] == data
