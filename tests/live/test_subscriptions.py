"""Subscriptions through the real app over a real WebSocket (uvicorn on loopback, graphql-transport-ws), on both
backends: order, a second server process, resuming across a restart, token revocation, limits, validation."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from websockets.exceptions import ConnectionClosed

from tests.api.conftest import make_settings, token_headers
from tests.api.test_serve import Served
from tests.contract.scenario import ORG, build, fp, history, report, sha, topology
from tests.live.client import live, served
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import ArtifactInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

SNAPSHOTS = """
subscription($org: String!, $env: String!, $after: ID) {
  snapshotReported(org: $org, environment: $env, after: $after) {
    cursor at snapshot { index events(first: 10) { nodes { type name } } }
  }
}"""
EVERY_ENVIRONMENT = """
subscription($org: String!, $env: String) {
  snapshotReported(org: $org, environment: $env) { cursor snapshot { index environment { name } } }
}"""
CURSORS = "subscription($org: String!, $env: String!) { snapshotReported(org: $org, environment: $env) { cursor } }"
ARRIVALS = """
subscription($org: String!, $sha: String!) {
  commitArrived(org: $org, sha: $sha) {
    cursor environment { name } snapshot { index } artifact { fingerprint } commit { sha } distance
  }
}"""
ARTIFACTS = """
subscription($org: String!, $flow: String!) {
  artifactReported(org: $org, flow: $flow) { cursor artifact { fingerprint name gitCommit } }
}"""
REPORT = """
mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { snapshot { index } } }
"""


async def other_store(store: GraphStore, neo4j_uri: str | None = None) -> GraphStore:
    """Another store object on the same database, as a second server process has: no shared memory."""
    if isinstance(store, EmbeddedStore):
        second: GraphStore = EmbeddedStore(store._database.path)
    else:
        from tracegraph.graph.neo4j.store import Neo4jStore

        assert neo4j_uri is not None
        second = Neo4jStore(neo4j_uri)
    await second.start()
    return second


async def secret_of(store: GraphStore, role: Role = Role.READER) -> str:
    return (await token_headers(store, ORG, role=role))["Authorization"].removeprefix("Bearer ")


async def http_report(base: str, token: str, environment: str, running: dict[str, int]) -> None:
    artifacts = [{"fingerprint": fp(label), "name": f"ecr/{label}", "instances": n} for label, n in running.items()]
    variables = {"input": {"org": ORG, "environment": environment, "artifacts": artifacts}}
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(
            f"{base}/graphql",
            json={"query": REPORT, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert "errors" not in answer.json(), answer.json()


async def subscribed(app: Starlette, count: int) -> None:
    """Wait until `count` subscriptions listen live (a subscription starts from the moment it joins)."""
    for _ in range(600):
        if app.state.live.follower.subscribers >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} subscriptions did not start within 30 s")


def names(event: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["type"], e["name"]) for e in event["snapshotReported"]["snapshot"]["events"]["nodes"]]


async def test_snapshots_arrive_in_order_with_their_events(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    writer, reader = await secret_of(store, Role.WRITER), await secret_of(store)
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(SNAPSHOTS, {"org": ORG, "env": "prod"})
        await subscribed(app, 1)
        await http_report(base, writer, "prod", {"a": 1})
        await http_report(base, writer, "beta", {"b": 1})  # another environment: not this subscription's
        await http_report(base, writer, "prod", {"a": 1})  # no change: no snapshot, no event
        await http_report(base, writer, "prod", {"b": 2})
        first, second = await client.next_data(), await client.next_data()
        await client.nothing_within(0.5)
    assert [e["snapshotReported"]["snapshot"]["index"] for e in (first, second)] == [1, 2]
    assert names(first) == [("STARTED", "ecr/a")]
    assert names(second) == [("STOPPED", "ecr/a"), ("STARTED", "ecr/b")]
    assert int(first["snapshotReported"]["cursor"]) < int(second["snapshotReported"]["cursor"])


async def test_without_an_environment_every_environment_of_the_org_in_order(store: GraphStore, tmp_path: Path) -> None:
    """One subscription for the overview: every environment's snapshots, none of another org's, each once."""
    await topology(store)
    await topology(store, org="other")
    writer, reader = await secret_of(store, Role.WRITER), await secret_of(store)
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(EVERY_ENVIRONMENT, {"org": ORG})  # environment omitted
        await client.subscribe(EVERY_ENVIRONMENT, {"org": ORG, "env": None})  # or given as null
        await subscribed(app, 2)
        await http_report(base, writer, "prod", {"a": 1})
        await report(store, "beta", {"b": 1}, org="other")  # another org: not this subscription's
        await http_report(base, writer, "beta", {"b": 1})
        await http_report(base, writer, "prod", {"a": 1})  # no change: no snapshot, no event
        await http_report(base, writer, "beta", {"c": 1})
        received = [await client.next_data() for _ in range(6)]
        await client.nothing_within(0.5)
    events = [e["snapshotReported"] for e in received]
    # The two subscriptions interleave on the socket; each sees the same three snapshots in order.
    by_cursor: dict[str, list[tuple[str, int]]] = {}
    for event in events:
        by_cursor.setdefault(event["cursor"], []).append(
            (event["snapshot"]["environment"]["name"], event["snapshot"]["index"])
        )
    assert [by_cursor[cursor] for cursor in sorted(by_cursor, key=int)] == [
        [("prod", 1)] * 2,
        [("beta", 1)] * 2,
        [("beta", 2)] * 2,
    ]


async def test_a_report_through_another_server_reaches_the_subscriber(
    store: GraphStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Two apps, each with its own store object on one database (no in-process bus between them); one poll per
    process, whatever the number of subscribers."""
    await topology(store)
    reader, writer = await secret_of(store), await secret_of(store, Role.WRITER)
    uri = request.getfixturevalue("neo4j_uri") if store.backend == "neo4j" else None
    second = await other_store(store, uri)
    first_app = create_app(make_settings(tmp_path), store=store)
    try:
        second_app = create_app(make_settings(tmp_path), store=second)
        async with served(first_app) as base, served(second_app) as other:
            await http_report(other, writer, "beta", {"warm-up": 1})  # a first write can be slow (Neo4j's JIT)
            async with live(base, reader) as one, live(base, reader) as two:
                for client in (one, two):
                    for _ in range(3):
                        await client.subscribe(CURSORS, {"org": ORG, "env": "prod"})
                await subscribed(first_app, 6)
                # Idle: the process reads the feed once per poll, whatever the number of subscribers.
                follower = first_app.state.live.follower
                polls, trips = follower.polls, store.round_trips
                await asyncio.sleep(1.0)
                assert store.round_trips - trips == follower.polls - polls
                assert 1 <= follower.polls - polls <= 1.0 / 0.2 + 1
                await http_report(other, writer, "prod", {"a": 1})
                received = [await client.next_data() for client in (one, two) for _ in range(3)]
    finally:
        await second.close()
    assert len({event["snapshotReported"]["cursor"] for event in received}) == 1


