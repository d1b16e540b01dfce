"""The service under uvicorn for the harness: the real app, plus a response header counting store round trips.

    python -m bench.server --port 8765 --data-dir DIR | --neo4j-uri bolt://... [--workers 2]

`x-store-round-trips` is how many store calls the request made (exact when one request runs at a time, as in the
harness's sequential timings; under load it counts whatever ran meanwhile in that process).

With `--workers N` uvicorn runs N spawned processes, each building its app from an import string (`counting_app`,
a factory reading the `TRACEGRAPH_*` variables), as `tracegraph serve --workers N` does. That path loses
TCP_NODELAY (uvicorn binds the shared listener with `proto` 0, accepted sockets inherit it, and asyncio enables
TCP_NODELAY only for `proto == IPPROTO_TCP`: Kludex/uvicorn#3149), so a response written in two parts waits for the
client's delayed ACK, ~40 ms. `--tcp-nodelay` binds the listener itself with IPPROTO_TCP to measure the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracegraph.app import create_app
from tracegraph.graph.factory import open_store
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings, settings_environment

ROUND_TRIPS_HEADER = "x-store-round-trips"
APP_FACTORY = "bench.server:counting_app"


class RoundTripHeader:
    def __init__(self, app: ASGIApp, store: GraphStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        before = self.store.round_trips

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((ROUND_TRIPS_HEADER.encode(), str(self.store.round_trips - before).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, counting_send)


def counting_app() -> ASGIApp:
    """A worker's app: settings from the environment, the store opened in the app's lifespan."""
    app = create_app(Settings())
    return RoundTripHeader(app, app.state.store)


async def serve(settings: Settings, port: int) -> None:
    store = open_store(settings)
    await store.start()
    try:
        app = RoundTripHeader(create_app(settings, store=store), store)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        await uvicorn.Server(config).serve()
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--tcp-nodelay", action="store_true", help="with --workers: bind the listener with IPPROTO_TCP")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings(data_dir=options.data_dir or Path("."), neo4j_uri=options.neo4j_uri)
    if options.workers > 1:
        os.environ.update(settings_environment(settings))
        if not options.tcp_nodelay:
            uvicorn.run(
                APP_FACTORY,
                factory=True,
                workers=options.workers,
                host="127.0.0.1",
                port=options.port,
                log_level="warning",
            )
            return
        from uvicorn.supervisors import Multiprocess

        config = uvicorn.Config(
            APP_FACTORY, factory=True, workers=options.workers, host="127.0.0.1", port=options.port, log_level="warning"
        )
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", options.port))
        listener.set_inheritable(True)
        Multiprocess(config, sockets=[listener]).run()
        return
    asyncio.run(serve(settings, options.port))


if __name__ == "__main__":
    main()
