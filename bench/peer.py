"""The benchmark's peer: @neo4j/graphql (npm, under @apollo/server) serving the same Neo4j and data as tracegraph,
through the type definitions in `bench/peer/typeDefs.graphql`, run side by side with tracegraph in one harness run.

    peer = Peer()
    url = peer.start(neo4j_uri, nodelay=False)   # `node bench/peer/server.mjs` on a free port; `npm ci` first if needed
    ...POST {"query": INCIDENT, "variables": variables("incident_800", tracegraph_variables)} to url...
    peer.stop()

The peer runs twice: as shipped, and with TCP_NODELAY on its driver's sockets (`nodelay=True`): the stock
neo4j-driver leaves Nagle's algorithm on and writes 1,400 bytes at a time, so a generated statement longer than that
(5.8 KB for INCIDENT, 4.1 KB for LOG_PAGE; DIFF's and SEARCH's are about 1 KB each) waits ~40 ms for the server's
delayed ACK. Compare tracegraph against the faster of the two.

DOCUMENTS holds, under the harness's operation names, the peer's document asking for the same data as tracegraph's
document of that operation (bench/queries.py); `variables` turns tracegraph's variables into the peer's. `verify`
checks once per run that both answer the same (fingerprints, names, instances, event wording, commit shas).

Not run on the peer: `where_commit` (the walk from a never-built commit to the artifacts built from its descendants,
with their distance and per-environment placements, which tracegraph answers from an in-memory index of the commit
graph: the peer could only answer it through one hand-written @cypher statement redoing all of that over a
variable-length PARENT path, which would time that statement, not the library) and `report_800` (the peer is
read-only: the interval model's write, closing and opening Runs under the environment's lock, is no generated
mutation). `diff_800` fetches both running sets; the comparison into only-in-from / only-in-to / scaled /
unchanged is left to the client (`diff_of`).

    python -m bench.peer --size smoke [--repeats 50] [--neo4j-uri bolt://...]

loads a size into a Neo4j, starts tracegraph's bench server and both peers, verifies, and prints medians.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

PEER_DIR = Path(__file__).resolve().parent / "peer"
READY_TIMEOUT = 60.0

Json = dict[str, Any]

# --- the peer's documents -----------------------------------------------------------------------------------------

# Artifacts select `flowName` as well: @neo4j/graphql 7.6 sorts a nested list on its projected map, so a sort key
# left out of the selection sorts nothing.
INCIDENT = """
query Incident($org: String!, $env: String!, $index: Int!) {
  environments(where: {org: {eq: $org}, name: {eq: $env}}) {
    name
    type
    snapshot(index: $index) {
      index
      reportedAt
      eventsCount
      events(first: 100) {
        type
        description
        fingerprint
        name
        digest {
          artifacts(sort: [{flowName: ASC}]) {
            flowName
            name
            fingerprint
            buildUrl
            flow { name }
            commit { sha url message author timestamp }
          }
        }
      }
      runningCount
      running(first: 100) {
        fingerprint
        name
        instances
        digest { artifacts(sort: [{flowName: ASC}]) { flowName flow { name } commit { sha } } }
      }
    }
  }
}
"""

LOG_PAGE = """
query Log($org: String!, $env: String!) {
  environments(where: {org: {eq: $org}, name: {eq: $env}}) {
    snapshotsConnection(first: 15, sort: [{node: {index: DESC}}]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          index
          reportedAt
          eventsCount
          events(first: 100) {
            type
            description
            fingerprint
            name
            digest {
              artifacts(sort: [{flowName: ASC}]) { flowName name flow { name } commit { sha message author } }
            }
          }
        }
      }
    }
  }
}
"""

# Both latest running sets, whole (tracegraph's diff compares whole sets); the classification is `diff_of`'s.
DIFF = """
query Diff($org: String!, $from: String!, $to: String!) {
  from: environments(where: {org: {eq: $org}, name: {eq: $from}}) {
    name
    latest { index running(first: 1000000) { fingerprint name instances } }
  }
  to: environments(where: {org: {eq: $org}, name: {eq: $to}}) {
    name
    latest { index running(first: 1000000) { fingerprint name instances } }
  }
}
"""

# tracegraph answers at most 20 commits and 20 fingerprints (tracegraph/graph/rules.py MAX_SEARCH_MATCHES), and
# where a fingerprint ran as placements (contiguous Runs merged); the peer answers the Runs themselves.
SEARCH = """
query Search($org: String!, $prefix: String!) {
  commits(where: {org: {eq: $org}, sha: {startsWith: $prefix}, reported: {eq: true}}, sort: [{sha: ASC}], limit: 20) {
    sha
    message
    author
    timestamp
  }
  digests(where: {org: {eq: $org}, fingerprint: {startsWith: $prefix}}, sort: [{fingerprint: ASC}], limit: 20) {
    fingerprint
    artifacts(sort: [{flowName: ASC}]) { flowName name flow { name } commit { sha } }
    runs(sort: [{environment: ASC}, {fromIndex: ASC}]) { environment name instances fromIndex toIndex open }
  }
}
"""

DOCUMENTS: dict[str, str] = {
    "incident_50": INCIDENT,
    "incident_800": INCIDENT,
    "log_page": LOG_PAGE,
    "diff_800": DIFF,
    "prefix_search": SEARCH,
}

# Operations of the harness the peer cannot run, and why (see the module docstring).
NOT_EXPRESSIBLE: dict[str, str] = {
    "where_commit": "ancestry walk with distances and placements: only a hand-written @cypher statement could answer",
    "report_800": "a write of the interval model: the peer is read-only",
}


def incident_variables(org: str, env: str, index: int) -> Json:
    return {"org": org, "env": env, "index": index}


def log_page_variables(org: str, env: str) -> Json:
    return {"org": org, "env": env}


def diff_variables(org: str, source: str, target: str) -> Json:
    return {"org": org, "from": source, "to": target}


def search_variables(org: str, prefix: str) -> Json:
    return {"org": org, "prefix": prefix}


_FROM_TRACEGRAPH: dict[str, Callable[[Mapping[str, Any]], Json]] = {
    "incident_50": lambda v: incident_variables(v["org"], v["env"], v["index"]),
    "incident_800": lambda v: incident_variables(v["org"], v["env"], v["index"]),
    "log_page": lambda v: log_page_variables(v["org"], v["env"]),
    "diff_800": lambda v: diff_variables(v["org"], v["from"], v["to"]),
    "prefix_search": lambda v: search_variables(v["org"], v["prefix"]),
}


def variables(operation: str, tracegraph_variables: Mapping[str, Any]) -> Json:
    """The peer's variables for an operation, from the variables the harness sends tracegraph for it."""
    return _FROM_TRACEGRAPH[operation](tracegraph_variables)


