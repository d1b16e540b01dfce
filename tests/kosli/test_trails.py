"""Trails end to end (SPEC §2.6-2.9, §2.16): `begin trail`, `attest artifact --trail`, attestations bound by
`--name TEMPLATE_ARTIFACT.NAME`, `get artifact --trail`; what the graph holds afterwards, read through the store."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from tests.kosli.conftest import headers_for
from tests.kosli.test_replay import multipart
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import FlowInput
from tracegraph.graph.store import GraphStore

ORG = "acme"
SHA = "366ddf69c442212ff9a88fde2f6b9af6dfd4cf3c"
OTHER_SHA = "b35edb0579577ffd0b97d6e790fe11bb6aa85fd8"
TEMPLATE = "version: 1\ntrail:\n  artifacts:\n  - name: creator\n"
COMMIT_INFO = {
    "sha1": SHA,
    "message": "second commit",
    "author": "Tester <a@b.c>",
    "timestamp": 1795947133,
    "branch": "master",
    "url": f"https://github.com/acme/web/commit/{SHA}",
}


def fp(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


async def flow(store: GraphStore) -> dict[str, str]:
    headers = await headers_for(store, ORG)
    await store.create_flow(FlowInput(org=ORG, name="web"))
    return headers


async def put_trail(
    client: httpx.AsyncClient, headers: dict[str, str], data: dict[str, Any], template: str | None = None
) -> httpx.Response:
    parts: list[dict[str, Any]] = [{"name": "data_json", "json": data}]
    if template is not None:
        parts.append({"name": "template_file", "filename": "template.yml", "text_head": template})
    content, content_type = multipart(parts)
    return await client.put(
        f"/api/v2/trails/{ORG}/web", content=content, headers={**headers, "Content-Type": content_type}
    )


async def attest_artifact(
    client: httpx.AsyncClient, headers: dict[str, str], fingerprint: str, *, trail: str, slot: str, sha: str = SHA
) -> httpx.Response:
    body = {
        "fingerprint": fingerprint,
        "filename": f"web:{fingerprint[:7]}",
        "git_commit": sha,
        "git_commit_info": {**COMMIT_INFO, "sha1": sha, "url": f"https://github.com/acme/web/commit/{sha}"},
        "build_url": "https://ci/1",
        "commit_url": f"https://github.com/acme/web/commit/{sha}",
        "repo_url": "",
        "template_reference_name": slot,
        "trail_name": trail,
    }
    return await client.post(f"/api/v2/artifacts/{ORG}/web", json=body, headers=headers)


async def attest_generic(
    client: httpx.AsyncClient, headers: dict[str, str], trail: str, data: dict[str, Any]
) -> httpx.Response:
    content, content_type = multipart([{"name": "data_json", "json": data}])
    return await client.post(
        f"/api/v2/attestations/{ORG}/web/trail/{trail}/generic",
        content=content,
        headers={**headers, "Content-Type": content_type},
    )


async def test_begin_trail_with_every_option(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await flow(store)
    data = {
        "name": SHA,
        "description": "trail desc",
        "user_data": {"ticket": "JIRA-1"},
        "git_commit_info": COMMIT_INFO,
        "repo_info": {"url": "https://github.com/acme/web", "name": "acme/web", "id": "123", "provider": "github"},
        "external_urls": {"jira": {"href": "https://jira/1", "fingerprint": "d" * 64}},
        "origin_url": "https://ci/run/1",
    }
    begun = await put_trail(client, headers, data, TEMPLATE)
    assert begun.status_code == 201, begun.text  # the CLI prints `was begun`
    detail = await store.trail(ORG, "web", SHA)
    assert detail.trail.description == "trail desc"
    assert detail.trail.user_data == {"ticket": "JIRA-1"}
    assert detail.trail.origin_url == "https://ci/run/1"
    assert detail.trail.template_yaml == TEMPLATE
    assert detail.trail.git_commit == SHA
    assert detail.commit is not None
    assert (detail.commit.message, detail.commit.author, detail.commit.author_email) == (
        "second commit",
        "Tester",
        "a@b.c",
    )
    assert detail.commit.branch == "master"

    again = await put_trail(client, headers, {"name": SHA, "description": "renamed"})
    assert again.status_code == 200, again.text  # the CLI prints `was updated`
    detail = await store.trail(ORG, "web", SHA)
    assert detail.trail.description == "renamed"
    assert detail.trail.template_yaml == TEMPLATE  # a begin without a template file keeps the stored one
    assert detail.trail.git_commit == SHA

    plain = await put_trail(client, headers, {"name": "plain"})
    assert plain.status_code == 201
    assert (await store.trail(ORG, "web", "plain")).commit is None

    listed = await put_trail(client, headers, {"name": "listed", "user_data": [1, {"pr": 7}, "ü"]})
    assert listed.status_code == 201, listed.text  # a --user-data file holding an array is kept as it is
    assert (await store.trail(ORG, "web", "listed")).trail.user_data == [1, {"pr": 7}, "ü"]


async def test_begin_trail_refusals_write_nothing(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await flow(store)
    scalar = await put_trail(client, headers, {"name": "t1", "user_data": "just text"})
    assert scalar.status_code == 400
    assert "object or array" in scalar.json()["errors"]["user_data"]
    bad_commit = await put_trail(client, headers, {"name": "t1", "git_commit_info": {**COMMIT_INFO, "sha1": "HEAD"}})
    assert bad_commit.status_code == 400
    assert "git_commit_info.sha1" in bad_commit.json()["errors"]
    bad_name = await put_trail(client, headers, {"name": "bad name!"})
    assert "name" in bad_name.json()["errors"]
    with pytest.raises(NotFound):
        await store.trail(ORG, "web", "t1")
    content, content_type = multipart([{"name": "data_json", "json": {"name": "t1"}}])
    missing = await client.put(
        f"/api/v2/trails/{ORG}/nowhere", content=content, headers={**headers, "Content-Type": content_type}
    )
    assert missing.status_code == 404
    assert "nowhere" in missing.json()["message"]


async def test_attest_artifact_joins_its_trail_and_get_artifact_shows_it(
    store: GraphStore, client: httpx.AsyncClient
) -> None:
    headers = await flow(store)
    assert (await put_trail(client, headers, {"name": SHA, "git_commit_info": COMMIT_INFO})).status_code == 201
    web, other = fp("web"), fp("other")
    assert (await attest_artifact(client, headers, web, trail=SHA, slot="creator")).status_code == 201
    # A trail never begun is created by the artifact that names it.
    assert (await attest_artifact(client, headers, other, trail="t2", slot="creator", sha=OTHER_SHA)).status_code == 201

    detail = await store.trail(ORG, "web", SHA)
    assert [(a.provenance.artifact.fingerprint, a.template_reference_name) for a in detail.artifacts] == [
        (web, "creator")
    ]
    assert (await store.artifact(ORG, "web", web)).provenance.artifact.trail == SHA
    assert [a.provenance.artifact.fingerprint for a in (await store.trail(ORG, "web", "t2")).artifacts] == [other]

    plain = (await client.get(f"/api/v2/artifacts/{ORG}/web/fingerprint/{web[:7]}", headers=headers)).json()
    assert (plain["trail_name"], plain["template_reference_name"]) == (SHA, "creator")
    in_trail = await client.get(f"/api/v2/artifacts/{ORG}/web/fingerprint/{web[:7]}?trail={SHA}", headers=headers)
    assert in_trail.status_code == 200, in_trail.text
    assert in_trail.json() == plain
    elsewhere = await client.get(f"/api/v2/artifacts/{ORG}/web/fingerprint/{web[:7]}?trail=t2", headers=headers)
    assert elsewhere.status_code == 404
    by_commit = await client.get(f"/api/v2/artifacts/{ORG}/web/commit_sha/{SHA[:7]}?trail={SHA}", headers=headers)
    assert by_commit.content[:1] == b"["
    assert [item["fingerprint"] for item in by_commit.json()] == [web]
    none = await client.get(f"/api/v2/artifacts/{ORG}/web/commit_sha/{OTHER_SHA[:7]}?trail={SHA}", headers=headers)
    assert none.json() == []
    unknown = await client.get(f"/api/v2/artifacts/{ORG}/web/commit_sha/{SHA[:7]}?trail=nope", headers=headers)
    assert unknown.status_code == 404


async def test_attestation_by_template_name_binds_to_the_trails_artifact(
    store: GraphStore, client: httpx.AsyncClient
) -> None:
    headers = await flow(store)
    web = fp("web")
    await attest_artifact(client, headers, web, trail="t1", slot="creator")
    lint = {"attestation_name": "lint", "target_artifacts": ["creator"], "user_data": {}, "is_compliant": False}
    bound = await attest_generic(client, headers, "t1", lint)
    assert bound.status_code == 201, bound.text
    attestations = (await store.artifact(ORG, "web", web)).attestations
    assert [(a.name, a.compliant, a.data["target_artifact"]) for a in attestations] == [("lint", False, "creator")]
    assert [a.name for a in (await store.trail(ORG, "web", "t1")).attestations] == ["lint"]

    # Two artifacts in the slot: the commit of `git_commit_info` chooses; without one the answer lists both.
    second = fp("second")
    await attest_artifact(client, headers, second, trail="t1", slot="creator", sha=OTHER_SHA)
    chosen = await attest_generic(
        client,
        headers,
        "t1",
        {**lint, "attestation_name": "scan", "git_commit_info": {**COMMIT_INFO, "sha1": OTHER_SHA}},
    )
    assert chosen.status_code == 201, chosen.text
    assert [a.name for a in (await store.artifact(ORG, "web", second)).attestations] == ["scan"]
    ambiguous = await attest_generic(client, headers, "t1", {**lint, "attestation_name": "x"})
    assert ambiguous.status_code == 400
    assert set(ambiguous.json()["errors"]["candidates"].split(", ")) == {web, second}


async def test_a_trail_level_attestation_is_kept_on_the_trail(store: GraphStore, client: httpx.AsyncClient) -> None:
    headers = await flow(store)
    await attest_artifact(client, headers, fp("web"), trail="t1", slot="creator")
    # The body `kosli attest generic --flow web --trail t1 --name trail-level` sends (SPEC §2.9.1).
    body = {"attestation_name": "trail-level", "user_data": {}, "is_compliant": True}
    answer = await attest_generic(client, headers, "t1", body)
    assert answer.status_code == 201, answer.text
    detail = await store.trail(ORG, "web", "t1")
    assert [(a.id, a.name, a.type, a.compliant, a.fingerprint) for a in detail.trail_attestations] == [
        (answer.json()["id"], "trail-level", "generic", True, None)
    ]
    assert (detail.attestations, detail.pending_attestations) == ((), ())
    missing = await attest_generic(client, headers, "nope", body)
    assert missing.status_code == 404, missing.text


async def test_an_attestation_for_an_empty_slot_waits_for_its_artifact(
    store: GraphStore, client: httpx.AsyncClient
) -> None:
    headers = await flow(store)
    await attest_artifact(client, headers, fp("web"), trail="t1", slot="creator")
    lint = {"attestation_name": "lint", "target_artifacts": ["db"], "user_data": {}, "is_compliant": False}
    pending = await attest_generic(client, headers, "t1", lint)
    assert pending.status_code == 201, pending.text
    detail = await store.trail(ORG, "web", "t1")
    assert [(a.name, a.target_artifact) for a in detail.pending_attestations] == [("lint", "db")]
    await attest_artifact(client, headers, fp("db"), trail="t1", slot="db")
    attestations = (await store.artifact(ORG, "web", fp("db"))).attestations
    assert [(a.id, a.name, a.compliant) for a in attestations] == [(pending.json()["id"], "lint", False)]
    assert (await store.trail(ORG, "web", "t1")).pending_attestations == ()
