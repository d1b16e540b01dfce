"""`tracegraph serve` on a fresh data directory: the newcomer's first command answers over real HTTP."""

from __future__ import annotations

import json
import os
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

    def __init__(self, home: Path, *flags: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.config = home / "config" / "tracegraph" / "config.json"
        command = [sys.executable, "-m", "tracegraph.cli.main", "serve", "--port", str(self.port), *flags]
        environment = {**os.environ, "XDG_CONFIG_HOME": str(home / "config")}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
        )
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

    def query(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = {"query": query, "variables": variables}
        return httpx.post(f"{self.base}/graphql", json=payload, headers=headers, timeout=10).json()

    def stop(self) -> None:
        self.process.terminate()
        self.output, _ = self.process.communicate(timeout=10)


def test_serve_runs_the_api_on_the_embedded_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    server = Served(tmp_path, "--data-dir", str(data_dir))
    try:
        assert server.wait_ready().json() == {"status": "ready", "backend": "embedded"}
        refused = server.query("{ orgs { name } }")  # auth is on by default
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (data_dir / "tracegraph.sqlite3").exists()
    finally:
        server.stop()
    assert f"http://127.0.0.1:{server.port}/graphql" in server.output


def test_serve_demo_answers_the_seed_incident(tmp_path: Path) -> None:
    """The README's first command: the tutorial's `cyber-dojo` org, and its incident in one query."""
    server = Served(tmp_path, "--data-dir", str(tmp_path / "data"), "--demo")
    try:
        assert server.wait_ready().status_code == 200
        config = json.loads(server.config.read_text())  # the token `serve --demo` left for the CLI
        assert config["host"] == server.base
        assert config["org"] == "cyber-dojo"
        variables = {"org": "cyber-dojo", "env": "aws-prod", "index": 176}
        answer = server.query(INCIDENT, variables, token=config["api_token"])
    finally:
        server.stop()
    assert "errors" not in answer, answer
    events = answer["data"]["environment"]["snapshot"]["events"]["nodes"]
    started = [event for event in events if event["type"] == "STARTED"]
    assert [event["fingerprint"][:7] for event in started] == ["860ad17"]
    assert started[0]["artifacts"][0]["commit"]["sha"] == "b7a590836cf140e17da3f01eadd5eca17d9efc65"