# --- the process --------------------------------------------------------------------------------------------------


class PeerUnavailable(RuntimeError):
    """Node or npm is missing, the install failed, or the server did not come up."""


class PeerError(RuntimeError):
    """The peer answered a query with errors."""


class Peer:
    """`node bench/peer/server.mjs` in its own process, over one Neo4j."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.nodelay = False

    def start(self, neo4j_uri: str, *, nodelay: bool, user: str | None = None, password: str | None = None) -> str:
        """Start the peer (installing its packages first when `node_modules` is missing) and answer its URL once
        it answers GraphQL."""
        if self.process is not None:
            raise RuntimeError("peer already started")
        node = _require("node")
        ensure_installed()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {key: value for key, value in os.environ.items() if key not in ("NEO4J_USER", "NEO4J_PASSWORD")}
        env |= {
            "NEO4J_URI": neo4j_uri,
            "PEER_PORT": str(port),
            "PEER_NODELAY": "1" if nodelay else "0",
            "NODE_ENV": "production",
        }
        if user is not None:
            env["NEO4J_USER"] = user
            env["NEO4J_PASSWORD"] = password or ""
        self.process = subprocess.Popen(  # noqa: S603 - node on our own script, fixed arguments
            [node, "server.mjs"], cwd=PEER_DIR, env=env
        )
        self.url = f"http://127.0.0.1:{port}/"
        self.nodelay = nodelay
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        return self.url

    def _wait(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        with httpx.Client(timeout=5) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise PeerUnavailable(f"the peer exited with {self.process.returncode} (its stderr is above)")
                with contextlib.suppress(httpx.TransportError):
                    if client.post(self.url, json={"query": "{ __typename }"}).status_code == 200:
                        return
                time.sleep(0.1)
        raise PeerUnavailable(f"the peer did not answer within {READY_TIMEOUT:.0f} s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise PeerUnavailable(
            f"the peer needs `{tool}` (Node.js 20+ and npm) on PATH: apt-get install nodejs npm, or skip the peer"
        )
    return found


def ensure_installed() -> None:
    """`npm ci` in bench/peer when its `node_modules` is missing (the lock file pins every package)."""
    if (PEER_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        return
    npm = _require("npm")
    print("bench.peer: bench/peer/node_modules is missing; running `npm ci` there", file=sys.stderr, flush=True)
    done = subprocess.run(  # noqa: S603 - npm with fixed arguments
        [npm, "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=False, stdout=sys.stderr
    )
    if done.returncode != 0:
        raise PeerUnavailable(f"`npm ci` in {PEER_DIR} failed with {done.returncode}")


async def query(http: httpx.AsyncClient, url: str, document: str, variables: Mapping[str, Any]) -> Json:
    """One request to the peer; its `data`, or PeerError."""
    response = await http.post(url, json={"query": document, "variables": dict(variables)})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise PeerError(f"{response.status_code} {json.dumps(body)[:500]}")
    data: Json = body["data"]
    return data


# --- the same answers? --------------------------------------------------------------------------------------------


def _commit_sha(commit: Any) -> str | None:
    """tracegraph's `commit` is one or null; the peer's BUILT_FROM edge is a list."""
    if isinstance(commit, list):
        return commit[0]["sha"] if commit else None
    return commit["sha"] if commit else None


def _flow(flow: Any) -> str | None:
    if isinstance(flow, list):
        return flow[0]["name"] if flow else None
    return flow["name"] if flow else None


def _artifacts(holder: Json) -> list[Json]:
    """tracegraph's `artifacts`, or the peer's through the digest (one from an event, a list from a Run)."""
    if "artifacts" in holder:
        found: list[Json] = holder["artifacts"]
        return found
    digest = holder.get("digest")
    digests = digest if isinstance(digest, list) else [digest] if digest else []
    return [artifact for item in digests for artifact in item["artifacts"]]


def _provenance(holder: Json) -> list[tuple[Any, ...]]:
    return [
        (item.get("name"), item.get("fingerprint"), _flow(item.get("flow")), _commit_sha(item.get("commit")))
        for item in _artifacts(holder)
    ]


def _events(nodes: Sequence[Json]) -> list[tuple[Any, ...]]:
    return [(node["type"], node["description"], node["fingerprint"], node["name"], _provenance(node)) for node in nodes]


def _running(nodes: Sequence[Json]) -> list[tuple[Any, ...]]:
    return [(node["fingerprint"], node["name"], node["instances"], _provenance(node)) for node in nodes]


def _incident(data: Json) -> Json:
    if "environment" in data:
        environment, snapshot = data["environment"], data["environment"]["snapshot"]
        events, running = snapshot["events"], snapshot["running"]
        events_total, events_nodes = events["totalCount"], events["nodes"]
        running_total, running_nodes = running["totalCount"], running["nodes"]
    else:
        environment = data["environments"][0]
        snapshot = environment["snapshot"]
        events_total, events_nodes = snapshot["eventsCount"], snapshot["events"]
        running_total, running_nodes = snapshot["runningCount"], snapshot["running"]
    return {
        "environment": (environment["name"], environment["type"]),
        "index": snapshot["index"],
        "events": (events_total, _events(events_nodes)),
        "running": (running_total, _running(running_nodes)),
    }


def _log_page(data: Json) -> Json:
    if "environment" in data:
        page = data["environment"]["snapshots"]
        snapshots = [(node["index"], node["events"]["totalCount"], node["events"]["nodes"]) for node in page["nodes"]]
    else:
        page = data["environments"][0]["snapshotsConnection"]
        snapshots = [
            (edge["node"]["index"], edge["node"]["eventsCount"], edge["node"]["events"]) for edge in page["edges"]
        ]
    return {
        "total": page["totalCount"],
        "has_next": page["pageInfo"]["hasNextPage"],
        "snapshots": [(index, total, _events(events)) for index, total, events in snapshots],
    }


def diff_of(source: Sequence[Json], target: Sequence[Json]) -> Json:
    """tracegraph's diff of two running sets (tracegraph/graph/assembly.py `diff`: by fingerprint, instances
    compared, a new observed name alone no change), as the peer's client has to make it."""
    before = {item["fingerprint"]: item for item in source}
    after = {item["fingerprint"]: item for item in target}
    both = [item for item in target if item["fingerprint"] in before]
    return {
        "only_in_from": [item for item in source if item["fingerprint"] not in after],
        "only_in_to": [item for item in target if item["fingerprint"] not in before],
        "scaled": [
            (before[item["fingerprint"]], item)
            for item in both
            if before[item["fingerprint"]]["instances"] != item["instances"]
        ],
        "unchanged": [item for item in both if before[item["fingerprint"]]["instances"] == item["instances"]],
    }


