"""`assert artifact` (SPEC §2.19): compliant when every build of the fingerprint (in `flow_name` when given) is
COMPLIANT, i.e. none of its attestations failed; scope `flow`. Environment and policy scopes need policies."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import NotFound
from tracegraph.graph.model import ArtifactState, Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import ArtifactDetail
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.errors import NotSupported


def _flow_entry(detail: ArtifactDetail) -> dict[str, Any]:
    statuses = [
        {
            "attestation_name": attestation.name,
            "attestation_type": attestation.type,
            "status": "COMPLETE",
            "is_compliant": attestation.compliant,
            "unexpected": False,
        }
        for attestation in detail.attestations
    ]
    return {"flow": detail.provenance.artifact.flow, "compliance_status": {"attestations_statuses": statuses}}


@endpoint
async def assert_artifact(request: Request) -> Response:
    org = path_param(request, "org")
    fingerprint = hex_prefix(path_param(request, "fp"), field="fingerprint")
    store = await caller(request, org, Role.READER)
    if request.query_params.get("environment_name") or request.query_params.getlist("policy_name"):
        raise NotSupported(
            "--environment and --policy are not supported yet: the store has no environment policies "
            "(create_policy, attach_policy, policies_of(org, environment))"
        )
    flow = request.query_params.get("flow_name") or None
    result = await store.search(org, fingerprint)
    builds = [
        provenance.artifact
        for match in result.fingerprints
        if match.fingerprint == fingerprint or len(fingerprint) < 64
        for provenance in match.artifacts
        if flow is None or provenance.artifact.flow == flow
    ]
    if not builds:
        where = f"flow '{flow}'" if flow else "any flow"
        raise NotFound(
            f"Artifact with fingerprint '{fingerprint}' does not exist in {where} belonging to organization '{org}'"
        )
    details = await asyncio.gather(*(store.artifact(org, build.flow, build.fingerprint) for build in builds))
    compliant = all(build.state is ArtifactState.COMPLIANT for build in builds)
    return CompactJSON(
        {"compliant": compliant, "scope": "flow", "flows": [_flow_entry(detail) for detail in details], "html_url": ""}
    )


ROUTES = [Route("/asserts/{org}/fingerprint/{fp}", assert_artifact, methods=["GET"])]
