"""`attest generic|junit|snyk|custom` (SPEC §2.9) and `begin trail` (§2.6).

An attestation naming `artifact_fingerprint` is one `attest` call; junit is compliant when no suite has failures
or errors, snyk when no result has a vulnerability. An attachment is kept content-addressed under the data
directory (tracegraph/evidence.py), its digest in the attestation's `data`. Trails, trail-level attestations and
custom types need store operations that do not exist yet: those answer 501 (the CLI does not retry it) naming them."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Role
from tracegraph.kosli.bodies import form
from tracegraph.kosli.context import caller, services
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.models import AttestationBody
from tracegraph.kosli.translate import attestation_input

KINDS = ("generic", "junit", "snyk", "custom")
MISSING_TRAILS = (
    "begin trail is not supported yet: the store has no trails "
    "(begin_trail(TrailInput(org, flow, name, description, git_commit, origin_url, user_data)) -> Trail)"
)


@endpoint
async def attest(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    trail, kind = path_param(request, "trail"), path_param(request, "type")
    store = await caller(request, org, Role.WRITER)
    if kind not in KINDS:
        raise NotSupported(f"{kind[:40]} attestations are not supported; supported: {', '.join(KINDS)}")
    body = await form(request)
    upload = body.files.get("attachment_file")
    kept = None
    if upload is not None:
        kept = await asyncio.to_thread(services(request).evidence.put, upload.content, field="attachment_file")
    attestation = attestation_input(org, flow, trail, kind, parse(AttestationBody, body.data), upload, kept)
    stored = await store.attest(attestation)
    return CompactJSON({"id": stored.id}, status_code=201)


@endpoint
async def begin_trail(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    store = await caller(request, org, Role.WRITER)
    await store.get_flow(org, flow)
    raise NotSupported(MISSING_TRAILS)


ROUTES = [
    Route("/attestations/{org}/{flow}/trail/{trail}/{type}", attest, methods=["POST"]),
    Route("/trails/{org}/{flow}", begin_trail, methods=["PUT"]),
]
