# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import model
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.flow import Flow


@strawberry.type(description="A deployment of an artifact to an environment, as a pipeline reported it.")
class Deployment:
    deployment: strawberry.Private[model.Deployment]

    @classmethod
    def of(cls, deployment: model.Deployment) -> Deployment:
        return cls(deployment=deployment)

    @strawberry.field(description="Its number in the flow: 1, 2, 3… without gaps.")
    def number(self) -> int:
        return self.deployment.number

    @strawberry.field(description="The flow that reported it.")
    def flow(self) -> Flow:
        return Flow.named(self.deployment.org, self.deployment.flow)

    @strawberry.field(description="The deployed artifact's SHA-256 fingerprint.")
    def fingerprint(self) -> str:
        return self.deployment.fingerprint

    @strawberry.field(description="The environment deployed to.")
    def environment(self) -> Environment:
        return Environment.named(self.deployment.org, self.deployment.environment)

    @strawberry.field(description="When it was reported (ISO 8601, UTC).")
    def reported_at(self) -> datetime:
        return self.deployment.reported_at

    @strawberry.field(description="Who deployed, when reported.")
    def user(self) -> str | None:
        return self.deployment.user

    @strawberry.field(description="Free text, at most 10,000 characters.")
    def description(self) -> str:
        return self.deployment.description
