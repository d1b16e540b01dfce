"""Trails (runs of a flow), flow templates, the cloud-run type, and an artifact reported with its history."""

from __future__ import annotations

import pytest

from tests.contract.scenario import ORG, REPO, at, fp, sha, topology
from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph.inputs import (
    MAX_USER_DATA_BYTES,
    ArtifactInput,
    AttestationInput,
    CommitInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    TrailInput,
    parse,
)
from tracegraph.graph.store import GraphStore


def artifact(label: str, **extra: object) -> ArtifactInput:
    return ArtifactInput.model_validate(
        {"org": ORG, "flow": "web", "fingerprint": fp(label), "name": f"web:{label}", "created_at": at(1), **extra}
    )


async def test_begin_trail_upserts_and_keeps_its_creation_time(store: GraphStore) -> None:
    await topology(store)
    first = await store.begin_trail(
        TrailInput(
            org=ORG,
            flow="web",
            name=sha("c1"),
            description="first",
            git_commit=CommitInput(sha=sha("c1"), parents=[], message="fix", author="ann"),
            repo_url=REPO,
            origin_url="https://ci.example/run/1",
            user_data={"pr": 12, "labels": ["a"]},
            template_yaml="version: 1\ntrail:\n  artifacts:\n  - name: web\n",
        )
    )
    assert (first.name, first.description, first.git_commit, first.user_data) == (
        sha("c1"),
        "first",
        sha("c1"),
        {"pr": 12, "labels": ["a"]},
    )
    commit = await store.commit(ORG, sha("c1"))
    assert (commit.message, commit.author, commit.repo_url) == ("fix", "ann", REPO)  # upserted with the trail
    again = await store.begin_trail(TrailInput(org=ORG, flow="web", name=sha("c1"), description="second"))
    assert again.created_at == first.created_at
    assert (again.description, again.origin_url, again.user_data) == ("second", None, {})
    assert (again.git_commit, again.template_yaml) == (sha("c1"), first.template_yaml)  # None keeps them
    detail = await store.trail(ORG, "web", sha("c1"))
    assert detail.trail == again
    assert detail.commit is not None
    assert detail.commit.message == "fix"
    assert detail.artifacts == ()
    assert detail.attestations == ()


