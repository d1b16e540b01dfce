"""Findings: what an environment's history says is wrong, decided once here for both backends.

A backend reads the facts of one snapshot (its running set with provenance, the deployments to the environment,
the Runs that stopped where each running one started, the failed attestations, the commit graph) in one
transaction; the rules below turn them into findings. The state at snapshot N is judged as of `as_of`: the time of
snapshot N+1 (until then N was the environment's state), or now for the latest snapshot — so an environment's
findings are its latest snapshot's.

* WITHOUT_PROVENANCE — a running fingerprint no build reported.
* DEPLOYED_NOT_STARTED — a deployment to the environment (reported by `as_of`) whose fingerprint did not run there
  within the start window after it (already running at the deployment counts as started). A deployment still inside
  its window and not running yet is *pending*, not a finding.
* STARTED_WITHOUT_DEPLOYMENT — a running fingerprint with provenance and no deployment of it to the environment
  reported before it started or within the start window after (reporters race: CI often reports the deployment a
  few seconds after the environment's reporter sees the new version).
* NON_COMPLIANT — a running artifact whose state is NON_COMPLIANT, or that the snapshot's stored policy evaluation
  found non-compliant (missing or failing required evidence, a non-compliant trail; docs/policies.md), with the
  reasons: each failed attestation, then each policy's.
* ROLL_BACK — a running artifact that started in a snapshot where a newer build of the same flow stopped. Newer by
  commit ancestry when the graph decides it (the started build's commit is an ancestor of the stopped one's; the
  reverse is a roll-forward), else — histories with holes, commits never reported, unrelated branches, the same
  commit — by build time. Each roll-back names its basis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tracegraph.errors import InvalidInput
from tracegraph.graph.ancestry import CommitGraph
from tracegraph.graph.model import Artifact, ArtifactState, Deployment, Environment, Node, Snapshot
from tracegraph.graph.views import EventType, Provenance, RunningArtifact
from tracegraph.ingest.running_set import OpenRun, events_at
from tracegraph.policies.evaluation import PolicyEvaluation, ReasonKind

DEFAULT_START_WINDOW = timedelta(minutes=10)
MAX_START_WINDOW = timedelta(days=30)
MAX_EVENT_INDEXES = 1_000


class FindingKind(StrEnum):
    WITHOUT_PROVENANCE = "WITHOUT_PROVENANCE"
    DEPLOYED_NOT_STARTED = "DEPLOYED_NOT_STARTED"
    STARTED_WITHOUT_DEPLOYMENT = "STARTED_WITHOUT_DEPLOYMENT"
    NON_COMPLIANT = "NON_COMPLIANT"
    ROLL_BACK = "ROLL_BACK"


ALL_KINDS = frozenset(FindingKind)
# A deployment that never started is an absence, not a change: no event carries it.
EVENT_KINDS = ALL_KINDS - {FindingKind.DEPLOYED_NOT_STARTED}


class RollBackBasis(StrEnum):
    ANCESTRY = "ANCESTRY"
    BUILD_TIME = "BUILD_TIME"


class DeploymentFinding(Node):
    """A deployment to the environment whose artifact had not started there when its window ended (or, pending,
    has not started yet). `provenance` is the deployed artifact with its commit."""

    deployment: Deployment
    provenance: Provenance | None
    window_ends_at: datetime


class NonCompliantFinding(Node):
    running: RunningArtifact
    provenance: Provenance
    reasons: tuple[str, ...]


class RollBack(Node):
    """`running` started at snapshot `running.since_index` while `replaced`, a newer build of the same flow, stopped
    there."""

    running: RunningArtifact
    started: Provenance
    replaced: Provenance
    basis: RollBackBasis


class Findings(Node):
    """The findings of one snapshot (None for an environment never reported), judged as of `as_of`. A list whose
    kind was not asked for (`kinds`) is empty."""

    environment: Environment
    snapshot: Snapshot | None
    as_of: datetime
    window: timedelta
    kinds: frozenset[FindingKind]
    without_provenance: tuple[RunningArtifact, ...] = ()
    deployed_not_started: tuple[DeploymentFinding, ...] = ()
    pending_deployments: tuple[DeploymentFinding, ...] = ()
    started_without_deployment: tuple[RunningArtifact, ...] = ()
    non_compliant: tuple[NonCompliantFinding, ...] = ()
    roll_backs: tuple[RollBack, ...] = ()

    @property
    def total(self) -> int:
        return (
            len(self.without_provenance)
            + len(self.deployed_not_started)
            + len(self.started_without_deployment)
            + len(self.non_compliant)
            + len(self.roll_backs)
        )


EventFlags = dict[int, dict[str, tuple[FindingKind, ...]]]  # snapshot index → fingerprint → kinds, in enum order


def check_window(window: timedelta) -> timedelta:
    if window < timedelta(0) or window > MAX_START_WINDOW:
        raise InvalidInput("window", f"must be between 0 seconds and {MAX_START_WINDOW.days} days; got {window}")
    return window


def check_indexes(indexes: Sequence[int]) -> list[int]:
    wanted = sorted(set(indexes))
    if len(wanted) > MAX_EVENT_INDEXES:
        raise InvalidInput("indexes", f"at most {MAX_EVENT_INDEXES:,} snapshot indexes at once; got {len(wanted):,}")
    return wanted


@dataclass(frozen=True, slots=True)
class ChangedRun:
    """A Run opening or closing at one of the snapshots asked about."""

    fingerprint: str
    name: str
    instances: int
    from_index: int
    to_index: int | None
    started_at: datetime


@dataclass(frozen=True, slots=True)
class Facts:
    """What a backend read in one transaction for the findings of one snapshot."""

    environment: Environment
    snapshot: Snapshot | None
    as_of: datetime
    window: timedelta
    kinds: frozenset[FindingKind]
    running: tuple[RunningArtifact, ...]  # the whole running set, with provenance
    provenance: Mapping[str, tuple[Provenance, ...]]  # of the running, stopped and deployed fingerprints
    failed: Mapping[tuple[str, str], Sequence[tuple[str, str]]]  # (flow, fingerprint) → failed (name, type)
    deployed: Mapping[str, Sequence[Deployment]]  # running fingerprint → its deployments to the environment
    unstarted: Sequence[Deployment]  # deployments reported by `as_of` and not running by min(window end, as_of)
    changes: Sequence[ChangedRun]  # the Runs opening or closing where a running one started
    graph: CommitGraph | None
    # Fingerprint → why the snapshot's stored policy evaluation (if any) found it non-compliant (see policy_reasons).
    policy_reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def assemble(facts: Facts) -> Findings:
    kinds = facts.kinds
    running = facts.running
    found: dict[str, object] = {}
    if FindingKind.WITHOUT_PROVENANCE in kinds:
        found["without_provenance"] = tuple(item for item in running if not item.artifacts)
    if FindingKind.STARTED_WITHOUT_DEPLOYMENT in kinds:
        found["started_without_deployment"] = tuple(
            item
            for item in running
            if not_deployed(item.since, item.artifacts, facts.deployed, item.fingerprint, facts.window)
        )
    if FindingKind.NON_COMPLIANT in kinds:
        by_policy = facts.policy_reasons
        found["non_compliant"] = tuple(
            NonCompliantFinding(running=item, provenance=origin, reasons=why)
            for item in running
            for origin in item.artifacts
            if (why := compliance_reasons(origin.artifact, facts.failed, by_policy.get(item.fingerprint, ())))
        )
    if FindingKind.DEPLOYED_NOT_STARTED in kinds:
        late, pending = deployment_findings(facts.unstarted, facts.provenance, facts.as_of, facts.window)
        found["deployed_not_started"], found["pending_deployments"] = late, pending
    if FindingKind.ROLL_BACK in kinds:
        closed, gone = closed_at(facts.changes)
        found["roll_backs"] = tuple(
            RollBack(running=item, started=started, replaced=replaced, basis=basis)
            for item in running
            if item.fingerprint not in closed.get(item.since_index, ())  # started there, not scaled
            for started, replaced, basis in roll_backs_of(
                item.artifacts,
                sorted(gone.get(item.since_index, ())),
                facts.provenance,
                facts.graph,
            )
        )
    return Findings(
        environment=facts.environment,
        snapshot=facts.snapshot,
        as_of=facts.as_of,
        window=facts.window,
        kinds=kinds,
        **found,
    )


def not_deployed(
    since: datetime,
    artifacts: Sequence[Provenance],
    deployed: Mapping[str, Sequence[Deployment]],
    fingerprint: str,
    window: timedelta,
) -> bool:
    """Started with provenance and no deployment reported before the start or within the window after it."""
    if not artifacts:
        return False
    return not any(deployment.reported_at <= since + window for deployment in deployed.get(fingerprint, ()))


def compliance_reasons(
    artifact: Artifact, failed: Mapping[tuple[str, str], Sequence[tuple[str, str]]], by_policy: tuple[str, ...]
) -> tuple[str, ...]:
    """Why a running build is non-compliant: its failed attestations, then what the environment's policies found
    missing or failing (empty when it is compliant)."""
    own = reasons(artifact, failed) if artifact.state is ArtifactState.NON_COMPLIANT else ()
    return own + by_policy


def policy_reasons(evaluation: PolicyEvaluation | None) -> dict[str, tuple[str, ...]]:
    """Each non-compliant fingerprint's reasons from a stored policy evaluation, as `POLICY: reason`. "No
    provenance" is left out: running without provenance is a finding of its own."""
    if evaluation is None:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for verdict in evaluation.non_compliant:
        messages = tuple(
            f"{reason.policy}: {reason.message}"
            for reason in verdict.reasons
            if reason.kind is not ReasonKind.MISSING_PROVENANCE
        )
        if messages:
            found[verdict.fingerprint] = messages
    return found


