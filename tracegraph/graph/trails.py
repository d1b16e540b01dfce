"""A trail's answer assembled from what a backend fetched: the rule written once for both."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tracegraph.graph.model import Artifact, Attestation, Commit, Trail
from tracegraph.graph.views import Provenance, TrailArtifact, TrailDetail


def detail(
    trail: Trail,
    artifacts: Iterable[tuple[Artifact, str | None]],
    known: Mapping[str, Commit],
    attestations: Iterable[Attestation],
    own: Iterable[Attestation] = (),
) -> TrailDetail:
    """`artifacts` with their template slot, `known` the reported commits among the shas they and the trail name.
    The trail's commit is bare (only its sha) when it was never reported; artifacts come oldest first, then by
    fingerprint; attestations oldest first, then by id. `own` are the trail's attestations no artifact holds:
    trail-level ones (no target slot) and pending ones."""
    commit = None
    if trail.git_commit is not None:
        commit = known.get(trail.git_commit) or Commit.bare(trail.org, trail.git_commit)
    ordered = sorted(artifacts, key=lambda pair: (pair[0].created_at, pair[0].fingerprint))
    return TrailDetail(
        trail=trail,
        commit=commit,
        artifacts=tuple(
            TrailArtifact(
                provenance=Provenance(artifact=item, commit=known.get(item.git_commit) if item.git_commit else None),
                template_reference_name=slot,
            )
            for item, slot in ordered
        ),
        attestations=_ordered(attestations),
        trail_attestations=_ordered(item for item in own if item.target_artifact is None),
        pending_attestations=_ordered(item for item in own if item.target_artifact is not None),
    )


def _ordered(attestations: Iterable[Attestation]) -> tuple[Attestation, ...]:
    return tuple(sorted(attestations, key=lambda item: (item.reported_at, item.id)))


def binding(slot: Mapping[str, str | None], git_commit: str | None) -> str | None:
    """Of a template slot's artifacts (fingerprint: its commit), the one an attestation binds to at once: the only
    one, or the only one built from `git_commit` when the slot holds several; None keeps the attestation pending."""
    fingerprints = list(slot)
    if len(fingerprints) > 1 and git_commit is not None:
        fingerprints = [fingerprint for fingerprint in fingerprints if slot[fingerprint] == git_commit]
    return fingerprints[0] if len(fingerprints) == 1 else None
