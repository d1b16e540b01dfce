"""`attest generic|junit|snyk|custom` (SPEC §2.9).

An attestation naming `artifact_fingerprint` is one `attest` call; one naming `--name TEMPLATE_ARTIFACT.NAME`
(`target_artifacts`) without a fingerprint is bound to the trail's artifact in that template slot (read with
`trail`, then one `attest`), or kept pending on the trail with `attest_trail` while the slot has no artifact (the
store binds it when one is reported there); one with neither is a trail-level attestation (`attest_trail`). junit is
compliant when no suite has failures or errors, snyk when no result has a vulnerability. An attachment is kept
content-addressed under the data directory (tracegraph/evidence.py), its digest in the attestation's `data`. A custom
attestation names a type defined beforehand (`tracegraph attestation-type create`): its `attestation_data` must satisfy
the type's schema (else 400 naming the JSON paths) and is compliant when every jq rule yields true
(tracegraph/attestation_types.py); an unknown type is 404."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.attestation_types import custom_attestation
from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.kosli.bodies import form
from tracegraph.kosli.context import caller, services
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.models import AttestationBody
from tracegraph.kosli.translate import attestation_input, trail_attestation_input

KINDS = ("generic", "junit", "snyk", "custom")


async def bound_fingerprint(store: GraphStore, org: str, flow: str, trail: str, body: AttestationBody) -> str | None:
    """The fingerprint the attestation is about: `artifact_fingerprint`, else the one artifact of the trail in the
    template slot `target_artifacts` names (narrowed by `git_commit_info` when several are); None when it belongs to
    the trail (no slot named) or waits for the slot's artifact."""
    if body.artifact_fingerprint is not None:
        return body.artifact_fingerprint
    if not body.target_artifacts:
        return None
    slot = body.target_artifacts[0]
    detail = await store.trail(org, flow, trail)
    matches = [item.provenance.artifact for item in detail.artifacts if item.template_reference_name == slot]
    if len(matches) > 1 and body.git_commit_info is not None:
        matches = [artifact for artifact in matches if artifact.git_commit == body.git_commit_info.sha1]
    if len(matches) == 1:
        return matches[0].fingerprint
    if not matches:
        return None
    raise InvalidInput(
        "target_artifacts",
        f"trail '{trail}' has {len(matches)} artifacts named '{slot}'; give --fingerprint",
        candidates=tuple(artifact.fingerprint for artifact in matches),
    )


@endpoint
async def attest(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    trail, kind = path_param(request, "trail"), path_param(request, "type")
    store = await caller(request, org, Role.WRITER)
    if kind not in KINDS:
        raise NotSupported(f"{kind[:40]} attestations are not supported; supported: {', '.join(KINDS)}")
    body = await form(request)
    parsed = parse(AttestationBody, body.data)
    custom = None
    if kind == "custom":
        custom = await custom_attestation(
            store, org, parsed.type_name, parsed.attestation_data, fields=("type_name", "attestation_data")
        )
    fingerprint = await bound_fingerprint(store, org, flow, trail, parsed)
    upload = body.files.get("attachment_file")
    kept = None
    if upload is not None:
        kept = await asyncio.to_thread(services(request).evidence.put, upload.content, field="attachment_file")
    if fingerprint is None:
        pending = trail_attestation_input(org, flow, trail, kind, parsed, upload, kept, custom=custom)
        stored = await store.attest_trail(pending)
    else:
        attestation = attestation_input(
            org, flow, trail, kind, parsed, upload, kept, fingerprint=fingerprint, custom=custom
        )
        stored = await store.attest(attestation)
    return CompactJSON({"id": stored.id}, status_code=201)


ROUTES = [Route("/attestations/{org}/{flow}/trail/{trail}/{type}", attest, methods=["POST"])]
