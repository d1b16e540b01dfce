"""Versions of a custom attestation type, the rule both backends write by: defining a type again with the same
description, schema and rules changes nothing; any difference makes the next version (1 for a new type)."""

from __future__ import annotations

import json
from typing import Any

from tracegraph.graph.inputs import AttestationTypeInput
from tracegraph.graph.model import AttestationType


def canonical_json(value: Any) -> str:
    """One text per JSON value (keys sorted, no spaces), so equal schemas compare and store equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def next_version(latest: AttestationType | None, definition: AttestationTypeInput) -> int | None:
    """The version `definition` is stored as; None when it equals `latest` (nothing to write)."""
    if latest is None:
        return 1
    same = (
        latest.description == definition.description
        and canonical_json(latest.json_schema) == canonical_json(definition.json_schema)
        and latest.jq_rules == tuple(definition.jq_rules)
    )
    return None if same else latest.version + 1


def by_name(types: list[AttestationType]) -> list[AttestationType]:
    """Listing order on both backends: by name as Python orders strings (code points), not as a database collates."""
    return sorted(types, key=lambda found: found.name)