def reasons(artifact: Artifact, failed: Mapping[tuple[str, str], Sequence[tuple[str, str]]]) -> tuple[str, ...]:
    named = sorted(set(failed.get((artifact.flow, artifact.fingerprint), ())))
    return tuple(f"attestation {name} ({kind}) failed" for name, kind in named) or ("an attestation failed",)


def deployment_findings(
    unstarted: Iterable[Deployment],
    provenance: Mapping[str, tuple[Provenance, ...]],
    as_of: datetime,
    window: timedelta,
) -> tuple[tuple[DeploymentFinding, ...], tuple[DeploymentFinding, ...]]:
    """The deployments whose window ended without a start, and those still inside it; oldest first."""
    late: list[DeploymentFinding] = []
    pending: list[DeploymentFinding] = []
    for deployment in sorted(unstarted, key=lambda item: (item.reported_at, item.flow, item.number)):
        origin = next(
            (item for item in provenance.get(deployment.fingerprint, ()) if item.artifact.flow == deployment.flow),
            None,
        )
        ends = deployment.reported_at + window
        finding = DeploymentFinding(deployment=deployment, provenance=origin, window_ends_at=ends)
        (pending if as_of < ends else late).append(finding)
    return tuple(late), tuple(pending)


def roll_backs_of(
    started: Sequence[Provenance],
    stopped: Iterable[str],
    provenance: Mapping[str, tuple[Provenance, ...]],
    graph: CommitGraph | None,
) -> list[tuple[Provenance, Provenance, RollBackBasis]]:
    """Each build of `started` that replaced a newer build of its flow among the `stopped` fingerprints."""
    found: list[tuple[Provenance, Provenance, RollBackBasis]] = []
    for fingerprint in stopped:
        for replaced in provenance.get(fingerprint, ()):
            for origin in started:
                if origin.artifact.flow != replaced.artifact.flow or origin.artifact.fingerprint == fingerprint:
                    continue
                basis = newer(origin.artifact, replaced.artifact, graph)
                if basis is not None:
                    found.append((origin, replaced, basis))
    return sorted(found, key=lambda item: (item[0].artifact.flow, item[1].artifact.fingerprint))


