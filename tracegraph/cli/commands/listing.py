"""`tracegraph list environments | flows | artifacts | snapshots`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes, table
from tracegraph.cli.client import GraphQLClient
from tracegraph.cli.commands.log import page_interval_of
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.timefmt import rfc1123, span

app = command_group("List environments, flows, artifacts or snapshots.")

ENVIRONMENTS = """
query Environments($org: String!, $after: String) {
  environments(org: $org, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { name type description createdAt lastReportedAt lastChangedAt latestIndex }
  }
}
"""
FLOWS = """
query Flows($org: String!, $after: String) {
  flows(org: $org, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { name description repoUrl createdAt }
  }
}
"""
ARTIFACTS = """
query FlowArtifacts($org: String!, $flow: String!, $first: Int!) {
  flow(org: $org, name: $flow) {
    artifacts(first: $first) {
      totalCount nodes { name fingerprint flow { name } gitCommit commitUrl buildUrl createdAt state }
    }
  }
}
"""
SNAPSHOTS = """
query SnapshotList($org: String!, $env: String!, $interval: String, $oldestFirst: Boolean!, $after: String) {
  environment(org: $org, name: $env) {
    latestIndex
    snapshots(interval: $interval, first: 100, after: $after, oldestFirst: $oldestFirst) {
      pageInfo { hasNextPage endCursor }
      nodes { index reportedAt compliant }
    }
  }
}
"""
SUCCESSORS = """
query Successors($org: String!, $env: String!, $indexes: [Int!]!) {
  environment(org: $org, name: $env) { snapshotSummaries(indexes: $indexes) { index reportedAt } }
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
        emit_json([shapes.environment(env) for env in found])
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
        emit_json([shapes.flow(flow) for flow in found])
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
        emit_json([shapes.artifact_item(artifact) for artifact in artifacts])
        return
    rows = [["COMMIT", "ARTIFACT", "STATE", "CREATED AT"]]
    rows += [[(a["gitCommit"] or "N/A")[:7], a["name"], a["state"], rfc1123(a["createdAt"])] for a in artifacts]
    typer.echo(table.render(rows))


@app.command("snapshots")
@fails_cleanly
def list_snapshots(
    ctx: typer.Context,
    environment: Annotated[str, typer.Argument(help="The environment's name.")],
    interval: Annotated[str | None, typer.Option(help="Snapshot numbers, e.g. 176..177, 176.. or ..177.")] = None,
    page: Annotated[int, typer.Option(min=1, help="Page number, newest page first.")] = 1,
    page_limit: Annotated[int, typer.Option(min=1, max=100, help="Snapshots per page.")] = 15,
    reverse: Annotated[bool, typer.Option(help="Oldest first.")] = False,
) -> None:
    """An environment's snapshots: when each was current and whether it was compliant (`log env` shows what
    changed in each)."""
    settings = options(ctx)
    org = settings.require_org()
    with client(ctx) as graphql:
        interval = interval or page_interval_of(graphql, org, environment, page, page_limit, reverse)
        found, latest = _snapshots(graphql, org, environment, interval, reverse)
        replaced = _replaced_at(graphql, org, environment, found, latest)
    now = datetime.now(UTC)
    items = [shapes.snapshot_item(snapshot, replaced.get(snapshot["index"] + 1), now) for snapshot in found]
    if settings.output is Output.JSON:
        emit_json(items)
        return
    if not items:
        typer.echo(f"No snapshots of {environment} in {interval}.")
        return
    rows = [["SNAPSHOT", "FROM", "TO", "DURATION", "COMPLIANT"]]
    rows += [
        [
            str(item["index"]),
            rfc1123(item["from"]),
            rfc1123(item["to"]) if item["to"] else "now",
            span(item["duration"]),
            "true" if item["compliant"] else "false",
        ]
        for item in items
    ]
    typer.echo(table.render(rows))


def _snapshots(
    graphql: GraphQLClient, org: str, environment: str, interval: str, reverse: bool
) -> tuple[list[dict[str, Any]], int]:
    """Every snapshot of the interval, page by page (never cut at a page's size), and the latest index."""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"org": org, "env": environment, "interval": interval, "oldestFirst": reverse, "after": after}
        answer = graphql.execute(SNAPSHOTS, variables, flags={"interval": "--interval"})["environment"]
        page = answer["snapshots"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found, answer["latestIndex"]
        after = page["pageInfo"]["endCursor"]


def _replaced_at(
    graphql: GraphQLClient, org: str, environment: str, found: list[dict[str, Any]], latest: int
) -> dict[int, str]:
    """When each snapshot's successor was reported, by the successor's index: the page's own times, and one more
    read for the successor of its newest snapshot when that is not the latest."""
    times = {snapshot["index"]: snapshot["reportedAt"] for snapshot in found}
    missing = sorted({snapshot["index"] + 1 for snapshot in found if snapshot["index"] < latest} - set(times))
    if missing:
        variables = {"org": org, "env": environment, "indexes": missing}
        summaries = graphql.execute(SUCCESSORS, variables)["environment"]["snapshotSummaries"]
        times.update({summary["index"]: summary["reportedAt"] for summary in summaries})
    return times
