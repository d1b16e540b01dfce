"""Request paths with repeated slashes collapsed (`//api/v2/artifacts/…` → `/api/v2/artifacts/…`).

The kosli CLI joins `--host` and the path by concatenation, so a host given with a trailing slash
(`--host https://tracegraph.example/`) sends `//api/v2/…` for some commands; routing would answer 404.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

_REPEATED = re.compile(r"/{2,}")


class CollapseSlashes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] in ("http", "websocket") and "//" in path:
            collapsed = _REPEATED.sub("/", path)
            scope = {**scope, "path": collapsed, "raw_path": collapsed.encode()}
        await self.app(scope, receive, send)
