"""`--output json`: one documented shape per command (docs/cli.md), built by an explicit function from the GraphQL
answer — never the answer itself — so a script survives a query change.

Conventions, the same for every command: kosli's field names where kosli has the command (its REST answers, which
`kosli … --output json` prints), flat snake_case names where it does not; times as ISO 8601 text in UTC
(`2022-09-06T14:52:28+00:00`, as the server answers them) where kosli sends Unix seconds; absent values as null,
except kosli's single flow name (`flow_name`, `pipeline`, `flow`), which is `""` without provenance; enums as the
GraphQL schema spells them (`COMPLIANT`, `NON_COMPLIANT`, `STARTED`…)."""

from __future__ import annotations

from tracegraph.cli.shapes.admin import org, token
from tracegraph.cli.shapes.artifacts import artifact, artifact_item, search
from tracegraph.cli.shapes.compliance import (
    assert_artifact,
    assert_snapshot,
    attestation_type,
    findings,
    policy,
    policy_attachment,
    versions,
)
from tracegraph.cli.shapes.diff import diff
from tracegraph.cli.shapes.environments import environment, flow, log_events, snapshot, snapshot_item
from tracegraph.cli.shapes.reports import commits_report, deployment_report, fingerprint, snapshot_report

__all__ = [
    "artifact",
    "artifact_item",
    "assert_artifact",
    "assert_snapshot",
    "attestation_type",
    "commits_report",
    "deployment_report",
    "diff",
    "environment",
    "findings",
    "fingerprint",
    "flow",
    "log_events",
    "org",
    "policy",
    "policy_attachment",
    "search",
    "snapshot",
    "snapshot_item",
    "snapshot_report",
    "token",
    "versions",
]
