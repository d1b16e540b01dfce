# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

import strawberry

from tracegraph.graph import views
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.commit import Commit
from tracegraph.schema.types.placement import Placement


@strawberry.type(description="A fingerprint matching a search prefix: reported by builds, observed running, or both.")
class FingerprintMatch:
    org: strawberry.Private[str]
    match: strawberry.Private[views.DigestMatch]

    @strawberry.field(description="The SHA-256 fingerprint (64 lower-case hex characters).")
    def fingerprint(self) -> str:
        return self.match.fingerprint

    @strawberry.field(description="Artifacts reported with it, ordered by flow; empty for a rogue artifact.")
    def artifacts(self) -> list[Artifact]:
        return [Artifact.of(item) for item in self.match.artifacts]

    @strawberry.field(description="Where it runs or ran, ordered by start time, then environment.")
    def placements(self) -> list[Placement]:
        return [Placement.of(self.org, item) for item in self.match.placements]


@strawberry.type(description="Commits and fingerprints starting with a hexadecimal prefix.")
class SearchResult:
    result: strawberry.Private[views.SearchResult]
    org: strawberry.Private[str]

    @classmethod
    def of(cls, org: str, result: views.SearchResult) -> SearchResult:
        return cls(org=org, result=result)

    @strawberry.field(description="The prefix searched for, lower case.")
    def prefix(self) -> str:
        return self.result.prefix

    @strawberry.field(description="Known commits whose sha starts with the prefix, by sha; at most 20.")
    def commits(self) -> list[Commit]:
        return [Commit.of(item) for item in self.result.commits]

    @strawberry.field(description="Fingerprints starting with the prefix, by fingerprint; at most 20.")
    def fingerprints(self) -> list[FingerprintMatch]:
        return [FingerprintMatch(org=self.org, match=item) for item in self.result.fingerprints]
