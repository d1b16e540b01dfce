"""`report artifact` (deprecated, SPEC §2.8): the artifact and its whole `commits_list` in one `report_artifact`
call, with or without a repository URL; a broken commit is refused naming it, and nothing is written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.kosli.conftest import headers_for
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import FlowInput
from tracegraph.graph.store import GraphStore

ORG = "acme"
FP = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
THIRD, SECOND, ROOT = "3" * 40, "2" * 40, "1" * 40


def listed(sha: str, parent: str, message: str) -> dict[str, Any]:
    return {
        "sha1": sha,
        "message": message,
        "author": "Tester <a@b.c>",
        "timestamp": 1795945168,
        "branch": "master",
        "parents": [parent],
    }


def report(commits: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "fingerprint": FP,
        "filename": "web:1",
        "git_commit": THIRD,
        "build_url": "https://ci/3",
        "commit_url": "https://c/3",
        "repo_url": "",
        "commits_list": commits,
    }


async def test_commits_list_without_a_repository_is_kept(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    await store.create_flow(FlowInput(org=ORG, name="web"))
    body = report([listed(THIRD, SECOND, "third"), listed(SECOND, ROOT, "second")])
    response = await client.post(f"/api/v2/artifacts/{ORG}/web", json=body, headers=headers)
    assert response.status_code == 201, response.text
    detail = await store.artifact(ORG, "web", FP)
    assert detail.provenance.artifact.git_commit == THIRD
    assert detail.provenance.commit is not None
    assert detail.provenance.commit.parents == (SECOND,)
    second = await store.commit(ORG, SECOND)
    assert (second.message, second.parents, second.author) == ("second", (ROOT,), "Tester")


async def test_a_bad_commit_writes_nothing(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await headers_for(store, ORG)
    await store.create_flow(FlowInput(org=ORG, name="web"))
    body = report([listed(THIRD, SECOND, "third"), listed("not-a-sha", ROOT, "second")])
    response = await client.post(f"/api/v2/artifacts/{ORG}/web", json=body, headers=headers)
    assert response.status_code == 400
    assert "40 hexadecimal" in response.json()["errors"]["commits_list.1.sha1"]
    with pytest.raises(NotFound):
        await store.artifact(ORG, "web", FP)
    missing_flow = await client.post(
        f"/api/v2/artifacts/{ORG}/nowhere", json=report([listed(THIRD, SECOND, "third")]), headers=headers
    )
    assert missing_flow.status_code == 404
    with pytest.raises(NotFound):
        await store.commit(ORG, THIRD)
