"""`tracegraph serve --workers 2`: two uvicorn worker processes answer on one port over one embedded store, so what
one writes the other reads. Which worker answered a request is read from /proc: the one holding the server side
of the request's connection."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_serve import Served
from tracegraph.settings import Settings, settings_environment

LINUX_PROC = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds the answering worker in /proc")

ORG = "shop"
FLOWS = "query($org: String!) { flows(org: $org) { nodes { name } } }"
CREATE_FLOW = "mutation($input: CreateFlowInput!) { createFlow(input: $input) { flow { name } } }"


def admin(data_dir: Path, *args: str) -> str:
    """`tracegraph admin ARGS` on the store itself, as a separate process next to the running server."""
    command = [sys.executable, "-m", "tracegraph.cli.main", "admin", *args, "--data-dir", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def workers_of(parent: int) -> set[int]:
    """The worker processes uvicorn spawned (not multiprocessing's resource tracker)."""
    children = set()
    for task in Path(f"/proc/{parent}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return {pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


def socket_inode(server_port: int, client_port: int) -> str:
    """The inode of the server side of the loopback connection from `client_port`."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(address.split(":")[1], 16) for address in fields[1:3])
        if (local, remote) == (server_port, client_port):
            return fields[9]
    raise AssertionError(f"no server socket for the connection from port {client_port}")


def answering_worker(connection: http.client.HTTPConnection, workers: set[int], port: int) -> int:
    assert connection.sock is not None
    wanted = f"socket:[{socket_inode(port, connection.sock.getsockname()[1])}]"
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(FileNotFoundError):  # a descriptor closed while we look
                if os.readlink(fd) == wanted:
                    return pid
    raise AssertionError(f"no worker of {workers} holds {wanted}")


def post(connection: http.client.HTTPConnection, token: str, query: str, variables: dict[str, Any]) -> Any:
    body = json.dumps({"query": query, "variables": variables})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request("POST", "/graphql", body=body, headers=headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    assert response.status == 200, answer
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    served = Served(tmp_path, "--data-dir", str(tmp_path / "data"), "--workers", "2", "--demo")
    try:
        assert served.wait_ready().status_code == 200
        yield served
    finally:
        served.stop()


def test_the_settings_reach_a_worker_through_its_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given = Settings(
        data_dir=tmp_path / "data dir",
        neo4j_uri="bolt://db:7687",
        neo4j_password="s3cret=*",  # type: ignore[arg-type]  # pydantic makes it a SecretStr
        allow_anonymous_public_reads=True,
        workers=3,
        token_cache_seconds=0.25,
        max_aliases=0,
    )
    for name in list(os.environ):
        if name.startswith("TRACEGRAPH_"):
            monkeypatch.delenv(name)
    for name, value in settings_environment(given).items():
        monkeypatch.setenv(name, value)
    assert "TRACEGRAPH_NEO4J_USER" not in settings_environment(given)  # None: left unset
    assert Settings() == given


@LINUX_PROC
def test_two_workers_answer_and_share_the_store(server: Served, tmp_path: Path) -> None:
    workers = workers_of(server.process.pid)
    assert len(workers) == 2
    # Made while the server runs, in a third process: both workers must accept the new token at once.
    admin(tmp_path / "data", "create-org", ORG)
    token = admin(tmp_path / "data", "create-token", "--org", ORG, "--role", "admin")
    by_worker: dict[int, http.client.HTTPConnection] = {}
    for _ in range(200):  # the kernel hands each new connection to whichever worker accepts first
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        post(connection, token, FLOWS, {"org": ORG})
        pid = answering_worker(connection, workers, server.port)
        if pid in by_worker:
            connection.close()
            continue
        by_worker[pid] = connection
        if len(by_worker) == len(workers):
            break
    try:
        assert set(by_worker) == workers
        (first, one), (second, other) = by_worker.items()
        for writer, reader, flow in ((one, other, "web"), (other, one, "api")):
            post(writer, token, CREATE_FLOW, {"input": {"org": ORG, "name": flow}})
            names = {node["name"] for node in post(reader, token, FLOWS, {"org": ORG})["flows"]["nodes"]}
            assert flow in names
        # The demo org was loaded once, before the workers started; its reader token works in both.
        demo_reader = json.loads(server.config.read_text())["api_token"]
        for connection in (one, other):
            assert {"name": "cyber-dojo"} in post(connection, demo_reader, "{ orgs { name } }", {})["orgs"]
        # Still the same two workers on the same kept-alive connections.
        assert answering_worker(one, workers, server.port) == first
        assert answering_worker(other, workers, server.port) == second
    finally:
        for connection in by_worker.values():
            connection.close()
