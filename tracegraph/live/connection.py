"""One WebSocket on `/graphql` (graphql-transport-ws): who it acts for, for how long, and how many subscriptions.

The token comes in `connection_init`'s payload (`{"Authorization": "Bearer …"}`), or else the upgrade request's
`Authorization` header; it is checked when the connection is initialised, then again with the store every
`TRACEGRAPH_SUBSCRIPTION_RECHECK_SECONDS` (a watchdog task, so it holds with no events) and before an event when
the last check is older than that — so a revoked or expired token's socket is closed within that time. Close codes
(docs/live.md): 4401 token missing, invalid, revoked or expired; 4408 no subscription for
`TRACEGRAPH_SUBSCRIPTION_IDLE_SECONDS` (and, from Strawberry, no `connection_init` in time); 4413 a subscription
read events slower than they came (`TRACEGRAPH_SUBSCRIPTION_QUEUE`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping

from tracegraph.auth.access import ANONYMOUS, Principal
from tracegraph.auth.tokens import bearer_token, hash_secret
from tracegraph.errors import InvalidInput, TracegraphError, Unavailable

logger = logging.getLogger(__name__)

UNAUTHENTICATED = 4401
IDLE = 4408
SLOW_CONSUMER = 4413
REASON_MISSING = (
    'A valid API token is required: send {"Authorization": "Bearer <token>"} as the connection_init payload.'
)
REASON_INVALID = "The API token is invalid, revoked or expired."
REASON_SLOW = "Events were read too slowly: more than TRACEGRAPH_SUBSCRIPTION_QUEUE waited."
# Close reasons are at most 123 bytes (RFC 6455).
assert all(len(reason.encode()) <= 123 for reason in (REASON_MISSING, REASON_INVALID, REASON_SLOW))

Authenticate = Callable[[str | None, bool], Awaitable[Principal | None]]  # (authorization, fresh) -> principal


class SubscriptionLimit(InvalidInput):
    """Too many subscriptions open; `setting` names the TRACEGRAPH_* variable that sets the limit."""

    code = "LIMIT_EXCEEDED"

    def __init__(self, setting: str, limit: int, whose: str) -> None:
        super().__init__("subscription", f"{whose} may hold at most {limit} subscriptions at once (set by {setting})")
        self.setting = setting


class SubscriptionCounts:
    """Open subscriptions per token and in the process (one per app), counted where they start and end."""

    def __init__(self, *, per_token: int, per_process: int) -> None:
        self.per_token = per_token
        self.per_process = per_process
        self._by_token: Counter[str] = Counter()
        self.total = 0

    def acquire(self, token: str) -> None:
        if self.total >= self.per_process:
            raise SubscriptionLimit("TRACEGRAPH_MAX_SUBSCRIPTIONS_PER_PROCESS", self.per_process, "this server")
        if self._by_token[token] >= self.per_token:
            raise SubscriptionLimit("TRACEGRAPH_MAX_SUBSCRIPTIONS_PER_TOKEN", self.per_token, "a token")
        self._by_token[token] += 1
        self.total += 1

    def release(self, token: str) -> None:
        self._by_token[token] -= 1
        if self._by_token[token] <= 0:
            del self._by_token[token]
        self.total -= 1


class LiveConnection:
    def __init__(
        self,
        *,
        authenticate: Authenticate,
        close: Callable[[int, str], Awaitable[None]],
        counts: SubscriptionCounts,
        upgrade_authorization: str | None,
        recheck_seconds: float,
        idle_seconds: float,
    ) -> None:
        self._authenticate = authenticate
        self._close = close
        self.counts = counts
        self._upgrade_authorization = upgrade_authorization
        self._authorization: str | None = None
        self.principal: Principal = ANONYMOUS
        self.recheck_seconds = recheck_seconds
        self.idle_seconds = idle_seconds
        self._checked_at = 0.0
        self.active = 0
        self._idle_since = time.monotonic()
        self._watchdog: asyncio.Task[None] | None = None
        self.closed = False

    @property
    def token_key(self) -> str:
        """Whose subscriptions count together: the token's hash (anonymous callers share one key)."""
        secret = bearer_token(self._authorization)
        return "anonymous" if secret is None else hash_secret(secret)

    async def connect(self, params: Mapping[str, object]) -> bool:
        """Check the token of `connection_init` (else of the upgrade); False once the socket is closed for it."""
        given = params.get("Authorization", params.get("authorization"))
        authorization = given if isinstance(given, str) else self._upgrade_authorization
        self._authorization = authorization
        try:
            principal = await self._authenticate(authorization, True)
        except Unavailable:
            await self.close(1011, "The store is unavailable; try again shortly.")
            return False
        if principal is None:
            await self.close(UNAUTHENTICATED, REASON_MISSING if authorization is None else REASON_INVALID)
            return False
        self.principal = principal
        self._checked_at = time.monotonic()
        self._watchdog = asyncio.create_task(self._watch(), name="tracegraph-live-watchdog")
        return True

    async def still_valid(self) -> bool:
        """Before an event: the token checked with the store unless that was done within the recheck interval
        (expiry is checked every time); False once the socket is closed for it."""
        fresh = time.monotonic() - self._checked_at >= self.recheck_seconds
        try:
            principal = await self._authenticate(self._authorization, fresh)
        except TracegraphError:
            return not self.closed  # the store is out of reach: keep the socket, the watchdog checks again
        if principal is None or principal != self.principal:
            await self.close(UNAUTHENTICATED, REASON_INVALID)
            return False
        if fresh:
            self._checked_at = time.monotonic()
        return True

    def started(self) -> None:
        self.counts.acquire(self.token_key)
        self.active += 1

    def ended(self) -> None:
        self.counts.release(self.token_key)
        self.active -= 1
        if self.active == 0:
            self._idle_since = time.monotonic()

    async def _watch(self) -> None:
        tick = min(self.recheck_seconds, self.idle_seconds) / 2
        while not self.closed:
            await asyncio.sleep(tick)
            if self.active == 0 and time.monotonic() - self._idle_since >= self.idle_seconds:
                reason = f"No subscription for {self.idle_seconds:g} s (TRACEGRAPH_SUBSCRIPTION_IDLE_SECONDS)."
                await self.close(IDLE, reason)
                return
            if time.monotonic() - self._checked_at >= self.recheck_seconds:
                await self.still_valid()

    async def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(Exception):  # the peer may be gone already
            await self._close(code, reason)

    async def shutdown(self) -> None:
        self.closed = True
        if self._watchdog is not None and self._watchdog is not asyncio.current_task():
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
