"""`tracegraph report artifact | deployment | snapshot | commits`: what CI pipelines and reporters send."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.progress import Progress

from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.fingerprints import fingerprint as compute_fingerprint
from tracegraph.ingest.git_history import GitError, count_commits, read_commits, remote_url

app = typer.Typer(help="Report builds, deployments, snapshots and git history.", no_args_is_help=True)

COMMIT_BATCH = 1000

REPORT_ARTIFACT = """
mutation ReportArtifact($input: ReportArtifactInput!) {
  reportArtifact(input: $input) { artifact { name fingerprint flow { name } gitCommit state } }
}
"""
REPORT_DEPLOYMENT = """
mutation ReportDeployment($input: ReportDeploymentInput!) {
  reportDeployment(input: $input) { deployment { number environment { name } reportedAt } }
}
"""
REPORT_SNAPSHOT = """
mutation ReportSnapshot($input: ReportSnapshotInput!) {
  reportSnapshot(input: $input) { changed snapshot { index reportedAt } events { type description name } }
}
"""
REPORT_COMMITS = """
mutation ReportCommits($input: ReportCommitsInput!) { reportCommits(input: $input) { received created } }
"""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _finish(ctx: typer.Context, data: dict[str, Any], summary: str) -> None:
    if options(ctx).output is Output.JSON:
        emit_json(data)
    else:
        typer.echo(summary)


@app.command("artifact")
@fails_cleanly
def report_artifact(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The artifact's name, e.g. cyberdojo/creator:b7a5908.")],
    flow: Annotated[str, typer.Option(help="The flow it belongs to.")],
    fingerprint: Annotated[str | None, typer.Option(help="Its SHA-256 (64 hex); or give --path.")] = None,
    path: Annotated[Path | None, typer.Option(help="A file or directory to fingerprint.")] = None,
    commit: Annotated[str | None, typer.Option(help="The git commit it was built from (40 hex).")] = None,
    commit_url: Annotated[str | None, typer.Option(help="A link to that commit.")] = None,
    build_url: Annotated[str | None, typer.Option(help="A link to the CI build.")] = None,
) -> None:
    """Report a build of FLOW."""
    if (fingerprint is None) == (path is None):
        raise CliError("give exactly one of --fingerprint or --path")
    digest = fingerprint or compute_fingerprint(path)  # type: ignore[arg-type]
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
        data = graphql.execute(REPORT_ARTIFACT, variables)
    artifact = data["reportArtifact"]["artifact"]
    _finish(ctx, data, f"Reported artifact {artifact['name']} ({artifact['fingerprint']}) in flow {flow}")


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
        data = graphql.execute(REPORT_DEPLOYMENT, variables)
    number = data["reportDeployment"]["deployment"]["number"]
    _finish(ctx, data, f"Reported deployment #{number} of {flow} to {environment}")


def _running_from_file(path: Path) -> list[dict[str, Any]]:
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
        data = graphql.execute(REPORT_SNAPSHOT, variables)
    answer = data["reportSnapshot"]
    index = answer["snapshot"]["index"]
    summary = (
        f"Snapshot {environment}#{index}: " + "; ".join(f"{e['name']}: {e['description']}" for e in answer["events"])
        if answer["changed"]
        else f"No change: {environment} is still at snapshot #{index}"
    )
    _finish(ctx, data, summary)


@app.command("commits")
@fails_cleanly
def report_commits(
    ctx: typer.Context,
    repo: Annotated[Path, typer.Option(help="A local git clone.")] = Path("."),
    revisions: Annotated[str | None, typer.Option("--range", help="e.g. main or v1.0..HEAD (default: all).")] = None,
    repo_url: Annotated[str | None, typer.Option(help="The repository's URL (default: its origin remote).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=5000, help="Commits per request.")] = COMMIT_BATCH,
) -> None:
    """Upload the git history of a local clone (commits with parents); safe to re-run."""
    org = options(ctx).require_org()
    try:
        url = repo_url or remote_url(repo)
        if url is None:
            raise CliError(f"{repo} has no http(s) origin remote: give --repo-url")
        total = count_commits(repo, revisions)
        commits = read_commits(repo, revisions, commit_url=url)
        received = created = 0
        with client(ctx) as graphql, Progress(transient=True, disable=options(ctx).output is Output.JSON) as bar:
            task = bar.add_task("Uploading commits", total=total)
            batch: list[dict[str, Any]] = []
            for commit in commits:
                batch.append(commit.model_dump(mode="json"))
                if len(batch) == batch_size:
                    received, created = _upload(graphql, org, url, batch, received, created)
                    bar.advance(task, len(batch))
                    batch = []
            if batch:
                received, created = _upload(graphql, org, url, batch, received, created)
                bar.advance(task, len(batch))
    except GitError as error:
        raise CliError(f"git: {error}") from None
    _finish(
        ctx,
        {"received": received, "created": created, "repoUrl": url},
        f"Reported {received} commits of {url}: {created} new",
    )


def _upload(
    graphql: Any, org: str, url: str, batch: list[dict[str, Any]], received: int, created: int
) -> tuple[int, int]:
    payload = [
        {
            "sha": c["sha"],
            "parents": c["parents"],
            "message": c["message"],
            "author": c["author"],
            "authorEmail": c["author_email"],
            "timestamp": c["timestamp"],
            "branch": c["branch"],
            "url": c["url"],
        }
        for c in batch
    ]
    answer = graphql.execute(REPORT_COMMITS, {"input": {"org": org, "repoUrl": url, "commits": payload}})
    return received + answer["reportCommits"]["received"], created + answer["reportCommits"]["created"]
