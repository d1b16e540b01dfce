"""Who calls and what they may do, for one `/api/v2` request: the same bearer tokens, token cache and access rule
as `/graphql` (tracegraph.auth). Every handler names its org and the role it needs before touching the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from tracegraph.auth.access import Access
from tracegraph.auth.middleware import UNAUTHENTICATED, TokenAuth
from tracegraph.evidence import EvidenceStore
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.kosli.errors import Unauthenticated


async def _nothing(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover - never called
    raise RuntimeError("the token check is used for its authenticate() only")


@dataclass(frozen=True, slots=True)
class Services:
    """What every handler shares: the app's store, its token check and where attachments are kept."""

    store: Callable[[], GraphStore]
    tokens: TokenAuth
    evidence: EvidenceStore

    @classmethod
    def build(
        cls,
        store: Callable[[], GraphStore],
        evidence: EvidenceStore,
        *,
        anonymous_public_reads: bool,
        cache_seconds: float,
    ) -> Services:
        tokens = TokenAuth(
            _nothing, store=store, anonymous_public_reads=anonymous_public_reads, cache_seconds=cache_seconds
        )
        return cls(store=store, tokens=tokens, evidence=evidence)


def services(request: Request) -> Services:
    found: Services = request.app.state.kosli
    return found


async def caller(request: Request, org: str, role: Role) -> GraphStore:
    """The store, once the request's token may act as `role` in `org` (NOT_FOUND for an org it cannot see)."""
    shared = services(request)
    principal = await shared.tokens.authenticate(request.headers.get("authorization"))
    if principal is None:
        raise Unauthenticated(UNAUTHENTICATED)
    store = shared.store()
    await Access(store, principal).require(org, role)
    return store
