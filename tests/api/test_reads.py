"""The other reads of DESIGN.md over HTTP: snapshot expressions, search, diff, versions, artifacts by commit."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.scenario import C1, C3, MINER, NEW, OLD, ORG, SAVER, report_seed

SNAPSHOT_BY = """
query($expr: String) {
  environment(org: "cyber-dojo", name: "aws-prod") { snapshot(expr: $expr) { index compliant environment { name } } }
}
"""


async def test_snapshot_expressions(api: Api) -> None:
    await report_seed(api)
    for expr, index in [(None, 3), ("latest", 3), ("~1", 2), ("#1", 1), ("@{2022-09-06T14:52:30Z}", 2)]:
        data = await api.data(SNAPSHOT_BY, {"expr": expr})
        assert data["environment"]["snapshot"]["index"] == index, expr
    assert (await api.data(SNAPSHOT_BY, {"expr": None}))["environment"]["snapshot"]["compliant"] is False
    bad = await api.error(SNAPSHOT_BY, {"expr": "yesterday"})
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "expr"}
    missing = await api.error(SNAPSHOT_BY, {"expr": "#99"})
    assert missing["extensions"]["code"] == "NOT_FOUND"
    assert missing["path"] == ["environment", "snapshot"]


async def test_search_diff_versions_and_artifacts_by_commit(api: Api) -> None:
    await report_seed(api)
    data = await api.data(
        """
        query($prefix: String!, $commit: String!) {
          search(org: "cyber-dojo", prefix: $prefix) {
            commits { sha } fingerprints { fingerprint artifacts { name } placements { environment { name } } }
          }
          diff(org: "cyber-dojo", from: "aws-prod#1", to: "aws-prod") {
            from { environment { name } snapshot { index } } to { snapshot { index } }
            onlyInFrom { fingerprint } onlyInTo { fingerprint }
            scaled { before { instances } } unchanged { fingerprint }
          }
          versions(org: "cyber-dojo", flow: "creator") {
            environment { name } snapshot { index } running { name artifacts { commit { sha } } }
          }
          artifacts(org: "cyber-dojo", commit: $commit) { fingerprint flow { name } }
        }
        """,
        {"prefix": NEW[:6], "commit": C1[:8]},
    )
    assert [match["fingerprint"] for match in data["search"]["fingerprints"]] == [NEW]
    assert {p["environment"]["name"] for p in data["search"]["fingerprints"][0]["placements"]} == {
        "aws-beta",
        "aws-prod",
    }
    diff = data["diff"]
    assert diff["from"] == {"environment": {"name": "aws-prod"}, "snapshot": {"index": 1}}
    assert diff["to"] == {"snapshot": {"index": 3}}
    assert diff["onlyInFrom"] == [{"fingerprint": OLD}]
    assert {item["fingerprint"] for item in diff["onlyInTo"]} == {NEW, MINER}
    assert diff["unchanged"] == [{"fingerprint": SAVER}]
    assert data["versions"] == [
        {
            "environment": {"name": name},
            "snapshot": {"index": index},
            "running": [{"name": "ecr/creator:b7a5908", "artifacts": [{"commit": {"sha": C3}}]}],
        }
        for name, index in [("aws-beta", 1), ("aws-prod", 3)]
    ]
    assert data["artifacts"] == [{"fingerprint": OLD, "flow": {"name": "creator"}}]


async def test_read_arguments_are_checked(api: Api) -> None:
    await report_seed(api)
    short = await api.error('{ search(org: "cyber-dojo", prefix: "ab") { prefix } }')
    assert short["extensions"] == {"code": "BAD_USER_INPUT", "field": "prefix"}
    side = await api.error(
        '{ diff(org: "cyber-dojo", from: "aws-prod#x", to: "aws-beta") { scaled { after { name } } } }'
    )
    assert side["extensions"] == {"code": "BAD_USER_INPUT", "field": "from"}
    neither = await api.error('{ versions(org: "cyber-dojo") { running { name } } }')
    assert neither["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = await api.error(f'{{ artifact(org: "{ORG}", flow: "creator", fingerprint: "0000000") {{ name }} }}')
    assert unknown["extensions"]["code"] == "NOT_FOUND"
