"""`tracegraph findings ENV`: what is wrong in an environment now (or at one snapshot), one table per kind."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes, table
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.timefmt import rfc1123


class Kind(StrEnum):
    """The schema's FindingKind, as the CLI spells them."""

    WITHOUT_PROVENANCE = "WITHOUT_PROVENANCE"
    DEPLOYED_NOT_STARTED = "DEPLOYED_NOT_STARTED"
    STARTED_WITHOUT_DEPLOYMENT = "STARTED_WITHOUT_DEPLOYMENT"
    NON_COMPLIANT = "NON_COMPLIANT"
    ROLL_BACK = "ROLL_BACK"


FIELDS = """
fragment Found on Findings {
  snapshotIndex asOf startWindowSeconds total kinds
  withoutProvenance { name fingerprint instances sinceIndex }
  deployedNotStarted { ...Deployed }
  pendingDeployments { ...Deployed }
  startedWithoutDeployment { name fingerprint sinceIndex artifacts { flow { name } } }
  nonCompliant { running { name sinceIndex } artifact { flow { name } } reasons }
  rollBacks {
    running { name sinceIndex }
    started { flow { name } gitCommit }
    replaced { name gitCommit }
    basis
  }
}
fragment Deployed on DeploymentFinding {
  deployment { number flow { name } fingerprint reportedAt }
  artifact { name }
  windowEndsAt
}
"""
NOW = (
    FIELDS
    + """
query Findings($org: String!, $env: String!, $kinds: [FindingKind!]) {
  environment(org: $org, name: $env) { name findings(kinds: $kinds) { ...Found } }
}
"""
)
AT_SNAPSHOT = (
    FIELDS
    + """
query SnapshotFindings($org: String!, $env: String!, $index: Int!, $kinds: [FindingKind!]) {
  environment(org: $org, name: $env) { name snapshot(index: $index) { findings(kinds: $kinds) { ...Found } } }
}
"""
)


def _short(sha: str | None) -> str:
    return sha[:7] if sha else "unknown"


def _deployments(items: list[dict[str, Any]]) -> list[list[str]]:
    rows = [["DEPLOYMENT", "ARTIFACT", "REPORTED AT", "WINDOW ENDS"]]
    for item in items:
        deployment = item["deployment"]
        name = item["artifact"]["name"] if item["artifact"] else deployment["fingerprint"]
        rows.append(
            [
                f"{deployment['flow']['name']} #{deployment['number']}",
                name,
                rfc1123(deployment["reportedAt"]),
                rfc1123(item["windowEndsAt"]),
            ]
        )
    return rows


def sections(found: dict[str, Any]) -> list[tuple[Kind, str, list[list[str]]]]:
    """Each kind asked for: its title and its table (the header row alone when there is nothing)."""
    asked = set(found["kinds"])
    parts: list[tuple[Kind, str, list[list[str]]]] = []
    if Kind.WITHOUT_PROVENANCE in asked:
        rows = [["NAME", "FINGERPRINT", "INSTANCES", "SINCE"]]
        rows += [
            [item["name"], item["fingerprint"], str(item["instances"]), f"#{item['sinceIndex']}"]
            for item in found["withoutProvenance"]
        ]
        parts.append((Kind.WITHOUT_PROVENANCE, "Running without provenance (no build reported it)", rows))
    if Kind.DEPLOYED_NOT_STARTED in asked:
        title = f"Deployed but not started within {found['startWindowSeconds']:g} s"
        parts.append((Kind.DEPLOYED_NOT_STARTED, title, _deployments(found["deployedNotStarted"])))
    if Kind.STARTED_WITHOUT_DEPLOYMENT in asked:
        rows = [["NAME", "FLOW", "FINGERPRINT", "SINCE"]]
        rows += [
            [
                item["name"],
                ", ".join(artifact["flow"]["name"] for artifact in item["artifacts"]),
                item["fingerprint"],
                f"#{item['sinceIndex']}",
            ]
            for item in found["startedWithoutDeployment"]
        ]
        parts.append((Kind.STARTED_WITHOUT_DEPLOYMENT, "Started without a deployment", rows))
    if Kind.NON_COMPLIANT in asked:
        rows = [["NAME", "FLOW", "SINCE", "REASONS"]]
        rows += [
            [
                item["running"]["name"],
                item["artifact"]["flow"]["name"],
                f"#{item['running']['sinceIndex']}",
                "; ".join(item["reasons"]),
            ]
            for item in found["nonCompliant"]
        ]
        parts.append((Kind.NON_COMPLIANT, "Non-compliant", rows))
    if Kind.ROLL_BACK in asked:
        rows = [["NAME", "FLOW", "SINCE", "COMMIT", "REPLACED", "ITS COMMIT", "BASIS"]]
        rows += [
            [
                item["running"]["name"],
                item["started"]["flow"]["name"],
                f"#{item['running']['sinceIndex']}",
                _short(item["started"]["gitCommit"]),
                item["replaced"]["name"],
                _short(item["replaced"]["gitCommit"]),
                item["basis"],
            ]
            for item in found["rollBacks"]
        ]
        parts.append((Kind.ROLL_BACK, "Rolled back (started as a newer build of its flow stopped)", rows))
    return parts


def render(environment: str, found: dict[str, Any]) -> str:
    where = f"{environment}#{found['snapshotIndex']}" if found["snapshotIndex"] is not None else environment
    lines = [f"{found['total']} finding(s) in {where} as of {rfc1123(found['asOf'])}"]
    for _, title, rows in sections(found):
        lines += ["", f"{title}: {len(rows) - 1}"]
        if len(rows) > 1:
            lines.append(table.render(rows))
    if found["pendingDeployments"]:
        pending = found["pendingDeployments"]
        lines += ["", f"Pending (inside their start window, not findings yet): {len(pending)}"]
        lines.append(table.render(_deployments(pending)))
    return "\n".join(lines)


@fails_cleanly
def findings_command(
    ctx: typer.Context,
    environment: Annotated[str, typer.Argument(help="The environment's name.")],
    snapshot: Annotated[
        int | None, typer.Option(min=1, help="A snapshot number: its findings, judged until the next snapshot.")
    ] = None,
    kind: Annotated[
        list[Kind] | None, typer.Option(help="Only this kind (repeatable); default every kind.", case_sensitive=False)
    ] = None,
) -> None:
    """Show what is wrong in an environment now, or at one snapshot: rogue artifacts, deployments that never started,
    starts without a deployment, non-compliant artifacts, roll-backs."""
    settings = options(ctx)
    variables: dict[str, Any] = {
        "org": settings.require_org(),
        "env": environment,
        "kinds": [item.value for item in kind] if kind else None,
    }
    with client(ctx) as graphql:
        if snapshot is None:
            data = graphql.execute(NOW, variables)
            found = data["environment"]["findings"]
        else:
            data = graphql.execute(AT_SNAPSHOT, {**variables, "index": snapshot})
            found = data["environment"]["snapshot"]["findings"]
    if settings.output is Output.JSON:
        emit_json(shapes.findings(environment, found))
        return
    typer.echo(render(environment, found))
