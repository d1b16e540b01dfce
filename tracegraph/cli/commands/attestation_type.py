"""`tracegraph attestation-type create | list`: custom attestation types, defined before `kosli attest custom` (or
`attest` with `custom:NAME`) uses them. The definition is checked here first, so a mistake names the flag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tracegraph.cli import shapes, table
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, client, emit_json, fails_cleanly, options
from tracegraph.cli.group import command_group
from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import AttestationTypeInput, parse

app = command_group("Define and list custom attestation types.")

CREATE = """
mutation CreateAttestationType($input: CreateAttestationTypeInput!) {
  createAttestationType(input: $input) { attestationType { name version description jsonSchema jqRules createdAt } }
}
"""
LIST = """
query AttestationTypes($org: String!) {
  org(name: $org) { attestationTypes { name version description jsonSchema jqRules createdAt } }
}
"""
# The input's fields as the command's arguments and flags.
FLAGS = {"name": "NAME", "json_schema": "--schema", "description": "--description", "org": "--org"}


def _flag(field: str) -> str:
    head, _, rest = field.partition(".")
    if head == "jq_rules":
        return f"--jq #{int(rest) + 1}" if rest.isdigit() else "--jq"
    return FLAGS.get(head, head)


def _schema(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"--schema: cannot read {path}: {error}") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise CliError(f"--schema: {path} is not JSON: {error}") from None


@app.command("create")
@fails_cleanly
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The type's name, as `kosli attest custom --type` gives it.")],
    schema: Annotated[Path, typer.Option("--schema", help="A JSON Schema file (draft 2020-12) the data must satisfy.")],
    jq: Annotated[
        list[str] | None, typer.Option("--jq", help="A jq rule that must yield true; repeat for several, in order.")
    ] = None,
    description: Annotated[str, typer.Option(help="What the type attests.")] = "",
) -> None:
    """Define a custom attestation type, or redefine it (a different definition is its next version)."""
    settings = options(ctx)
    fields = {
        "org": settings.require_org(),
        "name": name,
        "description": description,
        "json_schema": _schema(schema),
        "jq_rules": jq or [],
    }
    try:
        definition = parse(AttestationTypeInput, fields)
    except InvalidInput as error:
        raise CliError(f"{_flag(error.field)}: {error.rule}") from None
    variables = {
        "input": {
            "org": definition.org,
            "name": definition.name,
            "description": definition.description,
            "jsonSchema": definition.json_schema,
            "jqRules": definition.jq_rules,
        }
    }
    with client(ctx) as graphql:
        made = graphql.execute(CREATE, variables)["createAttestationType"]["attestationType"]
    if settings.output is Output.JSON:
        emit_json(shapes.attestation_type(made))
        return
    typer.echo(f"Attestation type {made['name']} version {made['version']} in {definition.org}")


@app.command("list")
@fails_cleanly
def list_types(ctx: typer.Context) -> None:
    """The org's custom attestation types, each at its latest version."""
    settings = options(ctx)
    with client(ctx) as graphql:
        found = graphql.execute(LIST, {"org": settings.require_org()})["org"]["attestationTypes"]
    if settings.output is Output.JSON:
        emit_json([shapes.attestation_type(item) for item in found])
        return
    rows = [["NAME", "VERSION", "RULES", "DESCRIPTION"]]
    rows += [
        [item["name"], str(item["version"]), str(len(item["jqRules"])), item["description"] or "-"] for item in found
    ]
    typer.echo(table.render(rows))
