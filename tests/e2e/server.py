"""Run the real `tracegraph serve` in a child process, as a newcomer would, and the real CLI against it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[str]
    log: Path

    def cli(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `tracegraph ARGS` against this server; a non-zero exit fails the test when `check`."""
        completed = subprocess.run(
            [sys.executable, "-m", "tracegraph.cli.main", *args],
            env={**self.env, "TRACEGRAPH_HOST": self.url, **(env or {})},
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"tracegraph {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
        return completed

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(home: Path, *, extra: Sequence[str] = (), env: dict[str, str] | None = None) -> RunningServer:
    """`tracegraph serve --demo` on a free port with its own HOME (so its CLI config stays in the test)."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("TRACEGRAPH_")},
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "TZ": "Europe/Berlin",
        **(env or {}),
    }
    log = home / "server.log"
    command = [
        sys.executable, "-m", "tracegraph.cli.main", "serve", "--demo",
        "--port", str(port), "--data-dir", str(home / "data"), *extra,
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tracegraph serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return RunningServer(url=url, env=environment, process=process, log=log)
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    process.kill()
    raise AssertionError(f"tracegraph serve did not become ready in {STARTUP_SECONDS} s:\n{log.read_text()}")
