"""`tracegraph report artifact | deployment | snapshot | commits`: what CI pipelines and reporters send."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.client import CliError, GraphQLClient
from tracegraph.cli.commands.fingerprint import EXCLUDE_HELP
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group

if TYPE_CHECKING:
    from tracegraph.graph.inputs import CommitInput

app = command_group("Report builds, deployments, snapshots and git history.")

COMMIT_BATCH = 1000

# The GraphQL input fields that errors name, as the flags the user typed.
ARTIFACT_FLAGS = {
    "input.flow": "--flow",
    "input.fingerprint": "--fingerprint",
    "input.name": "NAME",
    "input.gitCommit": "--commit",
    "input.commitUrl": "--commit-url",
    "input.buildUrl": "--build-url",
}
DEPLOYMENT_FLAGS = {
    "input.flow": "--flow",
    "input.fingerprint": "--fingerprint",
    "input.environment": "--environment",
    "input.user": "--user",
    "input.description": "--description",
}
SNAPSHOT_FLAGS = {"input.environment": "ENVIRONMENT", "input.reportedAt": "--reported-at"}

REPORT_ARTIFACT = """
mutation ReportArtifact($input: ReportArtifactInput!) {
  reportArtifact(input: $input) {
    artifact { name fingerprint flow { name } gitCommit commitUrl buildUrl createdAt state }
  }
}
"""
REPORT_DEPLOYMENT = """
mutation ReportDeployment($input: ReportDeploymentInput!) {
  reportDeployment(input: $input) {
    deployment { number flow { name } fingerprint environment { name } reportedAt user description }
  }
}
"""
REPORT_SNAPSHOT = """
mutation ReportSnapshot($input: ReportSnapshotInput!) {
  reportSnapshot(input: $input) {
    changed snapshot { index reportedAt } events { type description name fingerprint }
  }
}
"""
REPORT_COMMITS = """
mutation ReportCommits($input: ReportCommitsInput!) { reportCommits(input: $input) { received created } }
"""
COMMITS_WITH_HISTORY = """
query CommitsWithHistory($org: String!, $shas: [String!]!) { commitsWithHistory(org: $org, shas: $shas) }
"""
# How many shas `commitsWithHistory` takes at once.
MAX_HISTORY_QUESTION = 5000


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _finish(ctx: typer.Context, data: dict[str, Any], summary: str) -> None:
    if options(ctx).output is Output.JSON:
        emit_json(data)
    else:
        typer.echo(summary)


def _path_fingerprint(path: str, exclude: list[str]) -> str:
    from tracegraph.errors import InvalidInput
    from tracegraph.fingerprint_patterns import split_flag_values
    from tracegraph.fingerprints import fingerprint as compute_fingerprint

    try:
        return compute_fingerprint(path, exclude=split_flag_values(exclude))
    except (OSError, InvalidInput) as error:
        raise CliError(str(error)) from None


@app.command("artifact")
@fails_cleanly
def report_artifact(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The artifact's name, e.g. cyberdojo/creator:b7a5908.")],
    flow: Annotated[str, typer.Option(help="The flow it belongs to.")],
    fingerprint: Annotated[str | None, typer.Option(help="Its SHA-256 (64 hex); or give --path.")] = None,
    path: Annotated[str | None, typer.Option(help="A file or directory to fingerprint.")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", "-x", help=f"With --path to a directory: {EXCLUDE_HELP}")
    ] = None,
    commit: Annotated[str | None, typer.Option(help="The git commit it was built from (40 hex).")] = None,
    commit_url: Annotated[str | None, typer.Option(help="A link to that commit.")] = None,
    build_url: Annotated[str | None, typer.Option(help="A link to the CI build.")] = None,
) -> None:
    """Report a build of FLOW."""
    if (fingerprint is None) == (path is None):
        raise CliError("give exactly one of --fingerprint or --path")
    if exclude and path is None:
        raise CliError("--exclude needs --path")
    digest = fingerprint or _path_fingerprint(path or "", exclude or [])
    variables = {
        "input": {
            "org": options(ctx).require_org(),
            "flow": flow,
            "fingerprint": digest,
            "name": name,
            "gitCommit": commit,
            "commitUrl": commit_url,
            "buildUrl": build_url,
        }
    }
    with client(ctx) as graphql:
        data = graphql.execute(REPORT_ARTIFACT, variables, flags=ARTIFACT_FLAGS)
    artifact = data["reportArtifact"]["artifact"]
    summary = f"Reported artifact {artifact['name']} ({artifact['fingerprint']}) in flow {flow}"
    _finish(ctx, shapes.artifact_item(artifact), summary)


@app.command("deployment")
@fails_cleanly
def report_deployment(
    ctx: typer.Context,
    flow: Annotated[str, typer.Option(help="The artifact's flow.")],
    fingerprint: Annotated[str, typer.Option(help="The artifact's fingerprint (64 hex).")],
    environment: Annotated[str, typer.Option(help="Where it is deployed.")],
    user: Annotated[str | None, typer.Option(help="Who deploys.")] = None,
    description: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Report that an artifact is being deployed to an environment."""
    variables = {
        "input": {
            "org": options(ctx).require_org(),
            "flow": flow,
            "fingerprint": fingerprint,
            "environment": environment,
            "user": user,
            "description": description,
        }
    }
    with client(ctx) as graphql:
        data = graphql.execute(REPORT_DEPLOYMENT, variables, flags=DEPLOYMENT_FLAGS)
    deployment = data["reportDeployment"]["deployment"]
    summary = f"Reported deployment #{deployment['number']} of {flow} to {environment}"
    _finish(ctx, shapes.deployment_report(deployment), summary)


