"""`tracegraph admin ...`: local bootstrap on the store itself (no server, no token needed) — create orgs and
tokens. Whoever can run it can read the data directory or the Neo4j credentials anyway."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.cli import table
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.cli.shapes import admin as shapes
from tracegraph.errors import NotFound, TracegraphError
from tracegraph.graph.factory import open_store
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, FlowInput, ModelT, OrgInput, TokenInput, parse
from tracegraph.graph.model import Org, Role
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

app = command_group("Bootstrap on the store directly: orgs, API tokens and webhooks.")

T = TypeVar("T")

DataDir = Annotated[Path | None, typer.Option(help="The embedded store's directory [env TRACEGRAPH_DATA_DIR].")]
Neo4jUri = Annotated[str | None, typer.Option(help="Work on Neo4j at this URI [env TRACEGRAPH_NEO4J_URI].")]

_DURATION = re.compile(r"^(\d+)([dhm])$")


def _on_store(data_dir: Path | None, neo4j_uri: str | None, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    given: dict[str, Any] = {"data_dir": data_dir, "neo4j_uri": neo4j_uri}
    settings = Settings(**{key: value for key, value in given.items() if value is not None})

    async def run() -> T:
        store = open_store(settings)
        await store.start()
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except TracegraphError as error:
        raise CliError(error.message) from None


def _json(ctx: typer.Context, shaped: object) -> bool:
    """Print `shaped` and answer True under `--output json`; the caller then prints no line of text."""
    if options(ctx).output is not Output.JSON:
        return False
    emit_json(shaped)
    return True


def parse_expiry(text: str | None) -> datetime | None:
    """`30d`, `12h`, `90m`, or an ISO 8601 time."""
    if text is None:
        return None
    if match := _DURATION.match(text.strip()):
        unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
        return utc_now() + timedelta(**{unit: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--expires: {text!r} is neither a duration (30d, 12h, 90m) nor an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.astimezone()


@app.command("create-org")
@fails_cleanly
def create_org(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The org's name.")],
    public: Annotated[
        bool | None, typer.Option("--public/--private", help="Readable by any valid token of any org? [new: private]")
    ] = None,
    description: Annotated[str | None, typer.Option(help="Free text.")] = None,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Create an org, or change an existing one (what is not given stays as it is)."""

    async def work(store: GraphStore) -> Org:
        try:
            current = await store.get_org(name)
        except NotFound:
            current = None
        wanted = {
            "name": name,
            "public": public if public is not None else bool(current and current.public),
            "description": description if description is not None else (current.description if current else ""),
        }
        return await store.create_org(parse(OrgInput, wanted))

    created = _on_store(data_dir, neo4j_uri, work)
    if _json(ctx, shapes.org(created)):
        return
    typer.echo(f"Org {created.name} ({'public' if created.public else 'private'})")


@app.command("create-flow")
@fails_cleanly
def create_flow(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The flow's name, e.g. the service it builds.")],
    org: Annotated[str, typer.Option(help="The org.")],
    description: Annotated[str, typer.Option(help="Free text.")] = "",
    repo_url: Annotated[str | None, typer.Option(help="The source repository (http or https).")] = None,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Create a flow (or update its description and repository)."""
    wanted = _parsed(FlowInput, {"org": org, "name": name, "description": description, "repo_url": repo_url})
    created = _on_store(data_dir, neo4j_uri, lambda store: store.create_flow(wanted))
    if _json(ctx, shapes.flow(created)):
        return
    typer.echo(f"Flow {created.name} in {created.org}")


@app.command("create-environment")
@fails_cleanly
def create_environment(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The environment's name, e.g. aws-prod.")],
    org: Annotated[str, typer.Option(help="The org.")],
    environment_type: Annotated[EnvironmentType, typer.Option("--type", help="What kind of environment.")],
    description: Annotated[str, typer.Option(help="Free text.")] = "",
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Create an environment (or update its type and description)."""
    values = {"org": org, "name": name, "type": environment_type, "description": description}
    wanted = _parsed(EnvironmentInput, values)
    created = _on_store(data_dir, neo4j_uri, lambda store: store.create_environment(wanted))
    if _json(ctx, shapes.environment(created)):
        return
    typer.echo(f"Environment {created.name} ({created.type}) in {created.org}")


def _parsed(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    try:
        return parse(model, data)
    except TracegraphError as error:
        raise CliError(error.message) from None


@app.command("create-token")
@fails_cleanly
def create_token(
    ctx: typer.Context,
    org: Annotated[str, typer.Option(help="The org the token belongs to.")],
    role: Annotated[Role, typer.Option(help="reader, writer or admin.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
    expires: Annotated[str | None, typer.Option(help="30d, 12h, 90m or an ISO 8601 time; default never.")] = None,
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Issue an API token and print its secret — once: only its hash is stored."""
    secret = new_secret()
    try:
        wanted = parse(
            TokenInput,
            {
                "org": org,
                "role": role,
                "name": name,
                "expires_at": parse_expiry(expires),
                "secret_hash": hash_secret(secret),
            },
        )
    except TracegraphError as error:
        raise CliError(error.message) from None
    created = _on_store(data_dir, neo4j_uri, lambda store: store.create_token(wanted))
    if _json(ctx, shapes.token(created, secret=secret)):
        return
    typer.echo(secret)


@app.command("list-tokens")
@fails_cleanly
def list_tokens(
    ctx: typer.Context,
    org: Annotated[str, typer.Option(help="The org.")],
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as the global --output json does).")] = False,
) -> None:
    """The org's tokens, without secrets."""
    found = _on_store(data_dir, neo4j_uri, lambda store: store.list_tokens(org))
    if as_json or options(ctx).output is Output.JSON:
        emit_json([shapes.token(token) for token in found])
        return
    rows = [["ID", "NAME", "ROLE", "EXPIRES", "REVOKED"]]
    for token in found:
        expires_at = token.expires_at.isoformat() if token.expires_at else "never"
        revoked_at = token.revoked_at.isoformat() if token.revoked_at else "-"
        rows.append([token.id, token.name, token.role.value, expires_at, revoked_at])
    typer.echo(table.render(rows))


@app.command("revoke-token")
@fails_cleanly
def revoke_token(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(help="The token's id (see list-tokens).")],
    org: Annotated[str, typer.Option(help="The token's org.")],
    data_dir: DataDir = None,
    neo4j_uri: Neo4jUri = None,
) -> None:
    """Revoke a token; requests with it are refused from now on."""
    revoked = _on_store(data_dir, neo4j_uri, lambda store: store.revoke_token(org, token_id))
    if _json(ctx, shapes.token(revoked)):
        return
    typer.echo(f"Revoked token {revoked.id} ({revoked.name})")


def _webhooks() -> None:
    # At the end: tracegraph.cli.webhooks imports this module's helpers.
    from tracegraph.cli.webhooks import app as webhooks

    app.add_typer(webhooks, name="webhook")


_webhooks()
