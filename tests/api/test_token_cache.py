"""The token check answered from the in-process cache: a repeated token costs no store round trip, a revocation
takes effect within TRACEGRAPH_TOKEN_CACHE_SECONDS, an expiry at once, and nothing unknown is kept."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import make_settings, serve
from tracegraph.app import create_app
from tracegraph.auth.access import Principal
from tracegraph.auth.cache import CheckedToken, TokenCache
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.errors import NotFound, Unavailable
from tracegraph.graph.inputs import OrgInput, TokenInput
from tracegraph.graph.model import Role, Token
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore

ORG = "acme"
# Resolves no field: the token check is the request's only possible store round trip.
NOTHING = "{ __typename }"
TTL = 0.2


async def new_token(store: GraphStore, *, expires_in: timedelta | None = None) -> tuple[Token, str]:
    """A new reader token of ORG (created when missing) and its secret."""
    try:
        await store.get_org(ORG)
    except NotFound:
        await store.create_org(OrgInput(name=ORG))
    secret = new_secret()
    expires = utc_now() + expires_in if expires_in is not None else None
    token = await store.create_token(
        TokenInput(org=ORG, role=Role.READER, name="cached", expires_at=expires, secret_hash=hash_secret(secret))
    )
    return token, secret


async def ask(http: httpx.AsyncClient, store: GraphStore, secret: str) -> tuple[int, int]:
    """The answer's status and the store round trips it cost."""
    before = store.round_trips
    response = await http.post("/graphql", json={"query": NOTHING}, headers={"Authorization": f"Bearer {secret}"})
    return response.status_code, store.round_trips - before


async def test_a_repeated_token_costs_no_store_round_trip(store: GraphStore, tmp_path: Path) -> None:
    _, secret = await new_token(store)
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        assert await ask(http, store, secret) == (200, 1)
        assert await ask(http, store, secret) == (200, 0)
        assert await ask(http, store, secret) == (200, 0)


async def test_a_revoked_token_is_refused_once_the_ttl_has_passed(store: GraphStore, tmp_path: Path) -> None:
    token, secret = await new_token(store)
    async with serve(create_app(make_settings(tmp_path, token_cache_seconds=TTL), store=store)) as http:
        started = time.monotonic()
        assert await ask(http, store, secret) == (200, 1)
        await store.revoke_token(ORG, token.id)
        status, trips = await ask(http, store, secret)
        if time.monotonic() - started < TTL:  # certainly still cached: the documented grace, not a timing claim
            assert (status, trips) == (200, 0)
        await asyncio.sleep(TTL * 1.5)
        assert await ask(http, store, secret) == (401, 1)
        assert await ask(http, store, secret) == (401, 1)  # a refused token is never cached


async def test_an_expired_token_is_refused_at_once_even_while_cached(store: GraphStore, tmp_path: Path) -> None:
    token, secret = await new_token(store, expires_in=timedelta(seconds=1))
    assert token.expires_at is not None
    async with serve(create_app(make_settings(tmp_path, token_cache_seconds=300), store=store)) as http:
        assert await ask(http, store, secret) == (200, 1)
        await asyncio.sleep(max(0.0, (token.expires_at - utc_now()).total_seconds()) + 0.01)
        assert await ask(http, store, secret) == (401, 0)  # refused from the cache, without waiting for its TTL


async def test_ttl_zero_asks_the_store_every_time(store: GraphStore, tmp_path: Path) -> None:
    token, secret = await new_token(store)
    async with serve(create_app(make_settings(tmp_path, token_cache_seconds=0), store=store)) as http:
        assert await ask(http, store, secret) == (200, 1)
        assert await ask(http, store, secret) == (200, 1)
        await store.revoke_token(ORG, token.id)
        assert await ask(http, store, secret) == (401, 1)


async def test_an_unknown_token_is_not_remembered(store: GraphStore, tmp_path: Path) -> None:
    """A token refused a moment ago works as soon as it exists, and a flood of made-up tokens evicts nobody."""
    _, known = await new_token(store)
    secret = new_secret()
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        assert await ask(http, store, known) == (200, 1)
        assert await ask(http, store, secret) == (401, 1)
        await store.create_token(TokenInput(org=ORG, role=Role.READER, name="late", secret_hash=hash_secret(secret)))
        assert await ask(http, store, secret) == (200, 1)
        for _ in range(50):
            assert await ask(http, store, new_secret()) == (401, 1)
        assert await ask(http, store, known) == (200, 0)


class Outage:
    """The real store, whose token lookups fail while `down`."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.down = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def token_by_hash(self, secret_hash: str) -> Token | None:
        if self.down:
            raise Unavailable("token lookup failed")
        return await self._store.token_by_hash(secret_hash)


async def test_a_store_outage_during_the_check_is_unavailable(store: GraphStore, tmp_path: Path) -> None:
    """A token that must be looked up cannot be: 503 UNAVAILABLE, as without the cache. One checked moments ago
    needs no lookup, so its request goes on (and meets the outage only if it reads the store)."""
    _, cached = await new_token(store)
    _, unchecked = await new_token(store)
    failing = Outage(store)
    async with serve(create_app(make_settings(tmp_path), store=failing)) as http:  # type: ignore[arg-type]
        assert await ask(http, store, cached) == (200, 1)
        failing.down = True
        response = await http.post(
            "/graphql", json={"query": NOTHING}, headers={"Authorization": f"Bearer {unchecked}"}
        )
        assert response.status_code == 503
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        assert await ask(http, store, cached) == (200, 0)
        failing.down = False
        assert await ask(http, store, unchecked) == (200, 1)


def checked(org: str) -> CheckedToken:
    return CheckedToken(Principal(org=org, role=Role.READER), expires_at=None)


def test_the_cache_keeps_at_most_its_capacity_dropping_the_least_recently_used() -> None:
    cache = TokenCache(ttl=60, capacity=3)
    for key in "abc":
        cache.put(key, checked(key))
    assert cache.get("a") == checked("a")  # now the most recently used
    cache.put("d", checked("d"))
    assert len(cache) == 3
    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == [checked(key) for key in "acd"]


def test_the_cache_forgets_an_entry_after_its_ttl() -> None:
    now = [100.0]
    cache = TokenCache(ttl=5, clock=lambda: now[0])
    cache.put("a", checked("a"))
    now[0] = 104.9
    assert cache.get("a") == checked("a")
    now[0] = 105.0
    assert cache.get("a") is None
    assert len(cache) == 0


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = TokenCache(ttl=0)
    cache.put("a", checked("a"))
    assert cache.get("a") is None
    assert len(cache) == 0


def test_expiry_follows_the_token_rule() -> None:
    moment = utc_now()
    token = CheckedToken(Principal(org=ORG, role=Role.READER), expires_at=moment)
    assert not token.expired(moment - timedelta(microseconds=1))
    assert token.expired(moment)  # as `Token.usable`: usable only while expires_at > now
    assert not checked(ORG).expired(moment)
