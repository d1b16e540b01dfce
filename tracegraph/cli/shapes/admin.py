"""`admin …`, which works on the store: shapes from its models (flows and environments as `get flow` and `get
environment` show them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracegraph.cli.shapes.common import JSON

if TYPE_CHECKING:
    from datetime import datetime

    from tracegraph.graph.model import Environment, Flow, Org, Token


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def org(found: Org) -> JSON:
    return {"name": found.name, "public": found.public, "description": found.description}


def flow(found: Flow) -> JSON:
    return {
        "name": found.name,
        "description": found.description,
        "repo_url": found.repo_url,
        "created_at": _time(found.created_at),
    }


def environment(found: Environment) -> JSON:
    return {
        "name": found.name,
        "type": found.type,
        "description": found.description,
        "created_at": _time(found.created_at),
        "last_reported_at": _time(found.last_reported_at),
        "last_modified_at": _time(found.last_changed_at),
        "latest_snapshot_index": found.latest_index,
    }


def token(found: Token, *, secret: str | None = None) -> JSON:
    """A token without its secret (`list-tokens`, `revoke-token`); `create-token` adds `api_token`, the secret,
    shown this once."""
    shaped: JSON = {
        "id": found.id,
        "org": found.org,
        "name": found.name,
        "role": found.role.value,
        "created_at": _time(found.created_at),
        "expires_at": _time(found.expires_at),
        "revoked_at": _time(found.revoked_at),
    }
    if secret is not None:
        shaped["api_token"] = secret
    return shaped
