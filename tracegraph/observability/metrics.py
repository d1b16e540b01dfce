"""Prometheus metrics (prometheus_client) and the `/metrics` endpoint, on when TRACEGRAPH_METRICS_ENABLED is set.

No metric has an org label: the endpoint answers without a token, and org names are not public. Client-chosen
values (GraphQL operation names, error codes) are bounded: the first `limit` distinct values seen keep their name,
later ones count as `other`, so a client cannot grow the series without bound.
"""

from __future__ import annotations

import os
import threading

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

from tracegraph.graph.views import ReportedSnapshot

OTHER = "other"
# Seconds; a GraphQL request is usually milliseconds, a large report or a store outage seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "tracegraph_requests",
    "HTTP requests answered, by route, GraphQL operation name and HTTP status.",
    ["route", "operation", "status"],
)
REQUEST_SECONDS = Histogram(
    "tracegraph_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by route and GraphQL operation name.",
    ["route", "operation"],
    buckets=LATENCY_BUCKETS,
)
GRAPHQL_ERRORS = Counter("tracegraph_graphql_errors", "Errors in GraphQL answers, by error code.", ["code"])
STORE_CALL_SECONDS = Histogram(
    "tracegraph_store_call_duration_seconds",
    "Store round trips (one transaction each) and their latency, by backend and kind (read or write).",
    ["backend", "kind"],
    buckets=LATENCY_BUCKETS,
)
STORE_CALL_FAILURES = Counter(
    "tracegraph_store_call_failures", "Store round trips that raised, by backend and kind.", ["backend", "kind"]
)
SNAPSHOTS = Counter(
    "tracegraph_snapshots_reported",
    "Snapshots reported (GraphQL or the kosli API), by whether the running set changed (a new snapshot).",
    ["changed"],
)


class BoundedLabel:
    """Keeps the first `limit` distinct values; any other value is `other`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        with self._lock:
            if len(self._seen) < self.limit:
                self._seen.add(value)
                return value
        return OTHER


OPERATIONS = BoundedLabel(100)
ERROR_CODES = BoundedLabel(50)


def route_of(path: str) -> str:
    """A fixed label for the path: paths themselves (org and environment names in the kosli API) are not labels."""
    if path.startswith("/graphql"):
        return "graphql"
    if path.startswith("/api/"):
        return "kosli"
    if path in ("/healthz", "/readyz", "/ready"):
        return "health"
    if path.startswith("/static/"):
        return "static"
    if path == "/metrics":
        return "metrics"
    return "other"


def record_request(path: str, operation: str, status: int, seconds: float, error_codes: list[str]) -> None:
    route = route_of(path)
    operation = OPERATIONS(operation) if operation else ""
    REQUESTS.labels(route, operation, str(status)).inc()
    REQUEST_SECONDS.labels(route, operation).observe(seconds)
    for code in error_codes:
        GRAPHQL_ERRORS.labels(ERROR_CODES(code)).inc()


def record_snapshot(reported: ReportedSnapshot) -> None:
    SNAPSHOTS.labels("true" if reported.changed else "false").inc()


def registry() -> CollectorRegistry:
    """This process's metrics, or every worker's when prometheus_client's multiprocess mode is on
    (PROMETHEUS_MULTIPROC_DIR, see docs/operations.md)."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    from prometheus_client import multiprocess

    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
    return combined


async def metrics_endpoint(request: Request) -> Response:
    return Response(generate_latest(registry()), media_type=CONTENT_TYPE_LATEST)
