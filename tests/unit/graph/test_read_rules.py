"""The read rules both backends call: snapshot-index resolution, prefix look-ups, the report-time clamp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracegraph.errors import InvalidInput, NotFound
from tracegraph.graph import prefixes
from tracegraph.graph.model import Environment, Snapshot
from tracegraph.graph.report_time import snapshot_time
from tracegraph.graph.selectors import nothing_reported, parse_snapshot_expr, resolve_index

T0 = datetime(2022, 9, 6, 14, 0, tzinfo=UTC)


def env(latest: int) -> Environment:
    return Environment(
        org="acme",
        name="prod",
        type="K8S",
        description="",
        created_at=T0,
        last_reported_at=None,
        last_changed_at=None,
        latest_index=latest,
    )


def test_selectors_resolve_against_the_latest_index() -> None:
    assert resolve_index(env(5), parse_snapshot_expr("latest")) == 5
    assert resolve_index(env(5), parse_snapshot_expr("#2")) == 2
    assert resolve_index(env(5), parse_snapshot_expr("3")) == 3
    assert resolve_index(env(5), parse_snapshot_expr("~4")) == 1
    assert resolve_index(env(5), parse_snapshot_expr("@{2022-09-06T15:00}"), found_at=4) == 4


@pytest.mark.parametrize(
    ("latest", "expr", "message"),
    [
        (0, "latest", "environment 'prod' has no snapshots yet"),
        (5, "#6", "snapshot prod#6 not found (latest is #5)"),
        (5, "~5", "snapshot prod~5 not found (latest is #5)"),
        (5, "@{2022-09-06T15:00}", "environment 'prod' had no snapshot at 2022-09-06T15:00:00+00:00"),
    ],
)
def test_selectors_that_point_at_nothing(latest: int, expr: str, message: str) -> None:
    with pytest.raises(NotFound) as raised:
        resolve_index(env(latest), parse_snapshot_expr(expr))
    assert str(raised.value) == message


def test_only_latest_of_an_unreported_environment_is_nothing() -> None:
    assert nothing_reported(env(0), parse_snapshot_expr(""))
    assert not nothing_reported(env(0), parse_snapshot_expr("#1"))
    assert not nothing_reported(env(1), parse_snapshot_expr(""))


def test_a_prefix_has_one_match_or_says_why_not() -> None:
    assert prefixes.commit("acme", "abcde", ["abcdef"]) == "abcdef"
    with pytest.raises(NotFound, match="no commit starting with 'abcde' in org 'acme'"):
        prefixes.commit("acme", "abcde", [])
    with pytest.raises(InvalidInput) as raised:
        prefixes.artifact("web", "abcde", [f"abcde{n:02}" for n in reversed(range(11))])
    assert raised.value.field == "fingerprint"
    assert "matches more than 10 artifacts" in str(raised.value)
    assert raised.value.candidates == tuple(f"abcde{n:02}" for n in range(10))


def test_a_report_is_never_earlier_than_the_latest_snapshot() -> None:
    latest = Snapshot(org="acme", environment="prod", index=3, reported_at=T0)
    assert snapshot_time(None, now=T0 + timedelta(minutes=1), latest=None) == T0 + timedelta(minutes=1)
    assert snapshot_time(None, now=T0 - timedelta(minutes=1), latest=latest) == T0  # a clock behind is raised
    assert snapshot_time(T0 + timedelta(seconds=1), now=T0, latest=latest) == T0 + timedelta(seconds=1)
    with pytest.raises(InvalidInput, match="earlier than the latest snapshot #3"):
        snapshot_time(T0 - timedelta(seconds=1), now=T0, latest=latest)