async def test_resuming_after_a_restart_misses_nothing_and_repeats_nothing(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    reader = await secret_of(store)
    variables: dict[str, Any] = {"org": ORG, "env": "prod"}
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(SNAPSHOTS, variables)
        await subscribed(app, 1)
        await report(store, "prod", {"a": 1})
        await report(store, "prod", {"b": 1})
        seen = [await client.next_data(), await client.next_data()]
    # The server is down: reports go on (through another process), and the client keeps its last cursor.
    await report(store, "prod", {"c": 1})
    await report(store, "beta", {"x": 1})
    await report(store, "prod", {"d": 1})
    last = seen[-1]["snapshotReported"]["cursor"]
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(SNAPSHOTS, {**variables, "after": last})
        resumed = [await client.next_data(), await client.next_data()]
        await report(store, "prod", {"e": 1})
        resumed.append(await client.next_data())
        await client.nothing_within(0.5)
    indexes = [e["snapshotReported"]["snapshot"]["index"] for e in seen + resumed]
    assert indexes == [1, 2, 3, 4, 5]
    cursors = [int(e["snapshotReported"]["cursor"]) for e in seen + resumed]
    assert cursors == sorted(set(cursors))


async def test_the_live_cursor_is_the_feed_position_and_a_subscription_after_it_misses_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    """`liveCursor` read with a page's data: a report committed after it, before the subscription joins, still
    arrives (the gap between a page's query and its subscription), and nothing before it does."""
    await topology(store)
    await report(store, "prod", {"a": 1})
    reader = await secret_of(store)
    async with served(create_app(make_settings(tmp_path), store=store)) as base:
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(
                f"{base}/graphql", json={"query": "{ liveCursor }"}, headers={"Authorization": f"Bearer {reader}"}
            )
            refused = await http.post(f"{base}/graphql", json={"query": "{ liveCursor }"})
        assert refused.status_code == 401
        cursor = answer.json()["data"]["liveCursor"]
        assert cursor == str(await store.last_change_id())
        assert int(cursor) > 0
        await report(store, "prod", {"b": 1})  # after the answer, before the subscription
        async with live(base, reader) as client:
            await client.subscribe(SNAPSHOTS, {"org": ORG, "env": "prod", "after": cursor})
            event = await client.next_data()
            await client.nothing_within(0.5)
    assert event["snapshotReported"]["snapshot"]["index"] == 2
    assert int(event["snapshotReported"]["cursor"]) > int(cursor)


async def test_commit_arrives_once_per_environment_and_again_after_it_left(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"], "c3": ["c2"]})
    await build(store, "web", "web-2", commit="c2")
    await build(store, "api", "api-3", commit="c3")
    await build(store, "web", "web-0")  # no commit
    reader = await secret_of(store)
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(ARRIVALS, {"org": ORG, "sha": sha("c1")[:8]})
        await subscribed(app, 1)
        await report(store, "prod", {"web-0": 1})  # not a descendant of c1
        await report(store, "prod", {"web-0": 1, "web-2": 1})  # arrives in prod (c2, one commit after c1)
        first = await client.next_data()
        await report(store, "prod", {"web-0": 1, "web-2": 1, "api-3": 1})  # present already: nothing
        await report(store, "prod", {"web-0": 1, "api-3": 1})  # still present through api-3: nothing
        await report(store, "beta", {"api-3": 1})  # arrives in beta
        second = await client.next_data()
        await report(store, "prod", {"web-0": 1})  # leaves prod
        await report(store, "prod", {"web-0": 1, "web-2": 2})  # arrives again
        third = await client.next_data()
        await client.nothing_within(0.5)
    events = [e["commitArrived"] for e in (first, second, third)]
    assert [(e["environment"]["name"], e["snapshot"]["index"]) for e in events] == [
        ("prod", 2),
        ("beta", 1),
        ("prod", 6),
    ]
    assert [(e["artifact"]["fingerprint"], e["commit"]["sha"], e["distance"]) for e in events] == [
        (fp("web-2"), sha("c2"), 1),
        (fp("api-3"), sha("c3"), 2),
        (fp("web-2"), sha("c2"), 1),
    ]


async def test_artifacts_reported_once_each_change(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    reader = await secret_of(store)
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        await client.subscribe(ARTIFACTS, {"org": ORG, "flow": "web"})
        await subscribed(app, 1)
        await build(store, "web", "w1", commit="c1")
        # Read before the rename: an event shows the artifact as stored when it is delivered.
        events = [(await client.next_data())["artifactReported"]["artifact"]]
        await build(store, "api", "a1")  # another flow
        await build(store, "web", "w1", commit="c1")  # the same again: no event
        await store.report_artifact(ArtifactInput(org=ORG, flow="web", fingerprint=fp("w1"), name="renamed"))
        events.append((await client.next_data())["artifactReported"]["artifact"])
        await client.nothing_within(0.5)
    assert [(e["fingerprint"], e["name"], e["gitCommit"]) for e in events] == [
        (fp("w1"), "registry.example/web:w1", sha("c1")),
        (fp("w1"), "renamed", sha("c1")),
    ]


async def test_a_revoked_token_closes_its_socket_within_the_recheck_time(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    reader = await secret_of(store)
    settings = make_settings(tmp_path, subscription_recheck_seconds=1.0)
    async with served(app := create_app(settings, store=store)) as base, live(base, reader) as client:
        await client.subscribe(CURSORS, {"org": ORG, "env": "prod"})
        await subscribed(app, 1)
        (token,) = [t for t in await store.list_tokens(ORG) if t.role is Role.READER]
        await store.revoke_token(ORG, token.id)
        revoked = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            await client.receive(within=5)
        elapsed = time.monotonic() - revoked
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4401, "The API token is invalid, revoked or expired.")
    assert elapsed <= 1.0 + 0.6  # the re-check interval, checked every half of it


async def test_the_token_is_required_on_connect(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    reader = await secret_of(store)
    async with served(app := create_app(make_settings(tmp_path), store=store)) as base:
        for token in (None, "tg_wrong"):
            async with live(base, token, acknowledged=False) as client:
                with pytest.raises(ConnectionClosed) as closed:
                    await client.receive()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4401
            assert ("connection_init" in closed.value.rcvd.reason) is (token is None)
        # The upgrade's header is accepted too (clients that can set it).
        async with live(base, None, header=f"Bearer {reader}") as client:
            await client.subscribe(CURSORS, {"org": ORG, "env": "prod"})
            await subscribed(app, 1)
            await report(store, "prod", {"a": 1})
            assert (await client.next_data())["snapshotReported"]["cursor"]


async def test_limits_refuse_with_the_setting_and_idle_sockets_close(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    reader, other = await secret_of(store), await secret_of(store)
    settings = make_settings(
        tmp_path, max_subscriptions_per_token=2, max_subscriptions_per_process=3, subscription_idle_seconds=0.6
    )
    variables = {"org": ORG, "env": "prod"}
    async with served(app := create_app(settings, store=store)) as base:
        async with live(base, reader) as client, live(base, other) as second:
            for _ in range(2):
                await client.subscribe(CURSORS, variables)
            await subscribed(app, 2)
            refused = await client.subscribe(CURSORS, variables)
            message = await client.receive()
            assert (message["id"], message["type"]) == (refused, "next")
            (error,) = message["payload"]["errors"]
            assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
            assert error["extensions"]["setting"] == "TRACEGRAPH_MAX_SUBSCRIPTIONS_PER_TOKEN"
            await second.subscribe(CURSORS, variables)
            await subscribed(app, 3)
            await second.subscribe(CURSORS, variables)
            message = await second.receive()
            assert (
                message["payload"]["errors"][0]["extensions"]["setting"] == "TRACEGRAPH_MAX_SUBSCRIPTIONS_PER_PROCESS"
            )
        async with live(base, reader) as idle:
            with pytest.raises(ConnectionClosed) as closed:
                await idle.receive(within=3)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4408


async def test_arguments_answer_as_the_queries_do(store: GraphStore, tmp_path: Path) -> None:
    await topology(store)
    await topology(store, org="hidden")
    reader = await secret_of(store)
    async with served(create_app(make_settings(tmp_path), store=store)) as base, live(base, reader) as client:
        cases = [
            (CURSORS, {"org": ORG, "env": "nope"}, "NOT_FOUND", "environment 'nope'"),
            (CURSORS, {"org": "hidden", "env": "prod"}, "NOT_FOUND", "org 'hidden'"),
            (CURSORS, {"org": "ghost", "env": "prod"}, "NOT_FOUND", "org 'ghost'"),
            (EVERY_ENVIRONMENT, {"org": "hidden"}, "NOT_FOUND", "org 'hidden'"),
            (EVERY_ENVIRONMENT, {"org": "ghost"}, "NOT_FOUND", "org 'ghost'"),
            (ARTIFACTS, {"org": ORG, "flow": "nope"}, "NOT_FOUND", "flow 'nope'"),
            (ARRIVALS, {"org": ORG, "sha": "zz"}, "BAD_USER_INPUT", "sha"),
            (SNAPSHOTS, {"org": ORG, "env": "prod", "after": "x1"}, "BAD_USER_INPUT", "after"),
            (SNAPSHOTS, {"org": ORG, "env": "prod", "after": "99"}, "BAD_USER_INPUT", "after: no change 99 yet"),
        ]
        answers = []
        for query, variables, _, _ in cases:
            operation = await client.subscribe(query, variables)
            message = await client.receive()
            assert message["id"] == operation
            # Refused before the stream starts (the permission check) is an `error`; by the resolver, a `next`
            # carrying the error, then `complete`: both end the operation.
            if message["type"] == "error":
                answers.append(message["payload"][0])
            else:
                answers.append(message["payload"]["errors"][0])
                assert (await client.receive())["type"] == "complete"
        hidden = answers[1]["message"]
        ghost = answers[2]["message"]
    for (_, _, code, text), answer in zip(cases, answers, strict=True):
        assert answer["extensions"]["code"] == code, answer
        assert text in answer["message"], answer
    assert hidden.replace("hidden", "ghost") == ghost  # a hidden org answers as a missing one
    assert answers[3]["message"].replace("hidden", "ghost") == answers[4]["message"]


async def test_a_report_through_a_server_subprocess_reaches_the_subscriber(tmp_path: Path) -> None:
    """`tracegraph serve` as a real second process on the same SQLite file as the subscriber's server."""
    settings = make_settings(tmp_path)
    app = create_app(settings)
    async with served(app) as base:
        store: GraphStore = app.state.store
        await topology(store)
        reader, writer = await secret_of(store), await secret_of(store, Role.WRITER)
        other = Served(tmp_path, "--data-dir", str(settings.data_dir))
        try:
            await asyncio.to_thread(other.wait_ready)
            async with live(base, reader) as client:
                await client.subscribe(SNAPSHOTS, {"org": ORG, "env": "prod"})
                await subscribed(app, 1)
                await http_report(other.base, writer, "prod", {"a": 1})
                event = await client.next_data()
        finally:
            other.stop()
    assert names(event) == [("STARTED", "ecr/a")]


async def test_subscriptions_over_http_and_queries_over_the_socket_are_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    await topology(store)
    reader = await secret_of(store)
    async with served(create_app(make_settings(tmp_path), store=store)) as base:
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(
                f"{base}/graphql",
                json={"query": CURSORS, "variables": {"org": ORG, "env": "prod"}},
                headers={"Authorization": f"Bearer {reader}"},
            )
        assert (answer.status_code, answer.text) == (400, "subscriptions are not allowed when using POST")
        async with live(base, reader) as client:
            operation = await client.subscribe("{ orgs { name } }")
            message = await client.receive()
    assert (message["id"], message["type"]) == (operation, "error")
    (error,) = message["payload"]
    assert error["message"] == "Only subscriptions run over the WebSocket: send queries and mutations over HTTP."
    assert error["extensions"]["code"] == "BAD_REQUEST"
