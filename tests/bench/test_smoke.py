"""The benchmark harness at `smoke` size on both backends: it must run, and no GraphQL operation may cost more store
round trips than `bench/round_trips.json` records (the `Incident` query above all). Not a timing gate: timings
live in BENCHMARKS.md."""

from __future__ import annotations

import json
from pathlib import Path

from bench.run import ROOT, run
from tests.conftest import wipe_neo4j

RECORDED = json.loads((ROOT / "bench" / "round_trips.json").read_text())


async def test_harness_runs_at_smoke_size_within_recorded_round_trips(neo4j_uri: str, tmp_path: Path) -> None:
    try:
        results = await run("smoke", ["embedded", "neo4j"], neo4j_uri=neo4j_uri, profile=False, repeats=2, out=tmp_path)
    finally:
        await wipe_neo4j(neo4j_uri)
    assert [backend["backend"] for backend in results["backends"]] == ["embedded", "neo4j"]
    for backend in results["backends"]:
        operations = backend["operations"]
        assert operations["incident_800"]["round_trips"] <= RECORDED["incident_800"], backend["backend"]
        over = {
            name: measured["round_trips"]
            for name, measured in operations.items()
            if measured["round_trips"] > RECORDED[name]
        }
        assert not over, f"{backend['backend']}: more store round trips than bench/round_trips.json records: {over}"
        assert [point["snapshots_per_environment"] for point in backend["sweep"]] == [5, 20]
    assert [Path(name).suffix for name in results["files"]] == [".json", ".md"]
