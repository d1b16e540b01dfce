"""The `tracegraph` command: `serve` runs the service; every other command is a GraphQL client of a server.

Start-up matters (a CI job may call the CLI hundreds of times): subcommands are imported only when they run
(`tracegraph.cli.lazy`), and client commands import neither the server stack nor Rich unless they draw a table."""

from __future__ import annotations

from typing import Annotated, ClassVar

import typer

from tracegraph import __version__
from tracegraph.cli.client import with_scheme
from tracegraph.cli.config import load_config
from tracegraph.cli.context import CliOptions, Output
from tracegraph.cli.group import HELP_OPTIONS
from tracegraph.cli.lazy import Lazy, LazyGroup

DEFAULT_HOST = "http://127.0.0.1:8000"


class Commands(LazyGroup):
    lazy: ClassVar[dict[str, Lazy]] = {
        "serve": Lazy(
            "tracegraph.cli.serve", "serve", "Serve the GraphQL API (and GraphiQL at /graphql) until interrupted."
        ),
        "log": Lazy("tracegraph.cli.commands.log", "app", "Show the history of an environment."),
        "get": Lazy("tracegraph.cli.commands.get", "app", "Show one snapshot, artifact, environment or flow."),
        "diff": Lazy("tracegraph.cli.commands.diff", "app", "Compare snapshots."),
        "list": Lazy("tracegraph.cli.commands.listing", "app", "List environments, flows, artifacts or snapshots."),
        "report": Lazy(
            "tracegraph.cli.commands.report", "app", "Report builds, deployments, snapshots and git history."
        ),
        "admin": Lazy("tracegraph.cli.admin", "app", "Bootstrap on the store directly: orgs, API tokens and webhooks."),
        "attestation-type": Lazy(
            "tracegraph.cli.commands.attestation_type", "app", "Define and list custom attestation types."
        ),
        "policy": Lazy("tracegraph.cli.commands.policy", "app", "Environment policies: create, attach, detach, list."),
        "assert": Lazy("tracegraph.cli.commands.asserts", "app", "CI gates: exit 1 unless compliant."),
        "search": Lazy(
            "tracegraph.cli.commands.search",
            "search_command",
            "Find commits and fingerprints by prefix, and where each runs.",
        ),
        "fingerprint": Lazy(
            "tracegraph.cli.commands.fingerprint",
            "fingerprint_command",
            "Print the artifact's fingerprint: 64 hex characters.",
        ),
        "findings": Lazy(
            "tracegraph.cli.commands.findings",
            "findings_command",
            "Show what is wrong in an environment now, or at one snapshot.",
        ),
        "versions": Lazy(
            "tracegraph.cli.commands.versions",
            "versions_command",
            "Show which version of a service runs in every environment now.",
        ),
    }


app = typer.Typer(
    name="tracegraph",
    cls=Commands,
    help="What is running where, and which commit put it there.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"tracegraph {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(envvar="TRACEGRAPH_HOST", help=f"The server's URL (default {DEFAULT_HOST}).")
    ] = None,
    org: Annotated[str | None, typer.Option(envvar="TRACEGRAPH_ORG", help="The org to work in.")] = None,
    api_token: Annotated[
        str | None, typer.Option(envvar="TRACEGRAPH_API_TOKEN", help="An API token (Bearer).", show_default=False)
    ] = None,
    output: Annotated[Output, typer.Option(envvar="TRACEGRAPH_OUTPUT", help="table or json.")] = Output.TABLE,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """What is running where, and which commit put it there. Flags beat TRACEGRAPH_* variables, which beat the
    config file (~/.config/tracegraph/config.json)."""
    ctx.obj = resolve_options(load_config(), host=host, org=org, api_token=api_token, output=output)


def resolve_options(
    saved: dict[str, str], *, host: str | None, org: str | None, api_token: str | None, output: Output
) -> CliOptions:
    """Flags and variables first, then the config file — whose token belongs to its server only."""
    server = with_scheme(host) if host else saved.get("host") or DEFAULT_HOST
    saved_token = saved.get("api_token") if server == saved.get("host", DEFAULT_HOST) else None
    return CliOptions(host=server, org=org or saved.get("org"), api_token=api_token or saved_token, output=output)


if __name__ == "__main__":
    app()
