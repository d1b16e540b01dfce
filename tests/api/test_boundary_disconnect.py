"""A client that disconnects before its body is complete is an everyday event: one quiet log line, no traceback
(it was once logged by the server as "Exception in ASGI application" with a full traceback)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from starlette.types import Message

from tests.api.conftest import make_settings, token_headers
from tracegraph.app import create_app
from tracegraph.graph.embedded.store import EmbeddedStore


async def test_a_client_disconnect_mid_body_is_one_quiet_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path)
    store = EmbeddedStore(settings.data_dir / "tracegraph.sqlite3")
    await store.start()
    try:
        headers = await token_headers(store, "acme")
        app = create_app(settings, store=store)
        messages: list[Message] = [
            {"type": "http.request", "body": b'{"query": "{ orgs', "more_body": True},
            {"type": "http.disconnect"},
        ]
        sent: list[Message] = []

        async def receive() -> Message:
            return messages.pop(0)

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "client": ("127.0.0.1", 50000),
            "server": ("tracegraph.test", 80),
            "headers": [
                (b"host", b"tracegraph.test"),
                (b"content-type", b"application/json"),
                (b"content-length", b"100"),
                (b"authorization", headers["Authorization"].encode()),
            ],
        }
        await app(scope, receive, send)  # returns: no exception for the server to log
    finally:
        await store.close()
    assert sent == []  # nobody is listening
    assert [record.exc_info for record in caplog.records if record.exc_info] == []
    lines = [record for record in caplog.records if "disconnected" in record.getMessage()]
    assert len(lines) == 1
    assert lines[0].levelno == logging.INFO
    assert lines[0].getMessage() == "Client ('127.0.0.1', 50000) disconnected before its request body was complete"
