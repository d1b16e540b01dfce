"""Webhooks over GraphQL (admin only): register one (its secret answered once), list, delete, page a hook's
deliveries, replay one. Inputs are validated once by `WebhookInput`."""

from __future__ import annotations

from typing import Any

from tracegraph.graph.model import Role
from tracegraph.graph.webhooks import Delivery, Webhook, WebhookInput, new_secret
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.paging import Page, decode_cursor, encode_cursor, page_args
from tracegraph.resolvers.writes import write


async def create(ctx: Context, data: dict[str, Any]) -> tuple[Webhook, str]:
    """The hook and its secret: the one given, or a new random one when none was."""
    secret = data.get("secret") or new_secret()
    return await write(WebhookInput, {**data, "secret": secret}, ctx.store.create_webhook), secret


async def delete(ctx: Context, org: str, webhook_id: str) -> Webhook:
    return await ctx.store.delete_webhook(org, webhook_id)


async def replay(ctx: Context, org: str, delivery_id: str) -> Delivery:
    found = await ctx.store.replay_webhook_delivery(org, delivery_id)
    if ctx.wake_webhooks is not None:
        ctx.wake_webhooks()
    return found


async def of_org(ctx: Context, org: str) -> list[Webhook]:
    # Reached through `org(name)`, which a reader may call: hooks are for admins (their URLs may be private).
    await ctx.access.require(org, Role.ADMIN)
    return await ctx.store.list_webhooks(org)


async def deliveries(
    ctx: Context, org: str, webhook_id: str, *, first: int | None, after: str | None, failed_only: bool
) -> Page[Delivery]:
    """Newest first, keyset on the (change id, event) of the last delivery seen (the store's own paging)."""
    args = page_args("webhook_delivery", first=first, after=after)
    key = decode_cursor("webhook_delivery", after, field="after") if after is not None else None
    before = (int(key[0]), str(key[1])) if key is not None else None
    if args.size == 0:
        return Page([], has_next=False, has_previous=before is not None, total=None)
    ctx.loaders.spend("deliveries")  # one call per webhook: under `webhooks { deliveries }` that is per item
    found = await ctx.store.webhook_deliveries(
        org, webhook_id, limit=args.size + 1, before=before, failed_only=failed_only
    )
    rows = found[: args.size]
    items = [(encode_cursor("webhook_delivery", (row.change_id, row.event.value)), row) for row in rows]
    return Page(items, has_next=len(found) > args.size, has_previous=before is not None, total=None)
