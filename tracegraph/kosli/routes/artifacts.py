"""`attest artifact`, `report artifact` (with its `latest_commit` look-up), `get artifact`, `list artifacts`
(SPEC §2.7-2.8, §2.16-2.17)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Artifact, Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.store import GraphStore
from tracegraph.graph.views import ArtifactDetail, HistoryEntry, HistoryKind, TrailDetail
from tracegraph.kosli.bodies import json_object
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.models import ArtifactBody
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.repos import repository_urls
from tracegraph.kosli.running import state_text
from tracegraph.kosli.times import epoch
from tracegraph.kosli.translate import artifact_input

# `list artifacts` prints the first 7 characters of `git_commit` and panics on fewer.
NO_COMMIT = "unknown"


@endpoint
async def report_artifact(request: Request) -> Response:
    """One `report_artifact` call, one transaction: the artifact with its commit, its trail and template slot
    (`attest artifact`), or with its commit's parents and the rest of `commits_list` as its history (`report
    artifact`)."""
    org, flow = path_param(request, "org"), path_param(request, "flow")
    store = await caller(request, org, Role.WRITER)
    artifact = artifact_input(org, flow, parse(ArtifactBody, await json_object(request)))
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


def artifact_body(detail: ArtifactDetail, slots: Mapping[tuple[str, str], str | None]) -> dict[str, Any]:
    """`trail_name` and `template_reference_name` only when known (the CLI omits a row for an absent one);
    `slots` maps (trail, fingerprint) to the artifact's template slot."""
    artifact = detail.provenance.artifact
    current = [placement for placement in detail.placements if placement.to_index is None]
    ended = [placement for placement in detail.placements if placement.to_index is not None]
    trail: dict[str, str] = {}
    if artifact.trail is not None:
        trail["trail_name"] = artifact.trail
        slot = slots.get((artifact.trail, artifact.fingerprint))
        if slot is not None:
            trail["template_reference_name"] = slot
    return {
        "filename": artifact.name,
        "flow_name": artifact.flow,
        **trail,
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


def trail_slots(trails: Iterable[TrailDetail]) -> dict[tuple[str, str], str | None]:
    return {
        (trail.trail.name, item.provenance.artifact.fingerprint): item.template_reference_name
        for trail in trails
        for item in trail.artifacts
    }


async def bodies(store: GraphStore, org: str, flow: str, details: Sequence[ArtifactDetail]) -> list[dict[str, Any]]:
    """The artifacts' bodies, with each distinct trail read once for their template slots."""
    names = sorted({detail.provenance.artifact.trail for detail in details} - {None}, key=str)
    trails = await asyncio.gather(*(store.trail(org, flow, str(name)) for name in names))
    slots = trail_slots(trails)
    return [artifact_body(detail, slots) for detail in details]


def in_trail(trail: TrailDetail, prefix: str, *, by_commit: bool) -> list[str]:
    """Fingerprints of the trail's artifacts whose fingerprint (or commit) starts with `prefix`."""
    found = []
    for item in trail.artifacts:
        artifact = item.provenance.artifact
        if ((artifact.git_commit or "") if by_commit else artifact.fingerprint).startswith(prefix):
            found.append(artifact.fingerprint)
    return found


async def _in_trail(
    store: GraphStore, org: str, flow: str, trail: TrailDetail, fingerprints: list[str]
) -> list[dict[str, Any]]:
    details = await asyncio.gather(*(store.artifact(org, flow, fingerprint) for fingerprint in fingerprints))
    slots = trail_slots([trail])
    return [artifact_body(detail, slots) for detail in details]


@endpoint
async def get_by_fingerprint(request: Request) -> Response:
    """With `?trail=` the artifact is looked for among that trail's artifacts (read with `trail`)."""
    org, flow = path_param(request, "org"), path_param(request, "flow")
    prefix = hex_prefix(path_param(request, "id"), field="fingerprint")
    store = await caller(request, org, Role.READER)
    trail_name = request.query_params.get("trail")
    if not trail_name:
        return CompactJSON((await bodies(store, org, flow, [await store.artifact(org, flow, prefix)]))[0])
    trail = await store.trail(org, flow, trail_name)
    found = in_trail(trail, prefix, by_commit=False)
    if not found:
        raise NotFound(f"artifact {prefix} not found in trail '{trail_name}' of flow '{flow}'")
    if len(found) > 1:
        raise InvalidInput("fingerprint", f"{prefix} matches several artifacts of the trail", candidates=found)
    return CompactJSON((await _in_trail(store, org, flow, trail, found))[0])


@endpoint
async def get_by_commit(request: Request) -> Response:
    org, flow = path_param(request, "org"), path_param(request, "flow")
    prefix = hex_prefix(path_param(request, "id"), field="commit_sha", longest=40)
    store = await caller(request, org, Role.READER)
    trail_name = request.query_params.get("trail")
    if not trail_name:
        await store.get_flow(org, flow)
        return CompactJSON(await bodies(store, org, flow, await store.artifacts_for_commit(org, prefix, flow)))
    trail = await store.trail(org, flow, trail_name)
    return CompactJSON(await _in_trail(store, org, flow, trail, in_trail(trail, prefix, by_commit=True)))


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
        names = request.query_params.getlist("repo_name")
        if not names:
            raise InvalidInput("flow_name", "is required (--flow or --repo)")
        paging = Paging.of(request)
        store = await caller(request, org, Role.READER)
        return CompactJSON([list_item(artifact) for artifact in await _of_repo(store, org, names, paging)])
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


def _newest_first(artifact: Artifact) -> tuple[datetime, str, str]:
    return artifact.created_at, artifact.flow, artifact.fingerprint


async def _of_repo(store: GraphStore, org: str, names: list[str], paging: Paging) -> list[Artifact]:
    """`list artifacts --repo`: the artifacts of every URL the name stands for (`tracegraph.kosli.repos`), merged
    newest first. Each page asks every URL concurrently, after the previous page's last artifact (an artifact is
    built from one commit, of one repository, so the lists are disjoint). An unknown repository lists nothing."""
    urls = repository_urls(names)
    after: tuple[str, str] | None = None
    page: list[Artifact] = []
    for _ in range(paging.page):
        found = await asyncio.gather(
            *(store.list_artifacts_of_repo(org, url, limit=paging.per_page, after=after) for url in urls)
        )
        page = sorted((artifact for part in found for artifact in part), key=_newest_first, reverse=True)
        page = page[: paging.per_page]
        if not page:
            return []
        after = (page[-1].flow, page[-1].fingerprint)
    return page


ROUTES = [
    Route("/artifacts/{org}", list_artifacts, methods=["GET"]),
    Route("/artifacts/{org}/{flow}", report_artifact, methods=["POST"]),
    Route("/artifacts/{org}/{flow}/fingerprint/{id}", get_by_fingerprint, methods=["GET"]),
    Route("/artifacts/{org}/{flow}/commit_sha/{id}", get_by_commit, methods=["GET"]),
    Route("/artifacts/{org}/{flow}/{fp}/latest_commit", latest_commit, methods=["GET"]),
]
