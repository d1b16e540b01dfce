"""`search` (SPEC §2.18): `GET /search/{org}/sha/{value}`, a commit or fingerprint prefix."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import NotFound
from tracegraph.graph.model import Role
from tracegraph.graph.rules import hex_prefix
from tracegraph.graph.views import ArtifactDetail, Placement, Provenance
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.routes.artifacts import history_event
from tracegraph.kosli.running import state_text
from tracegraph.kosli.times import epoch


def _item(
    fingerprint: str, name: str, provenance: Provenance | None, placements: tuple[Placement, ...], history: list[Any]
) -> dict[str, Any]:
    artifact = provenance.artifact if provenance is not None else None
    return {
        "fingerprint": fingerprint,
        "name": artifact.name if artifact else name,
        "flow": artifact.flow if artifact else "",
        "pipeline": artifact.flow if artifact else "",
        "git_commit": (artifact.git_commit or "") if artifact else "",
        "has_provenance": artifact is not None,
        "commit_url": (artifact.commit_url or "") if artifact else "",
        "build_url": (artifact.build_url or "") if artifact else "",
        "html_url": "",
        "compliance_state": state_text(artifact.state) if artifact else "",
        "running_in": sorted(f"{p.environment}#{p.from_index}" for p in placements if p.to_index is None),
        "exited_from": [f"{p.environment}#{p.to_index}" for p in placements if p.to_index is not None],
        "history": history,
    }


def _placement_history(placements: tuple[Placement, ...]) -> list[dict[str, Any]]:
    entries = [(p.started_at, f"Started running in {p.environment}#{p.from_index} environment") for p in placements]
    entries += [
        (p.stopped_at, f"No longer running in {p.environment}#{p.to_index} environment")
        for p in placements
        if p.stopped_at is not None and p.to_index is not None
    ]
    return [{"event": text, "timestamp": epoch(at)} for at, text in sorted(entries)]


def _from_detail(detail: ArtifactDetail) -> dict[str, Any]:
    history = [{"event": history_event(entry), "timestamp": epoch(entry.at)} for entry in detail.history]
    artifact = detail.provenance.artifact
    return _item(artifact.fingerprint, artifact.name, detail.provenance, detail.placements, history)


@endpoint
async def search(request: Request) -> Response:
    """A commit match lists the artifacts built from it (one more store call per matching commit); a fingerprint
    match lists its builds in every flow, or the fingerprint alone when it only ran (no provenance)."""
    org, value = path_param(request, "org"), path_param(request, "value")
    store = await caller(request, org, Role.READER)
    prefix = hex_prefix(value, field="value")
    result = await store.search(org, prefix)
    if not result.commits and not result.fingerprints:
        raise NotFound(f"No matches for '{value}'.")
    artifacts: list[dict[str, Any]] = []
    for commit in result.commits:
        artifacts.extend(_from_detail(detail) for detail in await store.artifacts_for_commit(org, commit.sha))
    for match in result.fingerprints:
        history = _placement_history(match.placements)
        name = match.placements[0].name if match.placements else ""
        if not match.artifacts:
            artifacts.append(_item(match.fingerprint, name, None, match.placements, history))
        for provenance in match.artifacts:
            created = [{"event": "Artifact created", "timestamp": epoch(provenance.artifact.created_at)}]
            artifacts.append(_item(match.fingerprint, name, provenance, match.placements, created + history))
    commits = [commit.sha for commit in result.commits]
    fingerprints = [match.fingerprint for match in result.fingerprints]
    if len(commits) == 1 and not fingerprints:
        kind, full = "commit", commits[0]
    elif len(fingerprints) == 1 and not commits:
        kind, full = "fingerprint", fingerprints[0]
    else:
        kind, full = "multiple", ""
    resolved = {
        "type": kind,
        "full_match": full,
        "fingerprints": {"type": "fingerprint", "count": len(fingerprints), "matches": fingerprints},
        "commits": {"type": "commit", "count": len(commits), "matches": commits},
    }
    return CompactJSON({"resolved_to": resolved, "artifacts": artifacts})


ROUTES = [Route("/search/{org}/sha/{value}", search, methods=["GET"])]
