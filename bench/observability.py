"""What observability costs a request, over HTTP: the same app on real uvicorn (one process each, loopback) in four
variants, asked the same queries in interleaved batches.

    python -m bench.observability [--rounds 40] [--batch 25] [--out results.json]

* `off`: no observability: the `Observe` middleware (request ids, the request's log line and metrics) removed and
  the store-call histogram replaced by a no-op, so no request record, metric or log line is made;
* `on`: the app as shipped with `TRACEGRAPH_METRICS_ENABLED=true` and JSON log lines (INFO, written to a file);
* `otel`: `on` plus tracing: a tracer provider with the batch processor `OTEL_TRACES_EXPORTER` would use, exporting
  to an exporter that drops the spans (their creation and processing is measured, not OTLP's encoding and network);
* `otel_sampled`: `otel` keeping 1 trace in 100 (`OTEL_TRACES_SAMPLER=parentbased_traceidratio`,
  `OTEL_TRACES_SAMPLER_ARG=0.01`): what tracing costs when spans are not recorded.

Each round sends, per query, one batch of `--batch` sequential requests (one kept-alive connection per server) to
each variant, in an order rotated every round, so drift on the shared machine falls on all four alike. Latency is
the client's wall time per request; CPU is the server process's CPU time (`time.process_time`, all its threads,
read through a route the bench adds outside the app) over a batch, divided by its requests. The demo org's data
(`tracegraph serve --demo`): a small query (`Orgs`, one store read) and the tutorial's `Incident` (snapshot 176).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging.config
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import httpx
from prometheus_client import Histogram
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import ASGIApp, Receive, Scope, Send

from bench.queries import INCIDENT
from tests.api.test_serve import free_port

VARIANTS = ("off", "on", "otel", "otel_sampled")
# otel_sampled: the standard sampler `OTEL_TRACES_SAMPLER=parentbased_traceidratio` at this ratio.
SAMPLED_RATIO = 0.01
ORGS = "query Orgs { orgs { name } }"
QUERIES: dict[str, tuple[str, dict[str, Any]]] = {
    "orgs": (ORGS, {}),
    "incident": (INCIDENT, {"org": "cyber-dojo", "env": "aws-prod", "index": 176}),
}
CPU_PATH = "/_bench/cpu"
VARIANT_VARIABLE = "BENCH_OBSERVABILITY_VARIANT"


# --- the server side: one variant per process ---------------------------------------------------------------------


EXPORTED_SPANS = [0]  # the otel variant's spans, counted by its exporter
FLUSHES: list[Callable[[], object]] = []  # the otel variant's provider's force_flush


class CpuClock:
    """Answers `CPU_PATH` with this process's CPU seconds and the spans exported so far, outside the app (no log
    line, no metric, no span)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == CPU_PATH:
            if scope["query_string"] == b"flush":
                for flush in FLUSHES:
                    flush()  # blocks the loop until the queued spans are exported: only while the server is idle
            body = json.dumps({"cpu": time.process_time(), "spans": EXPORTED_SPANS[0]}).encode()
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class _NoHistogram:
    def labels(self, *values: str) -> _NoHistogram:
        return self

    def observe(self, amount: float) -> None:
        return None


def variant_app(variant: str) -> ASGIApp:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    from tracegraph.app import create_app
    from tracegraph.observability import metrics
    from tracegraph.observability.middleware import Observe
    from tracegraph.settings import Settings

    class DroppingExporter(SpanExporter):
        def export(self, spans: Sequence[Any]) -> SpanExportResult:
            EXPORTED_SPANS[0] += len(spans)
            return SpanExportResult.SUCCESS

    settings = Settings()
    provider = None
    if variant.startswith("otel"):
        sampled = variant == "otel_sampled"
        provider = TracerProvider(sampler=ParentBased(TraceIdRatioBased(SAMPLED_RATIO)) if sampled else None)
        provider.add_span_processor(BatchSpanProcessor(DroppingExporter()))
        FLUSHES.append(provider.force_flush)
    app = create_app(settings, tracer_provider=provider)
    if variant == "off":
        # The middleware stack is built at the first request, from this list.
        app.user_middleware = [entry for entry in app.user_middleware if cast("object", entry.cls) is not Observe]
        metrics.STORE_CALL_SECONDS = cast("Histogram", _NoHistogram())
    return CpuClock(app)


