"""Who may do what. The rule, applied everywhere (root fields, `node(id)`, `search`, nested fields, errors):

* an org the caller may not read does not exist for them: NOT_FOUND, with the same message as a missing org —
  so a token never learns which private orgs exist;
* in an org the caller may read, an operation above their role is FORBIDDEN (naming the role it needs).

A token belongs to one org with one role: `reader` (queries), `writer` (reports and attestations, and reads),
`admin` (flows, environments, tokens, org settings, and everything else). A public org is readable by any valid
token of any org; writing to it still needs a writer token of that org. With the development switch
`allow_anonymous_public_reads`, a request without a token may read public orgs and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracegraph.errors import Forbidden, NotFound
from tracegraph.graph import not_found
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

_RANK = {Role.READER: 1, Role.WRITER: 2, Role.ADMIN: 3}
_ARTICLE = {Role.READER: "a", Role.WRITER: "a", Role.ADMIN: "an"}


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a token of `org` with `role`, or anonymous (org None) when the development switch allows."""

    org: str | None
    role: Role | None


ANONYMOUS = Principal(org=None, role=None)


def org_not_found(org: str) -> NotFound:
    return not_found.org(org)


def can_read(principal: Principal, org: str, *, public: bool) -> bool:
    return principal.org == org or public


def require(principal: Principal, org: str, role: Role, *, public: bool) -> None:
    """Raise NOT_FOUND when `org` is invisible to the caller, FORBIDDEN when their role is too low."""
    if not can_read(principal, org, public=public):
        raise org_not_found(org)
    if role is Role.READER:
        return
    if principal.org != org or principal.role is None or _RANK[principal.role] < _RANK[role]:
        raise Forbidden(f"this needs {_ARTICLE[role]} {role.value} token of org '{org}'")


class Access:
    """The caller's rights for one request. Reading another org costs one lookup (is it public?), cached for the
    request; the caller's own org costs nothing."""

    def __init__(self, store: GraphStore, principal: Principal) -> None:
        self.store = store
        self.principal = principal
        self._public: dict[str, bool] = {}

    async def is_public(self, org: str) -> bool:
        if org not in self._public:
            try:
                self._public[org] = (await self.store.get_org(org)).public
            except NotFound:
                self._public[org] = False
        return self._public[org]

    async def require(self, org: str, role: Role) -> None:
        public = self.principal.org != org and await self.is_public(org)
        require(self.principal, org, role, public=public)
