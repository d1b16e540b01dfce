"""`tracegraph search PREFIX`: commits and fingerprints starting with a prefix, where each runs, their history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.commands.get import ARTIFACT_FIELDS, artifact_block
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.timefmt import rfc1123

SEARCH = (
    ARTIFACT_FIELDS
    + """
query Search($org: String!, $prefix: String!) {
  search(org: $org, prefix: $prefix) {
    commits {
      sha message author timestamp url
      artifacts { ...ArtifactBlock }
      runningIn { environment { name } snapshot { index } distance artifact { name fingerprint gitCommit } }
      undecidedCommits
    }
    fingerprints {
      fingerprint
      artifacts { ...ArtifactBlock }
      placements { environment { name } name fromIndex toIndex running startedAt stoppedAt }
    }
  }
}
"""
)


def commit_block(commit: dict[str, Any]) -> str:
    lines = [f"Search result resolved to commit {commit['sha']}"]
    if commit["message"]:
        lines.append(f"Message:     {commit['message'].splitlines()[0]}")
    if commit["author"]:
        lines.append(f"Author:      {commit['author']}")
    if commit["timestamp"]:
        lines.append(f"Date:        {rfc1123(commit['timestamp'])}")
    if commit["url"]:
        lines.append(f"Commit URL:  {commit['url']}")
    lines.append("Running in:" if commit["runningIn"] else "Running in:  nowhere (not in any latest snapshot)")
    for place in commit["runningIn"]:
        artifact = place["artifact"]
        # `distance` is `git rev-list --count <this>..<artifact's commit>`, so "N commits later" reads as git counts.
        via = "built from it" if place["distance"] == 0 else f"built {place['distance']} commit(s) later"
        lines.append(
            f"    {place['environment']['name']}#{place['snapshot']['index']}  {artifact['name']}  ({via}: "
            f"{(artifact['gitCommit'] or '')[:7]})"
        )
    if undecided := commit["undecidedCommits"]:
        shown = ", ".join(sha[:7] for sha in undecided[:5]) + (
            f" and {len(undecided) - 5} more" if len(undecided) > 5 else ""
        )
        lines.append(
            f"May be incomplete: the history of {len(undecided)} running or past artifact commit(s) was never fully "
            f"reported ({shown}); run `tracegraph report commits` on their repository to decide."
        )
    blocks = ["\n".join(lines)]
    blocks += [artifact_block(artifact) for artifact in commit["artifacts"]]
    return "\n\n".join(blocks)


def fingerprint_block(match: dict[str, Any]) -> str:
    lines = [f"Search result resolved to fingerprint {match['fingerprint']}"]
    if not match["artifacts"]:
        lines.append("Has provenance: false (no build reported this fingerprint)")
    for place in match["placements"]:
        until = "now" if place["running"] else f"#{place['toIndex']} ({rfc1123(place['stoppedAt'])})"
        lines.append(
            f"    {place['environment']['name']}  {place['name']}  from #{place['fromIndex']} "
            f"({rfc1123(place['startedAt'])}) until {until}"
        )
    return "\n\n".join(["\n".join(lines), *(artifact_block(artifact) for artifact in match["artifacts"])])


def search(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="At least 5 hex characters of a commit sha or a fingerprint.")],
) -> None:
    """Find commits and fingerprints by prefix, and where each runs."""
    settings = options(ctx)
    with client(ctx) as graphql:
        variables = {"org": settings.require_org(), "prefix": prefix}
        found = graphql.execute(SEARCH, variables, flags={"prefix": "PREFIX"})["search"]
    if settings.output is Output.JSON:
        emit_json(shapes.search(found))
        return
    blocks = [commit_block(commit) for commit in found["commits"]]
    blocks += [fingerprint_block(match) for match in found["fingerprints"]]
    typer.echo("\n\n".join(blocks) if blocks else f"Nothing starts with {prefix}.")


search_command = fails_cleanly(search)
