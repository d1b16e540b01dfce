from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import views


# Plain fields: a call answers up to 1,000 of these.
@strawberry.type(description="A snapshot in brief: its time, how many fingerprints run in it, whether it is compliant.")
class SnapshotSummary:
    index: int = strawberry.field(description="The snapshot's number.")
    reported_at: datetime = strawberry.field(description="When the environment reported it (ISO 8601, UTC).")
    compliant: bool = strawberry.field(
        description="Whether everything running in it has provenance and every such artifact is COMPLIANT (now)."
    )
    running_total: int = strawberry.field(description="How many fingerprints run in it.")

    @classmethod
    def of(cls, summary: views.SnapshotSummary) -> SnapshotSummary:
        return cls(
            index=summary.index,
            reported_at=summary.reported_at,
            compliant=summary.compliant,
            running_total=summary.running_total,
        )
