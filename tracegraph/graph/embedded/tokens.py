"""API tokens in the embedded store: created, found by secret hash, listed and revoked."""

from __future__ import annotations

import sqlite3
import uuid

from tracegraph.errors import Conflict
from tracegraph.graph import not_found
from tracegraph.graph.embedded import reads, rows
from tracegraph.graph.embedded.database import to_micros
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Token
from tracegraph.graph.rules import utc_now

INSERT_TOKEN = """
    INSERT INTO tokens (org, id, name, role, secret_hash, created_at, expires_at)
    VALUES (:org, :id, :name, :role, :secret_hash, :created_at, :expires_at)
"""
SELECT_TOKEN = "SELECT * FROM tokens WHERE org = ? AND id = ?"
SELECT_TOKEN_BY_HASH = "SELECT * FROM tokens WHERE secret_hash = ?"
SELECT_TOKENS = "SELECT * FROM tokens WHERE org = ? ORDER BY created_at, id"
REVOKE_TOKEN = "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE org = ? AND id = ?"


def create_token(connection: sqlite3.Connection, token: TokenInput) -> Token:
    reads.require_org(connection, token.org)
    values = {
        "org": token.org,
        "id": uuid.uuid4().hex,
        "name": token.name,
        "role": token.role.value,
        "secret_hash": token.secret_hash,
        "created_at": to_micros(utc_now()),
        "expires_at": to_micros(token.expires_at) if token.expires_at else None,
    }
    try:
        connection.execute(INSERT_TOKEN, values)
    except sqlite3.IntegrityError:
        raise Conflict("a token with this secret exists already") from None
    return rows.token(connection.execute(SELECT_TOKEN, (token.org, values["id"])).fetchone())


def token_by_hash(connection: sqlite3.Connection, secret_hash: str) -> Token | None:
    row = connection.execute(SELECT_TOKEN_BY_HASH, (secret_hash,)).fetchone()
    return None if row is None else rows.token(row)


def list_tokens(connection: sqlite3.Connection, org: str) -> list[Token]:
    reads.require_org(connection, org)
    return [rows.token(row) for row in connection.execute(SELECT_TOKENS, (org,))]


def revoke_token(connection: sqlite3.Connection, org: str, token_id: str) -> Token:
    connection.execute(REVOKE_TOKEN, (to_micros(utc_now()), org, token_id))
    row = connection.execute(SELECT_TOKEN, (org, token_id)).fetchone()
    if row is None:
        raise not_found.token(org, token_id)
    return rows.token(row)
