# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from tracegraph.graph import model, views
from tracegraph.resolvers import trails as trail_resolvers
from tracegraph.schema.connection import Connection, connection
from tracegraph.schema.info import Info
from tracegraph.schema.types.attestation import Attestation

if TYPE_CHECKING:
    from tracegraph.schema.types.artifact import Artifact
    from tracegraph.schema.types.commit import Commit

ArtifactRef = Annotated["Artifact", strawberry.lazy("tracegraph.schema.types.artifact")]
CommitRef = Annotated["Commit", strawberry.lazy("tracegraph.schema.types.commit")]


@strawberry.type(
    description="A trail: one run of a flow (`kosli begin trail`), usually named after its commit, grouping the "
    "artifacts reported with its name."
)
class Trail:
    trail: strawberry.Private[model.Trail]
    detail: strawberry.Private[views.TrailDetail | None] = None
    name: str = strawberry.field(description="The trail's name, unique in its flow.")
    description: str = strawberry.field(description="Free text, at most 10,000 characters.")
    created_at: datetime = strawberry.field(description="When the trail was first begun (ISO 8601, UTC).")
    origin_url: str | None = strawberry.field(description="A link to where the run happened (e.g. a CI job).")
    template_yaml: str | None = strawberry.field(
        description="The trail's template (YAML) as reported; kept, never evaluated."
    )

    @classmethod
    def of(cls, trail: model.Trail, detail: views.TrailDetail | None = None) -> Trail:
        return cls(
            trail=trail,
            detail=detail,
            name=trail.name,
            description=trail.description,
            created_at=trail.created_at,
            origin_url=trail.origin_url,
            template_yaml=trail.template_yaml,
        )

    @classmethod
    def of_detail(cls, detail: views.TrailDetail) -> Trail:
        return cls.of(detail.trail, detail)

    @classmethod
    def of_listed(cls, listed: model.Trail | views.TrailDetail) -> Trail:
        return cls.of_detail(listed) if isinstance(listed, views.TrailDetail) else cls.of(listed)

    @strawberry.field(description="The JSON object the run reported about itself ({} when none).")
    def user_data(self) -> JSON:
        return JSON(self.trail.user_data)

    @strawberry.field(
        description="The commit the trail was begun for: with only its sha when its details were never reported; "
        "null when the trail names none."
    )
    async def git_commit(self, info: Info) -> CommitRef | None:
        from tracegraph.schema.types.commit import Commit

        if self.detail is not None:
            found = self.detail.commit
        else:
            found = await trail_resolvers.commit_of(info.context, self.trail)
        return None if found is None else Commit.of(found)

    @strawberry.field(
        description="The artifacts reported in this trail, oldest first, then by fingerprint, each with its "
        "`templateReferenceName`. `first` (default 15, at most 100) and `after`. Fetched with the trail "
        "(under `Flow.trails`, with the whole page of trails in one store call)."
    )
    async def artifacts(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TrailArtifact]:
        if self.detail is None:
            self.detail = await trail_resolvers.detail_of(info.context, self.trail)
        page = trail_resolvers.artifacts_page(self.detail, first=first, after=after)
        return connection(page, TrailArtifact.of)

    @strawberry.field(
        description="Evidence reported for the trail's artifacts, oldest first, then by id. Fetched with the trail, "
        "as `artifacts` is."
    )
    async def attestations(self, info: Info) -> list[Attestation]:
        if self.detail is None:
            self.detail = await trail_resolvers.detail_of(info.context, self.trail)
        return [Attestation.of(item) for item in self.detail.attestations]

    @strawberry.field(
        description="Evidence reported for the trail itself (no artifact, no template slot), oldest first, then by "
        "id. Not in `attestations`, which holds the artifacts' evidence."
    )
    async def trail_attestations(self, info: Info) -> list[Attestation]:
        if self.detail is None:
            self.detail = await trail_resolvers.detail_of(info.context, self.trail)
        return [Attestation.of(item) for item in self.detail.trail_attestations]

    @strawberry.field(
        description="Evidence reported for a template slot (`targetArtifact`) that has no artifact in the trail yet, "
        "oldest first, then by id. Each moves to that artifact's evidence (and to `attestations`) when an artifact "
        "is reported into the slot, built from the evidence's commit when it named one."
    )
    async def pending_attestations(self, info: Info) -> list[Attestation]:
        if self.detail is None:
            self.detail = await trail_resolvers.detail_of(info.context, self.trail)
        return [Attestation.of(item) for item in self.detail.pending_attestations]


@strawberry.type(description="An artifact of a trail, with its slot in the flow's template.")
class TrailArtifact:
    item: strawberry.Private[views.TrailArtifact]
    template_reference_name: str | None = strawberry.field(
        description="The name of the artifact in the trail's template (e.g. `backend`), when reported."
    )

    @classmethod
    def of(cls, item: views.TrailArtifact) -> TrailArtifact:
        return cls(item=item, template_reference_name=item.template_reference_name)

    @strawberry.field(description="The artifact, with its commit.")
    def artifact(self) -> ArtifactRef:
        from tracegraph.schema.types.artifact import Artifact

        return Artifact.of(self.item.provenance)
