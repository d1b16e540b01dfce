"""Root-field permissions: the org a field names must be visible to the caller, and their role high enough.

The rule itself (NOT_FOUND for an org the caller may not read, FORBIDDEN for a role too low) lives in
`tracegraph.auth.access`; this module only finds the org in a field's arguments.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from tracegraph.graph.model import Role
from tracegraph.schema.info import Info


def org_argument(arguments: dict[str, Any]) -> str:
    """`org`, or the input object's `org` — every root field names its org one of these two ways."""
    if isinstance(arguments.get("org"), str):
        return str(arguments["org"])
    return str(arguments["input"].org)


class _Requires(BasePermission):
    role: ClassVar[Role]

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        await info.context.access.require(org_argument(kwargs), self.role)
        return True


class Reads(_Requires):
    role = Role.READER


class Writes(_Requires):
    role = Role.WRITER


class Administers(_Requires):
    role = Role.ADMIN