def serve(variant: str, port: int) -> None:
    import uvicorn

    from tracegraph.observability.logging import log_config

    config = log_config("info", "json")
    logging.config.dictConfig(config)
    # The options `tracegraph serve` runs one process with (tracegraph/cli/serve.py).
    uvicorn.run(
        variant_app(variant),
        host="127.0.0.1",
        port=port,
        log_level="info",
        log_config=config,
        access_log=False,
        timeout_keep_alive=5,
    )


# --- the client side ------------------------------------------------------------------------------------------------


@dataclass
class Server:
    variant: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    client: httpx.Client = field(init=False)
    sent: int = 0

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def cpu(self) -> float:
        return float(self.client.get(CPU_PATH).json()["cpu"])

    def spans(self) -> int:
        """Spans exported so far, the batch processor's queue flushed first."""
        return int(self.client.get(f"{CPU_PATH}?flush").json()["spans"])

    def ask(self, token: str, query: str, variables: dict[str, Any]) -> float:
        started = time.perf_counter()
        response = self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        seconds = time.perf_counter() - started
        self.sent += 1
        answer = response.json()
        assert response.status_code == 200, answer
        assert "errors" not in answer, answer
        # The variant is what it says: request ids come from the Observe middleware alone.
        assert ("x-request-id" in response.headers) == (self.variant != "off"), self.variant
        return seconds


@contextlib.contextmanager
def servers(data_dir: Path, logs: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("TRACEGRAPH_", "OTEL_"))}
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    try:
        for variant in VARIANTS:
            port = free_port()
            log = logs / f"{variant}.log"
            env = {
                **environment,
                "TRACEGRAPH_DATA_DIR": str(data_dir),
                "TRACEGRAPH_METRICS_ENABLED": "false" if variant == "off" else "true",
                "TRACEGRAPH_LOG_FORMAT": "json",
            }
            with log.open("wb") as stream:
                command = [sys.executable, "-m", "bench.observability", "--serve", variant, "--port", str(port)]
                process = subprocess.Popen(command, env=env, stdout=stream, stderr=stream)  # noqa: S603 - our module
            started.append(Server(variant, port, process, log))
        for server in started:
            wait_ready(server)
        yield started
    finally:
        for server in started:
            server.client.close()
            server.process.terminate()
        for server in started:
            server.process.wait(timeout=30)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if server.client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.process.poll() is None, server.log.read_text()
        assert time.monotonic() < deadline, f"{server.variant} did not start: {server.log.read_text()}"
        time.sleep(0.1)


async def prepare(data_dir: Path) -> str:
    """The demo org in a fresh embedded store, and a reader token for it."""
    from tracegraph.auth.tokens import hash_secret, new_secret
    from tracegraph.demo import DEMO_ORG, load_demo
    from tracegraph.graph.factory import open_store
    from tracegraph.graph.inputs import TokenInput
    from tracegraph.graph.model import Role
    from tracegraph.settings import Settings

    store = open_store(Settings(data_dir=data_dir))
    await store.start()
    try:
        await load_demo(store)
        secret = new_secret()
        await store.create_token(
            TokenInput(org=DEMO_ORG, role=Role.READER, name="bench", secret_hash=hash_secret(secret))
        )
    finally:
        await store.close()
    return secret


def spans_per_request(server: Server, token: str, query: str, variables: dict[str, Any], requests: int = 10) -> float:
    before = server.spans()
    for _ in range(requests):
        server.ask(token, query, variables)
    return (server.spans() - before) / requests


def percentile95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def graphql_requests_counted(server: Server) -> float:
    text = server.client.get("/metrics").text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "tracegraph_requests_total" and sample.labels["route"] == "graphql"
    )


