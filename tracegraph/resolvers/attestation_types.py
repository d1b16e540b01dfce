"""Custom attestation types over GraphQL: defined (admin), read, and applied by `attest` when its type is
`custom:NAME` (tracegraph/attestation_types.py decides compliance; the caller may not)."""

from __future__ import annotations

from typing import Any

from tracegraph.attestation_types import custom_attestation
from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import AttestationTypeInput, parse
from tracegraph.graph.model import AttestationType
from tracegraph.graph.rules import CUSTOM_KIND
from tracegraph.resolvers.context import Context
from tracegraph.resolvers.writes import graphql_path


async def create(ctx: Context, data: dict[str, Any]) -> AttestationType:
    try:
        definition = parse(AttestationTypeInput, data)
    except InvalidInput as error:
        raise InvalidInput(graphql_path(error.field), error.rule) from None
    return await ctx.store.create_attestation_type(definition)


async def of_org(ctx: Context, org: str) -> list[AttestationType]:
    return await ctx.store.list_attestation_types(org)


async def one(ctx: Context, org: str, name: str, version: int | None) -> AttestationType:
    return await ctx.store.attestation_type(org, name, version)


async def evaluated(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """`attest`'s input with a custom type applied: its compliance and evidence decided by the type. Other types
    need `compliant` and take no `attestationData`."""
    kind = data.get("type")
    custom = isinstance(kind, str) and kind.strip().startswith(CUSTOM_KIND)
    if not custom:
        if "attestation_data" in data:
            raise InvalidInput("input.attestationData", f"is only for a custom type ({CUSTOM_KIND}NAME)")
        if "compliant" not in data:
            raise InvalidInput("input.compliant", f"is required, except for a custom type ({CUSTOM_KIND}NAME)")
        return data
    if "compliant" in data:
        raise InvalidInput("input.compliant", "must be left out for a custom type: its jq rules decide")
    type_name = str(kind).strip().removeprefix(CUSTOM_KIND)
    fields = ("input.type", "input.attestationData")
    evaluation = await custom_attestation(ctx.store, str(data.get("org")), type_name, data.get("attestation_data"),
                                          fields=fields)  # fmt: skip
    extra = data.get("data") or {}
    evidence = {**extra, **evaluation.evidence()} if isinstance(extra, dict) else extra  # a non-object: refused later
    rest = {key: value for key, value in data.items() if key != "attestation_data"}
    return {**rest, "type": evaluation.kind, "compliant": evaluation.compliant, "data": evidence}
