# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from tracegraph.graph import model, views
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.schema.enums import ArtifactState
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node
from tracegraph.schema.types.attestation import Attestation
from tracegraph.schema.types.deployment import Deployment
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.history import HistoryEntry
from tracegraph.schema.types.placement import Placement

if TYPE_CHECKING:
    from tracegraph.schema.types.commit import Commit

CommitRef = Annotated["Commit", strawberry.lazy("tracegraph.schema.types.commit")]

DETAIL_COST = (
    " Costs one store call per distinct artifact, at most TRACEGRAPH_MAX_ITEM_LOOKUPS (default 50) per request: ask "
    "it of one artifact (`artifact(...)`, `node(id:)`) rather than of every item of a long list."
)


# Plain fields where the value is at hand (see running.py): artifacts are listed under every running item.
@strawberry.type(description="A build: an artifact of a flow, identified by its SHA-256 fingerprint.")
class Artifact(Node):
    artifact: strawberry.Private[model.Artifact]
    known_commit: strawberry.Private[model.Commit | None] = None
    detail: strawberry.Private[views.ArtifactDetail | None] = None
    name: str = strawberry.field(description="The name the build reported (e.g. 'cyberdojo/creator:b7a5908').")
    fingerprint: str = strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    created_at: datetime = strawberry.field(
        description="When the build was reported (or the time it gave), ISO 8601, UTC."
    )
    build_url: str | None = strawberry.field(description="Link to the CI build, when reported.")
    commit_url: str | None = strawberry.field(description="Link to the commit, when reported.")
    git_commit: str | None = strawberry.field(
        description="The sha (40 lower-case hex) it was built from, even when that commit was never reported."
    )
    state: ArtifactState = strawberry.field(description="Compliance from its attestations.")
    trail: str | None = strawberry.field(
        description="The name of the trail (of its flow) it was last reported in; null when none."
    )

    def node_key(self) -> str:
        return f"{self.artifact.org}/{self.artifact.flow}/{self.artifact.fingerprint}"

    @classmethod
    def of(cls, provenance: views.Provenance) -> Artifact:
        return cls.of_model(provenance.artifact, provenance.commit)

    @classmethod
    def of_model(
        cls,
        artifact: model.Artifact,
        commit: model.Commit | None = None,
        detail: views.ArtifactDetail | None = None,
    ) -> Artifact:
        return cls(
            artifact=artifact,
            known_commit=commit,
            detail=detail,
            name=artifact.name,
            fingerprint=artifact.fingerprint,
            created_at=artifact.created_at,
            build_url=artifact.build_url,
            commit_url=artifact.commit_url,
            git_commit=artifact.git_commit,
            state=ArtifactState(artifact.state),
            trail=artifact.trail,
        )

    @classmethod
    def of_detail(cls, detail: views.ArtifactDetail) -> Artifact:
        return cls.of_model(detail.provenance.artifact, detail.provenance.commit, detail)

    async def _detail(self, info: Info) -> views.ArtifactDetail:
        if self.detail is None:
            found = self.artifact
            self.detail = await artifact_resolvers.detail(info.context, found.org, found.flow, found.fingerprint)
        return self.detail

    @strawberry.field(description="The flow that reported the build.")
    def flow(self) -> Flow:
        return Flow.named(self.artifact.org, self.artifact.flow)

    @strawberry.field(
        description="The commit it was built from. When that commit's details were never reported, a commit with "
        "only its sha (and the artifact's commit URL); null when the build named no commit."
    )
    def commit(self) -> CommitRef | None:
        from tracegraph.schema.types.commit import Commit

        if self.known_commit is not None:
            return Commit.of(self.known_commit)
        if self.artifact.git_commit is None:
            return None
        return Commit.bare(self.artifact.org, self.artifact.git_commit, url=self.artifact.commit_url)

    @strawberry.field(description="Its deployments, ordered by flow, then number." + DETAIL_COST)
    async def deployments(self, info: Info) -> list[Deployment]:
        return [Deployment.of(item) for item in (await self._detail(info)).deployments]

    @strawberry.field(description="Evidence reported for it, oldest first." + DETAIL_COST)
    async def attestations(self, info: Info) -> list[Attestation]:
        return [Attestation.of(item) for item in (await self._detail(info)).attestations]

    @strawberry.field(
        description="Where it runs or ran: one entry per stretch of contiguous snapshots in an environment (a scale "
        "does not break it), ordered by start time, then environment." + DETAIL_COST
    )
    async def placements(self, info: Info) -> list[Placement]:
        return [Placement.of(self.artifact.org, item) for item in (await self._detail(info)).placements]

    @strawberry.field(
        description="Created, deployed, attested, started and stopped running — ordered by time, then kind, then "
        "environment." + DETAIL_COST
    )
    async def history(self, info: Info) -> list[HistoryEntry]:
        return [HistoryEntry.of(item) for item in (await self._detail(info)).history]
