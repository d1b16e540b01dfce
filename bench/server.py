"""The service under uvicorn for the harness: the real app, plus a response header counting store round trips.

    python -m bench.server --port 8765 --data-dir DIR | --neo4j-uri bolt://...

`x-store-round-trips` is how many store calls the request made (the harness sends one request at a time, so the
store's counter before and after the request is exact).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tracegraph.app import create_app
from tracegraph.graph.factory import open_store
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

ROUND_TRIPS_HEADER = "x-store-round-trips"


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
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings(data_dir=options.data_dir or Path("."), neo4j_uri=options.neo4j_uri)
    asyncio.run(serve(settings, options.port))


if __name__ == "__main__":
    main()
