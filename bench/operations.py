"""The operations the harness times: for each, the GraphQL request(s), the raw store calls its resolvers make, and
the floor query (bench/floor.py), all reading the same state at each run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench import floor as floors
from bench import queries
from bench.answers import page_items
from bench.generate import ORG, Dataset
from tracegraph.graph.inputs import RunningArtifactInput, SnapshotInput
from tracegraph.graph.selectors import LATEST, LogQuery, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.windows import SnapshotParts, Window

PAGE = 100
OLDER_BY = 5_000  # the older snapshot: this many before the latest when the history is that long, else half way

Json = dict[str, Any]


@dataclass(frozen=True)
class Request:
    query: str
    variables: Json


@dataclass
class Operation:
    name: str
    request: Callable[[int], Request]  # by run number (the report varies its input)
    raw: Callable[[int], Awaitable[object]]
    floor: Callable[[int], Awaitable[Any]] | None = None  # the floor's rows for that run
    follow: Callable[[Request, Json], Request | None] | None = None  # the next page's request, from an answer
    writer: bool = False


class Bench:
    """One backend at one size: its store, the data set, the floor, the operations."""

    def __init__(self, backend: str, store: GraphStore, data: Dataset, floor: floors.Floor | None = None) -> None:
        self.backend = backend
        self.store = store
        self.data = data
        self.floor = floor
        self.large = data.environments[0]
        self.other_large = data.environments[1] if data.size.large_environments > 1 else data.environments[0]
        self.small = data.environments[data.size.large_environments]
        self.fleet = data.environments[data.fleet]
        self.loaded = 0  # snapshots per environment so far
        self.reports = 0  # extra snapshots reported to the large environment by the report operation

    def latest(self, env: str) -> int:
        if env == self.fleet:
            return min(self.loaded, self.data.size.fleet_snapshots)
        return self.loaded + (self.reports if env == self.large else 0)

    def older(self) -> int:
        return self.loaded - OLDER_BY if self.loaded > 2 * OLDER_BY else max(1, self.loaded // 2)

    def incident(self, name: str, env: str, index: Callable[[], int]) -> Operation:
        parts = SnapshotParts(
            running=Window(limit=PAGE + 1),
            events=Window(limit=PAGE + 1),
            provenance=True,
            deployments=False,
            compliance=False,
        )

        async def raw(run: int) -> object:
            return await self.store.snapshot(ORG, env, SnapshotSelector(kind=SelectorKind.INDEX, value=index()), parts)

        async def floor(run: int) -> Any:
            assert self.floor is not None
            return await self.floor.incident(ORG, env, index())

        return Operation(
            name,
            lambda run: Request(queries.INCIDENT, {"org": ORG, "env": env, "index": index()}),
            raw,
            floor if self.floor else None,
        )

    def running_all(self) -> Operation:
        """The large environment's whole running set, page after page of 100, as a client lists it."""
        env = self.large

        def follow(request: Request, data: Json) -> Request | None:
            running = data["environment"]["snapshot"]["running"]
            if not running["pageInfo"]["hasNextPage"]:
                return None
            return Request(request.query, {**request.variables, "after": running["pageInfo"]["endCursor"]})

        async def raw(run: int) -> object:
            selector = SnapshotSelector(kind=SelectorKind.INDEX, value=self.latest(env))
            key: tuple[str, str] | None = None
            while True:
                parts = SnapshotParts(
                    running=Window(limit=PAGE + 1, key=key), events=None, provenance=True, deployments=False,
                    compliance=False,
                )  # fmt: skip
                detail = await self.store.snapshot(ORG, env, selector, parts)
                if len(detail.running) <= PAGE:
                    return detail
                last = detail.running[PAGE - 1]
                key = (last.name, last.fingerprint)

        async def floor(run: int) -> Any:
            assert self.floor is not None
            pages: list[Any] = []
            after: tuple[str, str] | None = None
            while True:
                rows = await self.floor.running_page(ORG, env, self.latest(env), after)
                pages.append(rows)
                items = page_items(self.backend, rows)
                if len(items) < PAGE:
                    return pages
                after = items[-1]

        return Operation(
            "running_all",
            lambda run: Request(queries.RUNNING_PAGE, {"org": ORG, "env": env, "index": self.latest(env)}),
            raw,
            floor if self.floor else None,
            follow=follow,
        )

    def log_page(self) -> Operation:
        async def raw(run: int) -> object:
            await self.store.get_environment(ORG, self.large)
            query = LogQuery(org=ORG, environment=self.large, limit=15, provenance=True, deployments=False)
            return await self.store.environment_log(query)

        async def floor(run: int) -> Any:
            assert self.floor is not None
            return await self.floor.log_page(ORG, self.large)

        return Operation(
            "log_page",
            lambda run: Request(queries.LOG_PAGE, {"org": ORG, "env": self.large}),
            raw,
            floor if self.floor else None,
        )

    def where(self) -> Operation:
        sha, _ = self.data.never_built_commit(0, self.loaded)

        async def raw(run: int) -> object:
            commit = (await self.store.commits(ORG, [sha]))[sha]
            assert not isinstance(commit, Exception)
            return await self.store.commit_placements(ORG, [commit.sha])

        async def floor(run: int) -> Any:
            assert self.floor is not None
            return await self.floor.where(ORG, sha)

        return Operation(
            "where_commit",
            lambda run: Request(queries.WHERE, {"org": ORG, "sha": sha}),
            raw,
            floor if self.floor else None,
        )

    def search(self) -> Operation:
        prefix = self.data.never_built_commit(0, self.loaded)[0][:7]

        async def raw(run: int) -> object:
            return await self.store.search(ORG, prefix)

        async def floor(run: int) -> Any:
            assert self.floor is not None
            return await self.floor.search(ORG, prefix)

        return Operation(
            "prefix_search",
            lambda run: Request(queries.SEARCH, {"org": ORG, "prefix": prefix}),
            raw,
            floor if self.floor else None,
        )

    def diff(self) -> Operation:
        async def raw(run: int) -> object:
            # The diff document selects no artifacts: the resolver asks for no provenance.
            return await self.store.diff(ORG, (self.large, LATEST), (self.other_large, LATEST), provenance=False)

        async def floor(run: int) -> Any:
            assert self.floor is not None
            return await self.floor.diff(ORG, self.large, self.other_large)

        variables = {"org": ORG, "from": self.large, "to": self.other_large}
        return Operation("diff_800", lambda run: Request(queries.DIFF, variables), raw, floor if self.floor else None)

    def report(self) -> Operation:
        """The large environment's running set with one artifact scaled: every report changes exactly one thing.
        No floor: a write of the interval model is several statements on SQLite (no writing CTEs)."""
        running = self.data.running(0, self.loaded)
        first = running[0]

        def artifacts(run: int) -> list[RunningArtifactInput]:
            scaled = RunningArtifactInput(fingerprint=first.fingerprint, name=first.name, instances=2 + run)
            return [scaled, *running[1:]]

        def request(run: int) -> Request:
            self.reports += 1
            # The GraphQL input as a reporter sends it: fingerprint, name, instances (no per-instance details).
            items = [item.model_dump(include={"fingerprint", "name", "instances"}) for item in artifacts(run)]
            return Request(
                queries.REPORT_SNAPSHOT, {"input": {"org": ORG, "environment": self.large, "artifacts": items}}
            )

        async def raw(run: int) -> object:
            self.reports += 1
            answer = await self.store.report_snapshot(
                SnapshotInput(org=ORG, environment=self.large, artifacts=artifacts(run))
            )
            assert answer.changed
            return answer

        return Operation("report_800", request, raw, writer=True)

    def table(self) -> list[Operation]:
        return [
            self.incident("incident_50", self.small, lambda: self.latest(self.small)),
            self.incident("incident_800", self.large, lambda: self.latest(self.large)),
            self.incident("incident_800_older", self.large, self.older),
            self.running_all(),
            self.incident("incident_10000", self.fleet, lambda: self.latest(self.fleet)),
            self.log_page(),
            self.where(),
            self.search(),
            self.diff(),
            self.report(),
        ]

    def sweep(self) -> list[Operation]:
        return [
            self.incident("incident_50", self.small, lambda: self.latest(self.small)),
            self.incident("incident_800", self.large, lambda: self.latest(self.large)),
            self.log_page(),
        ]