def _diff(data: Json) -> Json:
    def triple(item: Json) -> tuple[Any, ...]:
        return (item["fingerprint"], item["name"], item["instances"])

    if "diff" in data:
        diff = data["diff"]
        sides = [(diff[side]["environment"]["name"], diff[side]["snapshot"]["index"]) for side in ("from", "to")]
        made = {
            "only_in_from": diff["onlyInFrom"],
            "only_in_to": diff["onlyInTo"],
            "scaled": [(item["before"], item["after"]) for item in diff["scaled"]],
            "unchanged": diff["unchanged"],
        }
    else:
        source, target = data["from"][0], data["to"][0]
        sides = [(side["name"], side["latest"]["index"]) for side in (source, target)]
        made = diff_of(source["latest"]["running"], target["latest"]["running"])
    return {
        "sides": sides,
        "only_in_from": [triple(item) for item in made["only_in_from"]],
        "only_in_to": [triple(item) for item in made["only_in_to"]],
        "scaled": [(old["fingerprint"], old["instances"], new["instances"]) for old, new in made["scaled"]],
        "unchanged": [triple(item) for item in made["unchanged"]],
    }


def _search(data: Json) -> Json:
    if "search" in data:
        commits, fingerprints = data["search"]["commits"], data["search"]["fingerprints"]
    else:
        commits, fingerprints = data["commits"], data["digests"]
    return {
        "commits": [item["sha"] for item in commits],
        "fingerprints": [(item["fingerprint"], _provenance(item)) for item in fingerprints],
    }


