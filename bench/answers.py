"""The same answer? tracegraph's GraphQL response, the floor's rows (bench/floor.py) and the peer's answer become one
comparable shape per operation, checked on a few runs of every measurement.

incident: {environment, index, running_total, running: [(fingerprint, name, instances, builds)], events_total,
events: [(type, fingerprint, name, builds)]}, builds as (flow, sha) for running items and (flow, artifact name, sha)
for events, in the answer's order; the other operations likewise keep what identifies each item and its order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bench.floor import LOG_PAGE, Rows

Answer = dict[str, Any]


def page_items(backend: str, rows: Rows) -> list[tuple[str, str]]:
    """The (name, fingerprint) keys of a running page's items, in order: the keyset of the next page."""
    if backend == "embedded":
        keys = [(row[2], row[1]) for row in rows if row[0] == 1]
        return list(dict.fromkeys(keys))
    return [(item[1], item[0]) for item in rows[0][1]]


def event_type(before: int, after: int) -> str:
    return "STARTED" if before == 0 else "STOPPED" if after == 0 else "SCALED"


def _sql_builds(rows: Sequence[Any], key: Callable[[Any], tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Builds from LEFT JOIN rows (flow NULL: none)."""
    return [key(row) for row in rows if row[0] is not None]


def _grouped(rows: Sequence[Any], key: Callable[[Any], Any]) -> list[list[Any]]:
    groups: list[list[Any]] = []
    for row in rows:
        if groups and key(groups[-1][0]) == key(row):
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def sql_answer(operation: str, rows: Rows) -> Answer:
    if operation.startswith("incident"):
        head = rows[0]
        running = _grouped([row for row in rows if row[0] == 1], lambda row: row[1])
        events = _grouped([row for row in rows if row[0] == 2], lambda row: row[1])
        return {
            "environment": (head[2], head[1]),
            "index": head[3],
            "running_total": head[5],
            "running": [
                (g[0][1], g[0][2], g[0][3], _sql_builds([r[5:] for r in g], lambda b: (b[0], b[4]))) for g in running
            ],
            "events_total": head[6],
            "events": [
                (
                    event_type(g[0][3], g[0][4]),
                    g[0][1],
                    g[0][2],
                    _sql_builds([r[5:] for r in g], lambda b: (b[0], b[1], b[4])),
                )
                for g in events
            ],
        }
    if operation == "running_all":
        items = [row for page in rows for row in page if row[0] == 1]
        return {
            "total": rows[0][0][3],
            "running": [
                (g[0][1], g[0][2], g[0][3], _sql_builds([r[4:] for r in g], lambda b: (b[0], b[1])))
                for g in _grouped(items, lambda row: row[1])
            ],
        }
    if operation == "log_page":
        total = rows[0][1]
        snapshots = [row for row in rows if row[0] == 1]
        by_index: dict[int, list[Any]] = {}
        totals: dict[int, int] = {}
        for group in _grouped([row for row in rows if row[0] == 2], lambda row: (row[1], row[2])):
            first = group[0]
            totals[first[1]] = first[3]
            by_index.setdefault(first[1], []).append(
                (
                    event_type(first[6], first[7]),
                    first[4],
                    first[5],
                    _sql_builds([r[8:] for r in group], lambda b: (b[0], b[1], b[2])),
                )
            )
        return {
            "total": total,
            "has_next": len(snapshots) > LOG_PAGE,
            "snapshots": [(row[1], totals.get(row[1], 0), by_index.get(row[1], [])) for row in snapshots[:LOG_PAGE]],
        }
    if operation == "where_commit":
        return {"sha": rows[0][1], "placements": sorted({tuple(row[1:]) for row in rows if row[0] == 1})}
    if operation == "prefix_search":
        builds: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            if row[0] == 1:
                builds.setdefault(row[1], []).append((row[2], row[3], row[4]))
        prints = sorted({row[1] for row in rows if row[0] in (1, 2)})
        return {
            "commits": [row[1] for row in rows if row[0] == 0],
            "fingerprints": [(fingerprint, sorted(builds.get(fingerprint, []))) for fingerprint in prints],
        }
    if operation == "diff_800":
        return _diff_answer(
            (rows[0][4], rows[0][6]), [(row[0], row[2], row[3], row[4], row[5], row[6]) for row in rows[1:]]
        )
    raise KeyError(operation)


def _diff_answer(sides: tuple[int, int], rows: Sequence[tuple[Any, ...]]) -> Answer:
    """From (kind, fingerprint, source name, source instances, target name, target instances) rows."""
    return {
        "sides": sides,
        "only_in_from": [(row[1], row[2], row[3]) for row in rows if row[0] == 1],
        "only_in_to": [(row[1], row[4], row[5]) for row in rows if row[0] == 2],
        "scaled": [(row[1], row[3], row[5]) for row in rows if row[0] == 3],
        "unchanged": [(row[1], row[4], row[5]) for row in rows if row[0] == 4],
    }


def cypher_answer(operation: str, rows: Rows) -> Answer:
    if operation.startswith("incident"):
        name, type_, index, _, running_total, running, events_total, events = rows[0]
        return {
            "environment": (name, type_),
            "index": index,
            "running_total": running_total,
            "running": [(fp, n, i, [(b[0], b[1]) for b in builds if b[0] is not None]) for fp, n, i, builds in running],
            "events_total": events_total,
            "events": [
                (event_type(before, after), fp, n, [(b[0], b[1], b[4]) for b in builds if b[0] is not None])
                for fp, n, before, after, builds in events
            ],
        }
    if operation == "running_all":
        return {
            "total": rows[0][0][0],
            "running": [
                (fp, n, i, [(b[0], b[1]) for b in builds if b[0] is not None])
                for page in rows
                for fp, n, i, builds in page[0][1]
            ],
        }
    if operation == "log_page":
        total, has_next, snapshots = rows[0]
        return {
            "total": total,
            "has_next": has_next,
            "snapshots": [
                (
                    index,
                    events_total,
                    [
                        (event_type(before, after), fp, n, [(b[0], b[1], b[2]) for b in builds if b[0] is not None])
                        for fp, n, before, after, builds in events
                    ],
                )
                for index, _, events_total, events in snapshots
            ],
        }
    if operation == "where_commit":
        sha, placements = rows[0]
        return {"sha": sha, "placements": sorted({tuple(item) for item in placements})}
    if operation == "prefix_search":
        commits, prints = rows[0]
        return {
            "commits": [item[0] for item in commits],
            "fingerprints": [(item[0], sorted(tuple(build) for build in item[1])) for item in prints],
        }
    if operation == "diff_800":
        source_index, target_index, found = rows[0]

        def kind(row: list[Any]) -> int:
            return 2 if row[1] is None else 1 if row[3] is None else 3 if row[2] != row[4] else 4

        return _diff_answer((source_index, target_index), [(kind(row), *row) for row in found])
    raise KeyError(operation)


def _provenance(artifacts: Sequence[dict[str, Any]], *fields: str) -> list[tuple[Any, ...]]:
    def value(artifact: dict[str, Any], field: str) -> Any:
        if field == "flow":
            return artifact["flow"]["name"]
        if field == "sha":
            return artifact["commit"]["sha"] if artifact.get("commit") else None
        return artifact[field]

    return [tuple(value(artifact, field) for field in fields) for artifact in artifacts]


def graphql_answer(operation: str, data: Any) -> Answer:
    """The comparable shape of tracegraph's `data` (a list of pages' data for `running_all`)."""
    if operation.startswith("incident"):
        environment = data["environment"]
        snapshot = environment["snapshot"]
        return {
            "environment": (environment["name"], environment["type"]),
            "index": snapshot["index"],
            "running_total": snapshot["running"]["totalCount"],
            "running": [
                (n["fingerprint"], n["name"], n["instances"], _provenance(n["artifacts"], "flow", "sha"))
                for n in snapshot["running"]["nodes"]
            ],
            "events_total": snapshot["events"]["totalCount"],
            "events": [
                (n["type"], n["fingerprint"], n["name"], _provenance(n["artifacts"], "flow", "name", "sha"))
                for n in snapshot["events"]["nodes"]
            ],
        }
    if operation == "running_all":
        pages = [page["environment"]["snapshot"]["running"] for page in data]
        return {
            "total": pages[0]["totalCount"],
            "running": [
                (n["fingerprint"], n["name"], n["instances"], _provenance(n["artifacts"], "flow", "sha"))
                for page in pages
                for n in page["nodes"]
            ],
        }
    if operation == "log_page":
        page = data["environment"]["snapshots"]
        return {
            "total": page["totalCount"],
            "has_next": page["pageInfo"]["hasNextPage"],
            "snapshots": [
                (
                    node["index"],
                    node["events"]["totalCount"],
                    [
                        (e["type"], e["fingerprint"], e["name"], _provenance(e["artifacts"], "flow", "name", "sha"))
                        for e in node["events"]["nodes"]
                    ],
                )
                for node in page["nodes"]
            ],
        }
    if operation == "where_commit":
        commit = data["commit"]
        return {
            "sha": commit["sha"],
            "placements": sorted(
                {
                    (
                        item["environment"]["name"],
                        item["snapshot"]["index"],
                        item["artifact"]["name"],
                        item["artifact"]["fingerprint"],
                        item["artifact"]["commit"]["sha"] if item["artifact"]["commit"] else None,
                    )
                    for item in commit["runningIn"]
                }
            ),
        }
    if operation == "prefix_search":
        search = data["search"]
        return {
            "commits": [item["sha"] for item in search["commits"]],
            "fingerprints": [
                (item["fingerprint"], sorted(_provenance(item["artifacts"], "flow", "name", "sha")))
                for item in search["fingerprints"]
            ],
        }
    if operation == "diff_800":
        diff = data["diff"]

        def triple(item: dict[str, Any]) -> tuple[Any, ...]:
            return (item["fingerprint"], item["name"], item["instances"])

        return {
            "sides": (diff["from"]["snapshot"]["index"], diff["to"]["snapshot"]["index"]),
            "only_in_from": [triple(item) for item in diff["onlyInFrom"]],
            "only_in_to": [triple(item) for item in diff["onlyInTo"]],
            "scaled": [
                (item["before"]["fingerprint"], item["before"]["instances"], item["after"]["instances"])
                for item in diff["scaled"]
            ],
            "unchanged": [triple(item) for item in diff["unchanged"]],
        }
    raise KeyError(operation)


def differences(operation: str, ours: Answer, floor: Answer) -> list[str]:
    """Each part where the floor's answer differs from tracegraph's (empty when they agree)."""
    return [
        f"{operation}.{part}: tracegraph {str(ours[part])[:200]} != floor {str(floor.get(part))[:200]}"
        for part in ours
        if _plain(ours[part]) != _plain(floor.get(part))
    ]


def _plain(value: Any) -> Any:
    """Tuples and lists alike (the driver answers lists)."""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
