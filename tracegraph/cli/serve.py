"""`tracegraph serve`: the GraphQL service under uvicorn, in one process or several (`--workers`)."""

from __future__ import annotations

import asyncio
import logging
import logging.config
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.cli.config import load_config, save_config
from tracegraph.demo import DEMO_ORG
from tracegraph.errors import TracegraphError
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.observability.logging import log_config
from tracegraph.observability.multiprocess import shared_metrics
from tracegraph.settings import Settings, settings_environment

logger = logging.getLogger(__name__)

# What each worker process imports and calls to build its app; `create_app()` reads the TRACEGRAPH_* variables.
APP_FACTORY = "tracegraph.app:create_app"


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


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
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes, e.g. one per core [env TRACEGRAPH_WORKERS; default 1]."),
    ] = None,
    log_level: Annotated[LogLevel, typer.Option(case_sensitive=False, help="How much to log.")] = LogLevel.INFO,
) -> None:
    """Serve the GraphQL API (and GraphiQL at /graphql) until interrupted."""
    given: dict[str, Any] = {
        "listen_host": host,
        "listen_port": port,
        "data_dir": data_dir,
        "neo4j_uri": neo4j_uri,
        "workers": workers,
    }
    settings = Settings(**{key: value for key, value in given.items() if value is not None})
    logging.config.dictConfig(log_config(log_level, settings.log_format))
    url = f"http://{settings.listen_host}:{settings.listen_port}"
    if demo:
        loaded, config = asyncio.run(prepare_demo(settings, url))
        typer.echo(f"Demo org {DEMO_ORG} {'loaded' if loaded else 'already present'}.")
        typer.echo(
            f"A reader token for {DEMO_ORG} is saved in {config} with this server's URL: the tracegraph CLI on this "
            "machine uses it. Sign in to the web UI with that api_token; in GraphiQL, add the header "
            '{"Authorization": "Bearer <api_token from that file>"}.'
        )
    elif settings.workers > 1:
        asyncio.run(prepare_store(settings))
    store = f"Neo4j at {settings.neo4j_uri}" if settings.neo4j_uri else f"embedded store in {settings.data_dir}"
    processes = f", {settings.workers} worker processes" if settings.workers > 1 else ""
    typer.echo(f"tracegraph: web UI on {url}/, GraphQL and GraphiQL on {url}/graphql ({store}{processes})")
    # Imported here: every other command is a GraphQL client and should not pay for the server's start-up.
    import uvicorn

    options: dict[str, Any] = {
        "host": settings.listen_host,
        "port": settings.listen_port,
        "log_level": log_level.lower(),
        "log_config": log_config(log_level, settings.log_format),
        "access_log": False,  # tracegraph's middleware logs each request, with its id (observability/middleware.py)
        # uvicorn has no timeout for a request's headers or body (docs/operations.md: put a reverse proxy in front).
        # What it offers: a cap on open connections per worker (beyond it, requests are answered 503 at once rather
        # than file descriptors and memory growing without bound), a bound on buffered unfinished headers, and a
        # short keep-alive between requests.
        "limit_concurrency": settings.max_connections,
        "h11_max_incomplete_event_size": 16 * 1024,
        "timeout_keep_alive": 5,
    }
    # Metrics summed over the workers (PROMETHEUS_MULTIPROC_DIR): set up after this process used the store above.
    with shared_metrics(settings):
        if settings.workers > 1:
            # Workers are fresh (spawned) processes that build their own app from an import string; the settings
            # reach them as the TRACEGRAPH_* variables they inherit, options given on this command line included.
            os.environ.update(settings_environment(settings))
            uvicorn.run(APP_FACTORY, factory=True, workers=settings.workers, **options)
            return
        from tracegraph.app import create_app

        uvicorn.run(create_app(settings), **options)


async def prepare_store(settings: Settings) -> None:
    """Create or migrate the store's schema once, here, rather than in every worker at the same moment."""
    from tracegraph.graph.factory import open_store

    store = open_store(settings)
    try:
        await store.start()
    except TracegraphError as error:
        # Serve anyway, as one process does: /readyz reports the reason until the store answers.
        logger.error("Store %s did not start: %s", store.backend, error.message)
    finally:
        await store.close()


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
