"""`tracegraph admin webhook ...`: register, list and delete an org's webhooks, page their deliveries and replay
one — on the store directly, like the rest of `admin`. A running server's dispatcher sends what is due (a replay
made here within its sweep, about 5 s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tracegraph.cli import table
from tracegraph.cli import webhook_shapes as shapes
from tracegraph.cli.admin import DataDir, Neo4jUri, _on_store, _parsed
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.graph.selectors import MAX_PAGE
from tracegraph.graph.webhooks import WebhookEvent, WebhookInput, new_secret

app = command_group("Webhooks of an org: create, list, delete, deliveries, replay (docs/live.md).")

Org = Annotated[str, typer.Option(help="The org.")]


def _json(ctx: typer.Context) -> bool:
    return options(ctx).output is Output.JSON


@app.command("create")
@fails_cleanly
def create(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="Where deliveries are POSTed: https, or http to a loopback host.")],
    org: Org,
    event: Annotated[
        list[WebhookEvent],
        typer.Option("--event", help="An event it receives (repeat for several).", case_sensitive=False),
    ],
    secret_file: Annotated[
        Path | None, typer.Option(help="Read the signing secret from this file; default: a random one is made.")
    ] = None,
    environment: Annotated[list[str] | None, typer.Option(help="Only events of this environment (repeat).")] = None,
    flow: Annotated[list[str] | None, typer.Option(help="Only events of this flow (repeat).")] = None,
    inactive: Annotated[bool, typer.Option("--inactive", help="Register it without deliveries.")] = False,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Register a webhook and print its secret — once: it is never shown again."""
    secret = secret_file.read_text().strip() if secret_file is not None else new_secret()
    values = {
        "org": org,
        "url": url,
        "events": event,
        "secret": secret,
        "environments": environment or [],
        "flows": flow or [],
        "active": not inactive,
    }
    wanted = _parsed(WebhookInput, values)
    made = _on_store(data_dir, neo4j_uri, lambda store: store.create_webhook(wanted))
    if _json(ctx):
        typer.echo(json.dumps(shapes.created(made, secret), indent=2))
        return
    typer.echo(f"Webhook {made.id} in {made.org}: {', '.join(e.value for e in made.events)} -> {made.url}")
    typer.echo(f"Secret (shown once): {secret}")


@app.command("list")
@fails_cleanly
def list_webhooks(ctx: typer.Context, org: Org, data_dir: DataDir = None, neo4j_uri: Neo4jUri = None) -> None:
    """The org's webhooks, oldest first, without secrets."""
    found = _on_store(data_dir, neo4j_uri, lambda store: store.list_webhooks(org))
    if _json(ctx):
        typer.echo(json.dumps([shapes.webhook(item) for item in found], indent=2))
        return
    rows = [["ID", "URL", "EVENTS", "ENVIRONMENTS", "FLOWS", "ACTIVE"]]
    for item in found:
        events = ",".join(event.value for event in item.events)
        active = "yes" if item.active else "no"
        rows.append(
            [item.id, item.url, events, ",".join(item.environments) or "*", ",".join(item.flows) or "*", active]
        )
    typer.echo(table.render(rows))


@app.command("delete")
@fails_cleanly
def delete(
    ctx: typer.Context,
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id (see list).")],
    org: Org,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Delete a webhook and its deliveries."""
    gone = _on_store(data_dir, neo4j_uri, lambda store: store.delete_webhook(org, webhook_id))
    if _json(ctx):
        typer.echo(json.dumps(shapes.webhook(gone), indent=2))
        return
    typer.echo(f"Deleted webhook {gone.id} ({gone.url})")


@app.command("deliveries")
@fails_cleanly
def deliveries(
    ctx: typer.Context,
    webhook_id: Annotated[str, typer.Argument(help="The webhook's id (see list).")],
    org: Org,
    failed: Annotated[bool, typer.Option("--failed", help="Only deliveries given up.")] = False,
    limit: Annotated[int, typer.Option(help=f"How many, newest first (1-{MAX_PAGE}).")] = 20,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """A webhook's last deliveries, newest first, with their attempts."""
    if not 1 <= limit <= MAX_PAGE:
        raise CliError(f"--limit: must be between 1 and {MAX_PAGE}")
    found = _on_store(
        data_dir,
        neo4j_uri,
        lambda store: store.webhook_deliveries(org, webhook_id, limit=limit + 1, failed_only=failed),
    )
    if len(found) > limit:  # one more than asked: the list is cut, and says so (on stderr, so JSON stays an array)
        found = found[:limit]
        more = f"raise --limit (up to {MAX_PAGE}) or" if limit < MAX_PAGE else "for older ones,"
        typer.echo(f"The newest {limit} deliveries only: {more} page Webhook.deliveries over GraphQL.", err=True)
    if _json(ctx):
        typer.echo(json.dumps([shapes.delivery(item) for item in found], indent=2))
        return
    rows = [["DELIVERY", "EVENT", "CHANGE", "STATUS", "ATTEMPTS", "LAST ANSWER", "NEXT ATTEMPT"]]
    for item in found:
        last = item.attempts[-1] if item.attempts else None
        answer = "-" if last is None else str(last.status_code) if last.status_code is not None else str(last.error)
        when = item.next_attempt_at.isoformat() if item.next_attempt_at else "-"
        rows.append(
            [item.id, item.event.value, str(item.change_id), item.status.value, str(len(item.attempts)), answer, when]
        )
    typer.echo(table.render(rows))


@app.command("replay")
@fails_cleanly
def replay(
    ctx: typer.Context,
    delivery_id: Annotated[str, typer.Argument(help="The delivery's id (see deliveries).")],
    org: Org,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Send a delivery again: a new series of attempts, the same body and idempotency key."""
    again = _on_store(data_dir, neo4j_uri, lambda store: store.replay_webhook_delivery(org, delivery_id))
    if _json(ctx):
        typer.echo(json.dumps(shapes.delivery(again), indent=2))
        return
    typer.echo(f"Delivery {again.id} is due again (series {again.series})")
