"""`tracegraph get snapshot | artifact | environment | flow`."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes, table
from tracegraph.cli.client import CliError, GraphQLClient
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.timefmt import age, rfc1123

app = command_group("Show one snapshot, artifact, environment or flow.")

ARTIFACT_FIELDS = """
fragment ArtifactBlock on Artifact {
  name fingerprint createdAt gitCommit commitUrl buildUrl state trail
  flow { name }
  history { kind description at environment snapshotIndex deploymentNumber }
}
"""
ARTIFACT_BY_FINGERPRINT = (
    ARTIFACT_FIELDS
    + """
query Artifact($org: String!, $flow: String!, $fingerprint: String!) {
  artifact(org: $org, flow: $flow, fingerprint: $fingerprint) { ...ArtifactBlock }
}
"""
)
ARTIFACTS_BY_COMMIT = (
    ARTIFACT_FIELDS
    + """
query Artifacts($org: String!, $flow: String, $commit: String!) {
  artifacts(org: $org, flow: $flow, commit: $commit) { ...ArtifactBlock }
}
"""
)
SNAPSHOT = """
query Snapshot($org: String!, $env: String!, $expr: String, $after: String) {
  environment(org: $org, name: $env) {
    name
    snapshot(expr: $expr) {
      index reportedAt
      running(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { name fingerprint instances sinceIndex artifacts { flow { name } gitCommit state } }
      }
    }
  }
}
"""
ENVIRONMENT = """
query Environment($org: String!, $env: String!) {
  environment(org: $org, name: $env) {
    name type description createdAt lastReportedAt lastChangedAt latestIndex
  }
}
"""
FLOW = """
query Flow($org: String!, $name: String!) {
  flow(org: $org, name: $name) { name description repoUrl createdAt }
}
"""

_SNAPSHOT_EXPR = re.compile(r"^(?P<env>[^#~@]+)(?P<expr>[#~@].*)?$")


def split_snapshot_expr(text: str) -> tuple[str, str | None]:
    """`aws-prod#176` → (`aws-prod`, `#176`); `aws-prod` → (`aws-prod`, None). A time without a zone,
    `aws-prod@{2022-09-06T16:52:00}`, is the user's local time: it is sent with the local offset."""
    match = _SNAPSHOT_EXPR.match(text.strip())
    if match is None:
        raise CliError(f"{text!r} is not ENV, ENV#N, ENV~N or ENV@{{time}}")
    return match.group("env"), with_local_zone(match.group("expr"))


def with_local_zone(expr: str | None) -> str | None:
    if not expr or not (expr.startswith("@{") and expr.endswith("}")):
        return expr
    try:
        moment = datetime.fromisoformat(expr[2:-1].strip())
    except ValueError:
        return expr  # the server names the rule
    return "@{" + (moment if moment.tzinfo else moment.astimezone()).isoformat() + "}"


def artifact_block(artifact: dict[str, Any]) -> str:
    labelled = [
        ("Name:", artifact["name"]),
        ("Flow:", artifact["flow"]["name"]),
        ("Fingerprint:", artifact["fingerprint"]),
        ("Created on:", f"{rfc1123(artifact['createdAt'])} \u2022 {age(artifact['createdAt'])}"),
        ("Git commit:", artifact["gitCommit"] or "N/A"),
        ("Commit URL:", artifact["commitUrl"] or "N/A"),
        ("Build URL:", artifact["buildUrl"] or "N/A"),
        ("State:", artifact["state"]),
    ]
    lines = [f"{label:<13}{value}" for label, value in labelled]
    lines.append("History:")
    width = max((len(entry["description"]) for entry in artifact["history"]), default=0) + 4
    lines += [f"    {entry['description']:<{width}}{rfc1123(entry['at'])}" for entry in artifact["history"]]
    return "\n".join(lines)


def fetch_artifacts(graphql: GraphQLClient, org: str, reference: str) -> list[dict[str, Any]]:
    """`FLOW@FINGERPRINT-PREFIX` or `FLOW:COMMIT-PREFIX`."""
    if "@" in reference:
        flow, fingerprint = reference.split("@", 1)
        variables = {"org": org, "flow": flow, "fingerprint": fingerprint}
        data = graphql.execute(ARTIFACT_BY_FINGERPRINT, variables, flags={"fingerprint": "FINGERPRINT-PREFIX"})
        return [data["artifact"]]
    if ":" in reference:
        flow, commit = reference.split(":", 1)
        found: list[dict[str, Any]] = graphql.execute(
            ARTIFACTS_BY_COMMIT, {"org": org, "flow": flow or None, "commit": commit}, flags={"commit": "COMMIT-PREFIX"}
        )["artifacts"]
        if not found:
            raise CliError(f"no artifact of flow '{flow}' was built from commit {commit}")
        return found
    raise CliError(f"{reference!r} must be FLOW@FINGERPRINT-PREFIX or FLOW:COMMIT-PREFIX")


