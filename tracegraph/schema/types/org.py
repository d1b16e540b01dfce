from __future__ import annotations

from datetime import datetime

import strawberry

from tracegraph.graph import model
from tracegraph.schema.node import Node


@strawberry.type(description="An organisation: owns every flow, environment, artifact and commit reported to it.")
class Org(Node):
    name: str = strawberry.field(description="The org's name (1-100 characters from A-Z a-z 0-9 . _ -).")
    public: bool = strawberry.field(description="Whether any authenticated caller may read it.")
    description: str = strawberry.field(description="Free text, at most 10,000 characters.")
    created_at: datetime = strawberry.field(description="When the org was first created (ISO 8601, UTC).")

    def node_key(self) -> str:
        return self.name

    @classmethod
    def of(cls, org: model.Org) -> Org:
        return cls(name=org.name, public=org.public, description=org.description, created_at=org.created_at)
