# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(...) used as a decorator is untyped without strawberry's mypy plugin, which pyproject does not load)
from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import views
from tracegraph.schema.enums import HistoryKind


@strawberry.type(description="One line of an artifact's history.")
class HistoryEntry:
    entry: strawberry.Private[views.HistoryEntry]

    @classmethod
    def of(cls, entry: views.HistoryEntry) -> HistoryEntry:
        return cls(entry=entry)

    @strawberry.field(description="What happened.")
    def kind(self) -> HistoryKind:
        return self.entry.kind

    @strawberry.field(description="When (ISO 8601, UTC).")
    def at(self) -> datetime:
        return self.entry.at

    @strawberry.field(description="Kosli's wording, e.g. 'Started running in aws-prod#176 environment'.")
    def description(self) -> str:
        return self.entry.description

    @strawberry.field(description="The environment, for DEPLOYED, STARTED and STOPPED.")
    def environment(self) -> str | None:
        return self.entry.environment

    @strawberry.field(description="The snapshot number, for STARTED and STOPPED.")
    def snapshot_index(self) -> int | None:
        return self.entry.snapshot_index

    @strawberry.field(description="The deployment number, for DEPLOYED.")
    def deployment_number(self) -> int | None:
        return self.entry.deployment_number

    @strawberry.field(description="The attestation's name, for ATTESTED.")
    def attestation(self) -> str | None:
        return self.entry.attestation
