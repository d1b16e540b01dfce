"""`tracegraph assert snapshot|artifact`: CI gates, as `kosli assert` behaves — exit 0 when compliant; otherwise the
reasons on stdout, `Error: ... NON-COMPLIANT` on stderr and exit 1 (`--output json` prints its shape either way)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.client import CliError
from tracegraph.cli.commands.get import split_snapshot_expr
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.table import render

app = command_group("CI gates: exit 1 unless compliant.")

EVALUATION = """
fragment Evaluation on PolicyEvaluationResult {
  compliant evaluatedAt artifactsTotal nonCompliantTotal
  policies { name version }
  nonCompliant { name fingerprint flows reasons { policy kind message } }
}
"""
SNAPSHOT = (
    """
query AssertSnapshot($org: String!, $environment: String!, $expr: String) {
  environment(org: $org, name: $environment) {
    name
    policies { name }
    snapshot(expr: $expr) { index compliant policyEvaluation { ...Evaluation } }
  }
}
"""
    + EVALUATION
)
ARTIFACT = (
    """
query AssertArtifact($org: String!, $environment: String!, $flow: String!, $fingerprint: String!) {
  environment(org: $org, name: $environment) {
    name
    artifactEvaluation(flow: $flow, fingerprint: $fingerprint) { ...Evaluation }
  }
  artifact(org: $org, flow: $flow, fingerprint: $fingerprint) { fingerprint flow { name } }
}
"""
    + EVALUATION
)


def _reasons(evaluation: dict[str, Any]) -> list[str]:
    rows = [["NAME", "FINGERPRINT", "POLICY", "REASON"]]
    for artifact in evaluation["nonCompliant"]:
        for reason in artifact["reasons"]:
            rows.append([artifact["name"], artifact["fingerprint"][:12], reason["policy"], reason["message"]])
    return render(rows).splitlines()


def _applied(evaluation: dict[str, Any]) -> str:
    return ", ".join(f"{policy['name']} v{policy['version']}" for policy in evaluation["policies"]) or "none"


def _fail(summary: str) -> None:
    print(f"Error: {summary}", file=sys.stderr)
    raise typer.Exit(1)


@app.command("snapshot")
@fails_cleanly
def assert_snapshot(
    ctx: typer.Context,
    snapshot: Annotated[str, typer.Argument(help="ENV (the latest), ENV#N or ENV~N.")],
) -> None:
    """Exit 0 when the snapshot is compliant: with its environment's policies as evaluated when it was reported
    (or since, while it was the latest); without policies, everything running has provenance and no failed
    attestation. Otherwise print the non-compliant artifacts with their reasons and exit 1."""
    settings = options(ctx)
    environment, expr = split_snapshot_expr(snapshot)
    variables = {"org": settings.require_org(), "environment": environment, "expr": expr}
    with client(ctx) as graphql:
        found = graphql.execute(SNAPSHOT, variables, flags={"expr": "SNAPSHOT"})["environment"]
    shown = found["snapshot"]
    label = f"{found['name']}#{shown['index']}"
    evaluation = shown["policyEvaluation"]
    if settings.output is Output.JSON:
        emit_json(shapes.assert_snapshot(found))
    elif shown["compliant"]:
        typer.echo(f"COMPLIANT: {label}" + (f" (policies: {_applied(evaluation)})" if evaluation else ""))
    elif evaluation is None:
        typer.echo(f"NON-COMPLIANT: {label} (no policy was attached when it was evaluated: something running has no")
        typer.echo("provenance or a failed attestation; `tracegraph get snapshot` shows which)")
    else:
        typer.echo(f"NON-COMPLIANT: {label} (policies: {_applied(evaluation)})")
        for line in _reasons(evaluation):
            typer.echo(f"  {line}")
    if not shown["compliant"]:
        _fail(f"[tracegraph assert snapshot] {label} is NON-COMPLIANT")


@app.command("artifact")
@fails_cleanly
def assert_artifact(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="FLOW@FINGERPRINT (a unique prefix of ≥ 5 hex is enough).")],
    environment: Annotated[
        str, typer.Option("--environment", "-e", help="Evaluate against the policies attached to this environment.")
    ],
) -> None:
    """Exit 0 when the artifact complies with every policy attached to the environment (now); otherwise print
    the reasons and exit 1."""
    settings = options(ctx)
    flow, at, fingerprint = reference.partition("@")
    if not at or not flow or not fingerprint:
        raise CliError(f"{reference!r} must be FLOW@FINGERPRINT")
    variables = {"org": settings.require_org(), "environment": environment, "flow": flow, "fingerprint": fingerprint}
    with client(ctx) as graphql:
        answer = graphql.execute(ARTIFACT, variables, flags={"fingerprint": "FLOW@FINGERPRINT"})
    found = answer["environment"]
    evaluation = found["artifactEvaluation"]
    if settings.output is Output.JSON:
        emit_json(shapes.assert_artifact(found, answer["artifact"]))
    elif evaluation["compliant"]:
        typer.echo(f"COMPLIANT: {reference} in {found['name']} (policies: {_applied(evaluation)})")
    else:
        typer.echo(f"NON-COMPLIANT: {reference} in {found['name']} (policies: {_applied(evaluation)})")
        for line in _reasons(evaluation):
            typer.echo(f"  {line}")
    if not evaluation["compliant"]:
        _fail(f"[tracegraph assert artifact] {reference} is NON-COMPLIANT in {found['name']}")
