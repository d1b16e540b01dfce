from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import model
from tracegraph.schema.enums import Role


@strawberry.type(description="An API token of an org, without its secret (which is shown once, at creation).")
class Token:
    id: strawberry.ID = strawberry.field(description="The token's id, for revoking it.")
    name: str = strawberry.field(description="What the token is for.")
    role: Role = strawberry.field(description="What it may do in its org.")
    created_at: datetime = strawberry.field(description="When it was issued (ISO 8601, UTC).")
    expires_at: datetime | None = strawberry.field(description="When it stops working; null: never.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked; null: it was not.")

    @classmethod
    def of(cls, token: model.Token) -> Token:
        return cls(
            id=strawberry.ID(token.id),
            name=token.name,
            role=token.role,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
        )
