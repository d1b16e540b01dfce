# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""Root mutation fields: one input object each, a payload back. Each is one store transaction; on any error nothing
is written."""

from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.resolvers import attestation_types as attestation_type_resolvers
from tracegraph.resolvers import policies as policy_resolvers
from tracegraph.resolvers import tokens as token_resolvers
from tracegraph.resolvers import webhooks as webhook_resolvers
from tracegraph.resolvers import writes
from tracegraph.schema.enums import Role
from tracegraph.schema.info import Info
from tracegraph.schema.inputs import (
    AttestInput,
    BeginTrailInput,
    CreateAttestationTypeInput,
    CreateEnvironmentInput,
    CreateFlowInput,
    CreateOrgInput,
    ReportArtifactInput,
    ReportCommitsInput,
    ReportDeploymentInput,
    ReportSnapshotInput,
    to_data,
)
from tracegraph.schema.payloads import (
    AttestPayload,
    BeginTrailPayload,
    CreateAttestationTypePayload,
    CreateEnvironmentPayload,
    CreateFlowPayload,
    CreateOrgPayload,
    ReportArtifactPayload,
    ReportCommitsPayload,
    ReportDeploymentPayload,
    ReportSnapshotPayload,
)
from tracegraph.schema.permissions import Administers, Writes
from tracegraph.schema.policy_mutations import (
    AttachPolicyInput,
    AttachPolicyPayload,
    CreatePolicyInput,
    CreatePolicyPayload,
)
from tracegraph.schema.types.artifact import Artifact
from tracegraph.schema.types.attestation import Attestation
from tracegraph.schema.types.attestation_type import AttestationType
from tracegraph.schema.types.deployment import Deployment
from tracegraph.schema.types.environment import Environment
from tracegraph.schema.types.event import Event
from tracegraph.schema.types.flow import Flow
from tracegraph.schema.types.org import Org
from tracegraph.schema.types.policy import Policy
from tracegraph.schema.types.snapshot import Snapshot
from tracegraph.schema.types.token import Token
from tracegraph.schema.types.trail import Trail
from tracegraph.schema.types.webhook import Webhook, WebhookDelivery
from tracegraph.schema.webhook_mutations import (
    CreateWebhookInput,
    CreateWebhookPayload,
    DeleteWebhookInput,
    DeleteWebhookPayload,
    ReplayWebhookDeliveryInput,
    ReplayWebhookDeliveryPayload,
)


@strawberry.type(description="Writes: what integrations report.")
class Mutation:
    @strawberry.mutation(description="Create an org, or update it (its creation time is kept).")
    async def create_org(self, info: Info, input: CreateOrgInput) -> CreateOrgPayload:
        return CreateOrgPayload(org=Org.of(await writes.create_org(info.context, to_data(input))))

    @strawberry.mutation(
        permission_classes=[Administers], description="Create a flow in an existing org, or update it."
    )
    async def create_flow(self, info: Info, input: CreateFlowInput) -> CreateFlowPayload:
        return CreateFlowPayload(flow=Flow.of(await writes.create_flow(info.context, to_data(input))))

    @strawberry.mutation(
        permission_classes=[Administers], description="Create an environment in an existing org, or update it."
    )
    async def create_environment(
        self,
        info: Info,
        input: CreateEnvironmentInput,
    ) -> CreateEnvironmentPayload:
        found = await writes.create_environment(info.context, to_data(input))
        return CreateEnvironmentPayload(environment=Environment.of(found))

    @strawberry.mutation(
        permission_classes=[Writes],
        description="Report a build (upsert by flow and fingerprint); creates the commit when its details ride along.",
    )
    async def report_artifact(self, info: Info, input: ReportArtifactInput) -> ReportArtifactPayload:
        return ReportArtifactPayload(
            artifact=Artifact.of_model(await writes.report_artifact(info.context, to_data(input)))
        )

    @strawberry.mutation(
        permission_classes=[Writes],
        description="Begin a trail (one run of a flow, `kosli begin trail`), or update its description, origin URL "
        "and user data; its commit is written with it. Artifacts join a trail with `reportArtifact(input: {trail})`.",
    )
    async def begin_trail(self, info: Info, input: BeginTrailInput) -> BeginTrailPayload:
        return BeginTrailPayload(trail=Trail.of(await writes.begin_trail(info.context, to_data(input))))

    @strawberry.mutation(
        permission_classes=[Writes], description="Report git history in bulk (upsert; re-reporting creates nothing)."
    )
    async def report_commits(self, info: Info, input: ReportCommitsInput) -> ReportCommitsPayload:
        reported = await writes.report_commits(info.context, to_data(input))
        return ReportCommitsPayload(received=reported.received, created=reported.created)

    @strawberry.mutation(permission_classes=[Writes], description="Report a deployment; numbered per flow (1, 2, 3…).")
    async def report_deployment(
        self,
        info: Info,
        input: ReportDeploymentInput,
    ) -> ReportDeploymentPayload:
        found = await writes.report_deployment(info.context, to_data(input))
        return ReportDeploymentPayload(deployment=Deployment.of(found))

    @strawberry.mutation(
        permission_classes=[Writes],
        description="Report an environment's running set. Snapshot N+1 when it changed; otherwise the latest "
        "snapshot with `changed: false`. Reports to one environment are serialised.",
    )
    async def report_snapshot(self, info: Info, input: ReportSnapshotInput) -> ReportSnapshotPayload:
        reported = await writes.report_snapshot(info.context, to_data(input))
        org, environment = reported.snapshot.org, reported.snapshot.environment
        return ReportSnapshotPayload(
            snapshot=Snapshot.of_model(reported.snapshot, reported.events if reported.changed else None),
            changed=reported.changed,
            events=[Event.of(event, org, environment, reported.snapshot.index) for event in reported.events],
        )

    @strawberry.mutation(permission_classes=[Writes], description="Attach evidence to a reported artifact.")
    async def attest(self, info: Info, input: AttestInput) -> AttestPayload:
        return AttestPayload(attestation=Attestation.of(await writes.attest(info.context, to_data(input))))

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Create an environment policy, or a new version of it when its YAML or description changed "
        "(admin only). Environments it is attached to have their latest snapshot evaluated again.",
    )
    async def create_policy(self, info: Info, input: CreatePolicyInput) -> CreatePolicyPayload:
        return CreatePolicyPayload(policy=Policy.of(await policy_resolvers.create(info.context, to_data(input))))

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Attach a policy to an environment (admin only; idempotent); its latest snapshot is evaluated "
        "again, older ones keep their evaluation.",
    )
    async def attach_policy(self, info: Info, input: AttachPolicyInput) -> AttachPolicyPayload:
        found = await policy_resolvers.attach(info.context, input.org, input.environment, input.policy)
        return AttachPolicyPayload(
            environment=Environment.named(input.org, input.environment), policies=[Policy.of(p) for p in found]
        )

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Detach a policy from an environment (admin only; idempotent); its latest snapshot is evaluated "
        "again (by the rule without policies when none is left).",
    )
    async def detach_policy(self, info: Info, input: AttachPolicyInput) -> AttachPolicyPayload:
        found = await policy_resolvers.detach(info.context, input.org, input.environment, input.policy)
        return AttachPolicyPayload(
            environment=Environment.named(input.org, input.environment), policies=[Policy.of(p) for p in found]
        )

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Issue an API token of the org (admin only). The answer holds its secret: store it now, it is "
        "never shown again (only its hash is kept).",
    )
    async def create_token(self, info: Info, input: CreateTokenInput) -> CreateTokenPayload:
        token, secret = await token_resolvers.create(info.context, input.org, input.role, input.name, input.expires_at)
        return CreateTokenPayload(token=Token.of(token), secret=secret)

    @strawberry.mutation(
        permission_classes=[Administers], description="Revoke an API token of the org (admin only); idempotent."
    )
    async def revoke_token(self, info: Info, input: RevokeTokenInput) -> RevokeTokenPayload:
        return RevokeTokenPayload(token=Token.of(await token_resolvers.revoke(info.context, input.org, str(input.id))))

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Define a custom attestation type of the org (admin only), or redefine it as its next version. "
        'Attest with it through `attest(input: {type: "custom:NAME", attestationData})` or `kosli attest custom`.',
    )
    async def create_attestation_type(
        self, info: Info, input: CreateAttestationTypeInput
    ) -> CreateAttestationTypePayload:
        found = await attestation_type_resolvers.create(info.context, to_data(input))
        return CreateAttestationTypePayload(attestation_type=AttestationType.of(found))

    # --- webhooks (docs/live.md#webhooks) ---

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Register a webhook of the org (admin only): its changes of the chosen events are POSTed to "
        "`url` as JSON signed with the secret (`X-Tracegraph-Signature-256`), retried with backoff. The answer holds "
        "the secret: store it now, it is never shown again.",
    )
    async def create_webhook(self, info: Info, input: CreateWebhookInput) -> CreateWebhookPayload:
        found, secret = await webhook_resolvers.create(info.context, to_data(input))
        return CreateWebhookPayload(webhook=Webhook.of(found), secret=secret)

    @strawberry.mutation(permission_classes=[Administers], description="Delete a webhook and its deliveries (admin).")
    async def delete_webhook(self, info: Info, input: DeleteWebhookInput) -> DeleteWebhookPayload:
        found = await webhook_resolvers.delete(info.context, input.org, str(input.id))
        return DeleteWebhookPayload(webhook=Webhook.of(found))

    @strawberry.mutation(
        permission_classes=[Administers],
        description="Send a delivery again (admin only): a new series of attempts with the same body and "
        "idempotency key, whatever its status.",
    )
    async def replay_webhook_delivery(
        self, info: Info, input: ReplayWebhookDeliveryInput
    ) -> ReplayWebhookDeliveryPayload:
        found = await webhook_resolvers.replay(info.context, input.org, str(input.id))
        return ReplayWebhookDeliveryPayload(delivery=WebhookDelivery.of(found))


@strawberry.input(description="A new API token of `org`.")
class CreateTokenInput:
    org: str = strawberry.field(description="The org the token belongs to.")
    role: Role = strawberry.field(description="What it may do there.")
    name: str = strawberry.field(default="token", description="What it is for; 1-200 printable characters.")
    expires_at: datetime | None = strawberry.field(default=None, description="When it stops working; null: never.")


@strawberry.input(description="The token to revoke.")
class RevokeTokenInput:
    org: str = strawberry.field(description="The token's org.")
    id: strawberry.ID = strawberry.field(description="The token's id.")


@strawberry.type(description="A new token and, this once, its secret.")
class CreateTokenPayload:
    token: Token = strawberry.field(description="The token.")
    secret: str = strawberry.field(description="Send it as `Authorization: Bearer <secret>`; never shown again.")


@strawberry.type(description="The revoked token.")
class RevokeTokenPayload:
    token: Token = strawberry.field(description="The token, with `revokedAt` set.")
