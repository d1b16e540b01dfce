"""Which directory `serve`'s workers share their metrics in (tracegraph/observability/multiprocess.py); the workers
summing into it are tested with a real `serve --workers 2` in tests/cli/test_serve_worker_metrics.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracegraph.observability.multiprocess import VARIABLE, shared_metrics
from tracegraph.settings import Settings


@pytest.fixture(autouse=True)
def unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)


@pytest.mark.parametrize(("workers", "metrics_enabled"), [(1, True), (2, False)])
def test_nothing_is_shared_by_one_worker_or_without_metrics(workers: int, metrics_enabled: bool) -> None:
    with shared_metrics(Settings(workers=workers, metrics_enabled=metrics_enabled)) as directory:
        assert directory is None
        assert VARIABLE not in os.environ


def test_several_workers_get_a_fresh_directory_removed_after_them() -> None:
    with shared_metrics(Settings(workers=2, metrics_enabled=True)) as directory:
        assert directory is not None
        assert os.environ[VARIABLE] == str(directory)
        assert list(directory.iterdir()) == []
        (directory / "counter_123.db").write_bytes(b"")  # a worker's file
    assert VARIABLE not in os.environ
    assert not directory.exists()


def test_a_given_directory_loses_only_an_earlier_runs_metrics_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    earlier = ["counter_999999.db", "histogram_999999.db", "gauge_livesum_999999.db"]
    kept = [f"counter_{os.getpid()}.db", "notes.txt", "counter_x.db"]  # this process's own, and not metrics files
    for name in earlier + kept:
        (given / name).write_bytes(b"")
    monkeypatch.setenv(VARIABLE, str(given))
    with shared_metrics(Settings(workers=1, metrics_enabled=False)) as directory:
        assert directory == given
        assert sorted(path.name for path in given.iterdir()) == sorted(kept)
    assert os.environ[VARIABLE] == str(given)  # the caller's, left as it was
    assert given.exists()


def test_a_given_directory_that_does_not_exist_yet_is_made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(VARIABLE, str(tmp_path / "new" / "metrics"))
    with shared_metrics(Settings(workers=3, metrics_enabled=True)) as directory:
        assert directory is not None
        assert directory.is_dir()
