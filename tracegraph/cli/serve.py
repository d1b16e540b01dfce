"""`tracegraph serve`: the GraphQL service under uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from tracegraph.app import create_app
from tracegraph.settings import Settings


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on [env TRACEGRAPH_LISTEN_HOST; default 127.0.0.1].")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on [env TRACEGRAPH_LISTEN_PORT; default 8000].")
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where the embedded store keeps its SQLite file [env TRACEGRAPH_DATA_DIR; default "
            "~/.local/share/tracegraph]."
        ),
    ] = None,
    neo4j_uri: Annotated[
        str | None,
        typer.Option(
            help="Use Neo4j at this URI (bolt://, neo4j://…) instead of the embedded store [env TRACEGRAPH_NEO4J_URI]."
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(help="Load the seed tutorial's cyber-dojo org at start-up (skipped when already there)."),
    ] = False,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """Serve the GraphQL API (and GraphiQL at /graphql) until interrupted."""
    given: dict[str, Any] = {"listen_host": host, "listen_port": port, "data_dir": data_dir, "neo4j_uri": neo4j_uri}
    if demo:
        given["demo"] = True
    settings = Settings(**{key: value for key, value in given.items() if value is not None})
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = f"Neo4j at {settings.neo4j_uri}" if settings.neo4j_uri else f"embedded store in {settings.data_dir}"
    typer.echo(
        f"tracegraph: GraphQL and GraphiQL on http://{settings.listen_host}:{settings.listen_port}/graphql ({store})"
    )
    uvicorn.run(create_app(settings), host=settings.listen_host, port=settings.listen_port, log_level=log_level.lower())
