"""Findings through the real app: an environment's, a snapshot's and the log's event flags, in a number of round
trips that does not grow with the running set."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio

from tests.api.conftest import Api, make_settings
from tests.contract.scenario import ORG, at, build, fp, history, sha, topology
from tracegraph.graph.inputs import AttestationInput, DeploymentInput, RunningArtifactInput, SnapshotInput
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

FINDINGS = """
query($org: String!, $env: String!) {
  environment(org: $org, name: $env) {
    findings {
      total startWindowSeconds kinds
      withoutProvenance { fingerprint name }
      startedWithoutDeployment { fingerprint }
      nonCompliant { reasons artifact { fingerprint } }
      rollBacks { basis started { commit { sha } } replaced { fingerprint commit { sha } } }
      deployedNotStarted { deployment { number } artifact { fingerprint } }
      pendingDeployments { deployment { number } }
    }
    snapshots(first: 10) {
      nodes { index events(first: 100) { nodes { fingerprint type findings } } }
    }
  }
}
"""

ONE_SNAPSHOT = """
query($org: String!, $env: String!) {
  environment(org: $org, name: $env) {
    snapshot(index: 1) {
      findings(kinds: [DEPLOYED_NOT_STARTED, ROLL_BACK]) { total kinds deployedNotStarted { deployment { number } } }
    }
  }
}
"""


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, token_cache_seconds=0, deployment_start_window_seconds=300)


async def environment_of(store: GraphStore, size: int) -> None:
    """`size` builds of commit c1 start in prod as the build of its child c2 stops; a miner starts beside them; a
    deployment of another build never starts."""
    await history(store, {"c1": [], "c2": ["c1"]})
    labels = [f"svc-{n}" for n in range(size)]
    for label in labels:
        await build(store, "web", label, commit="c1")
    await build(store, "web", "next", commit="c2")
    await build(store, "api", "stuck")
    await store.report_deployment(
        DeploymentInput(org=ORG, flow="web", fingerprint=fp("next"), environment="prod", reported_at=at(0))
    )
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("svc-0"), type="junit", name="unit", compliant=False)
    )
    reports = [[RunningArtifactInput(fingerprint=fp("next"), name="next", instances=1)]]
    reports.append([RunningArtifactInput(fingerprint=fp(label), name=label, instances=1) for label in labels])
    reports[1].append(RunningArtifactInput(fingerprint=fp("miner"), name="a-xmrig", instances=1))
    for minutes, running in enumerate(reports, start=1):
        await store.report_snapshot(
            SnapshotInput(org=ORG, environment="prod", artifacts=running, reported_at=at(minutes))
        )
    await store.report_deployment(
        DeploymentInput(org=ORG, flow="api", fingerprint=fp("stuck"), environment="prod", reported_at=at(3))
    )


@pytest.mark.parametrize("size", [5, 500])
async def test_findings_through_the_api_cost_the_same_at_any_size(api: Api, store: GraphStore, size: int) -> None:
    await topology(store)
    await environment_of(store, size)
    before = store.round_trips
    data = await api.data(FINDINGS, {"org": ORG, "env": "prod"})
    # The token check, the environment, its findings, the log page, the events' flags.
    assert store.round_trips - before == 5
    found = data["environment"]["findings"]
    assert found["startWindowSeconds"] == 300
    assert len(found["kinds"]) == 5
    assert found["withoutProvenance"] == [{"fingerprint": fp("miner"), "name": "a-xmrig"}]
    assert len(found["startedWithoutDeployment"]) == size
    assert found["nonCompliant"] == [
        {"reasons": ["attestation unit (junit) failed"], "artifact": {"fingerprint": fp("svc-0")}}
    ]
    assert len(found["rollBacks"]) == size
    assert found["rollBacks"][0] == {
        "basis": "ANCESTRY",
        "started": {"commit": {"sha": sha("c1")}},
        "replaced": {"fingerprint": fp("next"), "commit": {"sha": sha("c2")}},
    }
    assert found["deployedNotStarted"] == [{"deployment": {"number": 1}, "artifact": {"fingerprint": fp("stuck")}}]
    assert found["pendingDeployments"] == []
    assert found["total"] == 1 + size + 1 + size + 1
    latest, first = data["environment"]["snapshots"]["nodes"]
    flags = {event["fingerprint"]: event["findings"] for event in latest["events"]["nodes"]}
    assert flags[fp("miner")] == ["WITHOUT_PROVENANCE"]
    assert flags[fp("svc-0")] == ["STARTED_WITHOUT_DEPLOYMENT", "NON_COMPLIANT", "ROLL_BACK"]
    assert flags[fp("next")] == []  # STOPPED: no findings
    assert first["events"]["nodes"] == [{"fingerprint": fp("next"), "type": "STARTED", "findings": []}]


async def test_a_snapshot_is_judged_until_the_next_and_kinds_limit_the_read(api: Api, store: GraphStore) -> None:
    await topology(store)
    await environment_of(store, 5)
    data = await api.data(ONE_SNAPSHOT, {"org": ORG, "env": "prod"})
    found = data["environment"]["snapshot"]["findings"]
    # #1 lasted until #2 (minute 2): the deployment at minute 3 was not reported yet. `total` reads every kind asked.
    assert found == {"total": 0, "kinds": ["DEPLOYED_NOT_STARTED", "ROLL_BACK"], "deployedNotStarted": []}
    no_total = ONE_SNAPSHOT.replace("total kinds", "kinds")
    found = (await api.data(no_total, {"org": ORG, "env": "prod"}))["environment"]["snapshot"]["findings"]
    assert found["kinds"] == ["DEPLOYED_NOT_STARTED"]  # only what is selected is read
