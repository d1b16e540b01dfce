"""Global CLI options (flags or TRACEGRAPH_* variables), shared by every command through Typer's context."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer

from tracegraph.cli.client import CliError, GraphQLClient

P = ParamSpec("P")
R = TypeVar("R")


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass(frozen=True)
class CliOptions:
    host: str
    org: str | None
    api_token: str | None
    output: Output

    def require_org(self) -> str:
        if not self.org:
            raise CliError("no org given: use --org or set TRACEGRAPH_ORG")
        return self.org


def options(ctx: typer.Context) -> CliOptions:
    found = ctx.find_object(CliOptions)
    if found is None:  # a command invoked without the group callback (tests calling it directly)
        return CliOptions(host="http://127.0.0.1:8000", org=None, api_token=None, output=Output.TABLE)
    return found


@contextmanager
def client(ctx: typer.Context) -> Iterator[GraphQLClient]:
    settings = options(ctx)
    with GraphQLClient(settings.host, token=settings.api_token) as opened:
        yield opened


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def fails_cleanly(command: Callable[P, R]) -> Callable[P, R]:
    """Expected failures print one line on stderr and exit 1; stdout stays clean."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CliError as error:
            print(f"Error: {error}", file=sys.stderr)
            raise typer.Exit(1) from None

    return wrapper
