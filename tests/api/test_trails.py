"""Trails over GraphQL: beginTrail, artifacts joining a trail, Flow.trail and Flow.trails, flow templates, the
cloud-run type, an artifact reported with its history; each read in a fixed number of store round trips."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from tests.api.conftest import DEFAULT_ORG, Api, make_settings
from tests.contract.scenario import fp, sha
from tracegraph.graph.inputs import AttestationInput, FlowInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

ORG = DEFAULT_ORG
TEMPLATE = "version: 1\ntrail:\n  artifacts:\n  - name: backend\n"

BEGIN = """
mutation($input: BeginTrailInput!) {
  beginTrail(input: $input) {
    trail { name description createdAt originUrl userData templateYaml gitCommit { sha message } }
  }
}
"""
REPORT = """
mutation($input: ReportArtifactInput!) { reportArtifact(input: $input) { artifact { fingerprint trail } } }
"""
TRAIL = """
query($org: String!, $name: String!, $first: Int, $after: String) {
  flow(org: $org, name: "web") {
    trail(name: $name) {
      name userData gitCommit { sha message }
      attestations { name compliant }
      artifacts(first: $first, after: $after) {
        edges { cursor node { templateReferenceName artifact { fingerprint trail state commit { sha } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""
TRAILS = """
query($org: String!, $first: Int, $after: String) {
  flow(org: $org, name: "web") {
    templateYaml
    trails(first: $first, after: $after) {
      nodes { name gitCommit { sha } artifacts { nodes { artifact { fingerprint } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


@pytest_asyncio.fixture(loop_scope="session")
async def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, token_cache_seconds=0)  # every request checks its token: one round trip


async def flow(api: Api, store: GraphStore) -> None:
    await store.create_flow(FlowInput(org=ORG, name="web", template_yaml=TEMPLATE))


def artifact(label: str, **extra: object) -> dict[str, object]:
    return {"input": {"org": ORG, "flow": "web", "fingerprint": fp(label), "name": f"web:{label}", **extra}}


async def cost(api: Api, store: GraphStore, query: str, variables: dict[str, object]) -> tuple[int, dict[str, object]]:
    before = store.round_trips
    data = await api.data(query, variables)
    return store.round_trips - before, data


async def test_begin_a_trail_and_read_it_in_one_store_call(api: Api, store: GraphStore) -> None:
    await flow(api, store)
    begun = await api.data(
        BEGIN,
        {
            "input": {
                "org": ORG,
                "flow": "web",
                "name": sha("c1"),
                "description": "run",
                "gitCommit": {"sha": sha("c1"), "parents": [], "message": "fix"},
                "originUrl": "https://ci.example/1",
                "userData": {"pr": 7},
                "templateYaml": TEMPLATE,
            }
        },
    )
    trail = begun["beginTrail"]["trail"]
    assert (trail["name"], trail["userData"], trail["templateYaml"]) == (sha("c1"), {"pr": 7}, TEMPLATE)
    assert trail["gitCommit"] == {"sha": sha("c1"), "message": "fix"}
    for label, slot in (("b1", "backend"), ("b2", None), ("b3", None)):
        extra = {"trail": sha("c1"), "createdAt": f"2024-01-01T00:0{label[1]}:00Z"}
        reported = await api.data(REPORT, artifact(label, **extra, **({"templateReferenceName": slot} if slot else {})))
        assert reported["reportArtifact"]["artifact"]["trail"] == sha("c1")
    await store.attest(
        AttestationInput(org=ORG, flow="web", fingerprint=fp("b1"), type="junit", name="unit", compliant=False)
    )
    # Token check, get_flow for `flow(...)`, the trail with everything under it.
    spent, data = await cost(api, store, TRAIL, {"org": ORG, "name": sha("c1"), "first": 2})
    assert spent == 3
    found = data["flow"]["trail"]
    assert found["attestations"] == [{"name": "unit", "compliant": False}]
    assert found["gitCommit"] == {"sha": sha("c1"), "message": "fix"}
    edges = found["artifacts"]["edges"]
    assert [(edge["node"]["artifact"]["fingerprint"], edge["node"]["templateReferenceName"]) for edge in edges] == [
        (fp("b1"), "backend"),
        (fp("b2"), None),
    ]
    assert found["artifacts"]["pageInfo"]["hasNextPage"] is True
    spent, data = await cost(
        api, store, TRAIL, {"org": ORG, "name": sha("c1"), "after": found["artifacts"]["pageInfo"]["endCursor"]}
    )
    assert spent == 3
    assert [edge["node"]["artifact"]["fingerprint"] for edge in data["flow"]["trail"]["artifacts"]["edges"]] == [
        fp("b3")
    ]


async def test_list_a_flows_trails_newest_first(api: Api, store: GraphStore) -> None:
    await flow(api, store)
    for name in ("t1", "t2", "t3"):
        await api.data(BEGIN, {"input": {"org": ORG, "flow": "web", "name": name}})
    await api.data(REPORT, artifact("w1", trail="t2", gitCommit=sha("c9")))
    data = await api.data(TRAILS, {"org": ORG, "first": 2})
    assert data["flow"]["templateYaml"] == TEMPLATE
    page = data["flow"]["trails"]
    assert [node["name"] for node in page["nodes"]] == ["t3", "t2"]
    assert page["nodes"][1]["artifacts"]["nodes"] == [{"artifact": {"fingerprint": fp("w1")}}]
    assert page["nodes"][0]["gitCommit"] is None
    rest = await api.data(TRAILS, {"org": ORG, "first": 2, "after": page["pageInfo"]["endCursor"]})
    assert [node["name"] for node in rest["flow"]["trails"]["nodes"]] == ["t1"]
    assert rest["flow"]["trails"]["pageInfo"]["hasNextPage"] is False
    missing = await api.error('query { flow(org: "acme", name: "web") { trail(name: "nope") { name } } }')
    assert missing["extensions"]["code"] == "NOT_FOUND"


TRAILS_WITH_EVIDENCE = """
query($org: String!, $first: Int) {
  flow(org: $org, name: "web") {
    trails(first: $first) {
      nodes {
        name artifacts { nodes { templateReferenceName artifact { fingerprint commit { sha } } } }
        attestations { name compliant } trailAttestations { name }
      }
    }
  }
}
"""


async def test_a_page_of_trails_with_their_artifacts_and_evidence_costs_the_same_for_2_or_8(
    api: Api, store: GraphStore
) -> None:
    await flow(api, store)
    for number in range(8):
        name = f"t{number}"
        await api.data(BEGIN, {"input": {"org": ORG, "flow": "web", "name": name, "gitCommit": {"sha": sha(name)}}})
        for label in (f"a{number}", f"b{number}"):
            await api.data(REPORT, artifact(label, trail=name, gitCommit=sha(name), templateReferenceName="backend"))
        await store.attest(
            AttestationInput(
                org=ORG, flow="web", fingerprint=fp(f"a{number}"), type="junit", name=f"unit{number}", compliant=True
            )
        )
    spent = {}
    for first in (2, 8):
        spent[first], data = await cost(api, store, TRAILS_WITH_EVIDENCE, {"org": ORG, "first": first})
        nodes = data["flow"]["trails"]["nodes"]
        assert [node["name"] for node in nodes] == [f"t{number}" for number in range(7, 7 - first, -1)]
        for node in nodes:
            number = node["name"][1:]
            assert sorted(item["artifact"]["fingerprint"] for item in node["artifacts"]["nodes"]) == sorted(
                [fp(f"a{number}"), fp(f"b{number}")]
            )
            assert {item["artifact"]["commit"]["sha"] for item in node["artifacts"]["nodes"]} == {sha(node["name"])}
            assert node["attestations"] == [{"name": f"unit{number}", "compliant": True}]
            assert node["trailAttestations"] == []
    # Token check, get_flow for `flow(...)`, the page of trails with every detail.
    assert spent == {2: 3, 8: 3}


async def test_begin_trail_rules_and_permissions(api: Api, store: GraphStore) -> None:
    await flow(api, store)
    error = await api.error(BEGIN, {"input": {"org": ORG, "flow": "web", "name": "t", "userData": {"x": "y" * 70_000}}})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "input.userData")
    await api.bootstrap(ORG, role=Role.READER)
    error = await api.error(BEGIN, {"input": {"org": ORG, "flow": "web", "name": "t"}})
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await store.trails(ORG, "web", limit=5) == []


async def test_report_an_artifact_with_its_history_and_cloud_run(api: Api, store: GraphStore) -> None:
    await flow(api, store)
    history = [{"sha": sha("c1"), "parents": []}, {"sha": sha("c2"), "parents": [sha("c1")], "message": "two"}]
    await api.data(REPORT, artifact("w1", gitCommit=sha("c2"), history=history))
    data = await api.data(
        'query($fp: String!) { artifact(org: "acme", flow: "web", fingerprint: $fp) { commit { message parents } } }',
        {"fp": fp("w1")},
    )
    assert data["artifact"]["commit"] == {"message": "two", "parents": [sha("c1")]}
    bad = await api.error(REPORT, artifact("w2", history=[{"sha": sha("c3")}, {"sha": "nope"}]))
    assert bad["extensions"]["field"] == "input.history.1.sha"
    assert await store.list_artifacts(ORG, "web", limit=5) == [
        (await store.artifact(ORG, "web", fp("w1"))).provenance.artifact
    ]
    made = await api.data(
        'mutation { createEnvironment(input: {org: "acme", name: "run", type: CLOUD_RUN}) { environment { type } } }'
    )
    assert made["createEnvironment"]["environment"]["type"] == "CLOUD_RUN"
