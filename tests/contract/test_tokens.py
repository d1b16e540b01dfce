from __future__ import annotations

from datetime import timedelta

import pytest

from tests.contract.scenario import ORG, topology
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.errors import Conflict, NotFound
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore


async def test_tokens_are_found_by_hash_listed_and_revoked(store: GraphStore) -> None:
    await topology(store)
    secret = new_secret()
    expires = utc_now() + timedelta(days=1)
    created = await store.create_token(
        TokenInput(org=ORG, role=Role.WRITER, name="ci", expires_at=expires, secret_hash=hash_secret(secret))
    )
    assert (created.role, created.name, created.revoked_at) == (Role.WRITER, "ci", None)
    assert abs((created.expires_at or expires) - expires) < timedelta(milliseconds=1)
    found = await store.token_by_hash(hash_secret(secret))
    assert found is not None
    assert found.id == created.id
    assert await store.token_by_hash(hash_secret(new_secret())) is None
    assert [token.id for token in await store.list_tokens(ORG)] == [created.id]
    revoked = await store.revoke_token(ORG, created.id)
    assert revoked.revoked_at is not None
    assert not revoked.usable(utc_now())
    again = await store.revoke_token(ORG, created.id)
    assert again.revoked_at == revoked.revoked_at


async def test_token_rules(store: GraphStore) -> None:
    await topology(store)
    secret_hash = hash_secret(new_secret())
    with pytest.raises(NotFound):
        await store.create_token(TokenInput(org="ghost", role=Role.READER, secret_hash=secret_hash))
    await store.create_token(TokenInput(org=ORG, role=Role.READER, secret_hash=secret_hash))
    with pytest.raises(Conflict):
        await store.create_token(TokenInput(org=ORG, role=Role.ADMIN, secret_hash=secret_hash))
    with pytest.raises(NotFound):
        await store.revoke_token("other", "nope")
    assert len(await store.list_tokens(ORG)) == 1
