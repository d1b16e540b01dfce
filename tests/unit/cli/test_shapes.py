"""The JSON shapes' own rules, without a server: what each derives from the GraphQL answer (the keys themselves are
held to docs/cli.md by tests/cli/test_json_shapes.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tracegraph.cli import shapes
from tracegraph.cli.client import _as_flag


def entry(kind: str, environment: str | None = None, index: int | None = None, number: int | None = None) -> Any:
    return {"kind": kind, "description": kind.lower(), "at": "2022-09-06T14:00:00+00:00", "environment": environment,
            "snapshotIndex": index, "deploymentNumber": number}  # fmt: skip


def test_an_artifact_runs_where_its_last_stretch_has_not_stopped() -> None:
    history = [
        entry("CREATED"),
        entry("DEPLOYED", "prod", number=7),
        entry("STARTED", "prod", 3),
        entry("STARTED", "beta", 1),
        entry("STOPPED", "prod", 5),
        entry("STARTED", "prod", 9),  # back again
        entry("STOPPED", "beta", 2),
    ]
    found = {"name": "web:1", "fingerprint": "f" * 64, "createdAt": "2022-09-06T14:00:00+00:00", "gitCommit": None,
             "commitUrl": None, "buildUrl": None, "state": "COMPLIANT", "trail": None, "flow": {"name": "web"},
             "history": history}  # fmt: skip
    shaped = shapes.artifact(found)
    assert shaped["running"] == [{"environment_name": "prod", "snapshot_index": 9}]
    assert shaped["exited"] == [
        {"environment_name": "prod", "snapshot_index": 5},
        {"environment_name": "beta", "snapshot_index": 2},
    ]
    assert shaped["deployments"] == [7]


def test_a_diff_item_names_one_build_with_its_own_commit() -> None:
    builds = [
        {"flow": {"name": "web"}, "gitCommit": "b" * 40, "commitUrl": None},
        {"flow": {"name": "api"}, "gitCommit": None, "commitUrl": None},
    ]
    running = {"name": "x", "fingerprint": "f" * 64, "instances": 2, "sinceIndex": 4, "artifacts": builds}
    side = {"environment": {"name": "prod"}, "snapshot": {"index": 4}}
    empty = {"environment": {"name": "new"}, "snapshot": None}
    found = {"source": side, "target": empty, "onlyInFrom": [running], "onlyInTo": [], "scaled": [], "unchanged": []}
    shaped = shapes.diff(found)
    assert (shaped["snappish1"]["snapshot_id"], shaped["snappish2"]["snapshot_id"]) == ("prod#4", "new#0")
    item = shaped["snappish1"]["artifacts"][0]
    assert (item["flow"], item["git_commit"]) == ("api", None)  # the first flow by name, and its commit, not web's


def test_a_snapshot_is_current_until_the_next_or_now() -> None:
    found = {"index": 3, "reportedAt": "2022-09-06T14:00:00+00:00", "compliant": True}
    now = datetime(2022, 9, 6, 15, 0, tzinfo=UTC)
    assert shapes.snapshot_item(found, "2022-09-06T14:01:30+00:00", now)["duration"] == 90
    latest = shapes.snapshot_item(found, None, now)
    assert (latest["to"], latest["duration"]) == (None, 3600)


def test_an_error_names_the_flag_and_the_position_of_a_repeated_one() -> None:
    flags = {"repos": "--repo", "input.artifacts": "--artifact"}
    assert _as_flag("repos.0: bad", "repos.0", flags) == "--repo (value 1): bad"
    assert _as_flag("input.artifacts.1.fingerprint: bad", "input.artifacts.1.fingerprint", flags) == (
        "--artifact (value 2, fingerprint): bad"
    )
    assert _as_flag("other: bad", "other", flags) == "other: bad"
