"""Custom attestation types in the embedded store: every version a row, the latest the highest version. A write
runs under the database's write lock (`BEGIN IMMEDIATE`), so two definitions of one type get distinct versions."""

from __future__ import annotations

import json
import sqlite3

from tracegraph.graph import not_found
from tracegraph.graph.embedded import reads
from tracegraph.graph.embedded.database import from_micros, to_micros
from tracegraph.graph.inputs import AttestationTypeInput
from tracegraph.graph.model import AttestationType
from tracegraph.graph.rules import utc_now
from tracegraph.graph.type_versions import by_name, canonical_json, next_version

INSERT_TYPE = """
    INSERT INTO attestation_types (org, name, version, description, json_schema, jq_rules, created_at)
    VALUES (:org, :name, :version, :description, :json_schema, :jq_rules, :created_at)
"""
SELECT_LATEST = "SELECT * FROM attestation_types WHERE org = ? AND name = ? ORDER BY version DESC LIMIT 1"
SELECT_VERSION = "SELECT * FROM attestation_types WHERE org = ? AND name = ? AND version = ?"
# The latest version of each type: the primary key serves both the outer scan and the max per name.
SELECT_ALL_LATEST = """
    SELECT t.* FROM attestation_types AS t
    WHERE t.org = ? AND t.version = (
        SELECT max(u.version) FROM attestation_types AS u WHERE u.org = t.org AND u.name = t.name
    )
"""


def _type(row: sqlite3.Row) -> AttestationType:
    return AttestationType(
        org=row["org"],
        name=row["name"],
        version=row["version"],
        description=row["description"],
        json_schema=json.loads(row["json_schema"]),
        jq_rules=tuple(json.loads(row["jq_rules"])),
        created_at=from_micros(row["created_at"]),
    )


def create_attestation_type(connection: sqlite3.Connection, definition: AttestationTypeInput) -> AttestationType:
    reads.require_org(connection, definition.org)
    row = connection.execute(SELECT_LATEST, (definition.org, definition.name)).fetchone()
    latest = None if row is None else _type(row)
    version = next_version(latest, definition)
    if version is None and latest is not None:
        return latest
    values = {
        "org": definition.org,
        "name": definition.name,
        "version": version,
        "description": definition.description,
        "json_schema": canonical_json(definition.json_schema),
        "jq_rules": json.dumps(definition.jq_rules, ensure_ascii=False),
        "created_at": to_micros(utc_now()),
    }
    connection.execute(INSERT_TYPE, values)
    return _type(connection.execute(SELECT_VERSION, (definition.org, definition.name, version)).fetchone())


def attestation_type(connection: sqlite3.Connection, org: str, name: str, version: int | None) -> AttestationType:
    reads.require_org(connection, org)
    if version is None:
        row = connection.execute(SELECT_LATEST, (org, name)).fetchone()
    else:
        row = connection.execute(SELECT_VERSION, (org, name, version)).fetchone()
    if row is None:
        known = version is not None and connection.execute(SELECT_LATEST, (org, name)).fetchone() is not None
        raise not_found.attestation_type(org, name, version if known else None)
    return _type(row)


def list_attestation_types(connection: sqlite3.Connection, org: str) -> list[AttestationType]:
    reads.require_org(connection, org)
    return by_name([_type(row) for row in connection.execute(SELECT_ALL_LATEST, (org,))])
