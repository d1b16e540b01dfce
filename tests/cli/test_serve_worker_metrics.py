"""`tracegraph serve --workers 2` with metrics on: /metrics sums both workers' counts, whichever worker answers the
scrape (prometheus_client's multiprocess mode, tracegraph/observability/multiprocess.py)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.test_serve import Served
from tests.cli.test_serve_workers import LINUX_PROC, ORG, admin, answering_worker, post, workers_of

FLOWS = "query Flows($org: String!) { flows(org: $org) { nodes { name } } }"


def graphql_requests(text: str) -> float:
    """tracegraph_requests_total summed over the GraphQL route's samples (health checks left out)."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "tracegraph_requests_total" and sample.labels["route"] == "graphql"
    )


def scrape(port: int, workers: set[int]) -> tuple[int, float]:
    """Which worker answered a scrape on a new connection, and the GraphQL requests it counted."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        text = response.read().decode()
        assert response.status == 200, text
        return answering_worker(connection, workers, port), graphql_requests(text)
    finally:
        connection.close()


@pytest.fixture
def metrics_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEGRAPH_METRICS_ENABLED", "true")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)


def start(tmp_path: Path) -> Served:
    served = Served(tmp_path, "--data-dir", str(tmp_path / "data"), "--workers", "2", "--log-level", "info")
    assert served.wait_ready().status_code == 200
    return served


def requests_from_both_workers(served: Served, tmp_path: Path) -> Iterator[int]:
    """Sends GraphQL requests, each on a new connection, until both workers answered at least 3; yields each
    request's worker."""
    workers = workers_of(served.process.pid)
    assert len(workers) == 2
    admin(tmp_path / "data", "create-org", ORG)
    token = admin(tmp_path / "data", "create-token", "--org", ORG, "--role", "reader")
    answered = dict.fromkeys(workers, 0)
    for _ in range(400):  # the kernel hands each new connection to whichever worker accepts first
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        try:
            post(connection, token, FLOWS, {"org": ORG})
            pid = answering_worker(connection, workers, served.port)
        finally:
            connection.close()
        answered[pid] += 1
        yield pid
        if min(answered.values()) >= 3:
            return
    raise AssertionError(f"one worker answered every request: {answered}")


def assert_scrapes_sum_both_workers(served: Served, sent: int) -> None:
    workers = workers_of(served.process.pid)
    scrapes: dict[int, float] = {}
    for _ in range(400):
        pid, counted = scrape(served.port, workers)
        assert counted == sent, f"worker {pid} counted {counted} of the {sent} GraphQL requests"
        scrapes[pid] = counted
        if set(scrapes) == workers:
            return
    raise AssertionError(f"only worker(s) {set(scrapes)} answered /metrics")


@LINUX_PROC
@pytest.mark.usefixtures("metrics_environment")
def test_metrics_sum_both_workers_in_a_directory_removed_at_exit(tmp_path: Path) -> None:
    served = start(tmp_path)
    try:
        sent = len(list(requests_from_both_workers(served, tmp_path)))
        assert_scrapes_sum_both_workers(served, sent)
    finally:
        served.stop()
    shared = re.search(r"metrics are summed from (\S+)", served.output)
    assert shared is not None, served.output
    assert not Path(shared[1]).exists()


@LINUX_PROC
@pytest.mark.usefixtures("metrics_environment")
def test_a_given_multiprocess_directory_is_used_and_emptied_of_an_earlier_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_999999.db").write_bytes(b"not a metrics file")  # would break the sums if read
    (shared / "notes.txt").write_text("not prometheus_client's")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    served = start(tmp_path)
    try:
        sent = len(list(requests_from_both_workers(served, tmp_path)))
        assert_scrapes_sum_both_workers(served, sent)
        names = {path.name for path in shared.iterdir()}
        assert "counter_999999.db" not in names
        assert {f"counter_{pid}.db" for pid in workers_of(served.process.pid)} <= names
    finally:
        served.stop()
    assert (shared / "notes.txt").exists()
