"""`tracegraph log env ENV`: an environment's changes, newest first, as the tutorial shows them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracegraph.cli import shapes, table
from tracegraph.cli.client import CliError, GraphQLClient
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.timefmt import rfc1123

app = command_group("Show the history of an environment.")

LATEST_INDEX = """
query LatestIndex($org: String!, $env: String!) { environment(org: $org, name: $env) { latestIndex } }
"""
LOG = """
query Log(
  $org: String!, $env: String!, $interval: String, $first: Int, $after: String, $oldestFirst: Boolean!,
  $repos: [String!]
) {
  environment(org: $org, name: $env) {
    name
    snapshots(interval: $interval, first: $first, after: $after, oldestFirst: $oldestFirst, repos: $repos) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        index
        reportedAt
        events(first: 100) {
          totalCount
          nodes {
            type description fingerprint name findings
            artifacts { name flow { name } gitCommit }
            deployments { number }
          }
        }
      }
    }
  }
}
"""


LOG_FLAGS = {"interval": "--interval", "repos": "--repo", "repo_urls": "--repo"}


def page_interval(latest: int, page: int, limit: int, reverse: bool) -> str | None:
    """Page N of `limit` snapshots, newest first (oldest first with `reverse`), as an index interval."""
    if reverse:
        low = (page - 1) * limit + 1
        return f"{low}..{min(latest, low + limit - 1)}" if low <= latest else None
    high = latest - (page - 1) * limit
    return f"{max(1, high - limit + 1)}..{high}" if high >= 1 else None


def log_rows(snapshots: list[dict[str, Any]]) -> list[list[str]]:
    rows = [["SNAPSHOT", "EVENT", "FLOW", "DEPLOYMENTS"]]
    for position, snapshot in enumerate(snapshots):
        number = f"#{snapshot['index']}"
        reported = f"Reported at: {rfc1123(snapshot['reportedAt'])}"
        events = snapshot["events"]["nodes"]
        if not events:
            rows += [[number, "No changes to what is running.", "", ""], ["", reported, "", ""]]
        for event in events:
            # Each name followed by a space, as Kosli prints them: the columns then line up with the tutorial's.
            flows = "".join(
                f"{name} " for name in sorted({artifact["flow"]["name"] for artifact in event["artifacts"]})
            )
            deployments = "".join(f"#{deployment['number']} " for deployment in event["deployments"])
            rows += [
                [number, f"Artifact: {event['name']}", flows, deployments],
                ["", f"Fingerprint: {event['fingerprint']}", "", ""],
                ["", f"Description: {event['description']}", "", ""],
                ["", reported, "", ""],
            ]
            if event.get("findings"):  # only when something is wrong: the tutorial's lines stay as Kosli prints them
                rows.append(["", f"Findings: {', '.join(event['findings'])}", "", ""])
            number = ""
            rows.append(["", "", "", ""])
        if (hidden := snapshot["events"]["totalCount"] - len(events)) > 0:
            rows += [["", f"… and {hidden} more events not shown (page the snapshot's `events` in GraphQL)", "", ""]]
            rows.append(["", "", "", ""])
        if not events and position < len(snapshots) - 1:
            rows.append(["", "", "", ""])
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


@app.command("env")
@fails_cleanly
def log_env(
    ctx: typer.Context,
    environment: Annotated[str, typer.Argument(help="The environment's name.")],
    interval: Annotated[str | None, typer.Option(help="Snapshot numbers, e.g. 176..177, 176.. or ..177.")] = None,
    page: Annotated[int, typer.Option(min=1, help="Page number, newest page first.")] = 1,
    page_limit: Annotated[int, typer.Option(min=1, max=100, help="Snapshots per page.")] = 15,
    reverse: Annotated[bool, typer.Option(help="Oldest first.")] = False,
    repo: Annotated[
        list[str] | None,
        typer.Option(
            help="Only changes of artifacts built from a commit of this repository (its URL); repeatable.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List an environment's snapshots with what started, stopped or scaled in each."""
    settings = options(ctx)
    org = settings.require_org()
    with client(ctx) as graphql:
        if repo and interval is None:
            data = _filtered_page(graphql, org, environment, repo, page, page_limit, reverse)
            shown = f"page {page} of its changes from {', '.join(repo)}"
        else:
            interval = interval or page_interval_of(graphql, org, environment, page, page_limit, reverse)
            variables = {"org": org, "env": environment, "interval": interval, "first": 100, "repos": repo}
            data = graphql.execute(LOG, {**variables, "oldestFirst": reverse}, flags=LOG_FLAGS)
            shown = interval
    snapshots = data["environment"]["snapshots"]["nodes"]
    if settings.output is Output.JSON:
        emit_json(shapes.log_events(environment, snapshots))
        return
    if not snapshots:
        typer.echo(f"No snapshots of {environment} in {shown}.")
        return
    typer.echo(table.render(log_rows(snapshots)))


def page_interval_of(graphql: GraphQLClient, org: str, environment: str, page: int, limit: int, reverse: bool) -> str:
    latest = graphql.execute(LATEST_INDEX, {"org": org, "env": environment})["environment"]["latestIndex"]
    interval = page_interval(latest, page, limit, reverse)
    if interval is None:
        raise CliError(f"page {page} is past the last snapshot of {environment} (#{latest})")
    return interval


def _filtered_page(
    graphql: GraphQLClient, org: str, environment: str, repos: list[str], page: int, limit: int, reverse: bool
) -> dict[str, Any]:
    """Page N of a filtered log: snapshot numbers no longer say where a page starts, so the cursor is followed."""
    after = None
    variables = {"org": org, "env": environment, "first": limit, "oldestFirst": reverse, "repos": repos}
    for number in range(1, page + 1):
        data = graphql.execute(LOG, {**variables, "after": after}, flags=LOG_FLAGS)
        info = data["environment"]["snapshots"]["pageInfo"]
        if number < page and not info["hasNextPage"]:
            raise CliError(f"page {page} is past the last snapshot of {environment} with changes from these repos")
        after = info["endCursor"]
    return data
