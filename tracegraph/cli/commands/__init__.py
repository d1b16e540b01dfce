"""One module per command group of the `tracegraph` CLI."""
