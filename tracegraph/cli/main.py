"""The `tracegraph` command: `tracegraph serve` runs the service; further commands register on `app`."""

from __future__ import annotations

import typer

from tracegraph.cli.serve import serve

app = typer.Typer(
    name="tracegraph",
    help="What is running where, and which commit put it there.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """What is running where, and which commit put it there."""


app.command("serve")(serve)

if __name__ == "__main__":
    app()
