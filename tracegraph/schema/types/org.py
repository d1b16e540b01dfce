# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from tracegraph.graph import model
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.resolvers import attestation_types as attestation_type_resolvers
from tracegraph.resolvers import policies as policy_resolvers
from tracegraph.resolvers import webhooks as webhook_resolvers
from tracegraph.schema.connection import Connection, connection
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node
from tracegraph.schema.types.policy import Policy
from tracegraph.schema.types.webhook import Webhook

if TYPE_CHECKING:
    from tracegraph.schema.types.artifact import Artifact
    from tracegraph.schema.types.attestation_type import AttestationType


@strawberry.type(description="An organisation: owns every flow, environment, artifact and commit reported to it.")
class Org(Node):
    name: str = strawberry.field(description="The org's name (1-100 characters from A-Z a-z 0-9 . _ -).")
    public: bool = strawberry.field(description="Whether any authenticated caller may read it.")
    description: str = strawberry.field(description="Free text, at most 10,000 characters.")
    created_at: datetime = strawberry.field(description="When the org was first created (ISO 8601, UTC).")

    def node_key(self) -> str:
        return self.name

    @classmethod
    def of(cls, org: model.Org) -> Org:
        return cls(name=org.name, public=org.public, description=org.description, created_at=org.created_at)

    @strawberry.field(
        description="Artifacts of every flow built from a reported commit of the repository `url`, newest first "
        "(then by flow and fingerprint, descending); empty for an unknown repository. Paging: `first` (default 15, "
        "at most 100) and `after`; `totalCount` is null here."
    )
    async def repository_artifacts(
        self, info: Info, url: str, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Artifact, strawberry.lazy("tracegraph.schema.types.artifact")]]:
        from tracegraph.schema.types.artifact import Artifact

        page = await artifact_resolvers.of_repository(info.context, self.name, url, first=first, after=after)
        return connection(page, Artifact.of_model)

    @strawberry.field(description="The org's custom attestation types, each at its latest version, by name.")
    async def attestation_types(
        self, info: Info
    ) -> list[Annotated[AttestationType, strawberry.lazy("tracegraph.schema.types.attestation_type")]]:
        from tracegraph.schema.types.attestation_type import AttestationType

        return [AttestationType.of(found) for found in await attestation_type_resolvers.of_org(info.context, self.name)]

    @strawberry.field(
        description="A custom attestation type by name: its latest version, or `version`; NOT_FOUND naming it when "
        "the org has no such type (or version)."
    )
    async def attestation_type(
        self, info: Info, name: str, version: int | None = None
    ) -> Annotated[AttestationType, strawberry.lazy("tracegraph.schema.types.attestation_type")]:
        from tracegraph.schema.types.attestation_type import AttestationType

        return AttestationType.of(await attestation_type_resolvers.one(info.context, self.name, name, version))

    @strawberry.field(description="The org's environment policies (the latest version of each), ordered by name.")
    async def policies(self, info: Info) -> list[Policy]:
        return [Policy.of(found) for found in await policy_resolvers.of_org(info.context, self.name)]

    @strawberry.field(description="The org's webhooks, oldest first, without secrets (admin only).")
    async def webhooks(self, info: Info) -> list[Webhook]:
        return [Webhook.of(found) for found in await webhook_resolvers.of_org(info.context, self.name)]
