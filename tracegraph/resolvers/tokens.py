"""API tokens over GraphQL (admin only): issue one (its secret is answered once), list them, revoke one."""

from __future__ import annotations

from datetime import datetime

from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import TokenInput, parse
from tracegraph.graph.model import Role, Token
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.writes import graphql_path


async def create(ctx: Context, org: str, role: Role, name: str, expires_at: datetime | None) -> tuple[Token, str]:
    secret = new_secret()
    data = {"org": org, "role": role, "name": name, "expires_at": expires_at, "secret_hash": hash_secret(secret)}
    try:
        token = await ctx.store.create_token(parse(TokenInput, data))
    except InvalidInput as error:
        raise InvalidInput(graphql_path(error.field), error.rule) from None
    return token, secret


async def listed(ctx: Context, org: str) -> list[Token]:
    return await ctx.store.list_tokens(org)


async def revoke(ctx: Context, org: str, token_id: str) -> Token:
    return await ctx.store.revoke_token(org, token_id)
