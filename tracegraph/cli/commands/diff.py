"""`tracegraph diff snapshots S1 S2`: what differs between two running sets, in one environment or two."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.commands.get import split_snapshot_expr
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group

app = command_group("Compare snapshots.")

DIFF = """
query Diff($org: String!, $from: String!, $to: String!) {
  diff(org: $org, from: $from, to: $to) {
    source: from { environment { name } snapshot { index } }
    target: to { environment { name } snapshot { index } }
    onlyInFrom { ...Running }
    onlyInTo { ...Running }
    scaled { before { instances } after { ...Running } }
    unchanged { ...Running }
  }
}
fragment Running on RunningArtifact {
  name fingerprint instances sinceIndex
  artifacts { flow { name } gitCommit commitUrl }
}
"""


def local_times(side: str) -> str:
    environment, expr = split_snapshot_expr(side)
    return environment + (expr or "")


def _label(side: dict[str, Any]) -> str:
    snapshot = side["snapshot"]
    return (
        f"{side['environment']['name']}#{snapshot['index']}" if snapshot else f"{side['environment']['name']} (empty)"
    )


def _entry(running: dict[str, Any], extra: str | None = None) -> list[str]:
    artifacts = running["artifacts"]
    lines = [
        f"     Name:        {running['name']}",
        f"     Fingerprint: {running['fingerprint']}",
        f"     Flow:        {', '.join(a['flow']['name'] for a in artifacts) or 'none (no provenance)'}",
        f"     Commit:      {', '.join(a['gitCommit'] or 'N/A' for a in artifacts) or 'N/A'}",
        f"     Instances:   {extra or running['instances']}",
    ]
    return [*lines, ""]


@app.command("snapshots")
@fails_cleanly
def diff_snapshots(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="ENV, ENV#N, ENV~N or ENV@{time}.")],
    target: Annotated[str, typer.Argument(help="ENV, ENV#N, ENV~N or ENV@{time}.")],
    show_unchanged: Annotated[bool, typer.Option(help="Also list what runs unchanged in both.")] = False,
) -> None:
    """Compare two snapshots: only in the first, only in the second, scaled, and (optionally) unchanged."""
    settings = options(ctx)
    with client(ctx) as graphql:
        variables = {"org": settings.require_org(), "from": local_times(source), "to": local_times(target)}
        found = graphql.execute(DIFF, variables, flags={"from": "SOURCE", "to": "TARGET"})["diff"]
    if settings.output is Output.JSON:
        emit_json(shapes.diff(found))
        return
    left, right = _label(found["source"]), _label(found["target"])
    lines: list[str] = []
    sections = [
        (f"Only present in {left}", [_entry(item) for item in found["onlyInFrom"]]),
        (f"Only present in {right}", [_entry(item) for item in found["onlyInTo"]]),
        (
            f"Scaled between {left} and {right}",
            [_entry(s["after"], f"{s['before']['instances']} → {s['after']['instances']}") for s in found["scaled"]],
        ),
    ]
    if show_unchanged:
        sections.append((f"Unchanged in {left} and {right}", [_entry(item) for item in found["unchanged"]]))
    for title, entries in sections:
        if entries:
            lines.append(title)
            lines += [line for entry in entries for line in entry]
    typer.echo("\n".join(lines).rstrip() if lines else f"No differences between {left} and {right}.")
