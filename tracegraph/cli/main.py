"""The `tracegraph` command: `serve` runs the service; every other command is a GraphQL client of a server."""

from __future__ import annotations

from typing import Annotated

import typer

from tracegraph.cli import admin
from tracegraph.cli.commands import asserts, attestation_type, diff, get, listing, log, policy, report
from tracegraph.cli.commands.findings import findings_command
from tracegraph.cli.commands.fingerprint import fingerprint_command
from tracegraph.cli.commands.search import search_command
from tracegraph.cli.commands.versions import versions_command
from tracegraph.cli.config import load_config
from tracegraph.cli.context import CliOptions, Output
from tracegraph.cli.serve import serve

DEFAULT_HOST = "http://127.0.0.1:8000"

app = typer.Typer(
    name="tracegraph",
    help="What is running where, and which commit put it there.",
    no_args_is_help=True,
    add_completion=False,
)


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
) -> None:
    """What is running where, and which commit put it there. Flags beat TRACEGRAPH_* variables, which beat the
    config file (~/.config/tracegraph/config.json)."""
    ctx.obj = resolve_options(load_config(), host=host, org=org, api_token=api_token, output=output)


def resolve_options(
    saved: dict[str, str], *, host: str | None, org: str | None, api_token: str | None, output: Output
) -> CliOptions:
    """Flags and variables first, then the config file — whose token belongs to its server only."""
    server = host or saved.get("host") or DEFAULT_HOST
    saved_token = saved.get("api_token") if server == saved.get("host", DEFAULT_HOST) else None
    return CliOptions(host=server, org=org or saved.get("org"), api_token=api_token or saved_token, output=output)


app.command("serve")(serve)
app.add_typer(log.app, name="log")
app.add_typer(get.app, name="get")
app.add_typer(diff.app, name="diff")
app.add_typer(listing.app, name="list")
app.add_typer(report.app, name="report")
app.add_typer(admin.app, name="admin")
app.add_typer(attestation_type.app, name="attestation-type")
app.add_typer(policy.app, name="policy")
app.add_typer(asserts.app, name="assert")

app.command("search")(search_command)
app.command("fingerprint")(fingerprint_command)
app.command("findings")(findings_command)
app.command("versions")(versions_command)

if __name__ == "__main__":
    app()
