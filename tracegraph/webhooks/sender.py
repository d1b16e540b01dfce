"""One delivery attempt over HTTP: the signed POST, and what came of it (a status code, or why none came).

Redirects are not followed (a 3xx fails the delivery: a hook's URL is the one registered), proxies from the
environment are not used, and the answer's body is never read (a receiver cannot make us hold megabytes)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

from tracegraph import __version__
from tracegraph.graph.rules import utc_now
from tracegraph.graph.webhooks import DeliveryJob
from tracegraph.webhooks.signing import SIGNATURE_HEADER, signature

TIMEOUT = httpx.Timeout(10.0)  # connect, read, write and pool each
USER_AGENT = f"tracegraph/{__version__}"


@dataclass(frozen=True, slots=True)
class Sent:
    at: datetime
    duration_ms: float
    status_code: int | None
    error: str | None
    retry_after: str | None


def headers(job: DeliveryJob, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Tracegraph-Event": job.event.value,
        "X-Tracegraph-Delivery": job.id,
        SIGNATURE_HEADER: signature(job.secret.get_secret_value(), body),
        "Idempotency-Key": job.idempotency_key,
    }


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False)


async def send(http: httpx.AsyncClient, job: DeliveryJob, *, within: float) -> Sent:
    """POST the job's body; `within` bounds the whole attempt (the lease must outlast it)."""
    body = job.body.encode()
    at, started = utc_now(), time.perf_counter()
    status: int | None = None
    error: str | None = None
    retry_after: str | None = None
    try:
        async with asyncio.timeout(within), http.stream("POST", job.url, content=body, headers=headers(job, body)) as r:
            status, retry_after = r.status_code, r.headers.get("retry-after")
    except TimeoutError:
        error = f"no answer within {within:g} s"
    except httpx.HTTPError as failure:
        # The exception's class and message; never the request (its URL may carry a receiver's token).
        error = f"{type(failure).__name__}: {failure}"[:500]
    duration_ms = (time.perf_counter() - started) * 1000
    return Sent(at=at, duration_ms=duration_ms, status_code=status, error=error, retry_after=retry_after)
