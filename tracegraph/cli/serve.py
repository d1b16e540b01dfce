"""`tracegraph serve`: the GraphQL service under uvicorn."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated, Any

import typer

from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.cli.config import load_config, save_config
from tracegraph.demo import DEMO_ORG
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
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
    settings = Settings(**{key: value for key, value in given.items() if value is not None})
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = f"http://{settings.listen_host}:{settings.listen_port}"
    if demo:
        loaded, config = asyncio.run(prepare_demo(settings, url))
        typer.echo(f"Demo org {DEMO_ORG} {'loaded' if loaded else 'already present'}.")
        typer.echo(
            f"A reader token for {DEMO_ORG} is saved in {config} with this server's URL: the tracegraph CLI on this "
            'machine uses it. In GraphiQL, add the header {"Authorization": "Bearer <api_token from that file>"}.'
        )
    store = f"Neo4j at {settings.neo4j_uri}" if settings.neo4j_uri else f"embedded store in {settings.data_dir}"
    typer.echo(f"tracegraph: GraphQL and GraphiQL on {url}/graphql ({store})")
    # Imported here: every other command is a GraphQL client and should not pay for the server's start-up.
    import uvicorn

    from tracegraph.app import create_app

    uvicorn.run(create_app(settings), host=settings.listen_host, port=settings.listen_port, log_level=log_level.lower())


async def prepare_demo(settings: Settings, url: str) -> tuple[bool, Path]:
    """Load the demo org (once) and make sure the CLI's config holds a usable reader token for it."""
    from tracegraph.demo import load_demo
    from tracegraph.graph.factory import open_store

    store = open_store(settings)
    await store.start()
    try:
        loaded = await load_demo(store)
        secret = load_config().get("api_token")
        token = await store.token_by_hash(hash_secret(secret)) if secret else None
        if secret is None or token is None or token.org != DEMO_ORG or not token.usable(utc_now()):
            secret = new_secret()
            await store.create_token(
                TokenInput(org=DEMO_ORG, role=Role.READER, name="serve --demo", secret_hash=hash_secret(secret))
            )
    finally:
        await store.close()
    return loaded, save_config(host=url, org=DEMO_ORG, api_token=secret)
