"""The CLI's GraphQL client: one POST per request, retries for network errors and 5xx, errors as one line."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

RETRIES = 3
BACKOFF_SECONDS = 0.5
TIMEOUT_SECONDS = 60.0


class CliError(Exception):
    """Printed as one line on stderr; the command exits non-zero."""


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def with_scheme(host: str) -> str:
    return host if _SCHEME.match(host.strip()) else f"http://{host.strip()}"


def server_url(host: str) -> str:
    """`--host` as a base URL: `127.0.0.1:8000` or `localhost` mean http://; another scheme is refused by name."""
    text = host.strip().rstrip("/")
    if not text:
        raise CliError("--host: give the server's URL, e.g. http://127.0.0.1:8000")
    if not _SCHEME.match(text):
        return with_scheme(text)
    if not text.lower().startswith(("http://", "https://")):
        raise CliError(f"--host: {host!r} must be an http:// or https:// URL")
    return text


class GraphQLClient:
    def __init__(self, host: str, *, token: str | None = None, transport: httpx.BaseTransport | None = None) -> None:
        import httpx  # here, not at the top: its import costs a tenth of a second of every CLI call's start-up

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.endpoint = server_url(host) + "/graphql"
        self._http = httpx.Client(headers=headers, timeout=TIMEOUT_SECONDS, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GraphQLClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, flags: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """Run `query` and answer its `data`; GraphQL errors become one `CliError`. `flags` maps the GraphQL
        argument an error names (`expr`, `input.fingerprint`) to the CLI flag the user typed."""
        # A write may have happened when the answer is lost (a read timeout, a 5xx): retried, a deployment would be
        # numbered twice. Writes are retried only when the request never reached the server.
        mutation = query.lstrip().startswith("mutation")
        response = self._post({"query": query, "variables": variables or {}}, retry_after_sending=not mutation)
        try:
            body = response.json()
        except ValueError:
            raise CliError(f"{self.endpoint} answered HTTP {response.status_code} without JSON") from None
        if body.get("errors"):
            raise CliError(_describe(body["errors"][0], flags or {}))
        if response.status_code >= 400:
            raise CliError(f"{self.endpoint} answered HTTP {response.status_code}")
        data: dict[str, Any] = body.get("data") or {}
        return data

    def _post(self, payload: dict[str, Any], *, retry_after_sending: bool) -> httpx.Response:
        import httpx

        for attempt in range(RETRIES + 1):
            try:
                response = self._http.post(self.endpoint, json=payload)
            except httpx.TransportError as error:
                never_sent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt == RETRIES or not (never_sent or retry_after_sending):
                    raise CliError(f"cannot reach {self.endpoint}: {error}") from None
            else:
                if response.status_code < 500 or attempt == RETRIES or not retry_after_sending:
                    return response
            time.sleep(BACKOFF_SECONDS * 2**attempt)
        raise AssertionError("unreachable")


def _describe(error: dict[str, Any], flags: Mapping[str, str]) -> str:
    extensions = error.get("extensions") or {}
    message = _as_flag(str(error.get("message", "unknown error")), str(extensions.get("field") or ""), flags)
    candidates = extensions.get("candidates")
    if candidates:
        message += " (candidates: " + ", ".join(candidates) + ")"
    code = extensions.get("code")
    return f"{message} [{code}]" if code else message


def _as_flag(message: str, field: str, flags: Mapping[str, str]) -> str:
    """`expr: …` → `EXPRESSION: …`; `repos.0: …` → `--repo (value 1): …`; `input.artifacts.1.fingerprint: …` →
    `--artifact (value 2, fingerprint): …`."""
    if not field or not message.startswith(f"{field}: "):
        return message
    rule = message[len(field) + 2 :]
    for name, flag in flags.items():
        if field == name:
            return f"{flag}: {rule}"
        if field.startswith(name + "."):
            position, _, rest = field[len(name) + 1 :].partition(".")
            # A repeated flag's values count from 1.
            where = [f"value {int(position) + 1}", *([rest] if rest else [])] if position.isdigit() else [position]
            return f"{flag} ({', '.join(where)}): {rule}"
    return message
