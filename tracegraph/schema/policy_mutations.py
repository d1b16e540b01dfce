# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""The policy mutations' inputs and payloads (docs/policies.md); the fields themselves are on `Mutation`."""

from __future__ import annotations

import strawberry

from tracegraph.policies import MAX_POLICY_BYTES
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.policy import Policy


@strawberry.input(description="A policy's content: version 1, the same version when nothing changed, else N+1.")
class CreatePolicyInput:
    org: str = strawberry.field(description="The org, which must exist.")
    name: str = strawberry.field(description="The policy's name (1-100 characters from A-Z a-z 0-9 . _ -).")
    yaml: str = strawberry.field(
        description=f"The policy document (docs/policies.md), at most {MAX_POLICY_BYTES:,} bytes; an invalid one is "
        "BAD_USER_INPUT naming `input.yaml` with the line and the rule."
    )
    description: str | None = strawberry.field(default=None, description="Free text, at most 10,000 characters.")


@strawberry.input(description="Which policy, and which environment it governs.")
class AttachPolicyInput:
    org: str = strawberry.field(description="The org of both.")
    environment: str = strawberry.field(description="The environment's name.")
    policy: str = strawberry.field(description="The policy's name; its latest version applies.")


@strawberry.type(description="The policy as stored.")
class CreatePolicyPayload:
    policy: Policy = strawberry.field(description="Its latest version.")


@strawberry.type(description="The environment with the policies attached to it afterwards.")
class AttachPolicyPayload:
    environment: Environment = strawberry.field(description="The environment.")
    policies: list[Policy] = strawberry.field(description="Its policies now, ordered by name.")
