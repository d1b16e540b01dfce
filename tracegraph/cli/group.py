"""How every `tracegraph` command group is built: help printed as written (no Rich markup, which swallowed
`[env …; default …]`), `-h` beside `--help`."""

from __future__ import annotations

import typer

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def command_group(help: str) -> typer.Typer:
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, context_settings=HELP_OPTIONS)
