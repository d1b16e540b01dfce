"""Environment policies on every backend: versions, attachments, evaluation when reported, re-evaluation of the
latest snapshot only (attach, detach, a new version, evidence arriving), reasons, round trips."""

from __future__ import annotations

import asyncio

import pytest

from tests.contract.scenario import ORG, at, build, fp, report, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import AttestationInput, parse
from tracegraph.graph.policies import PolicyInput
from tracegraph.graph.selectors import LATEST, SelectorKind, SnapshotSelector
from tracegraph.graph.store import GraphStore
from tracegraph.graph.windows import SnapshotParts
from tracegraph.policies import ReasonKind

HEAD = "_schema: https://kosli.com/schemas/policy/environment/v1\n"
PROVENANCE = HEAD + "artifacts:\n  provenance:\n    required: true\n"
UNIT_TESTS = HEAD + "artifacts:\n  attestations:\n    - name: unit-test\n      type: junit\n"
COMPLIANCE = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=True)


def number(index: int) -> SnapshotSelector:
    return SnapshotSelector(kind=SelectorKind.INDEX, value=index)


def policy(name: str, yaml: str, description: str = "") -> PolicyInput:
    return PolicyInput(org=ORG, name=name, description=description, yaml=yaml)


async def compliant(store: GraphStore, selector: SnapshotSelector = LATEST) -> bool | None:
    return (await store.snapshot(ORG, "prod", selector, COMPLIANCE)).compliant


async def attest(store: GraphStore, label: str, name: str, kind: str, ok: bool, minutes: float = 5) -> None:
    await store.attest(
        AttestationInput(
            org=ORG, flow="web", fingerprint=fp(label), type=kind, name=name, compliant=ok, reported_at=at(minutes)
        )
    )


async def test_versions_count_changes_only(store: GraphStore) -> None:
    await topology(store)
    first = await store.create_policy(policy("prod", PROVENANCE))
    again = await store.create_policy(policy("prod", PROVENANCE))
    assert (first.version, again.version, again.created_at) == (1, 1, first.created_at)
    second = await store.create_policy(policy("prod", PROVENANCE, "now described"))
    third = await store.create_policy(policy("prod", UNIT_TESTS, "now described"))
    assert (second.version, third.version) == (2, 3)
    await store.create_policy(
        policy(
            "audit", UNIT_TESTS + '    - name: scan\n      type: "*"\n      if: ${{ matches(artifact.name, "ü") }}\n'
        )
    )
    assert [(item.name, item.version) for item in await store.policies(ORG)] == [("audit", 1), ("prod", 3)]
    with pytest.raises(InvalidInput) as refused:
        parse(PolicyInput, {"org": ORG, "name": "ärger", "yaml": HEAD})
    assert refused.value.field == "name"