async def test_trail_needs_its_flow_and_exists_only_when_begun(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(NotFound, match="flow 'nope'"):
        await store.begin_trail(TrailInput(org=ORG, flow="nope", name="t1"))
    with pytest.raises(NotFound, match="org 'ghost'"):
        await store.begin_trail(TrailInput(org="ghost", flow="web", name="t1"))
    with pytest.raises(NotFound, match="trail 't1' not found in flow 'web'"):
        await store.trail(ORG, "web", "t1")
    with pytest.raises(NotFound, match="flow 'nope'"):
        await store.trail(ORG, "nope", "t1")
    with pytest.raises(NotFound, match="flow 'nope'"):
        await store.trails(ORG, "nope", limit=5)


async def test_trail_user_data_is_bounded_json() -> None:
    with pytest.raises(InvalidInput, match="user_data"):
        parse(TrailInput, {"org": ORG, "flow": "web", "name": "t", "user_data": {"x": "y" * MAX_USER_DATA_BYTES}})
    with pytest.raises(InvalidInput, match="user_data"):
        parse(TrailInput, {"org": ORG, "flow": "web", "name": "t", "user_data": {"x": float("nan")}})
    with pytest.raises(InvalidInput, match="name"):
        parse(TrailInput, {"org": ORG, "flow": "web", "name": "no spaces"})


async def test_artifacts_join_their_trail_which_is_created_when_missing(store: GraphStore) -> None:
    await topology(store)
    await store.begin_trail(TrailInput(org=ORG, flow="web", name="run-1"))
    one = await store.report_artifact(artifact("w1", trail="run-1", template_reference_name="frontend"))
    assert one.trail == "run-1"
    # Kosli creates the trail on `attest artifact --trail`: so does the store.
    two = await store.report_artifact(artifact("w2", trail="run-2", git_commit=sha("c2")))
    assert two.trail == "run-2"
    implicit = await store.trail(ORG, "web", "run-2")
    assert (implicit.trail.description, implicit.trail.user_data, implicit.trail.git_commit) == ("", {}, sha("c2"))
    assert implicit.commit is not None
    assert implicit.commit.sha == sha("c2")
    assert implicit.commit.message == ""
    # Reported again without a trail: the link stays; with another one, it moves.
    assert (await store.report_artifact(artifact("w1"))).trail == "run-1"
    await store.attest(
        AttestationInput(
            org=ORG, flow="web", fingerprint=fp("w1"), type="junit", name="unit", compliant=False, reported_at=at(2)
        )
    )
    await store.report_artifact(artifact("w3", trail="run-1", created_at=at(0)))
    detail = await store.trail(ORG, "web", "run-1")
    assert [(item.provenance.artifact.fingerprint, item.template_reference_name) for item in detail.artifacts] == [
        (fp("w3"), None),
        (fp("w1"), "frontend"),
    ]
    assert detail.artifacts[1].provenance.artifact.state == "NON_COMPLIANT"
    assert [(item.fingerprint, item.name) for item in detail.attestations] == [(fp("w1"), "unit")]
    moved = await store.report_artifact(artifact("w1", trail="run-2"))
    assert moved.trail == "run-2"
    assert [item.provenance.artifact.fingerprint for item in (await store.trail(ORG, "web", "run-1")).artifacts] == [
        fp("w3")
    ]
    after = await store.trail(ORG, "web", "run-2")
    assert [(item.provenance.artifact.fingerprint, item.template_reference_name) for item in after.artifacts] == [
        (fp("w2"), None),
        (fp("w1"), None),
    ]
    assert (await store.artifact(ORG, "web", fp("w1"))).provenance.artifact.trail == "run-2"
    assert [item.trail for item in await store.list_artifacts(ORG, "web", limit=5)] == ["run-2", "run-2", "run-1"]


async def test_template_reference_name_needs_a_trail() -> None:
    with pytest.raises(InvalidInput, match="template_reference_name needs a trail"):
        parse(
            ArtifactInput,
            {"org": ORG, "flow": "web", "fingerprint": fp("w1"), "name": "web", "template_reference_name": "x"},
        )


async def test_bulk_artifacts_link_trails_as_if_reported_one_by_one(store: GraphStore) -> None:
    await topology(store)
    answers = await store.report_artifacts(
        [
            artifact("w1", trail="a", template_reference_name="one"),
            artifact("w2", trail="b"),
            artifact("w1", trail="b", template_reference_name="two"),
            artifact("w2"),
        ]
    )
    assert [item.trail for item in answers] == ["b", "b", "b", "b"]
    assert (await store.trail(ORG, "web", "a")).artifacts == ()
    linked = await store.trail(ORG, "web", "b")
    assert sorted(
        (item.provenance.artifact.fingerprint, item.template_reference_name) for item in linked.artifacts
    ) == (sorted([(fp("w1"), "two"), (fp("w2"), None)]))


async def test_trails_are_listed_newest_first_with_keyset_pages(store: GraphStore) -> None:
    await topology(store)
    for name in ("t1", "t2", "t3", "t4"):
        await store.begin_trail(TrailInput(org=ORG, flow="web", name=name))
    await store.begin_trail(TrailInput(org=ORG, flow="api", name="other"))
    first = await store.trails(ORG, "web", limit=3)
    assert [item.name for item in first] == ["t4", "t3", "t2"]
    rest = await store.trails(ORG, "web", limit=3, after="t2")
    assert [item.name for item in rest] == ["t1"]
    with pytest.raises(InvalidInput, match="no trail 'nope'"):
        await store.trails(ORG, "web", limit=3, after="nope")


async def test_flow_template_is_kept_and_returned(store: GraphStore) -> None:
    await topology(store)
    template = "version: 1\ntrail:\n  attestations:\n  - name: tests\n    type: junit\n"
    created = await store.create_flow(FlowInput(org=ORG, name="tpl", template_yaml=template))
    assert created.template_yaml == template
    assert (await store.get_flow(ORG, "tpl")).template_yaml == template
    kept = await store.create_flow(FlowInput(org=ORG, name="tpl", description="again"))
    assert kept.template_yaml == template  # None keeps it
    assert (await store.get_flow(ORG, "web")).template_yaml is None
    assert [flow.template_yaml for flow in await store.list_flows(ORG) if flow.name == "tpl"] == [template]


async def test_cloud_run_environments(store: GraphStore) -> None:
    await topology(store)
    created = await store.create_environment(EnvironmentInput(org=ORG, name="run", type=EnvironmentType.CLOUD_RUN))
    assert created.type == "cloud-run"
    assert (await store.get_environment(ORG, "run")).type == "cloud-run"


async def test_an_artifact_reported_with_its_history(store: GraphStore) -> None:
    await topology(store)
    history = [
        CommitInput(sha=sha("c1"), parents=[], message="root"),
        CommitInput(sha=sha("c2"), parents=[sha("c1")], message="second"),
        CommitInput(sha=sha("c3"), parents=[sha("c2")], message="third"),
    ]
    reported = await store.report_artifact(artifact("w1", git_commit=sha("c3"), history=history))
    assert reported.git_commit == sha("c3")
    for label, parents in (("c1", ()), ("c2", (sha("c1"),)), ("c3", (sha("c2"),))):
        commit = await store.commit(ORG, sha(label))
        assert (commit.parents, commit.repo_url) == (parents, None)  # kept without a repository
    assert await store.commits_with_history(ORG, [sha("c3")]) == {sha("c3")}
    detail = await store.artifact(ORG, "web", fp("w1"))
    assert detail.provenance.commit is not None
    assert detail.provenance.commit.message == "third"
    # With a repository, the commits are placed in it; the artifact's own commit rides along as before.
    await store.report_artifact(
        artifact(
            "w2",
            commit=CommitInput(sha=sha("c5"), parents=[sha("c4")], message="five"),
            history=[CommitInput(sha=sha("c4"), parents=[sha("c3")], message="four")],
            repo_url=REPO,
        )
    )
    assert (await store.commit(ORG, sha("c4"))).repo_url == REPO
    assert (await store.commit(ORG, sha("c5"))).parents == (sha("c4"),)
    assert await store.commits_with_history(ORG, [sha("c5")]) == {sha("c5")}


async def test_a_bad_history_writes_nothing(store: GraphStore) -> None:
    await topology(store)
    with pytest.raises(InvalidInput, match="history"):
        parse(
            ArtifactInput,
            {
                "org": ORG,
                "flow": "web",
                "fingerprint": fp("w1"),
                "name": "web",
                "history": [{"sha": sha("c1")}, {"sha": "not-a-sha"}],
            },
        )
    with pytest.raises(InvalidInput, match="appears twice"):
        parse(
            ArtifactInput,
            {"org": ORG, "flow": "web", "fingerprint": fp("w1"), "name": "web", "history": [{"sha": sha("c1")}] * 2},
        )
    # Valid input that fails in the store (the flow is missing) leaves neither commits nor artifact behind.
    with pytest.raises(NotFound):
        await store.report_artifact(
            ArtifactInput(
                org=ORG,
                flow="nope",
                fingerprint=fp("w1"),
                name="web",
                history=[CommitInput(sha=sha("c1"), parents=[])],
                trail="t1",
            )
        )
    # A batch whose last item fails writes nothing of the first.
    with pytest.raises(NotFound):
        await store.report_artifacts(
            [
                artifact("w1", history=[CommitInput(sha=sha("c1"), parents=[])], trail="t1"),
                ArtifactInput(org=ORG, flow="nope", fingerprint=fp("w2"), name="web"),
            ]
        )
    with pytest.raises(NotFound):
        await store.commit(ORG, sha("c1"))
    with pytest.raises(NotFound):
        await store.artifact(ORG, "web", fp("w1"))
    assert await store.trails(ORG, "web", limit=5) == []
