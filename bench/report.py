"""The Markdown written next to each run's JSON in bench/results/: targets met or missed, every operation with its
floor, raw and peer timings, the load, the growth sweep, the load phases and the profiles' summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bench.run import (
    DESIGN_TARGETS_MS,
    FLOOR_RATIO_TARGET,
    LABELS,
    PEER_KINDS,
    PEER_THROUGHPUT_TARGET,
    TARGETS_MS,
)

Json = dict[str, Any]
BACKEND_COLUMN = {"embedded": 0, "neo4j": 1}
PEERS = ("peer_shipped", "peer_nodelay")


def target_of(operation: str, backend: str) -> float | None:
    if operation in TARGETS_MS:
        return TARGETS_MS[operation][BACKEND_COLUMN[backend]]
    return DESIGN_TARGETS_MS.get(operation)


def mark(met: bool) -> str:
    return "met" if met else "**missed**"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def worst_floor_ratio(backend: Json) -> tuple[float, list[str]]:
    ratios = {name: op["floor_ratio"] for name, op in backend["operations"].items() if "floor_ratio" in op}
    over = [f"{name} x{ratio}" for name, ratio in ratios.items() if ratio > FLOOR_RATIO_TARGET]
    return max(ratios.values(), default=0.0), over


def peer_throughput(backend: Json, workers: str = "1") -> dict[str, tuple[float, float, float]]:
    """Per operation at the load's peer client count: (tracegraph req/s, best peer req/s, ratio)."""
    load = backend.get("load") or {}
    peers = load.get("peers") or {}
    ours_by_workers = (load.get("by_workers") or {}).get(workers) or {}
    found: dict[str, tuple[float, float, float]] = {}
    for operation in PEER_KINDS:
        theirs = [levels[operation] for levels in peers.values() if operation in levels]
        if not theirs or operation not in ours_by_workers:
            continue
        clients = next(iter(theirs[0]))
        ours = ours_by_workers[operation].get(clients)
        if ours is None:
            continue
        best = max(level[clients]["requests_per_second"] for level in theirs)
        ratio = round(ours["requests_per_second"] / best, 2) if best else 0.0
        found[operation] = (ours["requests_per_second"], best, ratio)
    return found


def targets_table(backends: Sequence[Json]) -> list[str]:
    by_name = {backend["backend"]: backend for backend in backends}
    lines = [
        "| measure | embedded target | embedded | neo4j target | neo4j |",
        "|---|---|---|---|---|",
    ]
    for operation, (embedded_target, neo4j_target) in TARGETS_MS.items():
        cells = []
        for name, target in (("embedded", embedded_target), ("neo4j", neo4j_target)):
            backend = by_name.get(name)
            measured = backend["operations"].get(operation) if backend else None
            if measured is None:
                cells += [f"< {target:g} ms", "not run"]
                continue
            median = measured["graphql"]["median_ms"]
            cells += [f"< {target:g} ms", f"{mark(median < target)} {median:.1f} ms"]
        lines.append(f"| {LABELS[operation]} | " + " | ".join(cells) + " |")
    cells = []
    for name in ("embedded", "neo4j"):
        backend = by_name.get(name)
        if backend is None or not any("floor_ratio" in op for op in backend["operations"].values()):
            cells += [f"<= {FLOOR_RATIO_TARGET:g}x", "not run"]
            continue
        worst, over = worst_floor_ratio(backend)
        detail = f" (over: {', '.join(over)})" if over else ""
        cells += [f"<= {FLOOR_RATIO_TARGET:g}x", f"{mark(not over)} worst x{worst}{detail}"]
    lines.append("| GraphQL / one-query floor, every operation | " + " | ".join(cells) + " |")
    neo4j = by_name.get("neo4j")
    compared = peer_throughput(neo4j) if neo4j else {}
    if compared:
        worst_ratio = min(ratio for _, _, ratio in compared.values())
        detail = ", ".join(f"{name} x{ratio}" for name, (_, _, ratio) in compared.items())
        cell = f"{mark(worst_ratio >= PEER_THROUGHPUT_TARGET)} worst x{worst_ratio} ({detail})"
    else:
        cell = "not run"
    lines.append(f"| throughput at 8 clients vs @neo4j/graphql (faster variant) | - | - | >= 1.0x | {cell} |")
    return lines


