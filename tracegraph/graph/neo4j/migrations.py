"""Bringing a Neo4j graph to the current schema version at start-up (the steps are in `schema.py`)."""

from __future__ import annotations

import logging
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, AsyncSession

from tracegraph.errors import Unavailable
from tracegraph.graph.neo4j import schema

logger = logging.getLogger(__name__)


async def _run(session: AsyncSession, statement: str, **parameters: Any) -> None:
    result = await session.run(statement, parameters)
    await result.consume()


async def _finish(tx: AsyncManagedTransaction, step: schema.Step) -> None:
    """A step's data and its version in one transaction (retried whole: the statements are idempotent)."""
    for statement in step.data:
        await (await tx.run(statement)).consume()
    await (await tx.run(schema.SET_VERSION, version=step.version)).consume()


async def _version(tx: AsyncManagedTransaction) -> int:
    record = await (await tx.run(schema.READ_VERSION)).single()
    return int(record["version"]) if record is not None else 0


async def migrate(driver: AsyncDriver, database: str | None, *, wait_seconds: int) -> int:
    """Apply the steps after the graph's version, in order; answer the version found. Nothing else runs when the
    graph is current."""
    async with driver.session(database=database) as session:
        found = await session.execute_read(_version)
        if found > schema.SCHEMA_VERSION:
            raise Unavailable(
                f"the graph was written by a newer tracegraph (schema {found}; this one knows {schema.SCHEMA_VERSION})"
            )
        if found == schema.SCHEMA_VERSION:
            return found
        await _run(session, schema.VERSION_CONSTRAINT)
        for step in schema.STEPS[found:]:
            logger.info("neo4j schema: applying step %d", step.version)
            for statement in step.schema:
                await _run(session, statement)
            await _run(session, schema.AWAIT_INDEXES, seconds=wait_seconds)
            await session.execute_write(_finish, step)
    return found
