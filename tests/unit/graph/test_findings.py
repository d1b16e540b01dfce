"""The findings rules without a database: which build is newer, the reasons, pending or late, stops and scales."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracegraph.errors import InvalidInput
from tracegraph.graph.ancestry import CommitGraph
from tracegraph.graph.findings import (
    ChangedRun,
    RollBackBasis,
    check_window,
    closed_at,
    deployment_findings,
    newer,
    reasons,
)
from tracegraph.graph.model import Artifact, ArtifactState, Deployment

T0 = datetime(2022, 9, 6, 14, 0, tzinfo=UTC)


def built(commit: str | None, minutes: int) -> Artifact:
    return Artifact(
        org="acme",
        flow="web",
        fingerprint=f"{commit}-{minutes}",
        name="web",
        created_at=T0 + timedelta(minutes=minutes),
        build_url=None,
        commit_url=None,
        git_commit=commit,
        state=ArtifactState.COMPLIANT,
    )


def graph(parents: dict[str, tuple[str, ...] | None]) -> CommitGraph:
    return CommitGraph(epoch="e", seq=1, parents=parents)


def test_ancestry_decides_over_build_time_both_ways() -> None:
    line = graph({"a": (), "b": ("a",), "c": ("b",)})
    old, new = built("a", 10), built("c", 0)  # the newer commit was built earlier
    assert newer(old, new, line) is RollBackBasis.ANCESTRY
    assert newer(new, old, line) is None  # a roll-forward, whatever the clock says


def test_build_time_decides_when_ancestry_cannot() -> None:
    holes = graph({"a": (), "c": None})  # c's parents were never reported
    assert newer(built("a", 0), built("c", 5), holes) is RollBackBasis.BUILD_TIME
    assert newer(built("a", 5), built("c", 0), holes) is None
    branches = graph({"a": (), "x": ("a",), "y": ("a",)})  # unrelated: neither is an ancestor
    assert newer(built("x", 0), built("y", 5), branches) is RollBackBasis.BUILD_TIME
    assert newer(built("a", 0), built("a", 5), branches) is RollBackBasis.BUILD_TIME  # the same commit
    assert newer(built(None, 0), built("a", 5), None) is RollBackBasis.BUILD_TIME
    assert newer(built("a", 0), built("a", 0), None) is None


def test_reasons_name_each_failed_attestation_once() -> None:
    artifact = built("a", 0)
    failed = {("web", artifact.fingerprint): [("unit", "junit"), ("scan", "snyk"), ("unit", "junit")]}
    assert reasons(artifact, failed) == ("attestation scan (snyk) failed", "attestation unit (junit) failed")
    assert reasons(artifact, {}) == ("an attestation failed",)


def test_deployments_are_pending_until_their_window_ends() -> None:
    def deployed(number: int, minutes: int) -> Deployment:
        return Deployment(
            org="acme",
            flow="web",
            number=number,
            fingerprint="f",
            environment="prod",
            reported_at=T0 + timedelta(minutes=minutes),
            user=None,
            description="",
        )

    late, pending = deployment_findings(
        [deployed(2, 8), deployed(1, 0)], {}, T0 + timedelta(minutes=10), timedelta(minutes=5)
    )
    assert [item.deployment.number for item in late] == [1]
    assert [(item.deployment.number, item.window_ends_at) for item in pending] == [(2, T0 + timedelta(minutes=13))]
    assert late[0].provenance is None  # the artifact was not read: the finding stands without it


def test_a_scale_closes_a_run_but_stops_nothing() -> None:
    def run(fingerprint: str, start: int, end: int | None) -> ChangedRun:
        return ChangedRun(
            fingerprint=fingerprint, name=fingerprint, instances=1, from_index=start, to_index=end, started_at=T0
        )

    closed, stopped = closed_at([run("a", 1, 3), run("a", 3, None), run("b", 1, 3)])
    assert closed[3] == {"a", "b"}
    assert stopped[3] == {"b"}


def test_the_window_is_bounded() -> None:
    assert check_window(timedelta(0)) == timedelta(0)
    for wrong in (timedelta(seconds=-1), timedelta(days=31)):
        with pytest.raises(InvalidInput) as error:
            check_window(wrong)
        assert error.value.field == "window"
