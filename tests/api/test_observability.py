"""Metrics scraped and parsed, request log lines with their id, and the three levels of spans."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import make_settings, serve, token_headers
from tracegraph.app import create_app
from tracegraph.graph.store import GraphStore
from tracegraph.observability.logging import JsonFormatter, TextFormatter

QUERY = {"query": "query Who { orgs { name } }"}


def samples(text: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


async def test_metrics_count_requests_and_store_round_trips(store: GraphStore, tmp_path: Path) -> None:
    headers = await token_headers(store, "acme")
    async with serve(create_app(make_settings(tmp_path, metrics_enabled=True), store=store)) as http:
        before = (await http.get("/metrics")).text
        assert (await http.post("/graphql", json=QUERY, headers=headers)).status_code == 200
        assert (await http.post("/graphql", json={"query": "{ nope }"}, headers=headers)).status_code == 200
        after = (await http.get("/metrics")).text
    requests = {"route": "graphql", "operation": "Who", "status": "200"}
    assert (
        samples(after, "tracegraph_requests_total", **requests)
        == samples(before, "tracegraph_requests_total", **requests) + 1
    )
    latency = "tracegraph_request_duration_seconds_count"
    assert samples(after, latency, operation="Who") == samples(before, latency, operation="Who") + 1
    calls = "tracegraph_store_call_duration_seconds_count"
    assert samples(after, calls, backend=store.backend) > samples(before, calls, backend=store.backend)
    errors = "tracegraph_graphql_errors_total"
    assert samples(after, errors, code="GRAPHQL_VALIDATION_FAILED") + samples(after, errors, code="GRAPHQL") > (
        samples(before, errors, code="GRAPHQL_VALIDATION_FAILED") + samples(before, errors, code="GRAPHQL")
    )
    assert "acme" not in after  # no org label: the endpoint answers anyone


async def test_metrics_are_off_unless_enabled(store: GraphStore, tmp_path: Path) -> None:
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        assert (await http.get("/metrics")).status_code == 404


async def test_a_request_log_line_carries_its_id_and_fields(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tracegraph.access")
    headers = await token_headers(store, "acme")
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        given = await http.post("/graphql", json=QUERY, headers={**headers, "X-Request-ID": "deploy-42.a"})
        forged = await http.post("/graphql", json=QUERY, headers={**headers, "X-Request-ID": 'x" admin=1'})
    assert given.headers["x-request-id"] == "deploy-42.a"
    assert forged.headers["x-request-id"] != 'x" admin=1'
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "tracegraph.access"]
    line = next(line for line in lines if line["request_id"] == "deploy-42.a")
    assert line["operation"] == "Who"
    assert line["org"] == "acme"
    assert line["status"] == 200
    assert line["round_trips"] >= 1
    assert line["duration_ms"] > 0
    assert any(line["request_id"] == forged.headers["x-request-id"] for line in lines)
    text = TextFormatter().format(next(r for r in caplog.records if r.name == "tracegraph.access"))
    assert "request_id=deploy-42.a" in text
    assert "operation=Who" in text


async def test_one_query_traces_request_resolver_and_store_spans(store: GraphStore, tmp_path: Path) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    headers = await token_headers(store, "acme")
    try:
        async with serve(create_app(make_settings(tmp_path), store=store, tracer_provider=provider)) as http:
            assert (await http.post("/graphql", json=QUERY, headers=headers)).status_code == 200
    finally:
        create_app(make_settings(tmp_path), store=store)  # later apps trace nothing
    spans = exporter.get_finished_spans()
    by_id = {span.context.span_id: span for span in spans}
    request = next(s for s in spans if s.kind == SpanKind.SERVER and s.name.startswith("POST"))
    resolver = next(s for s in spans if s.name == "GraphQL Resolving: orgs")

    def ancestors(span: ReadableSpan) -> list[int]:
        span_id, chain = span.context.span_id, []
        while span_id in by_id and by_id[span_id].parent is not None:
            span_id = by_id[span_id].parent.span_id  # type: ignore[union-attr]
            chain.append(span_id)
        return chain

    store_calls = [s for s in spans if s.name.startswith("store ") and resolver.context.span_id in ancestors(s)]
    assert [call.attributes["db.system"] for call in store_calls if call.attributes] == [store.backend]
    assert request.context.span_id in ancestors(resolver)


async def test_only_resolvers_that_can_reach_the_store_get_spans(store: GraphStore, tmp_path: Path) -> None:
    # `id` has its own (synchronous) resolver: Strawberry's extension would trace it, ours does not.
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    headers = await token_headers(store, "acme")
    query = {"query": "query Ids { orgs { id name } }"}
    try:
        async with serve(create_app(make_settings(tmp_path), store=store, tracer_provider=provider)) as http:
            answer = await http.post("/graphql", json=query, headers=headers)
            assert answer.status_code == 200
            assert answer.json()["data"]["orgs"][0]["id"]
    finally:
        create_app(make_settings(tmp_path), store=store)
    resolving = sorted(s.name for s in exporter.get_finished_spans() if s.name.startswith("GraphQL Resolving"))
    assert resolving == ["GraphQL Resolving: orgs"]
