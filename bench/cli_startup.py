"""The CLI's start-up time: each command run N times in a fresh interpreter, median wall time.

    python -m bench.cli_startup [--repeat 15]

Only `--help` and `--version` are timed: they parse the command line exactly as a real call does and import what
that command imports, without a server's answer time in the measure.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("--version",),
    ("log", "--help"),
    ("get", "--help"),
    ("report", "--help"),
    ("log", "env", "--help"),
    ("get", "snapshot", "--help"),
    ("report", "snapshot", "--help"),
)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def medians(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system): on a shared, busy machine the CPU time is the steadier
    measure of what start-up costs."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TRACEGRAPH_")}
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), children_cpu()
        subprocess.run(command, env=environment, capture_output=True, check=True)  # noqa: S603 - our own CLI
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores; median of {repeat} runs")  # fmt: skip
    print(f"{'command':<36}{'wall':>8}{'cpu':>8}")
    for args in [("-c", "pass"), *(("-m", "tracegraph.cli.main", *command) for command in COMMANDS)]:
        wall, cpu = medians([sys.executable, *args], repeat)
        label = "python -c pass" if args[0] == "-c" else "tracegraph " + " ".join(args[2:])
        print(f"{label:<36}{wall:>7.3f}s{cpu:>7.3f}s")


if __name__ == "__main__":
    main()
