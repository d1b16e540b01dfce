"""Attestations reported to a trail without a fingerprint: trail-level, pending for a template slot, bound."""

from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, at, fp, sha, topology
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import ArtifactInput, TrailAttestationInput, TrailInput
from tracegraph.graph.model import ArtifactState
from tracegraph.graph.store import GraphStore

TRAIL = sha("t1")


def evidence(name: str, **extra: object) -> TrailAttestationInput:
    return TrailAttestationInput.model_validate(
        {"org": ORG, "flow": "web", "trail": TRAIL, "type": "generic", "name": name, "compliant": True, **extra}
    )


def artifact(label: str, slot: str, **extra: object) -> ArtifactInput:
    return ArtifactInput.model_validate(
        {
            "org": ORG,
            "flow": "web",
            "fingerprint": fp(label),
            "name": f"web:{label}",
            "created_at": at(1),
            "trail": TRAIL,
            "template_reference_name": slot,
            **extra,
        }
    )


async def test_a_trail_level_attestation_is_kept_and_read(store: GraphStore) -> None:
    await topology(store)
    await store.begin_trail(TrailInput(org=ORG, flow="web", name=TRAIL))
    made = await store.attest_trail(evidence("review", data={"by": "ann"}, url="https://ci.example/1"))
    assert (made.fingerprint, made.trail, made.target_artifact, made.data) == (None, TRAIL, None, {"by": "ann"})
    detail = await store.trail(ORG, "web", TRAIL)
    assert detail.trail_attestations == (made,)
    assert (detail.pending_attestations, detail.attestations) == ((), ())


async def test_a_pending_attestation_is_bound_when_its_artifact_arrives(store: GraphStore) -> None:
    await topology(store)
    await store.begin_trail(TrailInput(org=ORG, flow="web", name=TRAIL))
    pending = await store.attest_trail(evidence("lint", target_artifact="web", compliant=False))
    assert (pending.fingerprint, pending.target_artifact) == (None, "web")
    assert (await store.trail(ORG, "web", TRAIL)).pending_attestations == (pending,)
    reported = await store.report_artifact(artifact("a1", "web"))
    assert reported.state == ArtifactState.NON_COMPLIANT  # the bound evidence counts in the same report
    detail = await store.trail(ORG, "web", TRAIL)
    assert (detail.pending_attestations, detail.trail_attestations) == ((), ())
    assert [(item.id, item.fingerprint, item.name) for item in detail.attestations] == [(pending.id, fp("a1"), "lint")]
    found = await store.artifact(ORG, "web", fp("a1"))
    assert [item.id for item in found.attestations] == [pending.id]


async def test_a_pending_attestation_waits_for_its_commit(store: GraphStore) -> None:
    await topology(store)
    await store.begin_trail(TrailInput(org=ORG, flow="web", name=TRAIL))
    pending = await store.attest_trail(evidence("lint", target_artifact="web", git_commit=sha("c2")))
    await store.report_artifact(artifact("a1", "web", git_commit=sha("c1")))
    assert (await store.trail(ORG, "web", TRAIL)).pending_attestations == (pending,)
    await store.report_artifact(artifact("a2", "web", git_commit=sha("c2")))
    found = await store.artifact(ORG, "web", fp("a2"))
    assert [item.id for item in found.attestations] == [pending.id]


async def test_an_attestation_binds_at_once_when_its_slot_has_its_artifact(store: GraphStore) -> None:
    await topology(store)
    await store.report_artifact(artifact("a1", "web", git_commit=sha("c1")))
    made = await store.attest_trail(evidence("lint", target_artifact="web"))
    assert (made.fingerprint, made.trail, made.target_artifact) == (fp("a1"), None, None)
    await store.report_artifact(artifact("a2", "web", git_commit=sha("c2")))
    chosen = await store.attest_trail(evidence("scan", target_artifact="web", git_commit=sha("c2")))
    assert chosen.fingerprint == fp("a2")  # two in the slot: the one built from the commit
    ambiguous = await store.attest_trail(evidence("test", target_artifact="web"))
    assert ambiguous.fingerprint is None  # two in the slot and no commit to choose by: pending
    detail = await store.trail(ORG, "web", TRAIL)
    assert [item.name for item in detail.attestations] == ["lint", "scan"]
    assert [item.name for item in detail.pending_attestations] == ["test"]


async def test_a_missing_flow_or_trail_is_not_found_and_writes_nothing(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(NotFound, match="flow 'nope' not found"):
        await store.attest_trail(evidence("review").model_copy(update={"flow": "nope"}))
    with pytest.raises(NotFound, match=f"trail '{TRAIL}' not found in flow 'web'"):
        await store.attest_trail(evidence("review"))
    await store.begin_trail(TrailInput(org=ORG, flow="web", name=TRAIL))
    detail = await store.trail(ORG, "web", TRAIL)
    assert (detail.trail_attestations, detail.pending_attestations) == ((), ())
