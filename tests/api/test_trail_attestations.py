"""A trail's own and pending attestations over GraphQL (`Trail.trailAttestations`, `Trail.pendingAttestations`),
read with the trail; a pending one moves to its artifact's evidence when the artifact is reported into its slot."""

from __future__ import annotations

from tests.api.conftest import DEFAULT_ORG, Api
from tests.contract.scenario import fp
from tracegraph.graph.inputs import ArtifactInput, FlowInput, TrailAttestationInput, TrailInput
from tracegraph.graph.store import GraphStore

ORG = DEFAULT_ORG
TRAIL = """
query {
  flow(org: "acme", name: "web") {
    trail(name: "t1") {
      attestations { name }
      trailAttestations { name compliant targetArtifact data }
      pendingAttestations { name targetArtifact }
    }
  }
}
"""


def evidence(name: str, **extra: object) -> TrailAttestationInput:
    return TrailAttestationInput.model_validate(
        {"org": ORG, "flow": "web", "trail": "t1", "type": "generic", "name": name, "compliant": True, **extra}
    )


async def test_trail_and_pending_attestations_are_read_with_the_trail(api: Api, store: GraphStore) -> None:
    await store.create_flow(FlowInput(org=ORG, name="web"))
    await store.begin_trail(TrailInput(org=ORG, flow="web", name="t1"))
    await store.attest_trail(evidence("review", data={"by": "ann"}))
    await store.attest_trail(evidence("lint", target_artifact="backend"))
    found = (await api.data(TRAIL))["flow"]["trail"]
    assert found == {
        "attestations": [],
        "trailAttestations": [{"name": "review", "compliant": True, "targetArtifact": None, "data": {"by": "ann"}}],
        "pendingAttestations": [{"name": "lint", "targetArtifact": "backend"}],
    }
    await store.report_artifact(
        ArtifactInput(
            org=ORG, flow="web", fingerprint=fp("b1"), name="web:b1", trail="t1", template_reference_name="backend"
        )
    )
    found = (await api.data(TRAIL))["flow"]["trail"]
    assert (found["attestations"], found["pendingAttestations"]) == ([{"name": "lint"}], [])
