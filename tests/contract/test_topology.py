from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, REPO, at, build, fp, topology
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import DeploymentInput, EnvironmentInput, EnvironmentType, FlowInput, OrgInput
from tracegraph.graph.store import GraphStore


async def test_orgs_are_created_updated_and_listed(store: GraphStore) -> None:
    created = await store.create_org(OrgInput(name="cyber-dojo", public=True, description="demo"))
    assert (created.name, created.public, created.description) == ("cyber-dojo", True, "demo")
    again = await store.create_org(OrgInput(name="cyber-dojo", public=False))
    assert again.public is False
    assert again.created_at == created.created_at
    await store.create_org(OrgInput(name="acme"))
    assert [org.name for org in await store.list_orgs()] == ["acme", "cyber-dojo"]
    assert (await store.get_org("acme")).public is False


async def test_flows_and_environments_belong_to_an_org(store: GraphStore) -> None:
    await topology(store)
    flows = await store.list_flows(ORG)
    assert [flow.name for flow in flows] == ["api", "web"]
    assert flows[0].repo_url == REPO
    environments = await store.list_environments(ORG)
    assert [(env.name, env.type, env.latest_index) for env in environments] == [("beta", "ECS", 0), ("prod", "K8S", 0)]
    assert environments[0].last_reported_at is None
    updated = await store.create_flow(FlowInput(org=ORG, name="web", description="front end"))
    assert updated.description == "front end"
    assert updated.created_at == (await store.get_flow(ORG, "web")).created_at


async def test_missing_things_are_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="org 'nope' not found"):
        await store.create_flow(FlowInput(org="nope", name="web"))
    with pytest.raises(NotFound, match="org 'nope'"):
        await store.create_environment(EnvironmentInput(org="nope", name="prod", type=EnvironmentType.K8S))
    await topology(store)
    with pytest.raises(NotFound, match="flow 'missing'"):
        await store.get_flow(ORG, "missing")
    with pytest.raises(NotFound, match="environment 'missing'"):
        await store.get_environment(ORG, "missing")
    with pytest.raises(NotFound):
        await store.get_org("nope")
    with pytest.raises(NotFound):
        await store.list_environments("nope")


async def test_orgs_do_not_see_each_other(store: GraphStore) -> None:
    await topology(store)
    await topology(store, org="other")
    await store.create_flow(FlowInput(org="other", name="only-there"))
    assert [flow.name for flow in await store.list_flows(ORG)] == ["api", "web"]
    with pytest.raises(NotFound):
        await store.get_flow(ORG, "only-there")


async def test_a_flow_knows_when_it_last_deployed(store: GraphStore) -> None:
    await topology(store)
    assert (await store.get_flow(ORG, "web")).last_deployment_at is None
    await build(store, "web", "web-1", commit="c1", minutes=0)
    for minutes, environment in ((1, "beta"), (3, "prod"), (2, "beta")):  # numbered as reported, not by time
        await store.report_deployment(
            DeploymentInput(
                org=ORG, flow="web", fingerprint=fp("web-1"), environment=environment, reported_at=at(minutes)
            )
        )
    assert (await store.get_flow(ORG, "web")).last_deployment_at == at(2)
    assert [flow.last_deployment_at for flow in await store.list_flows(ORG)] == [None, at(2)]