def newer(started: Artifact, stopped: Artifact, graph: CommitGraph | None) -> RollBackBasis | None:
    """The basis on which `stopped` is a newer build than `started`, or None when it is not newer."""
    ours, theirs = started.git_commit, stopped.git_commit
    if graph is not None and ours and theirs and ours != theirs:
        if theirs in graph.reach(ours, [theirs]).distances:
            return RollBackBasis.ANCESTRY
        if ours in graph.reach(theirs, [ours]).distances:
            return None  # a roll-forward
    return RollBackBasis.BUILD_TIME if stopped.created_at > started.created_at else None


def closed_at(changes: Iterable[ChangedRun]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per snapshot index, the fingerprints whose Run closed there: all of them (a stop, or a scale when another
    opened), and those that stopped."""
    opened: dict[int, set[str]] = defaultdict(set)
    closed: dict[int, set[str]] = defaultdict(set)
    for run in changes:
        opened[run.from_index].add(run.fingerprint)
        if run.to_index is not None:
            closed[run.to_index].add(run.fingerprint)
    return closed, {index: fingerprints - opened[index] for index, fingerprints in closed.items()}


def event_flags(
    indexes: Sequence[int],
    runs: Iterable[ChangedRun],
    provenance: Mapping[str, tuple[Provenance, ...]],
    deployed: Mapping[str, Sequence[Deployment]],
    graph: CommitGraph | None,
    window: timedelta,
    evaluations: Mapping[int, PolicyEvaluation] | None = None,
) -> EventFlags:
    """The findings each STARTED event of the snapshots `indexes` raised when it happened (NON_COMPLIANT also when
    the snapshot's stored policy evaluation found the artifact non-compliant for a reason other than provenance)."""
    wanted = set(indexes)
    opened: dict[int, dict[str, ChangedRun]] = defaultdict(dict)
    closed: dict[int, list[ChangedRun]] = defaultdict(list)
    for run in runs:
        if run.from_index in wanted:
            opened[run.from_index][run.fingerprint] = run
        if run.to_index is not None and run.to_index in wanted:
            closed[run.to_index].append(run)
    by_policy = {index: policy_reasons(evaluation) for index, evaluation in (evaluations or {}).items()}
    flags: EventFlags = {}
    for index in sorted(wanted):
        gone = [run.fingerprint for run in closed[index] if run.fingerprint not in opened[index]]
        shapes = events_at(
            (OpenRun(run.fingerprint, run.name, run.instances) for run in opened[index].values()),
            (OpenRun(run.fingerprint, run.name, run.instances) for run in closed[index]),
        )
        at: dict[str, tuple[FindingKind, ...]] = {}
        for shape in shapes:
            if shape.type is not EventType.STARTED:
                continue
            run = opened[index][shape.fingerprint]
            artifacts = provenance.get(shape.fingerprint, ())
            kinds: set[FindingKind] = set()
            if not artifacts:
                kinds.add(FindingKind.WITHOUT_PROVENANCE)
            if not_deployed(run.started_at, artifacts, deployed, shape.fingerprint, window):
                kinds.add(FindingKind.STARTED_WITHOUT_DEPLOYMENT)
            if any(item.artifact.state is ArtifactState.NON_COMPLIANT for item in artifacts) or (
                artifacts and shape.fingerprint in by_policy.get(index, {})
            ):
                kinds.add(FindingKind.NON_COMPLIANT)
            if roll_backs_of(artifacts, gone, provenance, graph):
                kinds.add(FindingKind.ROLL_BACK)
            if kinds:
                at[shape.fingerprint] = tuple(kind for kind in FindingKind if kind in kinds)
        flags[index] = at
    return flags
