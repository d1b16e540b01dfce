# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""The webhook mutations' inputs and payloads (docs/live.md#webhooks); the fields themselves are on `Mutation`."""

from __future__ import annotations

import strawberry

from tracegraph.graph.webhooks import SECRET_RULE, WEBHOOK_URL_RULE, WebhookEvent
from tracegraph.schema.types.webhook import Webhook, WebhookDelivery


@strawberry.input(description="A new webhook of `org`.")
class CreateWebhookInput:
    org: str = strawberry.field(description="The org whose changes it receives.")
    url: str = strawberry.field(description=f"Where deliveries are POSTed: {WEBHOOK_URL_RULE}.")
    events: list[WebhookEvent] = strawberry.field(description="The events it receives (at least one).")
    secret: str | None = strawberry.field(
        default=None,
        description=f"The HMAC-SHA256 key signing each delivery ({SECRET_RULE}); null: a random one is made. "
        "Answered once, in the payload; never again.",
    )
    environments: list[str] | None = strawberry.field(
        default=None, description="Only events naming one of these environments (null or empty: all)."
    )
    flows: list[str] | None = strawberry.field(
        default=None, description="Only events naming one of these flows (null or empty: all)."
    )
    active: bool = strawberry.field(default=True, description="Whether it receives deliveries.")


@strawberry.input(description="The webhook to delete, with its deliveries.")
class DeleteWebhookInput:
    org: str = strawberry.field(description="The webhook's org.")
    id: strawberry.ID = strawberry.field(description="The webhook's id.")


@strawberry.input(description="The delivery to send again.")
class ReplayWebhookDeliveryInput:
    org: str = strawberry.field(description="The delivery's org.")
    id: strawberry.ID = strawberry.field(description="The delivery's id.")


@strawberry.type(description="The new webhook and, this once, its secret.")
class CreateWebhookPayload:
    webhook: Webhook = strawberry.field(description="The webhook.")
    secret: str = strawberry.field(description="Verify `X-Tracegraph-Signature-256` with it; never shown again.")


@strawberry.type(description="The deleted webhook.")
class DeleteWebhookPayload:
    webhook: Webhook = strawberry.field(description="The webhook as it was.")


@strawberry.type(description="The delivery, due again.")
class ReplayWebhookDeliveryPayload:
    delivery: WebhookDelivery = strawberry.field(description="The delivery, PENDING in a new series of attempts.")