@app.command("artifact")
@fails_cleanly
def get_artifact(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="FLOW@FINGERPRINT-PREFIX or FLOW:COMMIT-PREFIX (≥ 5 hex).")],
) -> None:
    """Show an artifact: its build, commit, state and history."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = fetch_artifacts(graphql, settings.require_org(), reference)
    if settings.output is Output.JSON:
        # As kosli answers: one artifact for a fingerprint, every build from the commit for a commit.
        shaped = [shapes.artifact(artifact) for artifact in found]
        emit_json(shaped[0] if "@" in reference else shaped)
        return
    typer.echo("\n\n".join(artifact_block(artifact) for artifact in found))


@app.command("snapshot")
@fails_cleanly
def get_snapshot(
    ctx: typer.Context,
    expression: Annotated[str, typer.Argument(help="ENV (latest), ENV#N, ENV~N (N before latest) or ENV@{time}.")],
) -> None:
    """Show what runs in a snapshot, with each artifact's flow and commit."""
    settings = options(ctx)
    environment, expr = split_snapshot_expr(expression)
    nodes: list[dict[str, Any]] = []
    after = None
    with client(ctx) as graphql:
        while True:
            variables = {"org": settings.require_org(), "env": environment, "expr": expr, "after": after}
            data = graphql.execute(SNAPSHOT, variables, flags={"expr": "EXPRESSION", "after": "EXPRESSION"})
            snapshot = data["environment"]["snapshot"]
            nodes += snapshot["running"]["nodes"]
            if not snapshot["running"]["pageInfo"]["hasNextPage"]:
                break
            after = snapshot["running"]["pageInfo"]["endCursor"]
    if settings.output is Output.JSON:
        emit_json(shapes.snapshot(environment, snapshot, nodes))
        return
    typer.echo(f"Snapshot {environment}#{snapshot['index']}, reported at {rfc1123(snapshot['reportedAt'])}")
    rows = [["COMMIT", "ARTIFACT", "FLOW", "RUNNING_SINCE", "REPLICAS"]]
    for running in nodes:
        artifacts = running["artifacts"]
        commits = ", ".join(sorted({(a["gitCommit"] or "N/A")[:7] for a in artifacts})) or "N/A"
        flows = ", ".join(a["flow"]["name"] for a in artifacts) or "(no provenance)"
        rows.append(
            [commits, f"Name: {running['name']}", flows, f"#{running['sinceIndex']}", str(running["instances"])]
        )
        rows.append(["", f"Fingerprint: {running['fingerprint']}", "", "", ""])
        rows.append(["", "", "", "", ""])
    typer.echo(table.render(rows))


@app.command("environment")
@fails_cleanly
def get_environment(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The environment's name.")]) -> None:
    """Show an environment."""
    settings = options(ctx)
    with client(ctx) as graphql:
        env = graphql.execute(ENVIRONMENT, {"org": settings.require_org(), "env": name})["environment"]
    if settings.output is Output.JSON:
        emit_json(shapes.environment(env))
        return
    never = "never"
    typer.echo(
        table.render(
            [
                ["Name:", env["name"]],
                ["Type:", env["type"]],
                ["Description:", env["description"] or "-"],
                ["Created on:", rfc1123(env["createdAt"])],
                ["Last reported:", rfc1123(env["lastReportedAt"]) if env["lastReportedAt"] else never],
                ["Last changed:", rfc1123(env["lastChangedAt"]) if env["lastChangedAt"] else never],
                ["Latest snapshot:", f"#{env['latestIndex']}" if env["latestIndex"] else "none yet"],
            ]
        )
    )


@app.command("flow")
@fails_cleanly
def get_flow(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The flow's name.")]) -> None:
    """Show a flow."""
    settings = options(ctx)
    with client(ctx) as graphql:
        flow = graphql.execute(FLOW, {"org": settings.require_org(), "name": name})["flow"]
    if settings.output is Output.JSON:
        emit_json(shapes.flow(flow))
        return
    typer.echo(
        table.render(
            [
                ["Name:", flow["name"]],
                ["Description:", flow["description"] or "-"],
                ["Repository:", flow["repoUrl"] or "-"],
                ["Created on:", rfc1123(flow["createdAt"])],
            ]
        )
    )
