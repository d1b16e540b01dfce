"""What each mutation answers."""

from __future__ import annotations

import strawberry

from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.attestation import Attestation
from tracegraph.schema.types.attestation_type import AttestationType
from tracegraph.schema.types.deployment import Deployment
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.event import Event
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.org import Org
from tracegraph.schema.types.snapshot import Snapshot
from tracegraph.schema.types.trail import Trail


@strawberry.type(description="The org as stored.")
class CreateOrgPayload:
    org: Org = strawberry.field(description="The org.")


@strawberry.type(description="The flow as stored.")
class CreateFlowPayload:
    flow: Flow = strawberry.field(description="The flow.")


@strawberry.type(description="The environment as stored.")
class CreateEnvironmentPayload:
    environment: Environment = strawberry.field(description="The environment.")


@strawberry.type(description="The artifact as stored.")
class ReportArtifactPayload:
    artifact: Artifact = strawberry.field(description="The artifact.")


@strawberry.type(description="How much of the history was new.")
class ReportCommitsPayload:
    received: int = strawberry.field(description="Commits in the request.")
    created: int = strawberry.field(description="Commits not stored before (0 when re-reporting the same history).")


@strawberry.type(description="The deployment as numbered.")
class ReportDeploymentPayload:
    deployment: Deployment = strawberry.field(description="The deployment.")


@strawberry.type(description="The snapshot the report made, or the latest one when nothing changed.")
class ReportSnapshotPayload:
    snapshot: Snapshot = strawberry.field(description="The new snapshot, or the latest when `changed` is false.")
    changed: bool = strawberry.field(description="Whether the report changed the running set (a new snapshot).")
    events: list[Event] = strawberry.field(description="What the new snapshot changed; empty when `changed` is false.")


@strawberry.type(description="The attestation as stored.")
class AttestPayload:
    attestation: Attestation = strawberry.field(description="The attestation.")


@strawberry.type(description="The trail as stored.")
class BeginTrailPayload:
    trail: Trail = strawberry.field(description="The trail.")


@strawberry.type(description="The attestation type's latest version, as stored.")
class CreateAttestationTypePayload:
    attestation_type: AttestationType = strawberry.field(description="The type, with its version.")
