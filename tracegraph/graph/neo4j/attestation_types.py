"""Custom attestation types in the Neo4j store: one `AttestationType` node per version, keyed by (org, name,
version); the latest is the highest version. A definition takes the Org node's write lock first, so two definitions
of one org's types are versioned one at a time (types are defined rarely; commit writes share the lock briefly)."""

from __future__ import annotations

import json
from datetime import datetime

from tracegraph.graph import not_found
from tracegraph.graph.inputs import AttestationTypeInput
from tracegraph.graph.model import AttestationType
from tracegraph.graph.neo4j.records import Props, to_datetime
from tracegraph.graph.neo4j.transaction import Tx, existing, fetch
from tracegraph.graph.type_versions import by_name, canonical_json, next_version

# A blind write takes the lock without reading the node first (see LOCK_FLOW in cypher.py for why blind).
LOCK_ORG = """
MATCH (o:Org {name: $org})
SET o.lock_token = randomUUID()
RETURN true AS found
"""
LATEST_TYPE = """
MATCH (t:AttestationType {org: $org, name: $name})
RETURN t {.*} AS type
ORDER BY t.version DESC
LIMIT 1
"""
TYPE_VERSION = "MATCH (t:AttestationType {org: $org, name: $name, version: $version}) RETURN t {.*} AS type"
CREATE_TYPE = """
CREATE (t:AttestationType {org: $org, name: $name, version: $version, description: $description,
                           json_schema: $json_schema, jq_rules: $jq_rules, created_at: $now})
RETURN t {.*} AS type
"""
# The latest version of each type of the org: the key constraint's index serves the org's seek.
LATEST_TYPES = """
MATCH (t:AttestationType {org: $org})
WITH t.name AS name, max(t.version) AS version
MATCH (t:AttestationType {org: $org, name: name, version: version})
RETURN t {.*} AS type
"""


def _type(props: Props) -> AttestationType:
    return AttestationType(
        org=props["org"],
        name=props["name"],
        version=props["version"],
        description=props["description"],
        json_schema=json.loads(props["json_schema"]),
        jq_rules=tuple(props.get("jq_rules") or ()),
        created_at=to_datetime(props["created_at"]),
    )


async def create_attestation_type(tx: Tx, definition: AttestationTypeInput, now: datetime) -> AttestationType:
    if not await fetch(tx, LOCK_ORG, org=definition.org):
        raise not_found.org(definition.org)
    rows = await fetch(tx, LATEST_TYPE, org=definition.org, name=definition.name)
    latest = _type(rows[0]["type"]) if rows else None
    version = next_version(latest, definition)
    if version is None and latest is not None:
        return latest
    created = await fetch(
        tx,
        CREATE_TYPE,
        org=definition.org,
        name=definition.name,
        version=version,
        description=definition.description,
        json_schema=canonical_json(definition.json_schema),
        jq_rules=list(definition.jq_rules),
        now=now,
    )
    return _type(created[0]["type"])


async def attestation_type(tx: Tx, org: str, name: str, version: int | None) -> AttestationType:
    (await existing(tx, org)).require_org()
    if version is None:
        rows = await fetch(tx, LATEST_TYPE, org=org, name=name)
    else:
        rows = await fetch(tx, TYPE_VERSION, org=org, name=name, version=version)
    if not rows:
        known = version is not None and bool(await fetch(tx, LATEST_TYPE, org=org, name=name))
        raise not_found.attestation_type(org, name, version if known else None)
    return _type(rows[0]["type"])


async def list_attestation_types(tx: Tx, org: str) -> list[AttestationType]:
    (await existing(tx, org)).require_org()
    return by_name([_type(row["type"]) for row in await fetch(tx, LATEST_TYPES, org=org)])
