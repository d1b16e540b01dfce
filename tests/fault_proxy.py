"""A TCP proxy in front of the real Neo4j that can take the network away: `cut()` drops every connection and
refuses new ones (a server that went down), `hang()` keeps connections open but forwards nothing (a partition or a
frozen server), `restore()` forwards again. Neo4j itself keeps running, so the test's other users are not disturbed."""

from __future__ import annotations

import asyncio
import contextlib
from enum import Enum


class Fault(Enum):
    NONE = "none"
    CUT = "cut"
    HANG = "hang"


class FaultProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.fault = Fault.NONE
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()  # cleared while hanging
        self._flowing.set()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self.fault = Fault.CUT
        self._flowing.set()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def hang(self) -> None:
        self.fault = Fault.HANG
        self._flowing.clear()

    def restore(self) -> None:
        self.fault = Fault.NONE
        self._flowing.set()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.fault is Fault.CUT:
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, server_writer))
        await asyncio.gather(
            self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer), return_exceptions=True
        )
        for writer in (client_writer, server_writer):
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await reader.read(65536):
                await self._flowing.wait()
                if self.fault is Fault.CUT:
                    return
                writer.write(data)
                await writer.drain()
