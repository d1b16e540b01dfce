from __future__ import annotations

from typing import Any

import pytest

from tests.contract.scenario import ORG, build, fp, report, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import (
    MAX_RUNNING,
    ArtifactInput,
    AttestationInput,
    CommitInput,
    DeploymentInput,
    FlowInput,
    SnapshotInput,
    TokenInput,
    parse,
)
from tracegraph.graph.rules import utc_now
from tracegraph.graph.selectors import LogQuery
from tracegraph.graph.store import GraphStore


@pytest.mark.parametrize(
    ("model", "data", "field", "rule"),
    [
        (FlowInput, {"org": ORG, "name": ""}, "name", "1-100 characters"),
        (FlowInput, {"org": ORG, "name": "x" * 101}, "name", "1-100 characters"),
        (FlowInput, {"org": ORG, "name": "wéb"}, "name", "A-Z a-z 0-9"),
        (FlowInput, {"org": ORG, "name": "web", "repo_url": "ftp://x"}, "repo_url", "http or https"),
        (FlowInput, {"org": ORG, "name": 12}, "name", "string"),
        (
            ArtifactInput,
            {"org": ORG, "flow": "web", "fingerprint": "abc", "name": "x"},
            "fingerprint",
            "64 hexadecimal",
        ),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "g" * 64, "name": "x"}, "fingerprint", "64 hex"),
        (
            ArtifactInput,
            {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "x", "git_commit": "a" * 39},
            "git_commit",
            "40 hexadecimal",
        ),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "bad\x00name"}, "name", "control"),
        (
            ArtifactInput,
            {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "x", "created_at": "2022-09-06T14:00:00"},
            "created_at",
            "time zone",
        ),
        (
            SnapshotInput,
            {"org": ORG, "environment": "prod", "artifacts": [{"fingerprint": "a" * 64, "name": "x", "instances": 0}]},
            "artifacts.0.instances",
            "greater than or equal to 1",
        ),
        (
            SnapshotInput,
            {
                "org": ORG,
                "environment": "prod",
                "artifacts": [{"fingerprint": "a" * 64, "name": "x"}, {"fingerprint": "A" * 64, "name": "y"}],
            },
            "artifacts",
            "appears twice",
        ),
        (
            SnapshotInput,
            {
                "org": ORG,
                "environment": "prod",
                "artifacts": [{"fingerprint": "a" * 64, "name": "x"}] * (MAX_RUNNING + 1),
            },
            "artifacts",
            "at most 10000",
        ),
        (SnapshotInput, {"org": ORG, "environment": "prod", "surprise": 1}, "surprise", "Extra inputs"),
        (
            AttestationInput,
            {
                "org": ORG,
                "flow": "web",
                "fingerprint": "a" * 64,
                "type": "junit",
                "name": "t",
                "compliant": True,
                "data": {"blob": "x" * 70_000},
            },
            "data",
            "65536 bytes",
        ),
        (LogQuery, {"org": ORG, "environment": "prod", "limit": 101}, "limit", "less than or equal to 100"),
        (CommitInput, {"sha": "a" * 40, "parents": ["a" * 40]}, "", "its own parent"),
        (CommitInput, {"sha": "a" * 40, "parents": ["b" * 40, "B" * 40]}, "", "must not repeat"),
        (LogQuery, {"org": ORG, "environment": "prod", "min_index": 5, "max_index": 2}, "", "min_index"),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "a\nb"}, "name", "one line"),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "a\x85b"}, "name", "U+0085"),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "a\u2029b"}, "name", "U+2029"),
        (ArtifactInput, {"org": ORG, "flow": "web", "fingerprint": "a" * 64, "name": "a\ud800"}, "name", "Unicode"),
        (CommitInput, {"sha": "a" * 40, "message": "a\ud800b"}, "message", "valid Unicode"),
        (FlowInput, {"org": ORG, "name": "we\nb"}, "name", "1-100 characters"),
        (
            TokenInput,
            {"org": ORG, "role": "reader", "expires_at": utc_now(), "secret_hash": "0" * 64},
            "expires_at",
            "future",
        ),
    ],
)
def test_bad_input_names_the_field_and_the_rule(model: Any, data: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse(model, data)
    assert error.value.field == field
    assert rule in error.value.rule


def test_unicode_observed_names_and_upper_case_fingerprints_are_accepted() -> None:
    running = parse(
        SnapshotInput,
        {"org": ORG, "environment": "prod", "artifacts": [{"fingerprint": "AB" * 32, "name": "régistre/añil:ü 🚀"}]},
    )
    assert running.artifacts[0].fingerprint == "ab" * 32
    assert running.artifacts[0].name == "régistre/añil:ü 🚀"


async def test_rejected_writes_leave_nothing_behind(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    with pytest.raises(NotFound, match="environment 'nowhere'"):
        await store.report_deployment(
            DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="nowhere")
        )
    with pytest.raises(NotFound, match="artifact"):
        await store.report_deployment(DeploymentInput(org=ORG, flow="web", fingerprint=fp("none"), environment="prod"))
    with pytest.raises(NotFound, match="artifact"):
        await store.attest(
            AttestationInput(org=ORG, flow="web", fingerprint=fp("none"), type="junit", name="t", compliant=True)
        )
    deployed = await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("web-1"), environment="prod")
    )
    assert deployed.number == 1
    detail = await store.artifact(ORG, "web", fp("web-1"))
    assert [d.number for d in detail.deployments] == [1]
    assert detail.attestations == ()
    unicode_report = await report(store, "prod", {"web-1": 1}, minutes=1)
    assert unicode_report.snapshot.index == 1
