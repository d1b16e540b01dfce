"""`tracegraph list environments | flows | artifacts | snapshots`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracegraph.cli import table
from tracegraph.cli.client import GraphQLClient
from tracegraph.cli.commands.log import log_env
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.timefmt import rfc1123

app = command_group("List environments, flows, artifacts or snapshots.")

ENVIRONMENTS = """
query Environments($org: String!, $after: String) {
  environments(org: $org, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { name type lastReportedAt latestIndex }
  }
}
"""
FLOWS = """
query Flows($org: String!, $after: String) {
  flows(org: $org, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { name description repoUrl }
  }
}
"""
ARTIFACTS = """
query FlowArtifacts($org: String!, $flow: String!, $first: Int!) {
  flow(org: $org, name: $flow) {
    artifacts(first: $first) { totalCount nodes { name fingerprint gitCommit createdAt state } }
  }
}
"""


def _all(graphql: GraphQLClient, query: str, field: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = graphql.execute(query, {**variables, "after": after})[field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@app.command("environments")
@fails_cleanly
def list_environments(ctx: typer.Context) -> None:
    """Every environment of the org."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = _all(graphql, ENVIRONMENTS, "environments", {"org": settings.require_org()})
    if settings.output is Output.JSON:
        emit_json(found)
        return
    rows = [["NAME", "TYPE", "LAST REPORT", "LATEST SNAPSHOT"]]
    for env in found:
        reported = rfc1123(env["lastReportedAt"]) if env["lastReportedAt"] else "never"
        rows.append([env["name"], env["type"], reported, f"#{env['latestIndex']}" if env["latestIndex"] else "-"])
    typer.echo(table.render(rows))


@app.command("flows")
@fails_cleanly
def list_flows(ctx: typer.Context) -> None:
    """Every flow of the org."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = _all(graphql, FLOWS, "flows", {"org": settings.require_org()})
    if settings.output is Output.JSON:
        emit_json(found)
        return
    rows = [["NAME", "DESCRIPTION", "REPOSITORY"]]
    rows += [[flow["name"], flow["description"] or "-", flow["repoUrl"] or "-"] for flow in found]
    typer.echo(table.render(rows))


@app.command("artifacts")
@fails_cleanly
def list_artifacts(
    ctx: typer.Context,
    flow: Annotated[str, typer.Option(help="The flow whose artifacts to list.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many, newest first.")] = 15,
) -> None:
    """A flow's artifacts, newest first."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = graphql.execute(ARTIFACTS, {"org": settings.require_org(), "flow": flow, "first": limit})
    artifacts = found["flow"]["artifacts"]["nodes"]
    if settings.output is Output.JSON:
        emit_json(artifacts)
        return
    rows = [["COMMIT", "ARTIFACT", "STATE", "CREATED AT"]]
    rows += [[(a["gitCommit"] or "N/A")[:7], a["name"], a["state"], rfc1123(a["createdAt"])] for a in artifacts]
    typer.echo(table.render(rows))


@app.command("snapshots")
def list_snapshots(
    ctx: typer.Context,
    environment: Annotated[str, typer.Argument(help="The environment's name.")],
    interval: Annotated[str | None, typer.Option(help="Snapshot numbers, e.g. 176..177.")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_limit: Annotated[int, typer.Option(min=1, max=100)] = 15,
    reverse: Annotated[bool, typer.Option(help="Oldest first.")] = False,
) -> None:
    """An environment's snapshots with their events (the same as `log env`)."""
    log_env(ctx, environment, interval=interval, page=page, page_limit=page_limit, reverse=reverse)