def operations_table(backend: Json) -> list[str]:
    peers = [label for label in PEERS if any(label in op for op in backend["operations"].values())]
    header = "| operation | target | GraphQL median / p95 | raw | floor | GraphQL / floor | GraphQL / raw | rt |"
    header += " floor check |"
    header += "".join(f" {label} |" for label in peers)
    lines = [header, "|" + "---|" * (9 + len(peers))]
    for operation, label in LABELS.items():
        measured = backend["operations"].get(operation)
        if measured is None:
            continue
        target = target_of(operation, backend["backend"])
        graphql = measured["graphql"]
        met = "" if target is None else ("✅ " if graphql["median_ms"] < target else "❌ ")
        floor = measured.get("floor")
        if floor is None:
            check = "no floor"
        elif measured["floor_mismatches"]:
            check = f"{len(measured['floor_mismatches'])} mismatches"
        else:
            check = f"same ({measured['floor_checked']} runs)"
        cells = [
            label,
            "-" if target is None else f"< {target:g}",
            f"{met}{graphql['median_ms']:.1f} / {graphql['p95_ms']:.1f}",
            _ms(measured["raw"]["median_ms"]),
            _ms(floor["median_ms"] if floor else None),
            f"x{measured['floor_ratio']}" if floor else "-",
            f"x{measured['ratio_median']}",
            str(measured["round_trips"])
            + (
                f" ({measured['round_trips_total']} in {measured['requests']} requests)"
                if measured.get("requests", 1) > 1
                else ""
            ),
            check,
        ]
        for peer in peers:
            cells.append(_ms(measured[peer]["median_ms"]) if peer in measured else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def load_table(backend: Json) -> list[str]:
    load = backend.get("load")
    if not load:
        return []
    one = load["by_workers"].get("1", {})
    levels = sorted({int(count) for levels in one.values() for count in levels})
    others = [workers for workers in load["by_workers"] if workers != "1"]
    peers = list(load.get("peers", {}))
    header = "| operation |" + "".join(f" {count} client{'s' if count > 1 else ''}, 1 worker |" for count in levels)
    header += "".join(f" 8 clients, {worker_label(workers)} |" for workers in others)
    header += "".join(f" 8 clients, {label} |" for label in peers)
    if peers:
        header += " tracegraph / best peer (1 worker) |"
    columns = len(levels) + len(others) + len(peers) + (1 if peers else 0)
    lines = [
        f"req/s, p50 / p95 ms; closed loop, {load['seconds']:g} s per cell after {load['warmup']:g} s of warm-up.",
        "",
        header,
        "|---|" + "---|" * columns,
    ]
    compared = peer_throughput(backend)

    def cell(level: Mapping[str, Any] | None) -> str:
        if not level:
            return "-"
        return f"{level['requests_per_second']:g}/s, {_ms(level.get('p50_ms'))} / {_ms(level.get('p95_ms'))}"

    for operation, by_clients in one.items():
        cells = [cell(by_clients.get(str(count))) for count in levels]
        for workers in others:
            cells.append(cell(load["by_workers"][workers].get(operation, {}).get("8")))
        for label in peers:
            cells.append(cell(load["peers"][label].get(operation, {}).get("8")))
        if peers:
            cells.append(f"x{compared[operation][2]}" if operation in compared else "-")
        lines.append(f"| {operation} | " + " | ".join(cells) + " |")
    return lines


def worker_label(key: str) -> str:
    count, _, fixed = key.partition(" ")
    return f"{count} workers" + (", TCP_NODELAY fixed" if fixed else " (as `serve --workers` runs)")


def sweep_table(backend: Json) -> list[str]:
    names = ("incident_50", "incident_800", "log_page")
    lines = [
        "| snapshots per environment | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for point in backend["sweep"]:
        cells = [
            f"{point[name]['graphql']['median_ms']:.1f} / {point[name]['raw']['median_ms']:.1f}"
            + (f" / {point[name]['floor']['median_ms']:.1f}" if "floor" in point[name] else "")
            for name in names
        ]
        lines.append(f"| {point['snapshots_per_environment']:,} | " + " | ".join(cells) + " |")
    if len(backend["sweep"]) > 1:
        first, last = backend["sweep"][0], backend["sweep"][-1]
        growth = ", ".join(
            f"{name} x{last[name]['graphql']['median_ms'] / first[name]['graphql']['median_ms']:.2f}" for name in names
        )
        lines += [
            "",
            f"Growth {first['snapshots_per_environment']:,} → {last['snapshots_per_environment']:,}: {growth}.",
        ]
    return lines


def phases_table(backend: Json) -> list[str]:
    lines = ["| phase | items | store calls | seconds | items/s |", "|---|---|---|---|---|"]
    for phase in backend["phases"]:
        lines.append(
            f"| {phase['phase']} | {phase['items']:,} | {phase['calls']:,} | {phase['seconds']:,} | "
            f"{phase['items_per_second']:,} |"
        )
    total = sum(phase["seconds"] for phase in backend["phases"])
    lines += [
        "",
        f"Loading took {total:,.0f} s. Memory (peak RSS, MB): {backend['memory_mb']}; database on disk: "
        f"{backend['disk_mb']} MB.",
    ]
    return lines


def profiles(backend: Json) -> list[str]:
    found = backend.get("profiles") or {}
    lines: list[str] = []
    for operation, profile in found.items():
        if not isinstance(profile, dict):
            continue
        buckets = ", ".join(f"{name} {share}%" for name, share in profile["buckets"][:8])
        functions = ", ".join(f"`{name}` {share}%" for name, share in profile["functions"][:8])
        collector = profile.get("gc") or {}
        pauses = (
            f" Garbage collection during the profile: {collector['share']}% ({collector['collections']} collections"
            " by generation; charged to whatever frame was running)."
            if collector
            else ""
        )
        store = f"inside the store calls {profile['store_share']}%; " if "store_share" in profile else ""
        lines += [f"* **{operation}** (`{profile['file']}`): {store}{buckets}. Top self time: {functions}.{pauses}"]
    return lines


def markdown(results: Json) -> str:
    backends = results["backends"]
    machine = results["machine"]
    lines = [
        f"# tracegraph benchmarks: {results['size']} ({results['started']})",
        "",
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}; load average at start {machine.get('load_average')}; app at "
        f"{machine.get('app', 'unknown')}.",
        "",
        "Medians in ms through GraphQL over HTTP (uvicorn, its own process; one keep-alive connection). raw: the "
        "store calls the resolvers make; floor: one SQL/Cypher query answering the same data (bench/floor.py); "
        "all interleaved in one run. rt: store round trips per operation (the token check is cached).",
        "",
        "## Targets",
        "",
        *targets_table(backends),
        "",
    ]
    for backend in backends:
        lines += [
            f"## {backend['backend']}",
            "",
            f"Data set: {backend['dataset']}; older snapshot #{backend.get('older_index')}; `Where` walks "
            f"{backend['where_descendants']} descendants; {backend['repeats']} timed runs per operation.",
            "",
            *operations_table(backend),
            "",
        ]
        if backend.get("load"):
            lines += ["### Load", "", *load_table(backend), ""]
        lines += ["### Growth (GraphQL / raw / floor medians, ms)", "", *sweep_table(backend), ""]
        lines += ["### Loading", "", *phases_table(backend), ""]
        if backend.get("profiles"):
            lines += ["### Profiles (self time, % of the profiled requests)", "", *profiles(backend), ""]
    return "\n".join(lines)


# --- several runs side by side ------------------------------------------------------------------------------------


def _backend_runs(paths: Sequence[str], backend: str) -> list[Json]:
    import json
    from pathlib import Path

    found = []
    for path in paths:
        results = json.loads(Path(path).read_text())
        found += [item for item in results["backends"] if item["backend"] == backend]
    return found


def compared(paths: Sequence[str]) -> str:
    """Medians of the same size from several runs side by side (`run 1 / run 2 / ...`), per backend: GraphQL, floor,
    GraphQL / floor, and requests/s at 8 clients."""
    lines: list[str] = []
    for backend in ("embedded", "neo4j"):
        runs = _backend_runs(paths, backend)
        if not runs:
            continue
        lines += [
            f"### {backend}: {len(runs)} runs",
            "",
            "| operation | target | GraphQL median | raw | floor | GraphQL / floor | 1 client p50 | 8 clients req/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for operation, label in LABELS.items():
            measured = [run["operations"].get(operation) for run in runs]
            if not all(measured):
                continue
            target = target_of(operation, backend)

            def joined(values: Sequence[Any]) -> str:
                return " / ".join("-" if value is None else f"{value:.1f}" for value in values)

            graphql = [m["graphql"]["median_ms"] for m in measured]
            met = (
                "" if target is None else " ✅" if max(graphql) < target else " ❌" if min(graphql) >= target else " ±"
            )
            loads = [((run.get("load") or {}).get("by_workers") or {}).get("1", {}).get(operation, {}) for run in runs]
            lines.append(
                f"| {label} | {'-' if target is None else f'< {target:g}'} | {joined(graphql)}{met} | "
                f"{joined([m['raw']['median_ms'] for m in measured])} | "
                f"{joined([m['floor']['median_ms'] if 'floor' in m else None for m in measured])} | "
                f"{joined([m.get('floor_ratio') for m in measured])} | "
                f"{joined([level.get('1', {}).get('p50_ms') for level in loads])} | "
                f"{joined([level.get('8', {}).get('requests_per_second') for level in loads])} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    import sys

    print(compared(sys.argv[1:]))


if __name__ == "__main__":
    main()
