"""What FULL synchronous costs the embedded store: `python -m bench.durability`.

Times single writes, each one transaction, on a fresh SQLite file in WAL mode with `PRAGMA synchronous = NORMAL`
(an acknowledged write survives a process kill, not a power loss) and `FULL` (it survives both): a snapshot report
of 50 and of 800 running artifacts (each report scales one artifact, so each makes a new snapshot), and an artifact
report. Medians over `--reports` writes after one warm-up, in milliseconds, as a Markdown table on stdout. The cost
is the disk's fsync: `--dir` puts the files on the disk the data directory will use (a tmpfs syncs nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from tracegraph.graph.embedded.database import Synchronous
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import (
    ArtifactInput,
    EnvironmentInput,
    EnvironmentType,
    FlowInput,
    OrgInput,
    RunningArtifactInput,
    SnapshotInput,
)

ORG = "bench"
MODES: tuple[Synchronous, ...] = ("NORMAL", "FULL")


def fingerprint(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


async def median_ms(write: Callable[[int], Awaitable[object]], reports: int) -> float:
    await write(0)  # warm-up: the first snapshot opens every Run
    times = []
    for number in range(1, reports + 1):
        started = time.perf_counter()
        await write(number)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def measure(mode: Synchronous, directory: Path, reports: int) -> dict[str, float]:
    store = EmbeddedStore(directory / f"{mode}.sqlite3", synchronous=mode)
    await store.start()
    await store.create_org(OrgInput(name=ORG))
    await store.create_flow(FlowInput(org=ORG, name="web"))
    found: dict[str, float] = {}
    for size in (50, 800):
        environment = f"env-{size}"
        await store.create_environment(EnvironmentInput(org=ORG, name=environment, type=EnvironmentType.K8S))

        async def snapshot(number: int, size: int = size, environment: str = environment) -> object:
            running = [
                RunningArtifactInput(
                    fingerprint=fingerprint(f"{size}-{item}"),
                    name=f"app-{item}",
                    instances=2 if item == number % size and number % 2 else 1,
                )
                for item in range(size)
            ]
            return await store.report_snapshot(SnapshotInput(org=ORG, environment=environment, artifacts=running))

        found[f"report_snapshot, {size} artifacts"] = await median_ms(snapshot, reports)

    async def artifact(number: int) -> object:
        label = f"build-{number}"
        return await store.report_artifact(
            ArtifactInput(org=ORG, flow="web", fingerprint=fingerprint(label), name=f"web:{label}")
        )

    found["report_artifact"] = await median_ms(artifact, reports)
    await store.close()
    return found


async def main(reports: int, where: Path | None) -> None:
    with tempfile.TemporaryDirectory(dir=where) as directory:
        results = {mode: await measure(mode, Path(directory), reports) for mode in MODES}
    print(f"| write (median of {reports}, ms) | NORMAL | FULL | FULL / NORMAL |")
    print("|---|---:|---:|---:|")
    for operation, normal in results["NORMAL"].items():
        full = results["FULL"][operation]
        print(f"| {operation} | {normal:.2f} | {full:.2f} | {full / normal:.2f}x |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=60, help="timed writes per operation and mode (default 60)")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files (default: the temp dir)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.reports, arguments.dir))
