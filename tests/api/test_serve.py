"""`tracegraph serve` on a fresh data directory: the newcomer's first command answers over real HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.api.test_contract_queries import INCIDENT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """`tracegraph serve …` as a child process, answering on a free port."""

    def __init__(self, *flags: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "tracegraph.cli.main", "serve", "--port", str(self.port), *flags]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = ""

    def wait_ready(self) -> httpx.Response:
        deadline = time.monotonic() + 60
        while True:
            try:
                return httpx.get(f"{self.base}/readyz", timeout=1)
            except httpx.TransportError:
                assert self.process.poll() is None, self.process.communicate()[0]
                assert time.monotonic() < deadline, "tracegraph serve did not answer within 60 s"
                time.sleep(0.2)

    def query(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        return httpx.post(f"{self.base}/graphql", json={"query": query, "variables": variables}, timeout=10).json()

    def stop(self) -> None:
        self.process.terminate()
        self.output, _ = self.process.communicate(timeout=10)


def test_serve_runs_the_api_on_the_embedded_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    server = Served("--data-dir", str(data_dir))
    try:
        assert server.wait_ready().json() == {"status": "ready", "backend": "embedded"}
        assert server.query("{ orgs { name } }") == {"data": {"orgs": []}}
        assert (data_dir / "tracegraph.sqlite3").exists()
    finally:
        server.stop()
    assert f"http://127.0.0.1:{server.port}/graphql" in server.output


def test_serve_demo_answers_the_seed_incident(tmp_path: Path) -> None:
    """The README's first command: the tutorial's `cyber-dojo` org, and its incident in one query."""
    server = Served("--data-dir", str(tmp_path / "data"), "--demo")
    try:
        assert server.wait_ready().status_code == 200
        answer = server.query(INCIDENT, {"org": "cyber-dojo", "env": "aws-prod", "index": 176})
    finally:
        server.stop()
    assert "errors" not in answer, answer
    started = [event for event in answer["data"]["environment"]["snapshot"]["events"] if event["type"] == "STARTED"]
    assert [event["fingerprint"][:7] for event in started] == ["860ad17"]
    assert started[0]["artifacts"][0]["commit"]["sha"] == "b7a590836cf140e17da3f01eadd5eca17d9efc65"
