"""Tokens checked a moment ago, so a client's every request does not cost a store lookup.

Each entry is what a usable token resolved to, kept `ttl` seconds (monotonic clock) from its lookup:

* only usable tokens are kept: an unknown, revoked or expired one is looked up again on every request, so a token
  created a moment ago works at once, and a flood of made-up tokens neither grows the cache nor pushes real
  entries out;
* a revocation takes effect within `ttl` seconds — in every process, since each (each uvicorn worker) has its own;
* the token's own expiry is no concern of the cache: the caller compares `expires_at` with the clock on every hit;
* at most `capacity` entries, the least recently used dropped first, so many distinct valid tokens cannot grow it
  without bound either.

Keyed by the secret's SHA-256, as the store is, so no secret is kept in memory.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tracegraph.auth.access import Principal

CAPACITY = 1024


@dataclass(frozen=True, slots=True)
class CheckedToken:
    """A usable token as looked up: who it speaks for, and until when (None: no expiry)."""

    principal: Principal
    expires_at: datetime | None

    def expired(self, now: datetime) -> bool:
        # The same rule as `Token.usable`: usable while `expires_at > now`.
        return self.expires_at is not None and self.expires_at <= now


class TokenCache:
    """A bounded LRU with a time to live; `ttl` 0 keeps nothing. Not thread-safe: one event loop uses it."""

    def __init__(self, *, ttl: float, capacity: int = CAPACITY, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, CheckedToken]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, secret_hash: str) -> CheckedToken | None:
        """The token looked up less than `ttl` seconds ago, or None."""
        found = self._entries.get(secret_hash)
        if found is None:
            return None
        stale_at, checked = found
        if stale_at <= self._clock():
            del self._entries[secret_hash]
            return None
        self._entries.move_to_end(secret_hash)
        return checked

    def put(self, secret_hash: str, checked: CheckedToken) -> None:
        if self.ttl <= 0:
            return
        self._entries[secret_hash] = (self._clock() + self.ttl, checked)
        self._entries.move_to_end(secret_hash)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
