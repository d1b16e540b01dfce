"""Running artifacts as Kosli shows them: their provenance fields (instances and start times are
`tracegraph.kosli.instances`)."""

from __future__ import annotations

from typing import Any

from tracegraph.graph.model import ArtifactState
from tracegraph.graph.views import Provenance


def state_text(state: ArtifactState) -> str:
    return "NON-COMPLIANT" if state is ArtifactState.NON_COMPLIANT else "COMPLIANT"


def provenance_fields(artifacts: tuple[Provenance, ...]) -> dict[str, Any]:
    """The first build reported for the fingerprint (a fingerprint built by several flows shows the first)."""
    if not artifacts:
        return {"flow_name": "", "git_commit": "", "commit_url": "", "compliant": False}
    first = artifacts[0].artifact
    return {
        "flow_name": first.flow,
        "git_commit": first.git_commit or "",
        "commit_url": first.commit_url or "",
        "compliant": all(item.artifact.state is ArtifactState.COMPLIANT for item in artifacts),
    }
