"""The one hook on the stores' call path (the embedded `Database._submit`, Neo4j's `Neo4jStore._run`): each round
trip counts into the request's record and the metrics, and becomes a span when tracing is on."""

from __future__ import annotations

import time
from types import TracebackType

from opentelemetry.trace import Span, StatusCode, Tracer

from tracegraph.observability import metrics
from tracegraph.observability.request import current

_tracer: Tracer | None = None


def trace_with(tracer: Tracer | None) -> None:
    """Store calls become spans of `tracer` (tracing.py); None: no spans."""
    global _tracer
    _tracer = tracer


def _name(work: object) -> str:
    # The store method the work function belongs to: "Neo4jStore.artifacts.<locals>.read" -> "Neo4jStore.artifacts".
    qualname = getattr(work, "__qualname__", None) or type(work).__qualname__
    return "store " + qualname.split(".<locals>", 1)[0]


class StoreCall:
    """`with StoreCall(backend, work, write=...):` around the awaited transaction."""

    __slots__ = ("_backend", "_kind", "_span", "_started", "_work")

    def __init__(self, backend: str, work: object, *, write: bool) -> None:
        self._backend = backend
        self._kind = "write" if write else "read"
        self._work = work
        self._span: Span | None = None
        self._started = 0.0

    def __enter__(self) -> None:
        record = current()
        if record is not None:
            record.round_trips += 1
        if _tracer is not None:
            self._span = _tracer.start_span(
                _name(self._work), attributes={"db.system": self._backend, "tracegraph.store.kind": self._kind}
            )
        self._started = time.perf_counter()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        metrics.STORE_CALL_SECONDS.labels(self._backend, self._kind).observe(time.perf_counter() - self._started)
        if error is not None:
            metrics.STORE_CALL_FAILURES.labels(self._backend, self._kind).inc()
        if self._span is not None:
            if error is not None:
                self._span.record_exception(error)
                self._span.set_status(StatusCode.ERROR, type(error).__name__)
            self._span.end()