async def test_an_invalid_document_is_refused_and_nothing_stored(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(InvalidInput) as refused:
        parse(PolicyInput, {"org": ORG, "name": "bad", "yaml": UNIT_TESTS.replace("junit", "junitt")})
    assert refused.value.field == "yaml"
    assert "line 5: artifacts.attestations[0].type: must be one of" in refused.value.rule
    assert await store.policies(ORG) == []


async def test_a_snapshot_is_evaluated_when_reported_with_reasons(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    await store.create_policy(policy("provenance", PROVENANCE))
    await store.create_policy(policy("tests", UNIT_TESTS))
    await store.attach_policy(ORG, "prod", "provenance")
    attached = await store.attach_policy(ORG, "prod", "tests")
    assert [item.name for item in attached] == ["provenance", "tests"]
    await report(store, "prod", {"w1": 1, "miner": 1})
    evaluation = await store.snapshot_evaluation(ORG, "prod", LATEST)
    assert evaluation is not None
    assert not evaluation.compliant
    assert [(item.name, item.version) for item in evaluation.policies] == [("provenance", 1), ("tests", 1)]
    assert evaluation.artifacts_total == 2
    reasons = {verdict.name: [reason.message for reason in verdict.reasons] for verdict in evaluation.non_compliant}
    assert reasons == {
        "ecr/miner": ["no provenance", "missing attestation unit-test (junit)"],
        "ecr/w1": ["missing attestation unit-test (junit)"],
    }
    assert await compliant(store) is False


async def test_evidence_arriving_re_evaluates_the_latest_snapshot(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    await store.create_policy(policy("tests", UNIT_TESTS))
    await store.attach_policy(ORG, "prod", "tests")
    await report(store, "prod", {"w1": 1})
    assert await compliant(store) is False
    await attest(store, "w1", "unit-test", "junit", ok=False)
    evaluation = await store.snapshot_evaluation(ORG, "prod", LATEST)
    assert evaluation is not None
    assert [reason.kind for reason in evaluation.non_compliant[0].reasons] == [ReasonKind.NON_COMPLIANT_ATTESTATION]
    await attest(store, "w1", "unit-test", "junit", ok=True, minutes=6)  # the latest one decides
    assert await compliant(store) is True


async def test_a_build_reported_later_gives_provenance(store: GraphStore) -> None:
    await topology(store)
    await store.create_policy(policy("provenance", PROVENANCE))
    await store.attach_policy(ORG, "prod", "provenance")
    await report(store, "prod", {"w1": 1})
    assert await compliant(store) is False
    await build(store, "web", "w1")
    assert await compliant(store) is True


async def test_a_policy_attached_after_the_fact_re_evaluates_only_the_latest(store: GraphStore) -> None:
    await topology(store)
    await report(store, "prod", {"miner": 1}, minutes=1)
    await report(store, "prod", {"miner": 2}, minutes=2)
    assert await compliant(store) is False  # the rule without policies: no provenance
    await store.create_policy(policy("lenient", HEAD))
    await store.attach_policy(ORG, "prod", "lenient")
    assert await compliant(store) is True
    assert await compliant(store, number(1)) is False  # history stays as it was
    assert await store.snapshot_evaluation(ORG, "prod", number(1)) is None
    summaries = await store.snapshot_summaries(ORG, "prod", [1, 2])
    assert [(item.index, item.compliant) for item in summaries] == [(1, False), (2, True)]


async def test_a_new_version_re_evaluates_and_history_keeps_its_version(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    await store.create_policy(policy("prod", HEAD))
    await store.attach_policy(ORG, "prod", "prod")
    await report(store, "prod", {"w1": 1}, minutes=1)
    await report(store, "prod", {"w1": 2}, minutes=2)
    await store.create_policy(policy("prod", UNIT_TESTS))
    latest = await store.snapshot_evaluation(ORG, "prod", LATEST)
    older = await store.snapshot_evaluation(ORG, "prod", number(1))
    assert latest is not None
    assert older is not None
    assert ([item.version for item in latest.policies], latest.compliant) == ([2], False)
    assert ([item.version for item in older.policies], older.compliant) == ([1], True)


async def test_detach_returns_the_latest_to_the_rule_without_policies(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    await store.create_policy(policy("tests", UNIT_TESTS))
    await store.attach_policy(ORG, "prod", "tests")
    await report(store, "prod", {"w1": 1})
    assert await compliant(store) is False
    assert await store.detach_policy(ORG, "prod", "tests") == []
    assert await store.detach_policy(ORG, "prod", "tests") == []  # idempotent
    assert await store.snapshot_evaluation(ORG, "prod", LATEST) is None
    assert await compliant(store) is True
    assert await store.environment_policies(ORG, "prod") == []


async def test_attaching_is_idempotent_and_names_what_is_missing(store: GraphStore) -> None:
    await topology(store)
    await store.create_policy(policy("tests", UNIT_TESTS))
    await store.attach_policy(ORG, "prod", "tests")
    assert [item.name for item in await store.attach_policy(ORG, "prod", "tests")] == ["tests"]
    assert await store.policy_attachments(ORG) == {"prod": ["tests"]}
    with pytest.raises(NotFound, match="policy 'nope' not found in org 'acme'"):
        await store.attach_policy(ORG, "prod", "nope")
    with pytest.raises(NotFound, match="environment 'staging' not found in org 'acme'"):
        await store.attach_policy(ORG, "staging", "tests")
    with pytest.raises(NotFound, match="org 'ghost' not found"):
        await store.policies("ghost")


async def test_allow_listed_third_party_artifacts_need_no_provenance(store: GraphStore) -> None:
    await topology(store)
    yaml = PROVENANCE + (
        f'    exceptions:\n      - if: ${{{{ matches(artifact.name, "^ecr/datadog") }}}}\n'
        f'      - if: ${{{{ artifact.fingerprint == "{fp("trusted")}" }}}}\n'
    )
    await store.create_policy(policy("provenance", yaml))
    await store.attach_policy(ORG, "prod", "provenance")
    await report(store, "prod", {"datadog-agent": 1, "trusted": 1, "miner": 1})
    evaluation = await store.snapshot_evaluation(ORG, "prod", LATEST)
    assert evaluation is not None
    assert [verdict.name for verdict in evaluation.non_compliant] == ["ecr/miner"]


async def test_evaluate_artifact_against_an_environment_or_named_policies(store: GraphStore) -> None:
    await topology(store)
    await build(store, "web", "w1")
    await store.create_policy(policy("tests", UNIT_TESTS))
    await store.create_policy(policy("lenient", HEAD))
    await store.attach_policy(ORG, "prod", "tests")
    failing = await store.evaluate_artifact(ORG, fp("w1"), flow="web", environment="prod")
    assert not failing.compliant
    assert failing.non_compliant[0].name == "registry.example/web:w1"  # not running there: its build's name
    passing = await store.evaluate_artifact(ORG, fp("w1"), policies=["lenient"])
    assert passing.compliant
    assert [item.name for item in passing.policies] == ["lenient"]
    with pytest.raises(NotFound, match="does not exist in flow 'api'"):
        await store.evaluate_artifact(ORG, fp("w1"), flow="api", environment="prod")


async def test_reading_an_evaluation_is_one_round_trip_whatever_its_size(store: GraphStore) -> None:
    await topology(store)
    await store.create_policy(policy("provenance", PROVENANCE))
    await store.attach_policy(ORG, "prod", "provenance")
    await report(store, "prod", {f"m{n}": 1 for n in range(40)})
    before = store.round_trips
    evaluation = await store.snapshot_evaluation(ORG, "prod", LATEST)
    assert store.round_trips == before + 1
    assert evaluation is not None
    assert len(evaluation.non_compliant) == 40


async def test_concurrent_attach_and_report_leave_the_latest_evaluated(store: GraphStore) -> None:
    await topology(store)
    await store.create_policy(policy("provenance", PROVENANCE))
    await asyncio.gather(
        store.attach_policy(ORG, "prod", "provenance"),
        *(report(store, "prod", {f"m{n}": 1}) for n in range(4)),
    )
    evaluation = await store.snapshot_evaluation(ORG, "prod", LATEST)
    assert evaluation is not None
    assert not evaluation.compliant
