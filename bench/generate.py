"""A deterministic data set of DESIGN.md's shape ("Scale and speed"), and its loading through the store's bulk paths.

Nothing is random: every sha, fingerprint, time and running set is a function of the size and the item's position,
so two runs of a size load the same graph and the harness can name its targets (a never-built commit, a prefix)
without asking the store.

The model. `large_environments` environments run `large_running` service slots, the others `small_running` each.
A slot runs one version of its service at a time; every `period` snapshots it moves to the next version (a new
artifact), and slots are staggered so that each report changes exactly two slots in a large environment and one
in a small one. Large environments share their services (one is "staging", one "prod", half a period apart), so the
same artifacts run in both. Each service belongs to one of `flows` flows, each flow one repository whose history is
a linear run with a merge every tenth commit. Artifacts are built from every `stride`-th commit of their flow, so the
commits in between were never built: the where-is-commit query asks for one of those. Artifacts that never run
(`artifacts` above what the snapshots need) are old builds at the start of their flow's history.

One more environment, the fleet, runs `fleet_running` artifacts of its own (10,000 at the medium and reference
sizes) for `fleet_snapshots` snapshots only: it is there to read one page of a very large running set, and reporting
10,000 items thousands of times would only lengthen the load. It comes last, so the other environments keep their
positions.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tracegraph.graph.inputs import (
    ArtifactInput,
    AttestationInput,
    CommitInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    OrgInput,
    RunningArtifactInput,
    SnapshotInput,
)
from tracegraph.graph.store import GraphStore

ORG = "bench"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
COMMIT_BATCH = 5_000
ARTIFACT_BATCH = 1_000
DEPLOYMENT_BATCH = 500
ATTESTATION_BATCH = 500
MERGE_EVERY = 10
MERGE_REACH = 5
DEPLOY_EVERY = 5  # a deployment is reported for the artifacts starting in every fifth snapshot
ATTEST_EVERY = 10  # every tenth artifact carries a test attestation
FLEET = "fleet"


@dataclass(frozen=True)
class Size:
    name: str
    environments: int
    snapshots: int  # per environment
    large_environments: int
    large_running: int
    small_running: int
    flows: int
    commits: int
    artifacts: int  # at least; more when the snapshots need more
    checkpoints: tuple[int, ...]  # snapshots per environment at which the growth sweep measures
    repeats: int  # timed runs per operation
    fleet_running: int  # artifacts running in the fleet environment
    fleet_snapshots: int  # snapshots of the fleet environment
    load_seconds: float  # how long each closed-loop load (one concurrency level) runs


SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        Size("smoke", 3, 20, 1, 40, 10, 3, 1_200, 300, (5, 20), 5, 150, 3, 0.5),
        Size("small", 10, 100, 2, 800, 50, 20, 30_000, 10_000, (10, 100), 30, 2_000, 5, 5),
        Size("medium", 10, 1_000, 2, 800, 50, 20, 300_000, 100_000, (100, 1_000), 40, 10_000, 10, 6),
        Size("reference", 10, 10_000, 2, 800, 50, 20, 300_000, 100_000, (100, 1_000, 10_000), 40, 10_000, 10, 6),
    )
}


def _hex(kind: str, *parts: object, length: int = 64) -> str:
    digest = hashlib.sha256(":".join([kind, *map(str, parts)]).encode()).hexdigest()
    return digest[:length]


@dataclass(frozen=True)
class Slot:
    service: str
    flow: int
    group: str  # environments sharing the service's artifacts
    number: int


@dataclass
class Built:
    """One artifact: the service version it is, and where in its flow's history it was built."""

    key: tuple[str, int, int]  # (group, slot number, version); version -1 for never-run builds
    flow: int
    service: str
    version: int
    birth: int  # the first snapshot index it runs at (0 for never-run builds)
    position: int = -1  # commit position in the flow's history
    fingerprint: str = ""