_ANSWERS: dict[str, Callable[[Json], Json]] = {
    "incident_50": _incident,
    "incident_800": _incident,
    "log_page": _log_page,
    "diff_800": _diff,
    "prefix_search": _search,
}


def same_answer(operation: str, tracegraph_data: Json, peer_data: Json) -> list[str]:
    """What differs between tracegraph's answer and the peer's, part by part (empty when they agree)."""
    ours, theirs = _ANSWERS[operation](tracegraph_data), _ANSWERS[operation](peer_data)
    return [
        f"{operation}.{part}: tracegraph {json.dumps(ours[part])[:300]} != peer {json.dumps(theirs.get(part))[:300]}"
        for part in ours
        if ours[part] != theirs.get(part)
    ]


async def verify(
    tracegraph_url: str, token: str, peer_url: str, cases: Sequence[tuple[str, str, Mapping[str, Any]]]
) -> None:
    """Ask tracegraph (`POST {tracegraph_url}/graphql` with the reader token) and the peer each case
    (operation name, tracegraph's document, tracegraph's variables); raise PeerError naming every difference."""
    problems: list[str] = []
    async with httpx.AsyncClient(timeout=300) as http:
        for operation, document, tracegraph_variables in cases:
            response = await http.post(
                f"{tracegraph_url}/graphql",
                json={"query": document, "variables": dict(tracegraph_variables)},
                headers={"Authorization": f"Bearer {token}"},
            )
            body = response.json()
            if response.status_code != 200 or body.get("errors"):
                raise PeerError(f"tracegraph {operation}: {response.status_code} {json.dumps(body)[:500]}")
            theirs = await query(http, peer_url, DOCUMENTS[operation], variables(operation, tracegraph_variables))
            problems += same_answer(operation, body["data"], theirs)
    if problems:
        raise PeerError("the peer answers differently from tracegraph:\n" + "\n".join(problems))


# --- a first comparison, standalone -------------------------------------------------------------------------------


