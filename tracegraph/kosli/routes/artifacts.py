"""`attest artifact`, `report artifact` (with its `latest_commit` look-up), `get artifact`, `list artifacts`
(SPEC §2.7-2.8, §2.16-2.17)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Artifact, Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import ArtifactDetail, HistoryEntry, HistoryKind
from tracegraph.kosli.bodies import json_object
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.errors import NotSupported
from tracegraph.kosli.models import ArtifactBody
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.running import state_text
from tracegraph.kosli.times import epoch
from tracegraph.kosli.translate import artifact_inputs

# `list artifacts` prints the first 7 characters of `git_commit` and panics on fewer.
NO_COMMIT = "unknown"


@endpoint
async def report_artifact(request: Request) -> Response:
    """The artifact with its commit (and the commit's parents) in one `report_artifact` call. The rest of
    `report artifact`'s `commits_list` needs a second call (`report_commits`, made first, so the artifact is
    written last): the store has no operation writing both in one transaction. `trail_name` and
    `template_reference_name` are not kept (no trails)."""
    org, flow = path_param(request, "org"), path_param(request, "flow")
    store = await caller(request, org, Role.WRITER)
    history, artifact = artifact_inputs(org, flow, parse(ArtifactBody, await json_object(request)))
    await store.get_flow(org, flow)  # a missing flow is refused before the history is written
    if history is not None:
        await store.report_commits(history)
    stored = await store.report_artifact(artifact)
    return CompactJSON({"fingerprint": stored.fingerprint, "flow_name": stored.flow}, status_code=201)


@endpoint
async def latest_commit(request: Request) -> Response:
    """The commit of the newest artifact of the flow other than this fingerprint; `branch` is not applied (the
    store does not list artifacts by branch)."""
    org, flow, fingerprint = path_param(request, "org"), path_param(request, "flow"), path_param(request, "fp")
    store = await caller(request, org, Role.READER)
    await store.get_flow(org, flow)
    newest = await store.list_artifacts(org, flow, limit=2)
    others = [artifact for artifact in newest if artifact.fingerprint != fingerprint.lower()]
    return CompactJSON({"latest_commit": others[0].git_commit if others else None})


def history_event(entry: HistoryEntry) -> str:
    if entry.kind is HistoryKind.ATTESTED:
        return f"Received {entry.attestation} evidence"
    return entry.description


def artifact_body(detail: ArtifactDetail) -> dict[str, Any]:
    artifact = detail.provenance.artifact
    current = [placement for placement in detail.placements if placement.to_index is None]
    ended = [placement for placement in detail.placements if placement.to_index is not None]
    return {
        "filename": artifact.name,
        "flow_name": artifact.flow,
        "fingerprint": artifact.fingerprint,
        "created_at": epoch(artifact.created_at),
        "git_commit": artifact.git_commit or "",
        "commit_url": artifact.commit_url or "",
        "build_url": artifact.build_url or "",
        "html_url": "",
        "state": state_text(artifact.state),
        "running": [{"environment_name": p.environment, "snapshot_index": p.from_index} for p in current],
        "exited": [{"environment_name": p.environment, "snapshot_index": p.to_index} for p in ended],
        "history": [{"event": history_event(entry), "timestamp": epoch(entry.at)} for entry in detail.history],
        "deployments": [deployment.number for deployment in detail.deployments],
        "org": artifact.org,
    }


def _no_trail(request: Request) -> None:
    if request.query_params.get("trail"):
        raise NotSupported("--trail is not supported yet: the store has no trails (artifacts_in_trail)")


@endpoint
async def get_by_fingerprint(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    prefix = hex_prefix(path_param(request, "id"), field="fingerprint")
    _no_trail(request)
    store = await caller(request, org, Role.READER)
    return CompactJSON(artifact_body(await store.artifact(org, flow, prefix)))


@endpoint
async def get_by_commit(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    prefix = hex_prefix(path_param(request, "id"), field="commit_sha", longest=40)
    _no_trail(request)
    store = await caller(request, org, Role.READER)
    await store.get_flow(org, flow)
    return CompactJSON([artifact_body(detail) for detail in await store.artifacts_for_commit(org, prefix, flow)])


def list_item(artifact: Artifact) -> dict[str, Any]:
    return {
        "git_commit": artifact.git_commit or NO_COMMIT,
        "filename": artifact.name,
        "fingerprint": artifact.fingerprint,
        "state": state_text(artifact.state),
        "created_at": epoch(artifact.created_at),
        "flow_name": artifact.flow,
        "build_url": artifact.build_url or "",
        "commit_url": artifact.commit_url or "",
    }


@endpoint
async def list_artifacts(request: Request) -> Response:
    """Newest first; page N walks the store's keyset pages before it (one call each)."""
    org = path_param(request, "org")
    flow = request.query_params.get("flow_name", "")
    if not flow:
        if request.query_params.get("repo_name"):
            raise NotSupported(
                "--repo is not supported yet: the store lists artifacts per flow only "
                "(list_artifacts_of_repo(org, repo_name, *, limit, after))"
            )
        raise InvalidInput("flow_name", "is required (--flow)")
    paging = Paging.of(request)
    store = await caller(request, org, Role.READER)
    await store.get_flow(org, flow)
    after: str | None = None
    page: list[Artifact] = []
    for number in range(1, paging.page + 1):
        page = await store.list_artifacts(org, flow, limit=paging.per_page, after=after)
        if number < paging.page and len(page) < paging.per_page:
            return CompactJSON([])
        after = page[-1].fingerprint if page else None
    return CompactJSON([list_item(artifact) for artifact in page])


ROUTES = [
    Route("/artifacts/{org}", list_artifacts, methods=["GET"]),
    Route("/artifacts/{org}/{flow}", report_artifact, methods=["POST"]),
    Route("/artifacts/{org}/{flow}/fingerprint/{id}", get_by_fingerprint, methods=["GET"]),
    Route("/artifacts/{org}/{flow}/commit_sha/{id}", get_by_commit, methods=["GET"]),
    Route("/artifacts/{org}/{flow}/{fp}/latest_commit", latest_commit, methods=["GET"]),
]
