"""`assert artifact` (SPEC §2.19). Without `environment_name` or `policy_name`: compliant when every build of the
fingerprint (in `flow_name` when given) is COMPLIANT, i.e. none of its attestations failed; scope `flow`. With
`environment_name`: evaluated now against the policies attached to it (scope `environment`); with `policy_name`
(repeated): against those policies (scope `policy`). Each policy answers a `policy_evaluations[]` entry whose
`rule_evaluations[]` are the rules the artifact fails, with Kosli's resolution types (docs/policies.md)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.model import ArtifactState, Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import ArtifactDetail
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.policies import PolicyEvaluation, Reason, ReasonKind


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
    environment = request.query_params.get("environment_name") or None
    policies = request.query_params.getlist("policy_name")
    if environment and policies:
        raise InvalidInput("policy_name", "--environment and --policy cannot be used together")
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
    flows = [_flow_entry(detail) for detail in details]
    if environment is None and not policies:
        compliant = all(build.state is ArtifactState.COMPLIANT for build in builds)
        return CompactJSON({"compliant": compliant, "scope": "flow", "flows": flows, "html_url": ""})
    evaluation = await store.evaluate_artifact(
        org, builds[0].fingerprint, flow=flow, environment=environment, policies=policies
    )
    scoped: dict[str, Any] = (
        {"scope": "environment", "environment": environment} if environment else {"scope": "policy"}
    )
    return CompactJSON(
        {
            "compliant": evaluation.compliant,
            **scoped,
            "policy_evaluations": policy_evaluations(evaluation),
            "flows": flows,
            "html_url": "",
        }
    )


def policy_evaluations(evaluation: PolicyEvaluation) -> list[dict[str, Any]]:
    """One entry per policy applied: the rules the artifact fails, each with its resolution type."""
    failing = [reason for verdict in evaluation.non_compliant for reason in verdict.reasons]
    return [
        {
            "policy_name": applied.name,
            "policy_version": applied.version,
            "status": "COMPLIANT" if evaluation.policy_compliant(applied.name) else "NON-COMPLIANT",
            "rule_evaluations": [_rule(reason) for reason in failing if reason.policy == applied.name],
        }
        for applied in evaluation.policies
    ]


def _rule(reason: Reason) -> dict[str, Any]:
    if reason.attestation_name is not None:
        definition = {"name": reason.attestation_name, "type": reason.attestation_type}
    else:
        rule = "provenance" if reason.kind is ReasonKind.MISSING_PROVENANCE else "trail-compliance"
        definition = {"name": rule, "type": rule}
    return {
        "ignored": False,
        "satisfied": False,
        "rule": {"definition": definition},
        "resolutions": [{"type": reason.kind.value, "message": reason.message}],
    }


ROUTES = [Route("/asserts/{org}/fingerprint/{fp}", assert_artifact, methods=["GET"])]
