"""`tracegraph versions --flow F | --name TEXT`: which version of a service runs in every environment, now."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.table import render

VERSIONS = """
query Versions($org: String!, $flow: String, $name: String) {
  versions(org: $org, flow: $flow, name: $name) {
    environment { name }
    snapshot { index }
    running { name fingerprint instances since artifacts { flow { name } commit { sha } } }
  }
}
"""


def rows(found: list[dict[str, Any]]) -> list[list[str]]:
    table = [["ENVIRONMENT", "SNAPSHOT", "NAME", "FLOW", "COMMIT", "FINGERPRINT", "INSTANCES"]]
    for place in found:
        snapshot = place["snapshot"]
        where = [place["environment"]["name"], f"#{snapshot['index']}" if snapshot else "never reported"]
        if not place["running"]:
            table.append([*where, "(not running)", "", "", "", ""])
        for item in place["running"]:
            builds = item["artifacts"] or [{"flow": None, "commit": None}]
            for build in builds:
                flow = build["flow"]["name"] if build["flow"] else "(no provenance)"
                commit = build["commit"]["sha"][:7] if build["commit"] else ""
                table.append([*where, item["name"], flow, commit, item["fingerprint"][:12], str(item["instances"])])
    return table


def versions(
    ctx: typer.Context,
    flow: Annotated[str | None, typer.Option("--flow", "-f", help="The flow whose builds to look for.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="Text the running artifact's name contains (e.g. an image).")
    ] = None,
) -> None:
    """Show which version of a service runs in every environment now (by flow, or by name)."""
    if (flow is None) == (name is None):
        raise CliError("give exactly one of --flow and --name")
    settings = options(ctx)
    with client(ctx) as graphql:
        variables = {"org": settings.require_org(), "flow": flow, "name": name}
        found = graphql.execute(VERSIONS, variables, flags={"flow": "--flow", "name": "--name"})["versions"]
    if settings.output is Output.JSON:
        emit_json(shapes.versions(found))
        return
    typer.echo(render(rows(found)))


versions_command = fails_cleanly(versions)
