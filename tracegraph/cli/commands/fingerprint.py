"""`tracegraph fingerprint PATH`: the artifact's SHA-256, the same digest `kosli fingerprint` prints."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracegraph.cli.client import CliError
from tracegraph.cli.context import fails_cleanly
from tracegraph.fingerprints import fingerprint as compute


class ArtifactType(StrEnum):
    FILE = "file"
    DIR = "dir"


def fingerprint(
    path: Annotated[Path, typer.Argument(help="The file or directory.")],
    artifact_type: Annotated[
        ArtifactType | None, typer.Option("--type", help="file or dir (default: what PATH is).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="A glob to leave out of a directory (** allowed); repeatable.")
    ] = None,
) -> None:
    """Print the artifact's fingerprint: 64 hex characters."""
    try:
        digest = compute(path, kind=artifact_type.value if artifact_type else None, exclude=exclude or [])
    except OSError as error:
        raise CliError(str(error)) from None
    typer.echo(digest)


fingerprint_command = fails_cleanly(fingerprint)
