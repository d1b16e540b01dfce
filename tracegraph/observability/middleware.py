"""`Observe`: the outermost middleware. It gives each HTTP request its id (returned in `X-Request-ID`), times it,
and at its end writes its log line and its metrics from the request's record (request.py)."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracegraph.observability import metrics
from tracegraph.observability.request import CURRENT, REQUEST_ID_HEADER, RequestRecord, request_id

access_logger = logging.getLogger("tracegraph.access")
_HEADER = REQUEST_ID_HEADER.encode()


class Observe:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((value for name, value in scope["headers"] if name == _HEADER), None)
        record = RequestRecord(
            id=request_id(incoming.decode("latin-1") if incoming is not None else None),
            method=scope["method"],
            path=scope["path"],
        )
        header = (_HEADER, record.id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        token = CURRENT.set(record)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            record.status = record.status or 500
            raise
        finally:
            seconds = time.perf_counter() - started
            self._finish(record, seconds)
            CURRENT.reset(token)

    def _finish(self, record: RequestRecord, seconds: float) -> None:
        operation = record.operation
        # Recorded whether or not /metrics is served: a few microseconds, and no branch to keep in step.
        metrics.record_request(record.path, operation, record.status, seconds, record.error_codes)
        access_logger.info(
            "%s %s %d",
            record.method,
            record.path,
            record.status,
            extra={
                "fields": {
                    "request_id": record.id,  # also when the line is formatted after the request (queued)
                    "method": record.method,
                    "path": record.path,
                    "status": record.status,
                    "duration_ms": round(seconds * 1000, 3),
                    "operation": operation or None,
                    "org": record.org,
                    "round_trips": record.round_trips,
                    "errors": ",".join(record.error_codes) or None,
                }
            },
        )
