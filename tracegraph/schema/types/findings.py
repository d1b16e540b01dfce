# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import findings as domain
from tracegraph.schema.enums import FindingKind, RollBackBasis
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.deployment import Deployment
from tracegraph.schema.types.running import RunningArtifact

LISTS_RULE = (
    "Every item, not paged: the running set bounds each list but `deployedNotStarted`, which holds every deployment "
    "to the environment whose window ended without a start."
)


@strawberry.type(description="A deployment to the environment whose artifact did not start running there in time.")
class DeploymentFinding:
    finding: strawberry.Private[domain.DeploymentFinding]

    @strawberry.field(description="The deployment.")
    def deployment(self) -> Deployment:
        return Deployment.of(self.finding.deployment)

    @strawberry.field(description="The deployed artifact, with its commit.")
    def artifact(self) -> Artifact | None:
        return None if self.finding.provenance is None else Artifact.of(self.finding.provenance)

    @strawberry.field(
        description="When its start window ends (ISO 8601, UTC): the deployment's time plus "
        "TRACEGRAPH_DEPLOYMENT_START_WINDOW_SECONDS."
    )
    def window_ends_at(self) -> datetime:
        return self.finding.window_ends_at


@strawberry.type(description="A running artifact whose state is NON_COMPLIANT, and why.")
class NonCompliantFinding:
    finding: strawberry.Private[domain.NonCompliantFinding]

    @strawberry.field(description="The running item.")
    def running(self) -> RunningArtifact:
        return RunningArtifact.of(self.finding.running)

    @strawberry.field(description="The non-compliant artifact (one flow's build of the running fingerprint).")
    def artifact(self) -> Artifact:
        return Artifact.of(self.finding.provenance)

    @strawberry.field(description="Why, one sentence each: e.g. 'attestation unit-tests (junit) failed'.")
    def reasons(self) -> list[str]:
        return list(self.finding.reasons)


@strawberry.type(
    description="A roll-back: `running` started at snapshot `running.sinceIndex` as `replaced`, a newer build of the "
    "same flow, stopped there."
)
class RollBack:
    finding: strawberry.Private[domain.RollBack]

    @strawberry.field(description="The running item that started.")
    def running(self) -> RunningArtifact:
        return RunningArtifact.of(self.finding.running)

    @strawberry.field(description="The older build that started (its commit is the one now running).")
    def started(self) -> Artifact:
        return Artifact.of(self.finding.started)

    @strawberry.field(description="The newer build that stopped.")
    def replaced(self) -> Artifact:
        return Artifact.of(self.finding.replaced)

    @strawberry.field(description="What decided that `replaced` is newer: commit ANCESTRY or BUILD_TIME.")
    def basis(self) -> RollBackBasis:
        return self.finding.basis


@strawberry.type(
    description="What is wrong in one snapshot, judged as of the next snapshot's time (now, for the latest): "
    "running without provenance, deployed but not started within the start window, started without a deployment, "
    "non-compliant, rolled back. Only the kinds selected (and asked for with `kinds`) are read; the others are "
    "empty. " + LISTS_RULE
)
class Findings:
    findings: strawberry.Private[domain.Findings]

    @classmethod
    def of(cls, found: domain.Findings) -> Findings:
        return cls(findings=found)

    @strawberry.field(description="The snapshot judged; null for an environment that never reported one.")
    def snapshot_index(self) -> int | None:
        return None if self.findings.snapshot is None else self.findings.snapshot.index

    @strawberry.field(
        description="The time the snapshot is judged at (ISO 8601, UTC): the next snapshot's, or now for the latest."
    )
    def as_of(self) -> datetime:
        return self.findings.as_of

    @strawberry.field(
        description="How long a deployment may take to start, in seconds (TRACEGRAPH_DEPLOYMENT_START_WINDOW_SECONDS)."
    )
    def start_window_seconds(self) -> float:
        return self.findings.window.total_seconds()

    @strawberry.field(description="The kinds read (those selected and asked for), in enum order.")
    def kinds(self) -> list[FindingKind]:
        return [kind for kind in domain.FindingKind if kind in self.findings.kinds]

    @strawberry.field(description="Running fingerprints no build reported (rogue artifacts), by observed name.")
    def without_provenance(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.findings.without_provenance]

    @strawberry.field(
        description="Deployments to the environment, reported by `asOf`, whose artifact was not running there within "
        "the start window after them (already running counts as started), oldest first."
    )
    def deployed_not_started(self) -> list[DeploymentFinding]:
        return [DeploymentFinding(finding=item) for item in self.findings.deployed_not_started]

    @strawberry.field(
        description="Deployments not running yet whose window has not ended at `asOf`: not findings (yet)."
    )
    def pending_deployments(self) -> list[DeploymentFinding]:
        return [DeploymentFinding(finding=item) for item in self.findings.pending_deployments]

    @strawberry.field(
        description="Running fingerprints with provenance and no deployment to the environment reported before they "
        "started or within the start window after (reporters race), by observed name."
    )
    def started_without_deployment(self) -> list[RunningArtifact]:
        return [RunningArtifact.of(item) for item in self.findings.started_without_deployment]

    @strawberry.field(description="Running artifacts whose state is NON_COMPLIANT, with the reasons.")
    def non_compliant(self) -> list[NonCompliantFinding]:
        return [NonCompliantFinding(finding=item) for item in self.findings.non_compliant]

    @strawberry.field(
        description="Running artifacts that started as a newer build of their flow stopped in the same snapshot (a "
        "roll-forward afterwards is none), each with the basis that decided 'newer'."
    )
    def roll_backs(self) -> list[RollBack]:
        return [RollBack(finding=item) for item in self.findings.roll_backs]

    @strawberry.field(description="How many findings the lists hold (pending deployments are not findings).")
    def total(self) -> int:
        return self.findings.total
