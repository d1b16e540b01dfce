"""Start a real Neo4j Community 5.26 server for tests, without Docker.

Runs ``scripts/neo4j-test-server/run`` (Java 17+ and Maven needed; the first run
downloads the Neo4j jars from Maven Central and takes longer). The server listens
on ``127.0.0.1`` with Bolt, auth disabled, and a fresh temporary data directory.

    with Neo4jTestServer() as server:
        driver = AsyncGraphDatabase.driver(server.uri, auth=None)

The script exits with status 2 and a message on stderr when Java or Maven is
missing; ``start`` then raises ``RuntimeError`` carrying that message.
"""

from __future__ import annotations

import collections
import contextlib
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

RUN_SCRIPT: Path = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-test-server" / "run"

_READY_PREFIX = "READY "
_TAIL_LINES = 60


class Neo4jTestServer:
    """A throw-away Neo4j server process; usable as a context manager."""

    def __init__(self, *, startup_timeout: float = 300.0) -> None:
        self.startup_timeout: float = startup_timeout
        self.uri: str = ""
        self._proc: subprocess.Popen[str] | None = None
        self._data_dir: Path | None = None
        self._tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._handoff: bool = True  # pass lines to start() until READY has been seen

    # -- context manager -------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- lifecycle -------------------------------------------------------

    def start(self) -> str:
        """Start the server and return its ``bolt://127.0.0.1:PORT`` URI."""
        if self._proc is not None:
            raise RuntimeError("Neo4jTestServer already started")
        self._data_dir = Path(tempfile.mkdtemp(prefix="tracegraph-neo4j-"))
        self._tail.clear()
        self._lines = queue.Queue()
        self._handoff = True
        try:
            self._proc = subprocess.Popen(
                [str(RUN_SCRIPT), str(self._data_dir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
            )
        except OSError as e:
            self._cleanup_dir()
            raise RuntimeError(f"cannot run {RUN_SCRIPT}: {e}") from e
        assert self._proc.stdout is not None
        # One thread reads stdout for the whole life of the process, so the pipe never
        # fills up; before READY it also hands lines to start() through the queue.
        self._reader = threading.Thread(
            target=self._drain,
            args=(self._proc.stdout,),
            name="neo4j-test-server-stdout",
            daemon=True,
        )
        self._reader.start()
        deadline = time.monotonic() + self.startup_timeout
        try:
            uri = self._wait_ready(deadline)
            self._wait_port(uri, deadline)
        except BaseException:
            self.stop()
            raise
        self.uri = uri
        return uri

    def stop(self) -> None:
        """Stop the server (close stdin, then terminate/kill) and remove its data."""
        proc = self._proc
        self._proc = None
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)
            self._reader = None
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()
        self.uri = ""
        self._cleanup_dir()

    # -- internals ---------------------------------------------------------

    def _drain(self, stream: IO[str]) -> None:
        try:
            for line in stream:
                line = line.rstrip("\r\n")
                self._tail.append(line)
                if self._handoff:
                    self._lines.put(line)
        except (OSError, ValueError):
            pass
        finally:
            self._lines.put(None)  # EOF marker

    def _wait_ready(self, deadline: float) -> str:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(self._failure(f"Neo4j did not start within {self.startup_timeout:.0f} s"))
            try:
                line = self._lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if line is None:
                code = self._proc.wait(timeout=10) if self._proc is not None else None
                raise RuntimeError(self._failure(f"Neo4j test server exited (status {code}) before it was ready"))
            if line.startswith(_READY_PREFIX):
                self._handoff = False
                return line[len(_READY_PREFIX) :].strip()

    def _wait_port(self, uri: str, deadline: float) -> None:
        hostport = uri.split("://", 1)[-1]
        host, _, port_text = hostport.rpartition(":")
        port = int(port_text)
        while True:
            try:
                with socket.create_connection((host, port), timeout=1.0):
                    return
            except OSError:
                pass
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(self._failure("Neo4j test server exited after READY"))
            if time.monotonic() >= deadline:
                raise RuntimeError(self._failure(f"Bolt port {port} did not accept connections"))
            time.sleep(0.1)

    def _failure(self, message: str) -> str:
        tail = "\n".join(self._tail)
        return f"{message}; last output of {RUN_SCRIPT}:\n{tail}" if tail else message

    def _cleanup_dir(self) -> None:
        if self._data_dir is not None:
            shutil.rmtree(self._data_dir, ignore_errors=True)
            self._data_dir = None
