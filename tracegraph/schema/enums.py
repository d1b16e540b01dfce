"""Enumerations of the schema, taken from the graph layer so names cannot drift."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from tracegraph.graph.findings import FindingKind as DomainFindingKind
from tracegraph.graph.findings import RollBackBasis as DomainRollBackBasis
from tracegraph.graph.inputs import EnvironmentType as DomainEnvironmentType
from tracegraph.graph.model import ArtifactState as DomainArtifactState
from tracegraph.graph.model import Role as DomainRole
from tracegraph.graph.views import EventType as DomainEventType
from tracegraph.graph.views import HistoryKind as DomainHistoryKind

strawberry.enum(
    DomainEnvironmentType,
    name="EnvironmentType",
    description="Where an environment runs its artifacts: a Kubernetes cluster, an ECS cluster, Docker hosts, plain "
    "servers, Lambda functions, S3 buckets, Azure apps, Google Cloud Run services, or a logical grouping of other "
    "environments.",
)
strawberry.enum(
    DomainFindingKind,
    name="FindingKind",
    description="What a finding says is wrong: WITHOUT_PROVENANCE (running, no build reported it), "
    "DEPLOYED_NOT_STARTED (deployed, not running within the start window), STARTED_WITHOUT_DEPLOYMENT (a built "
    "artifact started with no deployment reported), NON_COMPLIANT (running with a failed attestation), ROLL_BACK "
    "(started as a newer build of its flow stopped).",
)
strawberry.enum(
    DomainRollBackBasis,
    name="RollBackBasis",
    description="What decided that the stopped build was newer: ANCESTRY (the started build's commit is an ancestor "
    "of the stopped one's) or BUILD_TIME (ancestry unknown — history with holes, commits never reported, unrelated "
    "branches, the same commit — so the build times decided).",
)
strawberry.enum(
    DomainEventType,
    name="EventType",
    description="What happened to one fingerprint in a snapshot: it STARTED (from 0 instances), STOPPED (to 0) or "
    "SCALED (another non-zero instance count).",
)
strawberry.enum(
    DomainArtifactState,
    name="ArtifactState",
    description="Compliance of an artifact: NON_COMPLIANT when any of its attestations failed, else COMPLIANT "
    "(also with no attestation, as in Kosli without a flow template).",
)
strawberry.enum(
    DomainHistoryKind,
    name="HistoryKind",
    description="One entry of an artifact's history: CREATED (built), DEPLOYED (a deployment was reported), "
    "ATTESTED (evidence reported), STARTED or STOPPED running in an environment.",
)
strawberry.enum(
    DomainRole,
    name="Role",
    description="What a token may do in its org: READER queries; WRITER also reports builds, deployments, snapshots "
    "and attestations; ADMIN also manages flows, environments, tokens and the org's settings.",
)
EnvironmentType: TypeAlias = DomainEnvironmentType
Role: TypeAlias = DomainRole
EventType: TypeAlias = DomainEventType
ArtifactState: TypeAlias = DomainArtifactState
HistoryKind: TypeAlias = DomainHistoryKind
FindingKind: TypeAlias = DomainFindingKind
RollBackBasis: TypeAlias = DomainRollBackBasis
