"""NotFound answers, word for word: both backends give the same message for each missing thing, and a missing org
answers exactly like the token check's answer for an org the caller may not read (the non-disclosure rule)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, sha, topology
from tracegraph.auth.access import org_not_found
from tracegraph.errors import NotFound
from tracegraph.graph.inputs import (
    AttestationInput,
    CommitInput,
    CommitsInput,
    DeploymentInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    SnapshotInput,
    TokenInput,
)
from tracegraph.graph.model import Role
from tracegraph.graph.selectors import LogQuery, parse_snapshot_expr
from tracegraph.graph.store import GraphStore

GHOST = "ghost"
SECRET = "0" * 64


async def message(call: Awaitable[object]) -> str:
    with pytest.raises(NotFound) as raised:
        await call
    return str(raised.value)


def missing_org_calls(store: GraphStore) -> list[Callable[[], Awaitable[object]]]:
    return [
        lambda: store.get_org(GHOST),
        lambda: store.list_flows(GHOST),
        lambda: store.list_environments(GHOST),
        lambda: store.list_tokens(GHOST),
        lambda: store.get_flow(GHOST, "web"),
        lambda: store.get_environment(GHOST, "prod"),
        lambda: store.create_flow(FlowInput(org=GHOST, name="web")),
        lambda: store.create_environment(EnvironmentInput(org=GHOST, name="prod", type=EnvironmentType.K8S)),
        lambda: store.create_token(TokenInput(org=GHOST, role=Role.READER, secret_hash=SECRET)),
        lambda: store.report_commits(
            CommitsInput(org=GHOST, repo_url="https://example.com/r", commits=[CommitInput(sha=sha("c"))])
        ),
        lambda: store.commit(GHOST, "abcde"),
        lambda: store.commits_with_history(GHOST, [sha("c")]),
        lambda: store.commit_placements(GHOST, [sha("c")]),
        lambda: store.search(GHOST, "abcde"),
        lambda: store.versions(GHOST),
        lambda: store.snapshot(GHOST, "prod", parse_snapshot_expr("latest")),
        lambda: store.environment_log(LogQuery(org=GHOST, environment="prod")),
    ]


async def test_a_missing_org_answers_as_a_hidden_one(store: GraphStore) -> None:
    expected = "org 'ghost' not found"
    assert str(org_not_found(GHOST)) == expected
    for call in missing_org_calls(store):
        assert await message(call()) == expected


async def test_missing_flows_environments_artifacts_and_tokens(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    flow = "flow 'nope' not found in org 'acme'"
    assert await message(store.get_flow(ORG, "nope")) == flow
    assert await message(store.list_artifacts(ORG, "nope", limit=5)) == flow
    assert await message(store.artifact(ORG, "nope", "abcde")) == flow
    assert await message(store.versions(ORG, flow="nope")) == flow
    environment = "environment 'nope' not found in org 'acme'"
    assert await message(store.get_environment(ORG, "nope")) == environment
    assert await message(store.snapshot(ORG, "nope", parse_snapshot_expr(""))) == environment
    assert await message(store.environment_log(LogQuery(org=ORG, environment="nope"))) == environment
    assert await message(store.report_snapshot(SnapshotInput(org=ORG, environment="nope", artifacts=[]))) == environment
    deployment = DeploymentInput(org=ORG, flow="web", fingerprint=fp("w1"), environment="nope")
    assert await message(store.report_deployment(deployment)) == environment
    artifact = f"artifact {fp('w2')} not found in flow 'web'"
    deployment = DeploymentInput(org=ORG, flow="web", fingerprint=fp("w2"), environment="prod")
    assert await message(store.report_deployment(deployment)) == artifact
    attestation = AttestationInput(org=ORG, flow="web", fingerprint=fp("w2"), type="junit", name="unit", compliant=True)
    assert await message(store.attest(attestation)) == artifact
    assert await message(store.revoke_token(ORG, "t0")) == "token 't0' not found in org 'acme'"


async def test_missing_snapshots_and_prefixes(store: GraphStore) -> None:
    await topology(store)
    assert await message(store.snapshot(ORG, "prod", parse_snapshot_expr(""))) == (
        "environment 'prod' has no snapshots yet"
    )
    await build(store, "web", "w1")
    await report(store, "prod", {"w1": 1}, minutes=10)
    await report(store, "prod", {"w1": 2}, minutes=20)
    assert await message(store.snapshot(ORG, "prod", parse_snapshot_expr("#3"))) == (
        "snapshot prod#3 not found (latest is #2)"
    )
    assert await message(store.snapshot(ORG, "prod", parse_snapshot_expr("~2"))) == (
        "snapshot prod~2 not found (latest is #2)"
    )
    early = parse_snapshot_expr(f"@{{{at(5).isoformat()}}}")
    assert await message(store.snapshot(ORG, "prod", early)) == (
        "environment 'prod' had no snapshot at 2022-09-06T14:05:00+00:00"
    )
    assert await message(store.artifact(ORG, "web", "fffff")) == (
        "no artifact in flow 'web' has a fingerprint starting with 'fffff'"
    )
    commit = "no commit starting with 'fffff' in org 'acme'"
    assert await message(store.commit(ORG, "fffff")) == commit
    assert str((await store.commits(ORG, ["fffff"]))["fffff"]) == commit
