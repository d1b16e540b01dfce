"""API tokens in the Neo4j store: created, found by secret hash, listed and revoked. The secret hash is kept on the
node (unique) and never returned."""

from __future__ import annotations

from datetime import datetime

from tracegraph.graph import not_found
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Token
from tracegraph.graph.neo4j import cypher, records
from tracegraph.graph.neo4j.transaction import Tx, existing, fetch


async def create_token(tx: Tx, token: TokenInput, now: datetime, token_id: str) -> Token:
    rows = await fetch(
        tx,
        cypher.CREATE_TOKEN,
        org=token.org,
        id=token_id,
        name=token.name,
        role=token.role.value,
        secret_hash=token.secret_hash,
        now=now,
        expires_at=token.expires_at,
    )
    if not rows:
        raise not_found.org(token.org)
    return records.token(rows[0]["token"])


async def token_by_hash(tx: Tx, secret_hash: str) -> Token | None:
    rows = await fetch(tx, cypher.TOKEN_BY_HASH, secret_hash=secret_hash)
    return records.token(rows[0]["token"]) if rows else None


async def list_tokens(tx: Tx, org: str) -> list[Token]:
    (await existing(tx, org)).require_org()
    return [records.token(row["token"]) for row in await fetch(tx, cypher.LIST_TOKENS, org=org)]


async def revoke_token(tx: Tx, org: str, token_id: str, now: datetime) -> Token:
    rows = await fetch(tx, cypher.REVOKE_TOKEN, org=org, id=token_id, now=now)
    if not rows:
        raise not_found.token(org, token_id)
    return records.token(rows[0]["token"])
