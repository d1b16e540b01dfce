"""Inputs that once slipped past validation: each must be BAD_USER_INPUT naming its field, never "Unexpected
error.", and write nothing."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.contract.scenario import ORG, build, fp, report, topology
from tracegraph.graph.store import GraphStore

READS = [
    ('{ environment(org: "acme", name: "prod") { snapshot(expr: "#²") { index } } }', "expr"),
    ('{ environment(org: "acme", name: "prod") { snapshot(expr: "#\uff11") { index } } }', "expr"),
    ('{ environment(org: "acme", name: "prod") { snapshot(expr: "@{0001-01-01T00:00:00+14:00}") { index } } }', "expr"),
    ('{ environment(org: "acme", name: "prod") { snapshots(interval: "1..99999999999999999999999") '
     "{ totalCount } } }", "interval"),
    ('{ environment(org: "acme", name: "prod") { snapshots(interval: "5..2") { totalCount } } }', "interval"),
    ('{ artifact(org: "acme", flow: "web", fingerprint: "") { name } }', "fingerprint"),
    ('{ artifact(org: "acme", flow: "web", fingerprint: "860a") { name } }', "fingerprint"),
    ('{ artifacts(org: "acme", commit: "b7a5") { name } }', "commit"),
    ('{ commit(org: "acme", sha: "zzzzzz") { sha } }', "sha"),
    ('{ diff(org: "acme", from: "prod#²", to: "prod") { scaled { after { name } } } }', "from"),
    ('{ versions(org: "acme", name: " ") { running { name } } }', "name"),
]  # fmt: skip


@pytest.mark.parametrize(("query", "field"), READS)
async def test_bad_reads(api: Api, store: GraphStore, query: str, field: str) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    await report(store, "prod", {"web-1": 1}, minutes=1)
    error = await api.error(query)
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == field


REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { changed } }"
ATTEST = "mutation($input: AttestInput!) { attest(input: $input) { attestation { attestationId } } }"


async def test_a_future_report_is_refused(api: Api, store: GraphStore) -> None:
    await topology(store)
    running = [{"fingerprint": fp("a"), "name": "a"}]
    error = await api.error(REPORT, {"input": {"org": ORG, "environment": "prod", "artifacts": running,
                                               "reportedAt": "9999-12-31T00:00:00Z"}})  # fmt: skip
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "input.reportedAt")
    assert "future" in error["message"]
    assert (await store.get_environment(ORG, "prod")).latest_index == 0


async def test_attestation_data_must_be_json(api: Api, store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "web-1")
    data: dict[str, Any] = {"x": math.nan, "y": math.inf}
    variables = {"input": {"org": ORG, "flow": "web", "fingerprint": fp("web-1"), "type": "junit", "name": "t",
                           "compliant": True, "data": data}}  # fmt: skip
    # Python's json module writes (and Strawberry's reads) NaN and Infinity, which JSON does not have.
    body = json.dumps({"query": ATTEST, "variables": variables})
    response = await api.http.post(
        "/graphql", content=body, headers={**api.headers, "content-type": "application/json"}
    )
    error = response.json()["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "input.data")
    assert (await store.artifact(ORG, "web", fp("web-1"))).attestations == ()
