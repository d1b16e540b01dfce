"""`tracegraph serve` bounds what clients that never finish their headers can hold: uvicorn has no header timeout
(docs/operations.md names the reverse-proxy setting), so each worker caps its open connections
(TRACEGRAPH_MAX_CONNECTIONS) and answers beyond the cap with 503 at once, instead of growing without bound."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.api.test_serve import Served


def test_connections_with_unfinished_headers_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEGRAPH_MAX_CONNECTIONS", "4")
    server = Served(tmp_path, "--data-dir", str(tmp_path / "data"))
    slow: list[socket.socket] = []
    try:
        assert server.wait_ready().status_code == 200
        for _ in range(4):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: slow\r\n")  # and never the blank line
            slow.append(connection)
        refused = httpx.get(f"{server.base}/healthz", timeout=10)
        assert refused.status_code == 503
        for connection in slow:
            connection.close()
        slow.clear()
        # Closed connections free their places.
        answered = httpx.get(f"{server.base}/healthz", timeout=10)
        for _ in range(50):
            if answered.status_code == 200:
                break
            answered = httpx.get(f"{server.base}/healthz", timeout=10)
        assert answered.status_code == 200
    finally:
        for connection in slow:
            connection.close()
        server.stop()
