"""`log environment --repo` and `list artifacts --repo` (SPEC §2.11, §2.17): the CLI sends `repo_name` (e.g.
`acme/web`), which stands for the repository URLs the org's commits were reported with (`kosli/repos.py`)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from tests.kosli.conftest import headers_for
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, FlowInput
from tracegraph.graph.selectors import LogQuery
from tracegraph.graph.store import GraphStore

ORG = "acme"
API = "/api/v2"
REPOS = {"web": "https://github.com/acme/web", "api": "https://gitlab.com/acme/api", "ops": "https://git.acme/ops"}


def fp(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def attest(label: str, repo: str, n: int) -> dict[str, Any]:
    return {
        "fingerprint": fp(label),
        "filename": f"{label}:1",
        "git_commit": f"{n:x}" * 40,
        "git_commit_info": {"sha1": f"{n:x}" * 40, "message": label, "author": "T <t@a.b>", "timestamp": 1700000000},
        "repo_info": {"url": REPOS[repo], "name": f"acme/{repo}"},
    }


async def setup(store: GraphStore, client: httpx.AsyncClient) -> dict[str, str]:
    """Artifacts web-1, web-2 (github), api-1 (gitlab), ops-1 (elsewhere), all running in `prod`."""
    headers = await headers_for(store, ORG)
    await store.create_flow(FlowInput(org=ORG, name="build"))
    await store.create_environment(EnvironmentInput(org=ORG, name="prod", type=EnvironmentType.SERVER))
    for n, (label, repo) in enumerate((("web-1", "web"), ("web-2", "web"), ("api-1", "api"), ("ops-1", "ops")), 1):
        answer = await client.post(f"{API}/artifacts/{ORG}/build", json=attest(label, repo, n), headers=headers)
        assert answer.status_code == 201, answer.text
    running = [{"digests": {label: fp(label)}, "creationTimestamp": 1} for label in ("web-1", "api-1", "ops-1")]
    await client.put(f"{API}/environments/{ORG}/prod/report/server", json={"artifacts": running}, headers=headers)
    return headers


async def test_log_env_by_repo_name(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client)
    url = f"{API}/environments/{ORG}/prod/events?interval=&page=1&per_page=15&reverse=false"
    every = (await client.get(url, headers=headers)).json()
    assert {event["sha256"] for event in every} == {fp("web-1"), fp("api-1"), fp("ops-1")}
    web = (await client.get(url + "&repo_name=acme%2Fweb", headers=headers)).json()
    assert [event["sha256"] for event in web] == [fp("web-1")]
    assert web[0]["pipeline"] == "build"
    # Several values are OR'ed; a URL is taken as it is.
    both = await client.get(url + "&repo_name=acme%2Fapi&repo_name=https%3A%2F%2Fgit.acme%2Fops", headers=headers)
    assert {event["sha256"] for event in both.json()} == {fp("api-1"), fp("ops-1")}
    assert (await client.get(url + "&repo_name=acme%2Fnone", headers=headers)).json() == []
    # The graph agrees: the store's own repository filter.
    page = await store.environment_log(LogQuery(org=ORG, environment="prod", repo_urls=[REPOS["web"]]))
    assert [event.fingerprint for entry in page.snapshots for event in entry.events] == [fp("web-1")]


async def test_list_artifacts_by_repo_name(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await setup(store, client)
    listed = await client.get(f"{API}/artifacts/{ORG}?page=1&per_page=15&repo_name=acme%2Fweb", headers=headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()
    assert [item["fingerprint"] for item in items] == [fp("web-2"), fp("web-1")]  # newest first
    for item in items:
        assert len(item["git_commit"]) >= 7
        assert {"filename", "state", "created_at"} <= set(item)
    stored = await store.list_artifacts_of_repo(ORG, REPOS["web"], limit=15)
    assert [artifact.fingerprint for artifact in stored] == [item["fingerprint"] for item in items]
    second = await client.get(f"{API}/artifacts/{ORG}?page=2&per_page=1&repo_name=acme%2Fweb", headers=headers)
    assert [item["fingerprint"] for item in second.json()] == [fp("web-1")]
    past = await client.get(f"{API}/artifacts/{ORG}?page=3&per_page=1&repo_name=acme%2Fweb", headers=headers)
    assert past.json() == []
    gitlab = await client.get(f"{API}/artifacts/{ORG}?page=1&per_page=15&repo_name=acme%2Fapi", headers=headers)
    assert [item["fingerprint"] for item in gitlab.json()] == [fp("api-1")]
    unknown = await client.get(f"{API}/artifacts/{ORG}?page=1&per_page=15&repo_name=acme%2Fnone", headers=headers)
    assert unknown.status_code == 200
    assert unknown.json() == []  # the CLI prints "No artifacts were found."
