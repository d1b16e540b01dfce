"""A command group that imports each subcommand's module only when that subcommand runs: a client command then
never pays for the server stack (strawberry, uvicorn, neo4j), and `tracegraph --help` imports none of them."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import ClassVar

import typer
import typer.main
from typer import _click as click  # Typer's own copy of click: its groups subclass these
from typer.core import TyperGroup


@dataclass(frozen=True)
class Lazy:
    module: str
    attribute: str  # a Typer group, or a command function
    help: str  # the one line `tracegraph --help` shows (tests compare it with the command's own)


class LazyGroup(TyperGroup):
    """Subcommands named in `lazy` (set by the app), loaded on first use."""

    lazy: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(name for name in super().list_commands(ctx) if name not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            self.commands[cmd_name] = load(cmd_name, self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, entry.help) for name, entry in self.lazy.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def load(name: str, entry: Lazy) -> click.Command:
    found = getattr(importlib.import_module(entry.module), entry.attribute)
    # Mounted on a throwaway parent as the eager app did: a group of one command (`log env`) stays a group.
    parent = typer.Typer(rich_markup_mode=None, add_completion=False)
    if isinstance(found, typer.Typer):
        parent.add_typer(found, name=name)
    else:
        parent.command(name)(found)
    parent.callback()(lambda: None)
    group = typer.main.get_command(parent)
    assert isinstance(group, TyperGroup)
    return group.commands[name]
