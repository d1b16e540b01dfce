"""`tracegraph fingerprint PATH`: the artifact's SHA-256, the same digest `kosli fingerprint` prints."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from tracegraph.cli import shapes
from tracegraph.cli.client import CliError
from tracegraph.cli.context import Output, emit_json, fails_cleanly, options
from tracegraph.errors import InvalidInput
from tracegraph.fingerprint_patterns import split_flag_values
from tracegraph.fingerprints import fingerprint as compute

EXCLUDE_HELP = (
    "Paths to leave out of a directory, relative to it, as kosli reads them: Go glob patterns (* stops at /, ?, "
    "[...] and [^...], \\ escapes) plus **; comma-separated and repeatable. The root's .kosli_ignore adds more."
)


class ArtifactType(StrEnum):
    FILE = "file"
    DIR = "dir"


def fingerprint(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="The file or directory (used as given, like kosli's argument).")],
    artifact_type: Annotated[
        ArtifactType | None,
        typer.Option("--artifact-type", "-t", "--type", help="file or dir (default: what PATH is)."),
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", "-x", help=EXCLUDE_HELP)] = None,
) -> None:
    """Print the artifact's fingerprint: 64 hex characters."""
    kind = artifact_type.value if artifact_type else None
    try:
        patterns = split_flag_values(exclude or [])
        digest = compute(path, kind=kind, exclude=patterns)
    except (OSError, InvalidInput) as error:
        raise CliError(str(error)) from None
    if options(ctx).output is Output.JSON:
        emit_json(shapes.fingerprint(path, kind or ("dir" if os.path.isdir(path) else "file"), digest))
        return
    typer.echo(digest)


fingerprint_command = fails_cleanly(fingerprint)
