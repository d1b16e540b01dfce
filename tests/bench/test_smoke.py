"""The benchmark harness at `smoke` size on both backends: it must run end to end — the floor queries answering as
tracegraph does, closed-loop load on one and two server processes — and no GraphQL operation may cost more store
round trips than `bench/round_trips.json` records (the `Incident` query above all). Not a timing gate: timings
live in BENCHMARKS.md."""

from __future__ import annotations

import json
from pathlib import Path

from bench import executor
from bench.run import ROOT, LoadPlan, run
from tests.conftest import wipe_neo4j

RECORDED = json.loads((ROOT / "bench" / "round_trips.json").read_text())
# The smallest load that still goes through every path: two client counts, one and two worker processes.
PLAN = LoadPlan(
    clients=(1, 8), seconds=0.3, warmup=0.05, operations=("incident_800",), workers=(1, 2), nodelay_variants=(False,)
)


async def test_harness_runs_at_smoke_size_within_recorded_round_trips(neo4j_uri: str, tmp_path: Path) -> None:
    try:
        results = await run(
            "smoke",
            ["embedded", "neo4j"],
            neo4j_uri=neo4j_uri,
            profile=False,
            repeats=2,
            out=tmp_path,
            plan=PLAN,
            peer=False,
        )
    finally:
        await wipe_neo4j(neo4j_uri)
    assert [backend["backend"] for backend in results["backends"]] == ["embedded", "neo4j"]
    for backend in results["backends"]:
        name = backend["backend"]
        operations = backend["operations"]
        assert set(operations) == set(RECORDED) - {"_comment"}, name
        assert operations["incident_800"]["round_trips"] <= RECORDED["incident_800"], name
        over = {
            operation: measured["round_trips"]
            for operation, measured in operations.items()
            if measured["round_trips"] > RECORDED[operation]
        }
        assert not over, f"{name}: more store round trips than bench/round_trips.json records: {over}"
        mismatches = {
            operation: m["floor_mismatches"] for operation, m in operations.items() if m.get("floor_mismatches")
        }
        assert not mismatches, f"{name}: the floor answers differently: {mismatches}"
        assert all("floor" in measured for operation, measured in operations.items() if operation != "report_800")
        assert [point["snapshots_per_environment"] for point in backend["sweep"]] == [5, 20]
        load = backend["load"]["by_workers"]
        assert set(load) == {"1", "2"}, name
        assert sum(level["requests"] for levels in load.values() for level in levels["incident_800"].values()) > 0
    assert [Path(name).suffix for name in results["files"]] == [".json", ".md"]


async def test_the_execution_harness_compares_both_executions_on_every_read() -> None:
    medians = await executor.main("smoke", repeats=1)  # raises when the two executions answer differently
    assert set(medians) == executor.READS
    assert all(ours > 0 and theirs > 0 for ours, theirs in medians.values())