def _running_from_file(path: Path) -> list[dict[str, Any]]:
    import yaml

    try:
        text = path.read_text()
        loaded = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise CliError(f"cannot read {path}: {error}") from None
    items = loaded.get("artifacts") if isinstance(loaded, dict) else loaded
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise CliError(f"{path}: expected a list of {{fingerprint, name, instances}} (or {{artifacts: [...]}})")
    return [
        {"fingerprint": item.get("fingerprint"), "name": item.get("name"), "instances": item.get("instances", 1)}
        for item in items
    ]


def _running_from_flags(artifacts: list[str]) -> list[dict[str, Any]]:
    running = []
    for position, flag in enumerate(artifacts):
        name, separator, rest = flag.rpartition("=")
        if not separator or not name:
            raise CliError(f"--artifact {position + 1}: expected NAME=FINGERPRINT[:INSTANCES], got {flag!r}")
        digest, _, instances = rest.partition(":")
        if instances and not re.fullmatch(r"[0-9]{1,7}", instances):
            raise CliError(f"--artifact {position + 1}: instances must be a whole number, got {instances!r}")
        running.append({"fingerprint": digest, "name": name, "instances": int(instances or 1)})
    return running


@app.command("snapshot")
@fails_cleanly
def report_snapshot(
    ctx: typer.Context,
    environment: Annotated[str, typer.Argument(help="The environment reporting.")],
    artifact: Annotated[
        list[str] | None, typer.Option(help="NAME=FINGERPRINT[:INSTANCES]; repeat for each running artifact.")
    ] = None,
    file: Annotated[Path | None, typer.Option(help="A JSON or YAML list of {fingerprint, name, instances}.")] = None,
    reported_at: Annotated[datetime | None, typer.Option(help="When it was observed (default: now).")] = None,
) -> None:
    """Report everything running in ENVIRONMENT now (nothing given: nothing runs)."""
    if artifact and file:
        raise CliError("give --artifact flags or --file, not both")
    running = _running_from_file(file) if file else _running_from_flags(artifact or [])
    moment = reported_at.astimezone() if reported_at else None
    variables = {
        "input": {
            "org": options(ctx).require_org(),
            "environment": environment,
            "artifacts": running,
            "reportedAt": _time(moment),
        }
    }
    with client(ctx) as graphql:
        # A running artifact's error names the flag it came from: `--artifact (value 2, fingerprint): …`.
        flags = {**SNAPSHOT_FLAGS, "input.artifacts": "--file" if file else "--artifact"}
        data = graphql.execute(REPORT_SNAPSHOT, variables, flags=flags)
    answer = data["reportSnapshot"]
    index = answer["snapshot"]["index"]
    # Each description ends with its own full stop ("… (from 0 to 1)."): dropped inside the list, one at the end.
    events = "; ".join(f"{event['name']}: {event['description'].rstrip('.')}" for event in answer["events"])
    summary = (
        f"Snapshot {environment}#{index}: {events}."
        if answer["changed"]
        else f"No change: {environment} is still at snapshot #{index}"
    )
    _finish(ctx, shapes.snapshot_report(environment, answer), summary)


