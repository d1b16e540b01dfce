"""Inputs that once slipped past validation: each must be BAD_USER_INPUT naming its field, never "Unexpected
error.", and write nothing."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.contract.scenario import ORG, build, fp, report, topology
from tracegraph.errors import NotFound
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


CREATE_TOKEN = "mutation($input: CreateTokenInput!) { createToken(input: $input) { secret } }"
REPORT_COMMITS = "mutation($input: ReportCommitsInput!) { reportCommits(input: $input) { received created } }"
REPO = "https://github.com/acme/shop"


@pytest.mark.parametrize("expires_at", ["2000-01-01T00:00:00Z", "1970-01-01T00:00:00+00:00"])
async def test_a_token_cannot_be_issued_already_expired(api: Api, store: GraphStore, expires_at: str) -> None:
    await api.bootstrap(ORG)
    before = len(await store.list_tokens(ORG))
    error = await api.error(CREATE_TOKEN, {"input": {"org": ORG, "role": "READER", "expiresAt": expires_at}})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "input.expiresAt")
    assert "future" in error["message"]
    assert len(await store.list_tokens(ORG)) == before


@pytest.mark.parametrize(
    ("commit", "field"),
    [
        ({"author": "Ada\nLovelace"}, "input.commits.0.author"),
        ({"author": "Ada\tLovelace"}, "input.commits.0.author"),
        ({"branch": "main\x85x"}, "input.commits.0.branch"),
        ({"branch": "main\u2028x"}, "input.commits.0.branch"),
        ({"authorEmail": "a\u200b@x.org"}, "input.commits.0.authorEmail"),
        ({"branch": "\u202eniam"}, "input.commits.0.branch"),
        ({"url": "https://"}, "input.commits.0.url"),
        ({"author": ""}, "input.commits.0.author"),
        ({"author": "x" * 10_000_000}, "input.commits.0.author"),  # 10 MB: under the request limit, over the rule
        ({"message": "x" * 10_001}, "input.commits.0.message"),
    ],
)
async def test_labels_are_one_printable_line(api: Api, store: GraphStore, commit: dict[str, Any], field: str) -> None:
    await topology(store)
    sha = "c" * 40
    error = await api.error(
        REPORT_COMMITS, {"input": {"org": ORG, "repoUrl": REPO, "commits": [{"sha": sha, **commit}]}}
    )
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", field), error
    assert len(error["message"]) < 1_000
    with pytest.raises(NotFound):
        await store.commit(ORG, sha)


async def test_printable_unicode_stays_accepted(api: Api, store: GraphStore) -> None:
    await topology(store)
    names = ["a\u200fb \u05e9\u05dc\u05d5\u05dd", "e\u0301 🚀", "👨\u200d👩\u200d👧", "régistre/añil:ü"]
    commits = [
        {"sha": f"{n:040x}", "author": name, "message": f"{name}\n\n\tbody\r\n"} for n, name in enumerate(names, 1)
    ]
    data = await api.data(REPORT_COMMITS, {"input": {"org": ORG, "repoUrl": REPO, "commits": commits}})
    assert data["reportCommits"]["created"] == len(names)
    stored = await store.commit(ORG, f"{1:040x}")
    assert (stored.author, stored.message) == (names[0], f"{names[0]}\n\n\tbody\r\n")


async def test_a_commit_batch_names_each_sha_once(api: Api, store: GraphStore) -> None:
    await topology(store)
    commits = [{"sha": "c" * 40, "message": "one"}, {"sha": "C" * 40, "message": "two"}]
    error = await api.error(REPORT_COMMITS, {"input": {"org": ORG, "repoUrl": REPO, "commits": commits}})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "input.commits")
    with pytest.raises(NotFound):
        await store.commit(ORG, "c" * 40)
