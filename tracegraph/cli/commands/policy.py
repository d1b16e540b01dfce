"""`tracegraph policy create|attach|detach|list`: environment policies (docs/policies.md), admin tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.table import render
from tracegraph.policies import MAX_POLICY_BYTES

app = command_group("Environment policies: create, attach, detach, list.")

CREATE = """
mutation Create($input: CreatePolicyInput!) {
  createPolicy(input: $input) { policy { name version description createdAt } }
}
"""
ATTACH = """
mutation Attach($input: AttachPolicyInput!) { attachPolicy(input: $input) { policies { name version } } }
"""
DETACH = """
mutation Detach($input: AttachPolicyInput!) { detachPolicy(input: $input) { policies { name version } } }
"""
# The input's fields as the command's argument and flag.
ATTACHMENT_FLAGS = {"input.policy": "NAME", "input.environment": "--environment"}
LIST = """
query Policies($org: String!) {
  org(name: $org) { policies { name version description createdAt environments } }
}
"""


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            raise CliError(f"--file: {path} is larger than {MAX_POLICY_BYTES} bytes")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CliError(f"--file: {path} is not UTF-8 text") from None
    except OSError as error:
        raise CliError(f"--file: cannot read {path}: {error.strerror}") from None


def _flag(error: CliError) -> CliError:
    """Errors name the CLI's flags, not the GraphQL input's fields."""
    text = str(error)
    for field, flag in (("input.yaml", "--file"), ("input.description", "--description"), ("input.name", "NAME")):
        text = text.replace(field, flag)
    return CliError(text)


@app.command("create")
@fails_cleanly
def create_policy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The policy's name.")],
    file: Annotated[Path, typer.Option("--file", "-f", help="The policy's YAML file.")],
    description: Annotated[str | None, typer.Option(help="What the policy is for.")] = None,
) -> None:
    """Create a policy, or a new version of it when its YAML or description changed."""
    settings = options(ctx)
    data = {"org": settings.require_org(), "name": name, "yaml": _read(file), "description": description}
    with client(ctx) as graphql:
        try:
            policy = graphql.execute(CREATE, {"input": data})["createPolicy"]["policy"]
        except CliError as error:
            raise _flag(error) from None
    if settings.output is Output.JSON:
        emit_json(shapes.policy(policy))
        return
    typer.echo(f"policy {policy['name']} is at version {policy['version']}")


def _attachment(ctx: typer.Context, query: str, key: str, name: str, environment: str) -> list[dict[str, Any]]:
    settings = options(ctx)
    data = {"org": settings.require_org(), "environment": environment, "policy": name}
    with client(ctx) as graphql:
        answer = graphql.execute(query, {"input": data}, flags=ATTACHMENT_FLAGS)
    policies: list[dict[str, Any]] = answer[key]["policies"]
    return policies


@app.command("attach")
@fails_cleanly
def attach_policy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The policy's name.")],
    environment: Annotated[str, typer.Option("--environment", "-e", help="The environment it governs.")],
) -> None:
    """Attach a policy to an environment (idempotent); its latest snapshot is evaluated again."""
    found = _attachment(ctx, ATTACH, "attachPolicy", name, environment)
    if options(ctx).output is Output.JSON:
        emit_json(shapes.policy_attachment(environment, name, found))
        return
    typer.echo(f"policy {name} is attached to {environment}: {', '.join(str(p['name']) for p in found)}")


@app.command("detach")
@fails_cleanly
def detach_policy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The policy's name.")],
    environment: Annotated[str, typer.Option("--environment", "-e", help="The environment it governs.")],
) -> None:
    """Detach a policy from an environment (idempotent)."""
    found = _attachment(ctx, DETACH, "detachPolicy", name, environment)
    if options(ctx).output is Output.JSON:
        emit_json(shapes.policy_attachment(environment, name, found))
        return
    left = ", ".join(str(p["name"]) for p in found) or "none"
    typer.echo(f"policy {name} is detached from {environment}; its policies now: {left}")


@app.command("list")
@fails_cleanly
def list_policies(ctx: typer.Context) -> None:
    """The org's policies (latest versions) and the environments each is attached to."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = graphql.execute(LIST, {"org": settings.require_org()})
    rows = found["org"]["policies"]
    if settings.output is Output.JSON:
        emit_json([shapes.policy(row) for row in rows])
        return
    if not rows:
        typer.echo("No policies were found.")
        return
    header = ["NAME", "VERSION", "ENVIRONMENTS", "DESCRIPTION"]
    body = [[row["name"], str(row["version"]), ", ".join(row["environments"]), row["description"]] for row in rows]
    typer.echo(render([header, *body]))
