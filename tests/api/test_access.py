"""The isolation matrix: every root query and mutation, every kind of caller, a private and a public org, with the
exact outcome of each cell, on each backend — and no token secret in any response or log line.

The rule (tracegraph.auth.access): an org the caller may not read is NOT_FOUND, exactly like a missing org; in an org
they may read, an operation above their role is FORBIDDEN; no valid token at all is UNAUTHENTICATED (HTTP 401).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import make_settings, serve
from tests.contract.scenario import build, fp, history, report, sha
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, FlowInput, OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.rules import utc_now
from tracegraph.graph.store import GraphStore
from tracegraph.graph.webhooks import WebhookInput
from tracegraph.observability.logging import JsonFormatter, TextFormatter, log_config
from tracegraph.schema.node import encode_id

WEBHOOK_SECRET = "matrix-webhook-secret-0123"
LENIENT = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
PRIVATE, PUBLIC, OTHER, OPEN = "private-co", "public-co", "other-co", "open-co"
TARGETS = (PRIVATE, PUBLIC)
OK = "OK"
CALLERS = ("reader", "writer", "admin", "other org", "public org reader", "no token", "revoked", "expired")


@dataclass(frozen=True)
class Operation:
    name: str
    needs: Role
    document: str
    variables: Callable[[str, dict[str, str]], dict[str, Any]]
    rule: str = "role"  # "role", "own org admin" (createOrg), "filtered" (orgs)


def by_org(**extra: Any) -> Callable[[str, dict[str, str]], dict[str, Any]]:
    return lambda org, _: {"org": org, **extra}


def with_input(**fields: Any) -> Callable[[str, dict[str, str]], dict[str, Any]]:
    return lambda org, _: {"input": {"org": org, **fields}}


RUNNING = [{"fingerprint": fp("web-1"), "name": "web", "instances": 1}]
OPERATIONS = [
    Operation("org", Role.READER, "query($org: String!) { org(name: $org) { name } }", by_org()),
    Operation("orgs", Role.READER, "{ orgs { name } }", lambda org, _: {}, rule="filtered"),
    Operation("node", Role.READER, "query($id: ID!) { node(id: $id) { id } }",
              lambda org, _: {"id": encode_id("Flow", f"{org}/web")}),
    Operation("environment", Role.READER,
              "query($org: String!) { environment(org: $org, name: \"prod\") { snapshot { index } } }", by_org()),
    Operation("environments", Role.READER, "query($org: String!) { environments(org: $org) { totalCount } }", by_org()),
    Operation("flow", Role.READER, "query($org: String!) { flow(org: $org, name: \"web\") { name } }", by_org()),
    Operation("flows", Role.READER, "query($org: String!) { flows(org: $org) { totalCount } }", by_org()),
    Operation("artifact", Role.READER, "query($org: String!, $fp: String!) { artifact(org: $org, flow: \"web\", "
              "fingerprint: $fp) { name } }", by_org(fp=fp("web-1")[:8])),
    Operation("artifacts", Role.READER, "query($org: String!, $c: String!) { artifacts(org: $org, commit: $c) "
              "{ name } }", by_org(c=sha("c1")[:8])),
    Operation("commit", Role.READER, "query($org: String!, $c: String!) { commit(org: $org, sha: $c) { sha "
              "runningIn { environment { name } } } }", by_org(c=sha("c1")[:8])),
    Operation("search", Role.READER, "query($org: String!, $p: String!) { search(org: $org, prefix: $p) "
              "{ commits { sha } } }", by_org(p=sha("c1")[:6])),
    Operation("diff", Role.READER, "query($org: String!) { diff(org: $org, from: \"prod\", to: \"prod\") "
              "{ unchanged { name } } }", by_org()),
    Operation("versions", Role.READER, "query($org: String!) { versions(org: $org, flow: \"web\") "
              "{ environment { name } } }", by_org()),
    Operation("tokens", Role.ADMIN, "query($org: String!) { tokens(org: $org) { id } }", by_org()),
    Operation("createOrg", Role.ADMIN, "mutation($input: CreateOrgInput!) { createOrg(input: $input) "
              "{ org { name } } }", lambda org, _: {"input": {"name": org, "public": org == PUBLIC}},
              rule="own org admin"),
    Operation("createFlow", Role.ADMIN, "mutation($input: CreateFlowInput!) { createFlow(input: $input) "
              "{ flow { name } } }", with_input(name="web")),
    Operation("createEnvironment", Role.ADMIN, "mutation($input: CreateEnvironmentInput!) { "
              "createEnvironment(input: $input) { environment { name } } }", with_input(name="prod", type="K8S")),
    Operation("reportArtifact", Role.WRITER, "mutation($input: ReportArtifactInput!) { reportArtifact(input: $input) "
              "{ artifact { name } } }", with_input(flow="web", fingerprint=fp("web-1"), name="web")),
    Operation("beginTrail", Role.WRITER, "mutation($input: BeginTrailInput!) { beginTrail(input: $input) "
              "{ trail { name } } }", with_input(flow="web", name="run-1")),
    Operation("reportCommits", Role.WRITER, "mutation($input: ReportCommitsInput!) { reportCommits(input: $input) "
              "{ received } }", with_input(repoUrl="https://example.com/r", commits=[{"sha": sha("c1")}])),
    Operation("reportDeployment", Role.WRITER, "mutation($input: ReportDeploymentInput!) { reportDeployment(input: "
              "$input) { deployment { number } } }",
              with_input(flow="web", fingerprint=fp("web-1"), environment="prod")),
    Operation("reportSnapshot", Role.WRITER, "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) "
              "{ changed } }", with_input(environment="prod", artifacts=RUNNING)),
    Operation("attest", Role.WRITER,
              "mutation($input: AttestInput!) { attest(input: $input) { attestation { attestationId } } }",
              with_input(flow="web", fingerprint=fp("web-1"), type="junit", name="unit", compliant=True)),
    Operation("createAttestationType", Role.ADMIN, "mutation($input: CreateAttestationTypeInput!) { "
              "createAttestationType(input: $input) { attestationType { version } } }",
              with_input(name="coverage", jsonSchema={"type": "object"}, jqRules=[".ok"])),
    Operation("createPolicy", Role.ADMIN, "mutation($input: CreatePolicyInput!) { createPolicy(input: $input) "
              "{ policy { version } } }", with_input(name="made", yaml=LENIENT)),
    Operation("attachPolicy", Role.ADMIN, "mutation($input: AttachPolicyInput!) { attachPolicy(input: $input) "
              "{ policies { name } } }", with_input(environment="prod", policy="base")),
    Operation("detachPolicy", Role.ADMIN, "mutation($input: AttachPolicyInput!) { detachPolicy(input: $input) "
              "{ policies { name } } }", with_input(environment="prod", policy="base")),
    Operation("createToken", Role.ADMIN, "mutation($input: CreateTokenInput!) { createToken(input: $input) "
              "{ token { id } secret } }", with_input(role="READER", name="made in the matrix")),
    Operation("revokeToken", Role.ADMIN, "mutation($input: RevokeTokenInput!) { revokeToken(input: $input) "
              "{ token { revokedAt } } }", lambda org, spare: {"input": {"org": org, "id": spare[org]}}),
    Operation("org.webhooks", Role.ADMIN, "query($org: String!) { org(name: $org) { webhooks { id url } } }",
              by_org()),
    Operation("createWebhook", Role.ADMIN, "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) "
              "{ webhook { id } secret } }", with_input(url="https://h.example.com/x", events=["ARTIFACT_REPORTED"])),
    Operation("deleteWebhook", Role.ADMIN, "mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) "
              "{ webhook { id } } }", lambda org, spare: {"input": {"org": org, "id": spare[f"{org}/webhook"]}}),
]  # fmt: skip

RANK = {Role.READER: 1, Role.WRITER: 2, Role.ADMIN: 3}


def expected(operation: Operation, caller: str, target: str) -> str:
    """The rule, spelled out per cell."""
    if caller in ("no token", "revoked", "expired"):
        return "UNAUTHENTICATED"
    own = caller in ("reader", "writer", "admin")
    if operation.rule == "filtered":
        return OK
    if operation.rule == "own org admin":
        return OK if caller == "admin" else "FORBIDDEN"
    visible = own or target == PUBLIC
    if not visible:
        return "NOT_FOUND"
    if own and RANK[Role(caller)] >= RANK[operation.needs]:
        return OK
    return OK if operation.needs is Role.READER else "FORBIDDEN"


async def seed(store: GraphStore) -> dict[str, dict[str, str]]:
    """Orgs with the same content; answer the secret of each caller per target org."""
    for org in (PRIVATE, PUBLIC, OTHER, OPEN):
        await store.create_org(OrgInput(name=org, public=org in (PUBLIC, OPEN)))
        await store.create_flow(FlowInput(org=org, name="web"))
        await store.create_environment(EnvironmentInput(org=org, name="prod", type=EnvironmentType.K8S))
        await history(store, {"c1": []}, org=org)
        await build(store, "web", "web-1", commit="c1", org=org)
        await report(store, "prod", {"web-1": 1}, org=org)
        await store.create_policy(PolicyInput(org=org, name="base", yaml=LENIENT))

    async def token(org: str, role: Role, *, expires_in: timedelta | None = None, revoke: bool = False) -> str:
        secret = new_secret()
        expires = utc_now() + expires_in if expires_in is not None else None
        # An expiry in the past cannot be asked for (the input rule); the store is told it directly, as if the
        # token had been issued earlier and expired since.
        made = await store.create_token(
            TokenInput.model_construct(
                org=org, role=role, name=role.value, expires_at=expires, secret_hash=hash_secret(secret)
            )
        )
        if revoke:
            await store.revoke_token(org, made.id)
        return secret

    callers: dict[str, dict[str, str]] = {}
    for target in TARGETS:
        callers[target] = {
            "reader": await token(target, Role.READER),
            "writer": await token(target, Role.WRITER),
            "admin": await token(target, Role.ADMIN),
            "other org": await token(OTHER, Role.ADMIN),
            "public org reader": await token(OPEN, Role.READER),
            "revoked": await token(target, Role.ADMIN, revoke=True),
            "expired": await token(target, Role.ADMIN, expires_in=timedelta(microseconds=1)),
        }
    return callers


def outcome(status: int, body: dict[str, Any]) -> str:
    if status == 401:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return "UNAUTHENTICATED"
    assert status == 200, body
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    return OK


async def test_isolation_matrix(store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name, logger in log_config("debug", "json")["loggers"].items():  # as `tracegraph serve --log-level debug`
        caplog.set_level(logger["level"], logger=name)
    callers = await seed(store)
    seen: list[str] = []
    mismatches: list[str] = []
    cells = 0
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        for operation in OPERATIONS:
            for target in TARGETS:
                for caller in CALLERS:
                    spare = {}
                    for org in TARGETS:
                        spare_secret = hash_secret(new_secret())
                        made = await store.create_token(TokenInput(org=org, role=Role.READER, secret_hash=spare_secret))
                        spare[org] = made.id
                        if operation.name == "deleteWebhook":
                            hook = await store.create_webhook(
                                WebhookInput(org=org, url="https://h.example.com/", events=["artifact.reported"],
                                             secret=WEBHOOK_SECRET)
                            )  # fmt: skip
                            spare[f"{org}/webhook"] = hook.id
                    secret = callers[target].get(caller)
                    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
                    payload = {"query": operation.document, "variables": operation.variables(target, spare)}
                    response = await http.post("/graphql", json=payload, headers=headers)
                    seen.append(response.text)
                    got = outcome(response.status_code, response.json())
                    want = expected(operation, caller, target)
                    cells += 1
                    if got != want:
                        mismatches.append(f"{operation.name} by {caller} on {target}: {got}, expected {want}")
                    if operation.name == "orgs" and got == OK:
                        names = {org["name"] for org in response.json()["data"]["orgs"]}
                        assert PRIVATE not in names or (caller in ("reader", "writer", "admin") and target == PRIVATE)
    print(f"isolation matrix on {store.backend}: {cells} cells")
    assert cells == len(OPERATIONS) * len(TARGETS) * len(CALLERS)
    assert mismatches == []
    secrets = {secret for by_caller in callers.values() for secret in by_caller.values()}
    # As `tracegraph serve` writes them, in either format: messages, fields (the request lines) and tracebacks.
    logged = "\n".join(
        formatter.format(record) for record in caplog.records for formatter in (JsonFormatter(), TextFormatter())
    )
    assert "tracegraph.access" in {record.name for record in caplog.records}
    created_secrets = [text for text in seen if '"secret"' in text]
    leaks = [secret for secret in secrets if any(secret in text for text in seen) or secret in logged]
    # Webhook secrets: answered once by createWebhook, never logged, never answered by anything else.
    answers = [json.loads(text)["data"] for text in seen if '"createWebhook":{' in text]
    webhook_secrets = [answer["createWebhook"]["secret"] for answer in answers]
    assert webhook_secrets
    assert not [secret for secret in [*webhook_secrets, WEBHOOK_SECRET] if secret in logged]
    assert all(sum(secret in text for text in seen) == 1 for secret in webhook_secrets)
    assert not any(WEBHOOK_SECRET in text for text in seen)
    assert "Bearer" not in logged  # no Authorization header, whatever its token
    assert leaks == []
    assert created_secrets  # createToken answers its own new secret, and only that one


async def test_not_found_reads_the_same_for_missing_and_hidden_orgs(store: GraphStore, tmp_path: Path) -> None:
    callers = await seed(store)
    async with serve(create_app(make_settings(tmp_path), store=store)) as http:
        headers = {"Authorization": f"Bearer {callers[PUBLIC]['other org']}"}
        query = "query($org: String!) { flows(org: $org) { totalCount } }"
        hidden = await http.post("/graphql", json={"query": query, "variables": {"org": PRIVATE}}, headers=headers)
        missing = await http.post("/graphql", json={"query": query, "variables": {"org": "nope"}}, headers=headers)
    hidden_error, missing_error = hidden.json()["errors"][0], missing.json()["errors"][0]
    assert hidden_error["extensions"] == missing_error["extensions"] == {"code": "NOT_FOUND"}
    assert hidden_error["message"].replace(PRIVATE, "nope") == missing_error["message"]


async def test_anonymous_public_reads_switch(
    store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await seed(store)
    caplog.set_level(logging.WARNING)
    settings = make_settings(tmp_path, allow_anonymous_public_reads=True)
    async with serve(create_app(settings, store=store)) as http:
        query = 'query($org: String!) { flow(org: $org, name: "web") { name } }'
        public = (await http.post("/graphql", json={"query": query, "variables": {"org": PUBLIC}})).json()
        private = (await http.post("/graphql", json={"query": query, "variables": {"org": PRIVATE}})).json()
        write = (
            await http.post(
                "/graphql",
                json={
                    "query": "mutation($input: CreateFlowInput!) { createFlow(input: $input) { flow { name } } }",
                    "variables": {"input": {"org": PUBLIC, "name": "sneaky"}},
                },
            )
        ).json()
        bad_token = await http.post("/graphql", json={"query": query, "variables": {"org": PUBLIC}},
                                    headers={"Authorization": "Bearer tg_wrong"})  # fmt: skip
    assert public == {"data": {"flow": {"name": "web"}}}
    assert private["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert bad_token.status_code == 401  # a wrong token is refused even when anonymous reads are allowed
    assert any("ALLOW_ANONYMOUS_PUBLIC_READS" in record.getMessage() for record in caplog.records)


async def test_page_loads_and_mount_prefixes_do_not_bypass_the_token_check(store: GraphStore, tmp_path: Path) -> None:
    await seed(store)
    query = '{ flow(org: "public-co", name: "web") { name } }'
    app = create_app(make_settings(tmp_path), store=store)
    async with serve(app) as http:
        # Two Accept headers: the first decides what the GraphQL view does, and it is not a page load.
        sneaky = await http.get(
            "/graphql", params={"query": query}, headers=[("accept", "application/json"), ("accept", "text/html")]
        )
        assert sneaky.status_code == 401
        assert "web" not in sneaky.text
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "<html" in page.text.lower()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, root_path="/api"), base_url="http://tracegraph.test"
    ) as prefixed:
        mounted = await prefixed.post("/api/graphql", json={"query": query})
    assert mounted.status_code == 401
