"""The WebSocket upgrade on `/graphql`, over a real uvicorn: a bad token on the upgrade is refused (403) before any
GraphQL; without one the upgrade goes on and the token comes in `connection_init` (tests/live)."""

from __future__ import annotations

from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.api.conftest import make_settings
from tests.live.client import PROTOCOL, served
from tracegraph.app import create_app


async def test_a_bad_token_on_the_upgrade_is_refused(tmp_path: Path) -> None:
    async with served(create_app(make_settings(tmp_path))) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        for header in ("Bearer tg_wrong", "Basic abc"):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url, subprotocols=[PROTOCOL], additional_headers={"Authorization": header}):  # type: ignore[list-item]
                    pass
            assert refused.value.response.status_code == 403
        async with connect(url, subprotocols=[PROTOCOL]) as socket_:  # type: ignore[list-item]
            assert socket_.subprotocol == PROTOCOL
