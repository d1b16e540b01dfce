"""Per-request DataLoaders: nested fields over lists load through these, so a query costs a fixed number of
store calls whatever its list sizes. Each batch function makes one store call per distinct org (or key where the
store has no batch form), never one per list item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from functools import partial

from strawberry.dataloader import DataLoader

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph import not_found
from tracegraph.graph.findings import DEFAULT_START_WINDOW, FindingKind
from tracegraph.graph.model import Commit, Environment, Flow
from tracegraph.graph.policies import Policy
from tracegraph.graph.selectors import SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import ArtifactDetail, CommitPlacements, SnapshotDetail
from tracegraph.graph.windows import SnapshotParts
from tracegraph.resolvers.findings import EventKey, load_event_findings

SnapshotKey = tuple[str, str, SnapshotSelector, SnapshotParts]  # (org, environment, selector, parts)
NameKey = tuple[str, str]  # (org, name)
PlacementKey = tuple[str, str, bool]  # (org, full sha, include_past)
ArtifactKey = tuple[str, str, str]  # (org, flow, fingerprint)


class LimitExceeded(InvalidInput):
    """The query is too expensive as written; `field` names the GraphQL field that asked for too much."""

    code = "LIMIT_EXCEEDED"


class Loaders:
    def __init__(
        self, store: GraphStore, *, max_item_lookups: int, start_window: timedelta = DEFAULT_START_WINDOW
    ) -> None:
        self._store = store
        self._lookups_left = max_item_lookups
        self._max_item_lookups = max_item_lookups
        self.snapshot: DataLoader[SnapshotKey, SnapshotDetail] = DataLoader(self._load_snapshots)
        self.environment: DataLoader[NameKey, Environment] = DataLoader(self._load_environments)
        self.flow: DataLoader[NameKey, Flow] = DataLoader(self._load_flows)
        self.commit: DataLoader[NameKey, Commit] = DataLoader(self._load_commits)
        self.placements: DataLoader[PlacementKey, CommitPlacements] = DataLoader(self._load_placements)
        self.artifact: DataLoader[ArtifactKey, ArtifactDetail] = DataLoader(self._load_artifacts)
        self.commit_artifacts: DataLoader[NameKey, list[ArtifactDetail]] = DataLoader(self._load_commit_artifacts)
        self.event_findings: DataLoader[EventKey, tuple[FindingKind, ...]] = DataLoader(
            partial(load_event_findings, store, start_window)
        )
        self.environment_policies: DataLoader[NameKey, list[Policy]] = DataLoader(self._load_environment_policies)
        self.policy_attachments: DataLoader[str, dict[str, list[str]]] = DataLoader(self._load_policy_attachments)

    def remember_snapshot(self, detail: SnapshotDetail) -> None:
        """Prime the caches with what one snapshot answer already holds: the environment and the snapshot by
        index, so later fields over them cost no further call."""
        org, name = detail.environment.org, detail.environment.name
        self.environment.prime((org, name), detail.environment)
        by_index = SnapshotSelector(kind=SelectorKind.INDEX, value=detail.snapshot.index)
        self.snapshot.prime((org, name, by_index, detail.parts), detail)

    def spend(self, what: str) -> None:
        """Count one per-item store call made outside a loader (a connection nested in a list); raise past the cap."""
        if refused := self._spend(what):
            raise refused

    def _spend(self, what: str) -> LimitExceeded | None:
        """Per-item calls are bounded per request, so no query can cost a round trip per list item unchecked."""
        if self._lookups_left <= 0:
            return LimitExceeded(
                what,
                f"this query needs more than {self._max_item_lookups} separate lookups ({what} of many items); ask "
                "for it on fewer items, e.g. one `artifact(...)` at a time (limit set by TRACEGRAPH_MAX_ITEM_LOOKUPS)",
            )
        self._lookups_left -= 1
        return None

    async def _load_snapshots(self, keys: list[SnapshotKey]) -> Sequence[SnapshotDetail | BaseException]:
        # The store answers one snapshot per call; keys here are distinct snapshots named by a query (bounded by
        # its size, not by list sizes in the data).
        answers: list[SnapshotDetail | BaseException] = []
        for org, environment, selector, parts in keys:
            if refused := self._spend("snapshot"):
                answers.append(refused)
                continue
            try:
                detail = await self._store.snapshot(org, environment, selector, parts)
            except NotFound as error:
                answers.append(error)
                continue
            answers.append(detail)
        for answer in answers:
            if isinstance(answer, SnapshotDetail):
                self.environment.prime((answer.environment.org, answer.environment.name), answer.environment)
        return answers

    async def _load_environments(self, keys: list[NameKey]) -> Sequence[Environment | BaseException]:
        found: dict[NameKey, Environment] = {}
        for org, names in _group(keys).items():
            if len(names) == 1:
                with suppress(NotFound):
                    found[(org, names[0])] = await self._store.get_environment(org, names[0])
            else:
                found.update({(org, env.name): env for env in await self._store.list_environments(org)})
        return [found.get(key) or not_found.environment(key[0], key[1]) for key in keys]

    async def _load_flows(self, keys: list[NameKey]) -> Sequence[Flow | BaseException]:
        found: dict[NameKey, Flow] = {}
        for org, names in _group(keys).items():
            if len(names) == 1:
                with suppress(NotFound):
                    found[(org, names[0])] = await self._store.get_flow(org, names[0])
            else:
                found.update({(org, flow.name): flow for flow in await self._store.list_flows(org)})
        return [found.get(key) or not_found.flow(key[0], key[1]) for key in keys]

    async def _load_commits(self, keys: list[NameKey]) -> Sequence[Commit | BaseException]:
        found: dict[NameKey, Commit | BaseException] = {}
        for org, prefixes in _group(keys).items():
            try:
                answer = await self._store.commits(org, prefixes)
            except NotFound as error:
                found.update({(org, prefix): error for prefix in prefixes})
                continue
            found.update({(org, prefix): commit for prefix, commit in answer.items()})
        return [found[key] for key in keys]

    async def _load_placements(self, keys: list[PlacementKey]) -> Sequence[CommitPlacements]:
        # One store call per org answers `runningIn` and `ranIn` alike: read with the past when any key wants it,
        # the current placements are the same ones.
        groups: dict[str, list[str]] = defaultdict(list)
        past: set[str] = set()
        for org, sha, include_past in keys:
            groups[org].append(sha)
            if include_past:
                past.add(org)
        found: dict[tuple[str, str], CommitPlacements] = {}
        for org, shas in groups.items():
            answer = await self._store.commit_placements(org, sorted(set(shas)), include_past=org in past)
            found.update({(org, sha): placements for sha, placements in answer.items()})
        return [_current(found[(org, sha)], include_past) for org, sha, include_past in keys]

    async def _load_artifacts(self, keys: list[ArtifactKey]) -> Sequence[ArtifactDetail | BaseException]:
        answers: list[ArtifactDetail | BaseException] = []
        for org, flow, fingerprint in keys:
            if refused := self._spend("history"):  # also deployments, attestations, placements
                answers.append(refused)
                continue
            try:
                answers.append(await self._store.artifact(org, flow, fingerprint))
            except NotFound as error:
                answers.append(error)
        return answers

    async def _load_commit_artifacts(self, keys: list[NameKey]) -> Sequence[list[ArtifactDetail] | BaseException]:
        answers: list[list[ArtifactDetail] | BaseException] = []
        for org, sha in keys:
            refused = self._spend("artifacts")
            answers.append(refused or await self._store.artifacts_for_commit(org, sha))
        return answers

    async def _load_environment_policies(self, keys: list[NameKey]) -> Sequence[list[Policy] | BaseException]:
        # One environment: its policies; several of an org: the org's policies and attachments (two calls).
        found: dict[NameKey, list[Policy] | BaseException] = {}
        for org, names in _group(keys).items():
            if len(names) == 1:
                try:
                    found[(org, names[0])] = await self._store.environment_policies(org, names[0])
                except NotFound as error:
                    found[(org, names[0])] = error
                continue
            latest = {policy.name: policy for policy in await self._store.policies(org)}
            attached = await self.policy_attachments.load(org)
            for name in names:
                found[(org, name)] = [latest[policy] for policy in attached.get(name, []) if policy in latest]
        return [found[key] for key in keys]

    async def _load_policy_attachments(self, orgs: list[str]) -> Sequence[dict[str, list[str]]]:
        return [await self._store.policy_attachments(org) for org in orgs]


def _current(answer: CommitPlacements, include_past: bool) -> CommitPlacements:
    if include_past:
        return answer
    return answer.model_copy(update={"placements": tuple(p for p in answer.placements if p.current)})


def _group(keys: list[NameKey]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for org, name in keys:
        if name not in groups[org]:
            groups[org].append(name)
    return groups
