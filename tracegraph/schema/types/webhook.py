# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
"""Webhooks, their deliveries and attempts (docs/live.md#webhooks). The secret is never a field."""

from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import webhooks as domain
from tracegraph.graph.webhooks import DeliveryStatus, WebhookEvent
from tracegraph.resolvers import webhooks as webhook_resolvers
from tracegraph.schema.connection import Connection, connection
from tracegraph.schema.info import Info

strawberry.enum(
    domain.WebhookEvent,
    name="WebhookEvent",
    description="What a webhook is told about: SNAPSHOT_REPORTED (`snapshot.reported`: an environment's running set "
    "changed), ARTIFACT_REPORTED (`artifact.reported`: a build was reported or changed), DEPLOYMENT_REPORTED "
    "(`deployment.reported`), COMMIT_ARRIVED (`commit.arrived`: artifacts built from known commits started running "
    "in an environment; one delivery per snapshot, listing the commits).",
)
strawberry.enum(
    domain.DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING (waiting for an attempt, or being attempted), DELIVERED (a 2xx answer), FAILED (given up: "
    "a 4xx other than 408 and 429, a redirect, or the last of TRACEGRAPH_WEBHOOK_MAX_ATTEMPTS attempts failed).",
)


@strawberry.type(description="One HTTP attempt of a delivery.")
class WebhookAttempt:
    series: int = strawberry.field(description="1 for the first attempts; one more for each replay.")
    number: int = strawberry.field(description="The attempt's number within its series (1..).")
    at: datetime = strawberry.field(description="When it was sent (ISO 8601, UTC).")
    duration_ms: float = strawberry.field(description="How long until the answer's headers (or the error).")
    status_code: int | None = strawberry.field(description="The receiver's HTTP status; null when none came.")
    error: str | None = strawberry.field(description="Why no answer came (connection refused, timeout…).")

    @classmethod
    def of(cls, attempt: domain.DeliveryAttempt) -> WebhookAttempt:
        return cls(
            series=attempt.series,
            number=attempt.number,
            at=attempt.at,
            duration_ms=attempt.duration_ms,
            status_code=attempt.status_code,
            error=attempt.error,
        )


@strawberry.type(description="A change sent (or to be sent) to a webhook: the same body on every attempt.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id (the body's `id`, `X-Tracegraph-Delivery`).")
    webhook_id: strawberry.ID = strawberry.field(description="The webhook's id.")
    event: WebhookEvent = strawberry.field(description="What it tells.")
    change_id: int = strawberry.field(description="The change of the feed it tells about.")
    idempotency_key: str = strawberry.field(description="Stable per webhook, change and event; kept by replays.")
    status: DeliveryStatus = strawberry.field(description="Where it stands.")
    created_at: datetime = strawberry.field(description="When it was planned (ISO 8601, UTC).")
    next_attempt_at: datetime | None = strawberry.field(description="When PENDING: when it is tried next.")
    body: str = strawberry.field(description="The JSON sent, exactly (signed as sent).")
    attempts: list[WebhookAttempt] = strawberry.field(description="Every attempt, oldest first (all of them).")

    @classmethod
    def of(cls, delivery: domain.Delivery) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(delivery.id),
            webhook_id=strawberry.ID(delivery.webhook),
            event=delivery.event,
            change_id=delivery.change_id,
            idempotency_key=delivery.idempotency_key,
            status=delivery.status,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            body=delivery.body,
            attempts=[WebhookAttempt.of(attempt) for attempt in delivery.attempts],
        )


@strawberry.type(description="An HTTP endpoint told about an org's changes, each delivery signed with its secret.")
class Webhook:
    org: strawberry.Private[str]
    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    events: list[WebhookEvent] = strawberry.field(description="The events it receives.")
    environments: list[str] = strawberry.field(description="Only events of these environments (empty: all).")
    flows: list[str] = strawberry.field(description="Only events of these flows (empty: all).")
    active: bool = strawberry.field(description="Whether it receives deliveries.")
    created_at: datetime = strawberry.field(description="When it was created; it receives the changes after it.")

    @classmethod
    def of(cls, webhook: domain.Webhook) -> Webhook:
        return cls(
            org=webhook.org,
            id=strawberry.ID(webhook.id),
            url=webhook.url,
            events=list(webhook.events),
            environments=list(webhook.environments),
            flows=list(webhook.flows),
            active=webhook.active,
            created_at=webhook.created_at,
        )

    @strawberry.field(
        description="Its deliveries, newest first, each with its attempts; `failedOnly`: those given up. Paging: "
        "`first` (default 15, at most 100) and `after`; `totalCount` is null here."
    )
    async def deliveries(
        self, info: Info, first: int | None = None, after: str | None = None, failed_only: bool = False
    ) -> Connection[WebhookDelivery]:
        page = await webhook_resolvers.deliveries(
            info.context, self.org, str(self.id), first=first, after=after, failed_only=failed_only
        )
        return connection(page, WebhookDelivery.of)