async def compare(size_name: str, *, repeats: int, neo4j_uri: str | None) -> Json:
    """Load `size_name` into a Neo4j through tracegraph's store, then time every expressible operation through
    tracegraph's bench server and the two peers, one request to each in turn, `repeats` times after 3 warm-ups."""
    from bench import queries
    from bench.generate import ORG, SIZES, Dataset, describe, load_catalog, load_snapshots
    from bench.run import WARMUP, Server, neo4j_backend, stats, tokens
    from tracegraph.graph.neo4j.store import Neo4jStore

    size = SIZES[size_name]
    data = Dataset.build(size)
    async with contextlib.AsyncExitStack() as stack:
        uri, _, _ = await stack.enter_async_context(neo4j_backend(neo4j_uri))
        store = Neo4jStore(uri)
        await store.start()
        stack.push_async_callback(store.close)
        print(f"[peer] loading {size_name}: {data.counts()}", flush=True)
        print(f"[peer] {describe(await load_catalog(store, data))}", flush=True)
        print(f"[peer] {describe([await load_snapshots(store, data, 1, size.snapshots)])}", flush=True)
        reader, _ = await tokens(store)
        server = Server(["--neo4j-uri", uri])
        stack.callback(server.stop)
        await server.wait()
        peers: dict[str, str] = {}
        for nodelay in (False, True):
            peer = Peer()
            peers["peer_nodelay" if nodelay else "peer_shipped"] = peer.start(uri, nodelay=nodelay)
            stack.callback(peer.stop)

        large, small = data.environments[0], data.environments[size.large_environments]
        other = data.environments[1] if size.large_environments > 1 else large
        latest = size.snapshots
        prefix = data.never_built_commit(0, latest)[0][:7]
        cases: list[tuple[str, str, Json]] = [
            ("incident_50", queries.INCIDENT, {"org": ORG, "env": small, "index": latest}),
            ("incident_800", queries.INCIDENT, {"org": ORG, "env": large, "index": latest}),
            ("incident_800_older", queries.INCIDENT, {"org": ORG, "env": large, "index": max(1, latest // 2)}),
            ("log_page", queries.LOG_PAGE, {"org": ORG, "env": large}),
            ("diff_800", queries.DIFF, {"org": ORG, "from": large, "to": other}),
            ("prefix_search", queries.SEARCH, {"org": ORG, "prefix": prefix}),
        ]

        def kind(name: str) -> str:
            return "incident_800" if name == "incident_800_older" else name

        await verify(server.url, reader, peers["peer_shipped"], [(kind(n), d, v) for n, d, v in cases])
        await verify(server.url, reader, peers["peer_nodelay"], [(kind(n), d, v) for n, d, v in cases])
        print("[peer] verified: the peer answers as tracegraph does", flush=True)

        results: Json = {"size": size_name, "dataset": data.counts(), "repeats": repeats, "operations": {}}
        headers = {"Authorization": f"Bearer {reader}"}
        async with httpx.AsyncClient(timeout=300) as http:
            for name, document, tracegraph_variables in cases:
                targets = {"tracegraph": (f"{server.url}/graphql", document, tracegraph_variables, headers)}
                for label, url in peers.items():
                    targets[label] = (url, DOCUMENTS[kind(name)], variables(kind(name), tracegraph_variables), {})
                samples: dict[str, list[float]] = {label: [] for label in targets}
                for run in range(WARMUP + repeats):
                    for label, (url, doc, values, extra) in targets.items():
                        started = time.perf_counter()
                        response = await http.post(url, json={"query": doc, "variables": values}, headers=extra)
                        elapsed = time.perf_counter() - started
                        if response.status_code != 200 or response.json().get("errors"):
                            raise PeerError(f"{label} {name}: {response.text[:300]}")
                        if run >= WARMUP:
                            samples[label].append(elapsed)
                measured: Json = {label: stats(values) for label, values in samples.items()}
                best = min(measured["peer_shipped"]["median_ms"], measured["peer_nodelay"]["median_ms"])
                measured["peer_best_over_tracegraph"] = round(best / measured["tracegraph"]["median_ms"], 2)
                results["operations"][name] = measured
                print(
                    f"[peer] {name}: tracegraph {measured['tracegraph']['median_ms']:.1f} ms, "
                    f"peer shipped {measured['peer_shipped']['median_ms']:.1f} ms, "
                    f"peer nodelay {measured['peer_nodelay']['median_ms']:.1f} ms (medians)",
                    flush=True,
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peer")
    parser.add_argument("--size", default="smoke")
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--neo4j-uri", help="bench this (wiped) Neo4j instead of starting one")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    options = parser.parse_args()
    results = asyncio.run(compare(options.size, repeats=options.repeats, neo4j_uri=options.neo4j_uri))
    if options.out:
        options.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
