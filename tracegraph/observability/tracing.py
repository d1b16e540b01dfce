"""OpenTelemetry traces, off unless the standard `OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`).

Three levels of spans: the HTTP request (the ASGI instrumentation), each GraphQL operation and each resolver that can
reach the store (resolver_tracing.py), and each store round trip (store_calls.py). The exporter
reads its own `OTEL_EXPORTER_OTLP_*` variables; `OTEL_SERVICE_NAME` defaults to `tracegraph`.
"""

from __future__ import annotations

import os

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from tracegraph.errors import InvalidInput


def provider_from_environment() -> TracerProvider | None:
    """A provider exporting where `OTEL_*` says, or None when tracing is off (the default)."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    names = [name.strip() for name in os.environ.get("OTEL_TRACES_EXPORTER", "").split(",")]
    names = [name for name in names if name and name != "none"]
    if not names:
        return None
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: "tracegraph"}
    provider = TracerProvider(resource=Resource.create(attributes))
    for name in names:
        provider.add_span_processor(BatchSpanProcessor(_exporter(name)))
    return provider


def _exporter(name: str) -> SpanExporter:
    if name == "console":
        return ConsoleSpanExporter()
    if name == "otlp":
        protocol = os.environ.get(
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        )
        if protocol != "http/protobuf":
            raise InvalidInput(
                "OTEL_EXPORTER_OTLP_PROTOCOL", f"must be http/protobuf (the one installed), not {protocol}"
            )
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    raise InvalidInput("OTEL_TRACES_EXPORTER", f"must be otlp, console or none, not {name}")
