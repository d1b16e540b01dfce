"""An HTTP/1.1 client small enough to stay out of the measurement, and closed-loop load with it.

The client, the server and the database share the machine's two cores, so the client's own CPU time is taken from
the server's. httpx spends about half a millisecond of Python per request; `Connection` — one keep-alive socket,
a request written as bytes, the answer read by Content-Length (or chunks) — spends a fraction of that. Both the
sequential timings and the load use it, for tracegraph and the peer alike.

Closed loop: `clients` connections, each sending its next request as soon as its previous answer arrived, for a
fixed time. Only requests completed inside the window (after the first `warmup` seconds, before the deadline)
count: throughput is their number divided by the window's length, latency their percentiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

Json = dict[str, Any]


class HttpError(RuntimeError):
    """A status other than 200, or a GraphQL answer with errors."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One keep-alive HTTP/1.1 connection posting JSON to one host."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.authority = f"{self.host}:{self.port}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        """The connection, and whether it was opened just now."""
        if self.reader is not None and self.writer is not None and not self.writer.is_closing():
            if not self.reader.at_eof():
                return self.reader, self.writer, False
            await self.close()  # the server closed it while idle (uvicorn's keep-alive timeout is 5 s)
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self.reader, self.writer, True

    async def post(self, path: str, body: bytes, headers: Mapping[str, str] = {}) -> Reply:
        reader, writer, fresh = await self._open()
        try:
            return await self._exchange(reader, writer, path, body, headers)
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            if fresh or (isinstance(error, asyncio.IncompleteReadError) and error.partial):
                raise
            # A reused connection closed by the server just before the request reached it: nothing was answered,
            # so nothing ran; send it again on a new connection.
            await self.close()
            reader, writer, _ = await self._open()
            return await self._exchange(reader, writer, path, body, headers)

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        body: bytes,
        headers: Mapping[str, str],
    ) -> Reply:
        head = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.authority}",
            "Content-Type: application/json",
            "Accept: application/json",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        answer: dict[str, str] = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                answer[name.strip().lower()] = value.strip()
        if "content-length" in answer:
            content = await reader.readexactly(int(answer["content-length"]))
        elif answer.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await reader.readexactly(size + 2))
                if size == 0:
                    break
            content = b"".join(chunk[:-2] for chunk in chunks)
        else:
            content = await reader.read()
        if answer.get("connection", "").lower() == "close":
            await self.close()
        return Reply(status, answer, content)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def graphql_body(query: str, variables: Mapping[str, Any]) -> bytes:
    return json.dumps({"query": query, "variables": dict(variables)}).encode()


def checked(reply: Reply, what: str) -> Json:
    """The body of a GraphQL answer, or HttpError."""
    if reply.status != 200:
        raise HttpError(f"{what}: HTTP {reply.status} {reply.body[:300]!r}")
    body: Json = reply.json()
    if body.get("errors"):
        raise HttpError(f"{what}: {json.dumps(body['errors'])[:500]}")
    return body


# --- closed-loop load ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    """Where and what each client posts: `body(n)` for its n-th request (n counts across clients)."""

    url: str  # the full URL of the GraphQL endpoint
    body: Callable[[int], bytes]
    headers: Mapping[str, str] = field(default_factory=dict)


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest rank."""
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def closed_loop(target: Target, clients: int, seconds: float, *, warmup: float) -> dict[str, Any]:
    """`clients` closed-loop clients for `warmup + seconds`; latency percentiles and requests/s of the window."""
    path = urlsplit(target.url).path or "/"
    counter = 0
    started = time.perf_counter()
    window_start, deadline = started + warmup, started + warmup + seconds
    latencies: list[float] = []
    failures: list[str] = []

    async def client() -> None:
        nonlocal counter
        connection = Connection(target.url)
        try:
            while (now := time.perf_counter()) < deadline:
                counter += 1
                body = target.body(counter)
                sent = now
                reply = await connection.post(path, body, target.headers)
                done = time.perf_counter()
                try:
                    checked(reply, "load")
                except HttpError as error:
                    failures.append(str(error))
                    return
                if window_start <= done <= deadline:
                    latencies.append(done - sent)
        finally:
            await connection.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    if failures:
        raise HttpError(f"{len(failures)} failed requests under load, e.g. {failures[0]}")
    ordered = sorted(latencies)
    if not ordered:
        return {"clients": clients, "seconds": seconds, "requests": 0, "requests_per_second": 0.0}
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(ordered),
        "requests_per_second": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 2),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
    }