@dataclass
class Dataset:
    size: Size
    environments: list[str] = field(default_factory=list)
    large: list[bool] = field(default_factory=list)
    slots: list[list[Slot]] = field(default_factory=list)  # per environment
    offsets: list[list[int]] = field(default_factory=list)  # per environment, per slot
    periods: list[int] = field(default_factory=list)
    snapshot_counts: list[int] = field(default_factory=list)  # per environment: how many snapshots it reports
    artifacts: dict[tuple[str, int, int], Built] = field(default_factory=dict)
    by_flow: list[list[Built]] = field(default_factory=list)
    commits_per_flow: int = 0
    _running: dict[tuple[str, int, int], RunningArtifactInput] = field(default_factory=dict)

    @classmethod
    def build(cls, size: Size) -> Dataset:
        data = cls(size)
        data._plan()
        return data

    # --- the plan ---

    def _plan(self) -> None:
        size = self.size
        large_period = max(1, size.large_running // 2)
        large_slots = [
            Slot(f"svc-{number:03d}", number % size.flows, "L", number) for number in range(size.large_running)
        ]
        for index in range(size.environments):
            is_large = index < size.large_environments
            if is_large:
                name = ("staging", "prod")[index] if index < 2 else f"large-{index}"
                period = large_period
                slots = large_slots
                shift = index * period // 2
                offsets = [(slot.number // 2 + shift) % period for slot in slots]
            else:
                name = f"edge-{index:02d}"
                period = size.small_running
                slots = [
                    Slot(f"{name}-svc-{number:02d}", (index * size.small_running + number) % size.flows, name, number)
                    for number in range(size.small_running)
                ]
                offsets = [slot.number for slot in slots]
            self._add_environment(name, is_large, slots, offsets, period, size.snapshots)
        # The fleet: like a large environment (two slots change per report), with services of its own.
        fleet_period = max(1, size.fleet_running // 2)
        fleet_slots = [
            Slot(f"fleet-svc-{number:05d}", number % size.flows, "F", number) for number in range(size.fleet_running)
        ]
        fleet_offsets = [(slot.number // 2) % fleet_period for slot in fleet_slots]
        self._add_environment(FLEET, True, fleet_slots, fleet_offsets, fleet_period, size.fleet_snapshots)
        for env in range(len(self.environments)):
            period = self.periods[env]
            for slot, offset in zip(self.slots[env], self.offsets[env], strict=True):
                for version in range((1 + offset) // period, (self.snapshot_counts[env] + offset) // period + 1):
                    key = (slot.group, slot.number, version)
                    birth = max(1, version * period - offset)
                    known = self.artifacts.get(key)
                    if known is None:
                        self.artifacts[key] = Built(key, slot.flow, slot.service, version, birth)
                    else:
                        known.birth = min(known.birth, birth)
        filler = max(0, size.artifacts - len(self.artifacts))
        for number in range(filler):
            key = ("old", number, -1)
            self.artifacts[key] = Built(key, number % size.flows, f"old-{number % 97:02d}", -1 - number, 0)
        self.commits_per_flow = size.commits // size.flows
        self.by_flow = [[] for _ in range(size.flows)]
        for built in sorted(self.artifacts.values(), key=lambda item: (item.birth, item.key)):
            self.by_flow[built.flow].append(built)
        for builds in self.by_flow:
            stride = self.commits_per_flow / max(1, len(builds))  # builds spread over the whole history
            for rank, built in enumerate(builds):
                built.position = min(int((rank + 1) * stride) - 1, self.commits_per_flow - 1)
                built.fingerprint = _hex("fingerprint", *built.key)

    def _add_environment(
        self, name: str, large: bool, slots: list[Slot], offsets: list[int], period: int, snapshots: int
    ) -> None:
        self.environments.append(name)
        self.large.append(large)
        self.slots.append(slots)
        self.offsets.append(offsets)
        self.periods.append(period)
        self.snapshot_counts.append(snapshots)

    @property
    def fleet(self) -> int:
        """The fleet environment's position."""
        return len(self.environments) - 1

    # --- names and values ---

    def sha(self, flow: int, position: int) -> str:
        return _hex("commit", flow, position, length=40)

    def repo(self, flow: int) -> str:
        return f"https://git.example/bench/flow-{flow:02d}"

    def flow_name(self, flow: int) -> str:
        return f"flow-{flow:02d}"

    def at(self, snapshot: float) -> datetime:
        return T0 + timedelta(minutes=snapshot)

    def commit_time(self, position: int) -> datetime:
        return T0 - timedelta(days=30) + timedelta(seconds=position)

    def parents(self, flow: int, position: int) -> list[str]:
        if position == 0:
            return []
        if position % MERGE_EVERY == MERGE_EVERY - 1 and position > MERGE_REACH:
            return [self.sha(flow, position - 1), self.sha(flow, position - MERGE_REACH)]
        return [self.sha(flow, position - 1)]

    def running_key(self, env: int, slot: int, snapshot: int) -> tuple[str, int, int]:
        target = self.slots[env][slot]
        return (target.group, target.number, (snapshot + self.offsets[env][slot]) // self.periods[env])

    def running_artifact(self, key: tuple[str, int, int]) -> RunningArtifactInput:
        cached = self._running.get(key)
        if cached is None:
            built = self.artifacts[key]
            cached = RunningArtifactInput(
                fingerprint=built.fingerprint, name=f"ecr/{built.service}:{built.version}", instances=1
            )
            self._running[key] = cached
        return cached

    def running(self, env: int, snapshot: int) -> list[RunningArtifactInput]:
        return [self.running_artifact(self.running_key(env, slot, snapshot)) for slot in range(len(self.slots[env]))]

    def snapshot(self, env: int, snapshot: int) -> SnapshotInput:
        return SnapshotInput(
            org=ORG,
            environment=self.environments[env],
            artifacts=self.running(env, snapshot),
            reported_at=self.at(snapshot),
        )

    # --- the reports ---

    def topology(self) -> tuple[OrgInput, list[FlowInput], list[EnvironmentInput]]:
        flows = [
            FlowInput(org=ORG, name=self.flow_name(flow), repo_url=self.repo(flow)) for flow in range(self.size.flows)
        ]
        environments = [
            EnvironmentInput(org=ORG, name=name, type=EnvironmentType.K8S if large else EnvironmentType.ECS)
            for name, large in zip(self.environments, self.large, strict=True)
        ]
        return OrgInput(name=ORG), flows, environments

    def commit_batches(self) -> Iterator[CommitsInput]:
        for flow in range(self.size.flows):
            for start in range(0, self.commits_per_flow, COMMIT_BATCH):
                commits = [
                    CommitInput(
                        sha=self.sha(flow, position),
                        parents=self.parents(flow, position),
                        message=f"change {position} of flow {flow}",
                        author="Bench Author",
                        author_email="bench@example.com",
                        timestamp=self.commit_time(position),
                        branch="main",
                        url=f"{self.repo(flow)}/commit/{self.sha(flow, position)}",
                    )
                    for position in range(start, min(start + COMMIT_BATCH, self.commits_per_flow))
                ]
                yield CommitsInput(org=ORG, repo_url=self.repo(flow), commits=commits)

    def artifact_batches(self) -> Iterator[list[ArtifactInput]]:
        batch: list[ArtifactInput] = []
        for builds in self.by_flow:
            for built in builds:
                sha = self.sha(built.flow, built.position)
                batch.append(
                    ArtifactInput(
                        org=ORG,
                        flow=self.flow_name(built.flow),
                        fingerprint=built.fingerprint,
                        name=f"registry.example/{built.service}:{built.version}",
                        git_commit=sha,
                        commit_url=f"{self.repo(built.flow)}/commit/{sha}",
                        build_url=f"https://ci.example/{built.service}/{built.version}",
                        created_at=self.at(built.birth - 1),
                    )
                )
                if len(batch) == ARTIFACT_BATCH:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def attestations(self) -> list[AttestationInput]:
        chosen = [built for builds in self.by_flow for built in builds][::ATTEST_EVERY]
        return [
            AttestationInput(
                org=ORG,
                flow=self.flow_name(built.flow),
                fingerprint=built.fingerprint,
                type="junit",
                name="unit-tests",
                compliant=number % 7 != 0,
                reported_at=self.at(built.birth - 0.9),
            )
            for number, built in enumerate(chosen)
        ]

    def deployments(self) -> list[DeploymentInput]:
        found: list[tuple[int, int, DeploymentInput]] = []
        for env in range(len(self.environments)):
            period = self.periods[env]
            for slot, offset in enumerate(self.offsets[env]):
                # Slot `slot` starts version v at snapshot v * period - offset.
                for version in range((1 + offset) // period + 1, (self.snapshot_counts[env] + offset) // period + 1):
                    start = version * period - offset
                    if start % DEPLOY_EVERY:
                        continue
                    built = self.artifacts[self.running_key(env, slot, start)]
                    found.append(
                        (
                            start,
                            env,
                            DeploymentInput(
                                org=ORG,
                                flow=self.flow_name(built.flow),
                                fingerprint=built.fingerprint,
                                environment=self.environments[env],
                                user="deployer",
                                reported_at=self.at(start - 0.5),
                            ),
                        )
                    )
        return [deployment for _, _, deployment in sorted(found, key=lambda item: (item[0], item[1]))]

    # --- what the harness asks about ---

    def never_built_commit(self, env: int, snapshot: int) -> tuple[str, int]:
        """A commit built by nothing, just before the build running in slot 0 of `env` at `snapshot`, and how many
        commits descend from it (the ancestry walk's size)."""
        built = self.artifacts[self.running_key(env, 0, snapshot)]
        position = max(0, built.position - 1)
        return self.sha(built.flow, position), self.commits_per_flow - position

    def counts(self) -> dict[str, int]:
        return {
            "environments": len(self.environments),
            "snapshots_per_environment": self.size.snapshots,
            "fleet_running": self.size.fleet_running,
            "fleet_snapshots": self.size.fleet_snapshots,
            "artifacts": len(self.artifacts),
            "running_artifacts_ever": sum(1 for key in self.artifacts if key[0] != "old"),
            "commits": self.commits_per_flow * self.size.flows,
            "flows": self.size.flows,
        }


# --- loading ---


@dataclass
class Phase:
    name: str
    items: int
    seconds: float
    calls: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.name,
            "items": self.items,
            "calls": self.calls,
            "seconds": round(self.seconds, 3),
            "items_per_second": round(self.items / self.seconds, 1) if self.seconds else None,
        }


async def load_catalog(store: GraphStore, data: Dataset) -> list[Phase]:
    """Org, flows, environments, commits, artifacts, attestations and deployments: everything but snapshots."""
    phases: list[Phase] = []
    started = time.perf_counter()
    org, flows, environments = data.topology()
    await store.create_org(org)
    for flow in flows:
        await store.create_flow(flow)
    for environment in environments:
        await store.create_environment(environment)
    phases.append(Phase("topology", 1 + len(flows) + len(environments), time.perf_counter() - started, 0))

    started, items, calls = time.perf_counter(), 0, 0
    for commits in data.commit_batches():
        await store.report_commits(commits)
        items, calls = items + len(commits.commits), calls + 1
    phases.append(Phase("commits", items, time.perf_counter() - started, calls))

    started, items, calls = time.perf_counter(), 0, 0
    for artifacts in data.artifact_batches():
        await store.report_artifacts(artifacts)
        items, calls = items + len(artifacts), calls + 1
    phases.append(Phase("artifacts", items, time.perf_counter() - started, calls))

    attestations = data.attestations()
    started = time.perf_counter()
    for start in range(0, len(attestations), ATTESTATION_BATCH):
        await store.attest_many(attestations[start : start + ATTESTATION_BATCH])
    calls = -(-len(attestations) // ATTESTATION_BATCH)
    phases.append(Phase("attestations", len(attestations), time.perf_counter() - started, calls))

    deployments = data.deployments()
    started = time.perf_counter()
    for start in range(0, len(deployments), DEPLOYMENT_BATCH):
        await store.report_deployments(deployments[start : start + DEPLOYMENT_BATCH])
    calls = -(-len(deployments) // DEPLOYMENT_BATCH)
    phases.append(Phase("deployments", len(deployments), time.perf_counter() - started, calls))
    for phase in phases:
        phase.seconds = max(phase.seconds, 1e-9)
    return phases


async def load_snapshots(store: GraphStore, data: Dataset, first: int, last: int) -> Phase:
    """Snapshots `first..last` of every environment: one report (one transaction) per snapshot, the environments'
    streams running concurrently as independent reporters would."""

    async def stream(env: int) -> int:
        stop = min(last, data.snapshot_counts[env])
        for snapshot in range(first, stop + 1):
            answer = await store.report_snapshot(data.snapshot(env, snapshot))
            if not answer.changed and snapshot > 1:
                raise AssertionError(f"{data.environments[env]} #{snapshot}: the report changed nothing")
        return max(0, stop - first + 1)

    started = time.perf_counter()
    counts = await asyncio.gather(*(stream(env) for env in range(len(data.environments))))
    return Phase(f"snapshots {first}..{last}", sum(counts), time.perf_counter() - started, sum(counts))


def describe(phases: Sequence[Phase]) -> str:
    return "; ".join(
        f"{phase.name}: {phase.items:,} in {phase.seconds:.1f} s ({phase.items / phase.seconds:,.0f}/s)"
        for phase in phases
    )