@app.command("commits")
@fails_cleanly
def report_commits(
    ctx: typer.Context,
    repo: Annotated[Path, typer.Option(help="A local git clone.")] = Path("."),
    revisions: Annotated[str | None, typer.Option("--range", help="e.g. main or v1.0..HEAD (default: all).")] = None,
    repo_url: Annotated[str | None, typer.Option(help="The repository's URL (default: its origin remote).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=5000, help="Commits per request.")] = COMMIT_BATCH,
    full: Annotated[bool, typer.Option("--full", help="Send every commit, also those the server has.")] = False,
) -> None:
    """Upload the git history of a local clone (commits with parents): only what the server lacks; safe to re-run."""
    from tracegraph.ingest.git_history import GitError, ImportNotes, list_commits, read_listed, remote_url

    org = options(ctx).require_org()
    if not repo.is_dir():
        raise CliError(f"--repo: no such directory: {repo}")
    notes = ImportNotes()
    try:
        url = repo_url or remote_url(repo)
        if url is None:
            raise CliError(f"{repo} has no http(s) origin remote: give --repo-url")
        url = _checked_url(url, "--repo-url" if repo_url else f"--repo: the origin remote of {repo}")
        with client(ctx) as graphql:
            known = None if full else _known_history(graphql, org, repo, revisions)
            shas = list_commits(repo, revisions, exclude=known or ())
            # Closed at once if an upload fails, so that git stops reading.
            with closing(read_listed(repo, shas, commit_url=url, notes=notes)) as commits:
                received, created = _upload_history(ctx, graphql, org, url, commits, len(shas), batch_size)
    except GitError as error:
        raise CliError(f"git: {error}") from None
    if known is not None and not shas:
        summary = f"Nothing new: the server has the history of {url}"
    else:
        summary = f"Reported {received} commits of {url}: {created} new"
        if not full and known is None:
            summary += " (the server cannot tell what it has: sent everything)"
    if notes.summary():
        summary += f"; {notes.summary()}"
    shaped = shapes.commits_report(url, received, created, incremental=known is not None, normalised=notes.counts())
    _finish(ctx, shaped, summary)


def _checked_url(url: str, flag: str) -> str:
    """The repository URL checked before any git reading, so a bad one is named by its flag, not a commit's field."""
    from pydantic import TypeAdapter, ValidationError

    from tracegraph.graph.inputs import invalid_input
    from tracegraph.graph.rules import Url

    try:
        checked: str = TypeAdapter(Url).validate_python(url)
    except ValidationError as error:
        raise CliError(f"{flag}: {invalid_input(error).rule}") from None
    return checked


def _known_history(graphql: GraphQLClient, org: str, repo: Path, revisions: str | None) -> list[str] | None:
    """Commits whose whole history the server has, among the tips of `revisions` and probes behind them; None when
    the server cannot say (a version without `commitsWithHistory`)."""
    from tracegraph.ingest.git_history import probes, tips

    candidates = probes(repo, tips(repo, revisions), limit=MAX_HISTORY_QUESTION)
    known: list[str] = []
    try:
        # More tips than one question takes (thousands of tags) are asked in turn; otherwise this is one request.
        for start in range(0, len(candidates), MAX_HISTORY_QUESTION):
            shas = candidates[start : start + MAX_HISTORY_QUESTION]
            known += graphql.execute(COMMITS_WITH_HISTORY, {"org": org, "shas": shas})["commitsWithHistory"]
    except CliError as error:
        if "Cannot query field" in str(error):
            return None
        raise
    return known


def _upload_history(
    ctx: typer.Context,
    graphql: GraphQLClient,
    org: str,
    url: str,
    commits: Iterable[CommitInput],
    total: int,
    batch_size: int,
) -> tuple[int, int]:
    from rich.console import Console
    from rich.progress import Progress

    received = created = 0
    # The bar goes to stderr, and only on a terminal: stdout keeps the one summary line (or the JSON).
    console = Console(stderr=True)
    quiet = options(ctx).output is Output.JSON or not console.is_terminal or total == 0
    with Progress(console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("Uploading commits", total=total)
        stream = iter(commits)
        while batch := list(itertools.islice(stream, batch_size)):
            payload = [_commit_payload(commit) for commit in batch]
            answer = graphql.execute(REPORT_COMMITS, {"input": {"org": org, "repoUrl": url, "commits": payload}})
            received += answer["reportCommits"]["received"]
            created += answer["reportCommits"]["created"]
            bar.advance(task, len(batch))
    return received, created


def _commit_payload(commit: CommitInput) -> dict[str, Any]:
    data = commit.model_dump(mode="json")
    return {
        "sha": data["sha"],
        "parents": data["parents"],
        "message": data["message"],
        "author": data["author"],
        "authorEmail": data["author_email"],
        "timestamp": data["timestamp"],
        "branch": data["branch"],
        "url": data["url"],
    }
