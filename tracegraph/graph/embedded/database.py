"""One SQLite file shared by a small pool of threads, so async callers never block the event loop.

Each worker thread owns one connection. A call is one transaction: reads run in a deferred transaction (one
consistent WAL snapshot for all their statements); writes run under `BEGIN IMMEDIATE`, which serialises writers
across processes, and an in-process lock so local writers queue instead of spinning in SQLite's busy handler.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, TypeVar

from tracegraph.errors import Unavailable
from tracegraph.graph.embedded.schema import DDL, SCHEMA_VERSION, STEPS
from tracegraph.observability.store_calls import StoreCall

T = TypeVar("T")
Synchronous = Literal["NORMAL", "FULL"]

BUSY_TIMEOUT_MS = 30_000
# SQLite failures that mean the file cannot be used right now, as opposed to a bug in a statement.
_UNAVAILABLE = frozenset(
    {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_NOTADB"}
) | frozenset(f"SQLITE_IOERR{suffix}" for suffix in ("", "_READ", "_WRITE", "_FSYNC", "_SHORT_READ", "_LOCK"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(value: int) -> datetime:
    return _EPOCH + value * _MICROSECOND


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    """Run `script` statement by statement inside the open transaction (`executescript` would commit it first)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            connection.execute(statement)
            statement = ""
    if statement.strip():
        connection.execute(statement)  # comments only, or an unfinished statement that SQLite reports


class Database:
    def __init__(self, path: Path, *, workers: int = 4, synchronous: Synchronous = "FULL") -> None:
        self.path = path
        self._synchronous = synchronous
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tracegraph-sqlite")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.round_trips = 0

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = OFF")
            # FULL: a write acknowledged is on disk, also after a power loss. In WAL mode NORMAL syncs only at
            # checkpoints: the last transactions survive a process kill, not a power loss (docs/store-semantics.md).
            connection.execute(f"PRAGMA synchronous = {'FULL' if self._synchronous == 'FULL' else 'NORMAL'}")
            connection.execute("PRAGMA cache_size = -65536")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def create_schema(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = self._connection()
        connection.execute("PRAGMA journal_mode = WAL")
        found = connection.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise Unavailable(
                f"{self.path} was written by a newer tracegraph (schema {found}; this one knows {SCHEMA_VERSION})"
            )
        while self._schema_step(connection):
            pass

    def _schema_step(self, connection: sqlite3.Connection) -> bool:
        """Bring the file one version nearer the current one, in one transaction; False when it is current. A new
        file gets the current tables at once; an older one the next numbered step (schema.STEPS)."""
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Read under the lock: another process may have upgraded the file meanwhile.
                found = connection.execute("PRAGMA user_version").fetchone()[0]
                if found >= SCHEMA_VERSION:
                    connection.execute("ROLLBACK")
                    return False
                version = SCHEMA_VERSION if found == 0 else found + 1
                _run_script(connection, DDL if found == 0 else STEPS[version])
                connection.execute(f"PRAGMA user_version = {int(version)}")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return True

    def read_sync(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection = self._connection()
        connection.execute("BEGIN")
        try:
            return work(connection)
        finally:
            connection.execute("COMMIT")

    def write_sync(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection = self._connection()
        with self._write_lock:
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._submit(self.read_sync, work)

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._submit(self.write_sync, work)

    async def _submit(
        self, runner: Callable[[Callable[[sqlite3.Connection], T]], T], work: Callable[[sqlite3.Connection], T]
    ) -> T:
        self.round_trips += 1
        loop = asyncio.get_running_loop()
        try:
            with StoreCall("embedded", work, write=runner == self.write_sync):
                return await loop.run_in_executor(self._executor, runner, work)
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") in _UNAVAILABLE:
                raise Unavailable(f"embedded store at {self.path}: {error}") from error
            raise  # a bug (bad SQL, missing column): masked and logged by the API, never an "outage"

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self.create_schema)
        except (sqlite3.DatabaseError, OSError) as error:
            raise Unavailable(f"cannot open embedded store at {self.path}: {error}") from error

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._executor.shutdown, True)
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
