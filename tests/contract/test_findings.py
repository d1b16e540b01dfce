"""Findings: each kind on hand-built histories, judged as of the next snapshot (or now), in one round trip."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.contract.scenario import ORG, at, build, fp, history, report, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.findings import FindingKind, RollBackBasis
from tracegraph.graph.inputs import AttestationInput, DeploymentInput, RunningArtifactInput, SnapshotInput
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.selectors import LATEST, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore

WINDOW = timedelta(minutes=5)
POLICY_HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"


def number(index: int) -> SnapshotSelector:
    return SnapshotSelector(kind=SelectorKind.INDEX, value=index)


async def deploy(store: GraphStore, flow: str, label: str, minutes: float, environment: str = "prod") -> int:
    deployment = await store.report_deployment(
        DeploymentInput(org=ORG, flow=flow, fingerprint=fp(label), environment=environment, reported_at=at(minutes))
    )
    return deployment.number


async def test_running_without_provenance_and_its_event(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await deploy(store, "web", "a", 0)
    await report(store, "prod", {"a": 1}, minutes=1)
    await report(store, "prod", {"a": 1, "miner": 2}, minutes=2)
    before = store.round_trips
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(3))
    assert store.round_trips == before + 1
    assert [item.fingerprint for item in found.without_provenance] == [fp("miner")]
    assert found.started_without_deployment == ()  # the miner has no build: a finding of its own kind only
    assert found.total == 1
    assert found.snapshot is not None
    assert found.snapshot.index == 2
    assert (await store.findings(ORG, "prod", number(1), now=at(3))).total == 0
    flags = await store.event_findings(ORG, "prod", [1, 2], window=WINDOW)
    assert flags == {1: {}, 2: {fp("miner"): (FindingKind.WITHOUT_PROVENANCE,)}}


async def test_deployed_but_never_started_pending_inside_its_window(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await build(store, "web", "b")
    await deploy(store, "web", "a", 0)
    await report(store, "prod", {"a": 1}, minutes=1)
    number_b = await deploy(store, "web", "b", 10)
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(12))
    assert found.deployed_not_started == ()
    assert [(item.deployment.number, item.window_ends_at) for item in found.pending_deployments] == [(number_b, at(15))]
    assert found.total == 0  # pending is not a finding
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(16))
    assert [item.deployment.number for item in found.deployed_not_started] == [number_b]
    (late,) = found.deployed_not_started
    assert late.provenance is not None
    assert late.provenance.artifact.fingerprint == fp("b")
    assert found.pending_deployments == ()
    # Only the deployment kind was asked for: the other lists stay empty, still one round trip.
    before = store.round_trips
    only = await store.findings(
        ORG, "prod", LATEST, kinds=frozenset({FindingKind.DEPLOYED_NOT_STARTED}), window=WINDOW, now=at(16)
    )
    assert store.round_trips == before + 1
    assert only.kinds == frozenset({FindingKind.DEPLOYED_NOT_STARTED})
    assert only.total == 1


async def test_a_deployment_that_starts_after_its_window_is_a_finding(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await deploy(store, "web", "a", 0)
    await report(store, "prod", {}, minutes=1)  # #1: nothing yet
    await report(store, "prod", {"a": 1}, minutes=20)  # #2: a starts 20 minutes after its deployment
    at_1 = await store.findings(ORG, "prod", number(1), window=WINDOW, now=at(30))
    assert at_1.as_of == at(20)  # #1 was the state until #2
    assert len(at_1.deployed_not_started) == 1
    latest = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(30))
    assert len(latest.deployed_not_started) == 1  # it did start, but not within its window
    assert latest.started_without_deployment == ()  # the deployment came before the start
    # With a wide enough window it started in time, and nothing is wrong.
    assert (await store.findings(ORG, "prod", LATEST, window=timedelta(minutes=30), now=at(30))).total == 0


async def test_a_deployment_of_what_already_runs_is_started(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await deploy(store, "web", "a", 0)
    await report(store, "prod", {"a": 1}, minutes=1)
    await deploy(store, "web", "a", 30)  # re-deployed while running
    assert (await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(60))).total == 0


async def test_started_without_a_deployment_and_a_late_report_inside_the_window(store: GraphStore) -> None:
    await topology(store)
    for label in ("a", "b", "c"):
        await build(store, "web", label)
    await deploy(store, "web", "a", 0)
    await report(store, "prod", {"a": 1, "b": 1, "c": 1}, minutes=1)
    await deploy(store, "web", "b", 3)  # reported 2 minutes after b started: inside the window, counts
    await deploy(store, "web", "c", 9)  # 8 minutes after: too late
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(10))
    assert [item.fingerprint for item in found.started_without_deployment] == [fp("c")]
    flags = await store.event_findings(ORG, "prod", [1], window=WINDOW)
    assert flags == {1: {fp("c"): (FindingKind.STARTED_WITHOUT_DEPLOYMENT,)}}


async def test_non_compliant_running_artifacts_with_reasons(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await build(store, "web", "b")
    await deploy(store, "web", "a", 0)
    await deploy(store, "web", "b", 0)
    for name, compliant in (("unit-tests", False), ("lint", True), ("snyk", False)):
        await store.attest(
            AttestationInput(org=ORG, flow="web", fingerprint=fp("a"), type="generic", name=name, compliant=compliant)
        )
    await report(store, "prod", {"a": 1, "b": 1}, minutes=1)
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(2))
    (item,) = found.non_compliant
    assert item.running.fingerprint == fp("a")
    assert item.provenance.artifact.flow == "web"
    assert item.reasons == ("attestation snyk (generic) failed", "attestation unit-tests (generic) failed")
    assert (await store.event_findings(ORG, "prod", [1]))[1] == {fp("a"): (FindingKind.NON_COMPLIANT,)}


async def test_required_evidence_missing_under_a_policy_is_non_compliant(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await build(store, "web", "b")
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("b"), type="junit", name="unit-test", compliant=True)
    )
    await deploy(store, "web", "a", 0)
    await deploy(store, "web", "b", 0)
    await report(store, "prod", {"a": 1}, minutes=1)
    required = (
        "artifacts:\n  provenance:\n    required: true\n  attestations:\n    - name: unit-test\n      type: junit\n"
    )
    await store.create_policy(PolicyInput(org=ORG, name="tested", yaml=POLICY_HEAD + required))
    await store.attach_policy(ORG, "prod", "tested")  # after the fact: the latest snapshot is re-evaluated
    await report(store, "prod", {"a": 1, "b": 1, "miner": 1}, minutes=2)
    before = store.round_trips
    found = await store.findings(ORG, "prod", LATEST, kinds=frozenset({FindingKind.NON_COMPLIANT}), now=at(3))
    assert store.round_trips == before + 1
    assert [(item.running.fingerprint, item.reasons) for item in found.non_compliant] == [
        (fp("a"), ("tested: missing attestation unit-test (junit)",))
    ]  # b has its test; the miner's "no provenance" is a finding of its own kind
    assert [
        item.running.fingerprint for item in (await store.findings(ORG, "prod", number(1), now=at(3))).non_compliant
    ] == [fp("a")]
    flags = await store.event_findings(ORG, "prod", [1, 2], window=WINDOW)
    assert flags[1] == {fp("a"): (FindingKind.NON_COMPLIANT,)}  # #1 re-evaluated when the policy was attached
    assert flags[2] == {fp("miner"): (FindingKind.WITHOUT_PROVENANCE,)}


async def test_an_artifact_reported_under_two_flows(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "shared")
    await build(store, "api", "shared")
    await store.attest(
        AttestationInput(org=ORG, flow="api", fingerprint=fp("shared"), type="junit", name="tests", compliant=False)
    )
    await deploy(store, "api", "shared", 0)  # a deployment under either flow counts for the fingerprint
    await report(store, "prod", {"shared": 1}, minutes=1)
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(2))
    assert found.without_provenance == ()
    assert found.started_without_deployment == ()
    assert [item.provenance.artifact.flow for item in found.non_compliant] == ["api"]


async def test_a_roll_back_by_ancestry_then_a_roll_forward(store: GraphStore) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"], "c3": ["c2"]})
    await build(store, "web", "old", commit="c1", minutes=0)
    # The newer commit's build is older by the clock: ancestry decides, not build time.
    await build(store, "web", "new", commit="c3", minutes=-10)
    for label in ("old", "new", "old"):
        await deploy(store, "web", label, 0)
    await report(store, "prod", {"new": 1}, minutes=1)  # #1
    await report(store, "prod", {"old": 1}, minutes=2)  # #2 roll-back: old starts as new stops
    await report(store, "prod", {"new": 1}, minutes=3)  # #3 roll-forward
    back = await store.findings(ORG, "prod", number(2), window=WINDOW, now=at(4))
    (roll_back,) = back.roll_backs
    assert roll_back.running.fingerprint == fp("old")
    assert (roll_back.started.artifact.git_commit, roll_back.replaced.artifact.git_commit) == (sha("c1"), sha("c3"))
    assert roll_back.basis is RollBackBasis.ANCESTRY
    assert (await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(4))).roll_backs == ()
    flags = await store.event_findings(ORG, "prod", [2, 3], window=WINDOW)
    assert flags == {2: {fp("old"): (FindingKind.ROLL_BACK,)}, 3: {}}


async def test_a_roll_back_by_build_time_when_ancestry_is_unknown(store: GraphStore) -> None:
    await topology(store)
    # c9's history was never reported: whether c1 is its ancestor cannot be decided.
    await history(store, {"c1": []})
    await build(store, "web", "old", commit="c1", minutes=0)
    await build(store, "web", "new", commit="c9", minutes=5)
    await build(store, "api", "other", minutes=9)  # another flow stopping is no roll-back of web
    for flow, label in (("web", "new"), ("api", "other"), ("web", "old")):
        await deploy(store, flow, label, 0)
    await report(store, "prod", {"new": 1, "other": 1}, minutes=1)
    await report(store, "prod", {"old": 1}, minutes=2)
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(3))
    assert [(item.replaced.artifact.fingerprint, item.basis) for item in found.roll_backs] == [
        (fp("new"), RollBackBasis.BUILD_TIME)
    ]


async def test_a_scale_is_no_start(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "old", minutes=0)
    await build(store, "web", "new", minutes=5)
    await deploy(store, "web", "old", 0)
    await deploy(store, "web", "new", 0)
    await report(store, "prod", {"old": 1, "new": 1}, minutes=1)
    await report(store, "prod", {"old": 2}, minutes=2)  # old scales as new stops: no roll-back
    assert (await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(3))).roll_backs == ()
    assert await store.event_findings(ORG, "prod", [2], window=WINDOW) == {2: {}}


async def test_an_environment_never_reported_has_only_deployment_findings(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "a")
    await deploy(store, "web", "a", 0, environment="beta")
    found = await store.findings(ORG, "beta", LATEST, window=WINDOW, now=at(30))
    assert found.snapshot is None
    assert len(found.deployed_not_started) == 1
    assert found.total == 1


@pytest.mark.parametrize("size", [5, 500])
async def test_one_round_trip_whatever_the_size(store: GraphStore, size: int) -> None:
    await topology(store)
    await history(store, {"c1": [], "c2": ["c1"]})
    labels = [f"svc-{n}" for n in range(size)]
    for label in labels:
        await build(store, "web", label, commit="c1")
    await build(store, "web", "next", commit="c2")
    await deploy(store, "web", "next", 0)
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("svc-0"), type="junit", name="t", compliant=False)
    )
    await report(store, "prod", {"next": 1}, minutes=1)
    running = [RunningArtifactInput(fingerprint=fp(label), name=label, instances=1) for label in labels]
    running.append(RunningArtifactInput(fingerprint=fp("miner"), name="miner", instances=1))
    await store.report_snapshot(SnapshotInput(org=ORG, environment="prod", artifacts=running, reported_at=at(2)))
    before = store.round_trips
    found = await store.findings(ORG, "prod", LATEST, window=WINDOW, now=at(3))
    flags = await store.event_findings(ORG, "prod", [1, 2], window=WINDOW)
    assert store.round_trips == before + 2
    assert len(found.without_provenance) == 1
    assert len(found.non_compliant) == 1
    assert len(found.started_without_deployment) == size
    assert len(found.roll_backs) == size  # each c1 build replaced the c2 build
    assert len(flags[2]) == size + 1


async def test_rules_and_missing_things(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(InvalidInput) as error:
        await store.findings(ORG, "prod", LATEST, window=timedelta(seconds=-1))
    assert error.value.field == "window"
    with pytest.raises(InvalidInput) as error:
        await store.event_findings(ORG, "prod", list(range(1, 1002)))
    assert error.value.field == "indexes"
    with pytest.raises(NotFound):
        await store.findings(ORG, "nowhere", LATEST)
    with pytest.raises(NotFound):
        await store.findings(ORG, "prod", number(3))
