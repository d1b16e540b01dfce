"""Observability: Prometheus metrics, structured logs with request ids, and OpenTelemetry traces
(docs/operations.md). Each module is one concept; the app, the stores' call path and `serve` hold one hook each."""