def measure(rounds: int, batch: int, warmup: int) -> dict[str, Any]:
    import asyncio

    results: dict[str, Any] = {"machine": machine(), "rounds": rounds, "batch": batch}
    with tempfile.TemporaryDirectory(prefix="tracegraph-bench-observability-") as directory:
        root = Path(directory)
        token = asyncio.run(prepare(root / "data"))
        with servers(root / "data", root) as started:
            for server, (query, variables) in itertools.product(started, QUERIES.values()):
                for _ in range(warmup):
                    server.ask(token, query, variables)
            latencies = {(name, s.variant): list[float]() for name in QUERIES for s in started}
            cpus = {(name, s.variant): list[float]() for name in QUERIES for s in started}
            for number in range(rounds):
                order = started[number % len(started) :] + started[: number % len(started)]
                for name, (query, variables) in QUERIES.items():
                    for server in order:
                        before = server.cpu()
                        latencies[name, server.variant] += [server.ask(token, query, variables) for _ in range(batch)]
                        cpus[name, server.variant].append((server.cpu() - before) / batch)
            by_variant = {server.variant: server for server in started}
            results["spans_per_request"] = {
                name: spans_per_request(by_variant["otel"], token, query, variables)
                for name, (query, variables) in QUERIES.items()
            }
            for variant in VARIANTS[1:]:  # their /metrics counted every GraphQL request, warm-up included
                counted = graphql_requests_counted(by_variant[variant])
                assert counted == by_variant[variant].sent, (variant, counted, by_variant[variant].sent)
            sent = {server.variant: server.sent for server in started}
        results["log_bytes_per_request"] = {
            server.variant: round(server.log.stat().st_size / sent[server.variant], 1) for server in started
        }
    results["machine"]["load_average_after"] = os.getloadavg()
    results["queries"] = {
        name: {
            variant: {
                "latency_ms": {
                    "median": statistics.median(latencies[name, variant]) * 1000,
                    "p95": percentile95(latencies[name, variant]) * 1000,
                },
                "cpu_ms": {
                    "median": statistics.median(cpus[name, variant]) * 1000,
                    "p95": percentile95(cpus[name, variant]) * 1000,
                },
                "requests": len(latencies[name, variant]),
            }
            for variant in VARIANTS
        }
        for name in QUERIES
    }
    return results


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "uvicorn": version("uvicorn"),
        "prometheus_client": version("prometheus_client"),
        "opentelemetry_sdk": version("opentelemetry-sdk"),
        "load_average_before": os.getloadavg(),
    }


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "| query | variant | latency median | latency p95 | CPU/request median | CPU/request p95 | CPU vs off |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, variants in results["queries"].items():
        base = variants["off"]["cpu_ms"]["median"]
        for variant, measured in variants.items():
            latency, cpu = measured["latency_ms"], measured["cpu_ms"]
            delta = (
                "" if variant == "off" else f"{(cpu['median'] - base) * 1000:+.0f} µs ({cpu['median'] / base - 1:+.0%})"
            )
            lines.append(
                f"| {name} | {variant} | {latency['median']:.2f} ms | {latency['p95']:.2f} ms "
                f"| {cpu['median']:.3f} ms | {cpu['p95']:.3f} ms | {delta} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.observability", description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=25, help="sequential requests per variant, query and round")
    parser.add_argument("--warmup", type=int, default=50, help="requests per variant and query before timing")
    parser.add_argument("--out", type=Path, help="write the results as JSON here too")
    parser.add_argument("--serve", choices=VARIANTS, help=argparse.SUPPRESS)  # a variant's server process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve, options.port)
        return
    results = measure(options.rounds, options.batch, options.warmup)
    if options.out:
        options.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results["machine"]))
    print(
        f"log bytes per request: {results['log_bytes_per_request']}; spans per request: {results['spans_per_request']}"
    )
    print(markdown(results))


if __name__ == "__main__":
    main()
