"""The observability harness end to end at the smallest size: a server per variant answers every query, each variant is
what it claims (request ids only with `Observe`, /metrics counting every request, spans only with tracing), and the
log lines are written. Not a timing gate: the numbers live in BENCHMARKS.md."""

from __future__ import annotations

from bench.observability import QUERIES, VARIANTS, measure


def test_the_observability_harness_measures_every_variant_and_query() -> None:
    results = measure(rounds=2, batch=3, warmup=2)  # raises when a variant is not what it claims
    assert set(results["queries"]) == set(QUERIES)
    for name, variants in results["queries"].items():
        assert set(variants) == set(VARIANTS), name
        for variant, measured in variants.items():
            assert measured["requests"] == 2 * 3, (name, variant)
            assert 0 < measured["latency_ms"]["median"] <= measured["latency_ms"]["p95"], (name, variant)
            assert 0 < measured["cpu_ms"]["median"] <= measured["cpu_ms"]["p95"], (name, variant)
    logged = results["log_bytes_per_request"]
    assert logged["on"] > logged["off"] + 100  # one JSON line per request
    assert all(spans >= 3 for spans in results["spans_per_request"].values())  # request, operation, store call
    assert results["machine"]["nproc"] >= 1
