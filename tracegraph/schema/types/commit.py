# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from tracegraph.graph import model
from tracegraph.resolvers import artifacts as artifact_resolvers
from tracegraph.resolvers import commits as commit_resolvers
from tracegraph.schema.info import Info
from tracegraph.schema.node import Node

if TYPE_CHECKING:
    from tracegraph.schema.types.artifact import Artifact
    from tracegraph.schema.types.commit_placement import CommitPlacement

ArtifactRef = Annotated["Artifact", strawberry.lazy("tracegraph.schema.types.artifact")]
CommitPlacementRef = Annotated["CommitPlacement", strawberry.lazy("tracegraph.schema.types.commit_placement")]


# Plain fields where the value is at hand (see running.py): commits are listed under every running item.
@strawberry.type(description="A git commit. Commits known only as an artifact's sha have no message or author.")
class Commit(Node):
    commit: strawberry.Private[model.Commit]
    sha: str = strawberry.field(description="The full sha: 40 lower-case hexadecimal characters.")
    short_sha: str = strawberry.field(description="The first 7 characters of the sha.")
    message: str = strawberry.field(
        description="The commit message; empty when the commit's details were never reported."
    )
    author: str | None = strawberry.field(description="The author's name, when reported.")
    author_email: str | None = strawberry.field(description="The author's e-mail address, when reported.")
    timestamp: datetime | None = strawberry.field(description="When it was authored (ISO 8601, UTC), when reported.")
    branch: str | None = strawberry.field(description="The branch it was reported on, when reported.")
    url: str | None = strawberry.field(description="A link to the commit, when reported.")
    repo_url: str | None = strawberry.field(description="Its repository's URL, when reported.")
    parents: list[str] = strawberry.field(
        description="Shas of its parents, in git's order (empty for a root or an unreported commit)."
    )

    def node_key(self) -> str:
        return f"{self.commit.org}/{self.commit.sha}"

    @classmethod
    def of(cls, commit: model.Commit) -> Commit:
        return cls(
            commit=commit,
            sha=commit.sha,
            short_sha=commit.sha[:7],
            message=commit.message,
            author=commit.author,
            author_email=commit.author_email,
            timestamp=commit.timestamp,
            branch=commit.branch,
            url=commit.url,
            repo_url=commit.repo_url,
            parents=list(commit.parents),
        )

    @classmethod
    def bare(cls, org: str, sha: str, *, url: str | None = None) -> Commit:
        return cls.of(model.Commit.bare(org, sha, url=url))

    @strawberry.field(
        description="Where this change runs now: every environment whose latest snapshot runs an artifact built from "
        "this commit or from a descendant of it (found through git history, at any depth), with that snapshot and "
        "artifact — the artifact's own commit shows which. Ordered by distance (0 = built from this commit), then "
        "environment, flow, fingerprint. Exact when `placementsComplete` is true. Batched: any number of commits "
        "in a query cost one store call."
    )
    async def running_in(self, info: Info) -> list[CommitPlacementRef]:
        from tracegraph.schema.types.commit_placement import CommitPlacement

        placements = await commit_resolvers.running_in(info.context, self.commit.org, self.commit.sha)
        return [CommitPlacement.of(item) for item in placements]

    @strawberry.field(
        description="Where this change ran in the past and no longer runs: artifacts built from this commit or a "
        "descendant that ran in an environment, with the last snapshot they ran in. Ordered like `runningIn`."
    )
    async def ran_in(self, info: Info) -> list[CommitPlacementRef]:
        from tracegraph.schema.types.commit_placement import CommitPlacement

        placements = await commit_resolvers.ran_in(info.context, self.commit.org, self.commit.sha)
        return [CommitPlacement.of(item) for item in placements]

    @strawberry.field(
        description="Whether `runningIn` and `ranIn` are exact. False when an artifact that runs or ran in this org "
        "was built from a commit whose history was never fully reported (a shallow clone, a partial import, a "
        "commit named only by a build): it may descend from this commit through commits tracegraph has not seen, "
        "so it is neither listed nor ruled out. `undecidedCommits` names those commits; report their history "
        "(`tracegraph report commits`) to decide."
    )
    async def placements_complete(self, info: Info) -> bool:
        return not await commit_resolvers.undecided(info.context, self.commit.org, self.commit.sha)

    @strawberry.field(
        description="The commits of artifacts that run or ran whose descent from this commit cannot be decided "
        "because their history has a gap, sorted; empty when `runningIn` and `ranIn` are exact."
    )
    async def undecided_commits(self, info: Info) -> list[str]:
        return await commit_resolvers.undecided(info.context, self.commit.org, self.commit.sha)

    @strawberry.field(
        description="Artifacts built from exactly this commit, newest first. Costs one store call per distinct "
        "commit, at most TRACEGRAPH_MAX_ITEM_LOOKUPS (default 50) per request."
    )
    async def artifacts(self, info: Info) -> list[ArtifactRef]:
        from tracegraph.schema.types.artifact import Artifact

        found = await artifact_resolvers.built_from(info.context, self.commit.org, self.commit.sha)
        return [Artifact.of_detail(item) for item in found]
