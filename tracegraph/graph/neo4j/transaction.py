"""What every transaction function shares: running one statement and the existence checks behind `NotFound`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from tracegraph.graph import not_found
from tracegraph.graph.neo4j import cypher

Tx = AsyncManagedTransaction
Row = dict[str, Any]


async def fetch(tx: Tx, query: str, **parameters: Any) -> list[Row]:
    """The records of one statement as dicts. Queries project plain maps, so the values need no further
    conversion (unlike `Result.data()`, which walks every value again)."""
    result = await tx.run(query, parameters)
    return [dict(record) async for record in result]


async def execute(tx: Tx, query: str, **parameters: Any) -> None:
    result = await tx.run(query, parameters)
    await result.consume()


@dataclass(frozen=True, slots=True)
class Existing:
    """Which of the named org, flow, environment and artifact exist; `require_*` raise the contract's NotFound."""

    org_name: str
    flow_name: str | None
    environment_name: str | None
    fingerprint: str | None
    org: bool
    flow: bool
    environment: bool
    artifact: bool

    def require_org(self) -> None:
        if not self.org:
            raise not_found.org(self.org_name)

    def require_flow(self) -> None:
        if not self.flow:
            self.require_org()
            raise not_found.flow(self.org_name, str(self.flow_name))

    def require_environment(self) -> None:
        if not self.environment:
            self.require_org()
            raise not_found.environment(self.org_name, str(self.environment_name))

    def require_artifact(self) -> None:
        if not self.artifact:
            self.require_flow()
            raise not_found.artifact(str(self.flow_name), str(self.fingerprint))


async def existing(
    tx: Tx,
    org: str,
    *,
    flow: str | None = None,
    environment: str | None = None,
    fingerprint: str | None = None,
) -> Existing:
    rows = await fetch(tx, cypher.EXISTING, org=org, flow=flow, environment=environment, fingerprint=fingerprint)
    row = rows[0]
    return Existing(
        org_name=org,
        flow_name=flow,
        environment_name=environment,
        fingerprint=fingerprint,
        org=bool(row["org"]),
        flow=bool(row["flow"]),
        environment=bool(row["environment"]),
        artifact=bool(row["artifact"]),
    )
