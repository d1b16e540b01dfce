"""Read transaction functions of the Neo4j store. Each public function runs inside one `execute_read` (one round
trip as the store counts them), issuing a fixed number of statements whatever the size of the answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from tracegraph.errors import InvalidInput, TracegraphError
from tracegraph.graph import assembly, instances, not_found, prefixes, selectors, trails
from tracegraph.graph.ancestry import AncestryIndex, Candidate, CommitEdges, CommitGraph
from tracegraph.graph.model import Artifact, Attestation, Commit, Deployment, Environment, Flow, Org, Snapshot, Trail
from tracegraph.graph.neo4j import cypher, records
from tracegraph.graph.neo4j.transaction import Row, Tx, existing, fetch
from tracegraph.graph.policies import policy_compliance
from tracegraph.graph.rules import MAX_SEARCH_MATCHES
from tracegraph.graph.selectors import LogQuery, SelectorKind, SnapshotSelector
from tracegraph.graph.views import (
    ArtifactDetail,
    CommitPlacements,
    DiffSide,
    DigestMatch,
    EnvironmentVersions,
    Event,
    LogPage,
    Placement,
    Provenance,
    RunningArtifact,
    SearchResult,
    SnapshotDetail,
    SnapshotDiff,
    SnapshotEvents,
    SnapshotSummary,
    TrailDetail,
)
from tracegraph.graph.windows import WHOLE_SNAPSHOT, SnapshotParts
from tracegraph.ingest.running_set import EventShape, OpenRun, events_at

_NO_LIMIT = 2**62
_EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
# Directed reads of "where is this commit running" before reading every candidate: each retry follows commits
# written meanwhile, so more than a couple means writes keep coming and the whole read is the surer one.
DIRECTED_ATTEMPTS = 2

# --- topology -----------------------------------------------------------------------------------------------------


async def environment(tx: Tx, org: str, name: str) -> Environment:
    rows = await fetch(tx, cypher.GET_ENVIRONMENT, org=org, name=name)
    if not rows:
        (await existing(tx, org, environment=name)).require_environment()
    return records.environment(rows[0]["environment"])


async def get_org(tx: Tx, name: str) -> Org:
    rows = await fetch(tx, cypher.GET_ORG, name=name)
    if not rows:
        raise not_found.org(name)
    return records.org(rows[0]["org"])


async def list_orgs(tx: Tx) -> list[Org]:
    return [records.org(row["org"]) for row in await fetch(tx, cypher.LIST_ORGS)]


async def get_flow(tx: Tx, org: str, name: str) -> Flow:
    rows = await fetch(tx, cypher.GET_FLOW, org=org, name=name)
    if not rows:
        (await existing(tx, org, flow=name)).require_flow()
    return records.flow(rows[0]["flow"])


async def list_flows(tx: Tx, org: str) -> list[Flow]:
    (await existing(tx, org)).require_org()
    return [records.flow(row["flow"]) for row in await fetch(tx, cypher.LIST_FLOWS, org=org)]


async def list_environments(tx: Tx, org: str) -> list[Environment]:
    (await existing(tx, org)).require_org()
    return [records.environment(row["environment"]) for row in await fetch(tx, cypher.LIST_ENVIRONMENTS, org=org)]


# --- provenance ---------------------------------------------------------------------------------------------------


def _by_fingerprint(rows: Iterable[Row]) -> dict[str, tuple[Provenance, ...]]:
    found: dict[str, list[Provenance]] = defaultdict(list)
    for row in rows:
        item = records.provenance(row)
        found[item.artifact.fingerprint].append(item)
    return {
        fingerprint: tuple(sorted(items, key=lambda item: item.artifact.flow)) for fingerprint, items in found.items()
    }


def _deployments_by_fingerprint(rows: Iterable[Row]) -> dict[str, tuple[Deployment, ...]]:
    found: dict[str, list[Deployment]] = defaultdict(list)
    for row in rows:
        item = records.deployment(row)
        found[item.fingerprint].append(item)
    return {
        fingerprint: tuple(sorted(items, key=lambda item: (item.flow, item.number)))
        for fingerprint, items in found.items()
    }


async def provenance(tx: Tx, org: str, fingerprints: Iterable[str]) -> dict[str, tuple[Provenance, ...]]:
    """Every artifact of each fingerprint (ordered by flow), with its commit when that was reported."""
    wanted = sorted(set(fingerprints))
    if not wanted:
        return {}
    rows = await fetch(tx, cypher.PROVENANCE, org=org, fingerprints=wanted)
    return _by_fingerprint(rows[0]["provenance"])


async def provenance_and_deployments(
    tx: Tx, env: Environment, fingerprints: Iterable[str], deployed: Iterable[str]
) -> tuple[dict[str, tuple[Provenance, ...]], dict[str, tuple[Deployment, ...]]]:
    """Provenance of `fingerprints`, and the deployments of `deployed` to the environment (by flow, number)."""
    wanted, deployed_wanted = sorted(set(fingerprints)), sorted(set(deployed))
    if not wanted and not deployed_wanted:
        return {}, {}
    rows = await fetch(
        tx,
        cypher.PROVENANCE_AND_DEPLOYMENTS,
        org=env.org,
        environment=env.name,
        fingerprints=wanted,
        deployed=deployed_wanted,
    )
    return _by_fingerprint(rows[0]["provenance"]), _deployments_by_fingerprint(rows[0]["deployments"])


async def artifacts_by_key(tx: Tx, org: str, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Provenance]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = await fetch(tx, cypher.ARTIFACTS_BY_KEY, org=org, keys=[list(key) for key in wanted])
    found = (records.provenance(row) for row in rows)
    return {(item.artifact.flow, item.artifact.fingerprint): item for item in found}


async def commits(tx: Tx, org: str, shas: Iterable[str]) -> dict[str, Commit]:
    """Reported commits by sha, with their parents in order."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = await fetch(tx, cypher.COMMITS, org=org, shas=wanted)
    return {row["commit"]["sha"]: records.commit(row["commit"], row["parents"]) for row in rows}


# --- snapshots ----------------------------------------------------------------------------------------------------


async def snapshot_row(tx: Tx, env: Environment, index: int) -> Snapshot:
    rows = await fetch(tx, cypher.SNAPSHOT_BY_INDEX, org=env.org, environment=env.name, index=index)
    if not rows:
        raise not_found.snapshot(env.name, index, env.latest_index)
    return records.snapshot(rows[0]["snapshot"])


async def resolve_index(tx: Tx, env: Environment, selector: SnapshotSelector) -> int:
    found_at = None
    if selector.kind is SelectorKind.AT_TIME and selector.at is not None and env.latest_index:
        rows = await fetch(tx, cypher.SNAPSHOT_AT_TIME, org=env.org, environment=env.name, at=selector.at)
        found_at = int(rows[0]["index"]) if rows and rows[0]["index"] is not None else None
    return selectors.resolve_index(env, selector, found_at)


async def event_shapes(tx: Tx, env: Environment, indexes: Iterable[int]) -> dict[int, list[EventShape]]:
    """What changed at each snapshot index, read from the Runs that open or close there."""
    wanted = sorted(set(indexes))
    if not wanted:
        return {}
    rows = await fetch(tx, cypher.RUNS_CHANGING_AT, org=env.org, environment=env.name, indexes=wanted)
    return shapes_at(rows[0]["runs"], wanted)


def shapes_at(runs: Iterable[Row], indexes: Iterable[int]) -> dict[int, list[EventShape]]:
    wanted = set(indexes)
    opened: dict[int, dict[str, OpenRun]] = defaultdict(dict)
    closed: dict[int, dict[str, OpenRun]] = defaultdict(dict)
    for run in runs:
        shape = records.open_run(run)
        if run["from_index"] in wanted:
            opened[run["from_index"]][shape.fingerprint] = shape
        if run.get("to_index") is not None and run["to_index"] in wanted:
            closed[run["to_index"]][shape.fingerprint] = shape
    return {index: events_at(opened[index].values(), closed[index].values()) for index in wanted}


async def events(
    tx: Tx,
    env: Environment,
    indexes: Sequence[int],
    flow: str | None = None,
    repo_urls: Sequence[str] = (),
    *,
    with_provenance: bool = True,
    with_deployments: bool = True,
) -> dict[int, tuple[Event, ...]]:
    """The events of each snapshot index (only those touching `flow`'s artifacts and `repo_urls` when given)."""
    shapes = await event_shapes(tx, env, indexes)
    fingerprints = {shape.fingerprint for found in shapes.values() for shape in found}
    known, deployed = await provenance_and_deployments(
        tx,
        env,
        fingerprints if with_provenance or flow or repo_urls else (),
        fingerprints if with_deployments else (),
    )
    return {index: assembly.events(shapes.get(index, []), known, deployed, flow, repo_urls) for index in indexes}


def _nearer_end(env: Environment, index: int, latest: str, recent: str, early: str) -> str:
    """Which way to read the running set of snapshot `index`: the open Runs for the latest, else from the nearer
    end of the history."""
    if index == env.latest_index:
        return latest
    return recent if index * 2 >= env.latest_index else early


async def running_runs(tx: Tx, env: Environment, index: int) -> list[Row]:
    statement = _nearer_end(env, index, cypher.RUNNING_LATEST, cypher.RUNNING_AT_RECENT, cypher.RUNNING_AT_EARLY)
    rows = await fetch(tx, statement, org=env.org, environment=env.name, index=index)
    runs: list[Row] = rows[0]["runs"]
    return runs


def running_set(runs: Iterable[Row], known: dict[str, tuple[Provenance, ...]]) -> tuple[RunningArtifact, ...]:
    """A running set ordered by observed name, then fingerprint."""
    items = [
        RunningArtifact(
            fingerprint=run["fingerprint"],
            name=run["name"],
            instances=int(run["instances"]),
            since_index=int(run["from_index"]),
            since=records.to_datetime(run["started_at"]),
            artifacts=known.get(run["fingerprint"], ()),
        )
        for run in runs
    ]
    return tuple(sorted(items, key=lambda item: (item.name, item.fingerprint)))


async def snapshot_detail(
    tx: Tx, org: str, environment_name: str, selector: SnapshotSelector, parts: SnapshotParts = WHOLE_SNAPSHOT
) -> SnapshotDetail:
    env = await environment(tx, org, environment_name)
    index = await resolve_index(tx, env, selector)
    statement = _nearer_end(
        env, index, cypher.SNAPSHOT_VIEW_LATEST, cypher.SNAPSHOT_VIEW_RECENT, cypher.SNAPSHOT_VIEW_EARLY
    )
    view = (await fetch(tx, statement, org=org, environment=env.name, index=index))[0]
    if view["snapshot"] is None:
        raise not_found.snapshot(env.name, index, env.latest_index)
    shapes = shapes_at(view["changing"], [index])[index]
    # No index orders Runs by name, so the set's keys are read and windowed here; only the window's items get
    # provenance, deployments and models.
    runs = sorted(
        (run["name"], run["fingerprint"], int(run["instances"]), int(run["from_index"]), run["started_at"])
        for run in view["runs"]
    )
    window = parts.running.take(runs, lambda run: (run[0], run[1])) if parts.running else []
    changes = parts.events.take(shapes, lambda shape: (shape.name, shape.fingerprint)) if parts.events else []
    changed = {shape.fingerprint for shape in changes}
    wanted = (changed | {run[1] for run in window}) if parts.provenance else set()
    known, deployed = await provenance_and_deployments(tx, env, wanted, changed if parts.deployments else ())
    detail = None
    if parts.instances and window:
        keys = [{"fingerprint": run[1], "from_index": run[3]} for run in window]
        rows = await fetch(tx, cypher.INSTANCES_DETAIL, org=org, environment=env.name, runs=keys)
        detail = {row["fingerprint"]: instances.load(row["detail"]) for row in rows}
    elif parts.instances:
        detail = {}
    compliant = None
    if parts.compliance:
        found = await fetch(tx, cypher.NOT_COMPLIANT_COUNT, org=org, fingerprints=[run[1] for run in runs])
        compliant = found[0]["failing"] == 0
        # A snapshot evaluated against policies (neo4j/policies.py) answers by its evaluation.
        evaluated = await fetch(tx, EVALUATED_AT, org=org, environment=env.name, index=index)
        compliant = bool(evaluated[0]["compliant"]) if evaluated else compliant
    return SnapshotDetail(
        environment=env,
        snapshot=records.snapshot(view["snapshot"]),
        parts=parts,
        events=assembly.events(changes, known, deployed),
        events_total=len(shapes),
        running=assembly.running_items(
            ((name, fp, count, since, records.to_datetime(at)) for name, fp, count, since, at in window), known, detail
        ),
        running_total=len(runs),
        compliant=compliant,
    )


async def snapshot_summaries(tx: Tx, org: str, environment_name: str, wanted: Sequence[int]) -> list[SnapshotSummary]:
    env = await environment(tx, org, environment_name)
    found = (await fetch(tx, cypher.SNAPSHOT_SUMMARY_INPUTS, org=org, environment=env.name, indexes=list(wanted)))[0]
    summaries = instances.summaries(
        ((int(index), records.to_datetime(at)) for index, at in found["snapshots"]),
        ((fp, int(first), None if end is None else int(end)) for fp, first, end in found["runs"] or []),
        set(found["failing"] or []),
    )
    rows = await fetch(tx, EVALUATED_IN, org=org, environment=env.name, indexes=[item.index for item in summaries])
    return policy_compliance(summaries, {int(row["index"]): bool(row["compliant"]) for row in rows})


EVALUATED_AT = (
    "MATCH (v:Evaluation {org: $org, environment: $environment, index: $index}) RETURN v.compliant AS compliant"
)
EVALUATED_IN = """
UNWIND $indexes AS index
MATCH (v:Evaluation {org: $org, environment: $environment, index: index})
RETURN index, v.compliant AS compliant
"""


async def environment_log(tx: Tx, query: LogQuery) -> LogPage:
    env = await environment(tx, query.org, query.environment)
    if query.flow is not None:
        (await existing(tx, query.org, flow=query.flow)).require_flow()
    scope = {"org": query.org, "environment": query.environment}
    # Every filter narrows a range of indexes (times included: they never decrease along the index).
    low, high = query.min_index or 1, min(query.max_index or _NO_LIMIT, env.latest_index)
    if query.since is not None or query.until is not None:
        bounds = await fetch(
            tx, cypher.LOG_TIME_BOUNDS, since=query.since or _EARLIEST, until=query.until or _LATEST, **scope
        )
        if bounds:
            low, high = max(low, int(bounds[0]["first"])), min(high, int(bounds[0]["last"]))
        else:
            low, high = 1, 0
    page_low = max(low, (query.after or 0) + 1)
    page_high = min(high, (query.before or _NO_LIMIT) - 1)
    found: list[Snapshot]
    if query.flow is None and not query.repo_urls:
        total = max(0, high - low + 1)
        if page_low > page_high:
            found = []
        else:
            statement = cypher.LOG_PAGE_OLDEST_FIRST if query.oldest_first else cypher.LOG_PAGE_NEWEST_FIRST
            rows = await fetch(tx, statement, low=page_low, high=page_high, limit=query.limit + 1, **scope)
            found = [records.snapshot(row["snapshot"]) for row in rows]
    else:
        if query.repo_urls:
            rows = await fetch(
                tx, cypher.LOG_REPO_INDEXES, flow=query.flow, repo_urls=query.repo_urls, low=low, high=high, **scope
            )
        else:
            rows = await fetch(tx, cypher.LOG_FLOW_INDEXES, flow=query.flow, low=low, high=high, **scope)
        matching = sorted((int(row["index"]) for row in rows), reverse=not query.oldest_first)
        total = len(matching)
        wanted = [index for index in matching if page_low <= index <= page_high][: query.limit + 1]
        rows = await fetch(tx, cypher.SNAPSHOTS_BY_INDEX, indexes=wanted, **scope) if wanted else []
        by_index = {int(row["snapshot"]["index"]): records.snapshot(row["snapshot"]) for row in rows}
        found = [by_index[index] for index in wanted]
    found.sort(key=lambda item: item.index, reverse=not query.oldest_first)
    has_more = len(found) > query.limit
    found = found[: query.limit]
    found_events = await events(
        tx,
        env,
        [item.index for item in found],
        query.flow,
        query.repo_urls,
        with_provenance=query.provenance,
        with_deployments=query.deployments,
    )
    return LogPage(
        environment=env,
        snapshots=tuple(SnapshotEvents(snapshot=item, events=found_events[item.index]) for item in found),
        total=total,
        has_more=has_more,
    )


# --- artifacts ----------------------------------------------------------------------------------------------------


async def placements(tx: Tx, org: str, fingerprints: Iterable[str]) -> dict[str, tuple[Placement, ...]]:
    """Where each fingerprint runs or ran: contiguous Runs in one environment merged (a scale does not break a
    placement), ordered by start time, environment, first index."""
    wanted = sorted(set(fingerprints))
    if not wanted:
        return {}
    rows: list[Row] = (await fetch(tx, cypher.RUNS_OF_FINGERPRINTS, org=org, fingerprints=wanted))[0]["runs"]
    return assembly.placements(
        assembly.RunSpan(
            environment=row["run"]["environment"],
            fingerprint=row["run"]["fingerprint"],
            name=row["run"]["name"],
            instances=int(row["run"]["instances"]),
            from_index=int(row["run"]["from_index"]),
            to_index=row["run"].get("to_index"),
            started_at=records.to_datetime(row["started_at"]),
            stopped_at=records.maybe_datetime(row["stopped_at"]),
        )
        for row in rows
    )


async def artifact_details(tx: Tx, org: str, keys: Sequence[tuple[str, str]]) -> list[ArtifactDetail]:
    """Details of artifacts given as (flow, fingerprint), in the order given."""
    if not keys:
        return []
    found = await artifacts_by_key(tx, org, keys)
    parameters = {"org": org, "keys": [list(key) for key in dict.fromkeys(keys)]}
    deployed: dict[tuple[str, str], list[Deployment]] = defaultdict(list)
    for row in await fetch(tx, cypher.ARTIFACT_DEPLOYMENTS, **parameters):
        deployment = records.deployment(row["deployment"])
        deployed[(deployment.flow, deployment.fingerprint)].append(deployment)
    attested: dict[tuple[str, str | None], list[Attestation]] = defaultdict(list)
    for row in await fetch(tx, cypher.ARTIFACT_ATTESTATIONS, **parameters):
        attestation = records.attestation(row["attestation"])
        attested[(attestation.flow, attestation.fingerprint)].append(attestation)
    where = await placements(tx, org, {fingerprint for _, fingerprint in keys})
    details = []
    for key in keys:
        origin = found[key]
        by_deployment = sorted(deployed[key], key=lambda item: (item.reported_at, item.number))
        by_attestation = sorted(attested[key], key=lambda item: (item.reported_at, item.id))
        details.append(
            ArtifactDetail(
                provenance=origin,
                deployments=tuple(by_deployment),
                attestations=tuple(by_attestation),
                placements=where.get(key[1], ()),
                history=assembly.history(origin, by_deployment, by_attestation, where.get(key[1], ())),
            )
        )
    return details


async def artifact_by_prefix(tx: Tx, org: str, flow: str, prefix: str) -> ArtifactDetail:
    (await existing(tx, org, flow=flow)).require_flow()
    rows = await fetch(tx, cypher.ARTIFACT_PREFIX, org=org, flow=flow, prefix=prefix, limit=prefixes.CANDIDATES + 1)
    fingerprint = prefixes.artifact(flow, prefix, [row["fingerprint"] for row in rows])
    return (await artifact_details(tx, org, [(flow, fingerprint)]))[0]


async def list_artifacts(tx: Tx, org: str, flow: str, limit: int, after: str | None) -> list[Artifact]:
    (await existing(tx, org, flow=flow)).require_flow()
    after_created, after_fingerprint = _LATEST, ""
    if after is not None:
        rows = await fetch(tx, cypher.ARTIFACT_CREATED, org=org, flow=flow, fingerprint=after)
        if not rows:
            raise InvalidInput("after", f"no artifact '{after}' in flow '{flow}' to page after")
        after_created, after_fingerprint = records.to_datetime(rows[0]["created_at"]), after
    rows = await fetch(
        tx,
        cypher.LIST_ARTIFACTS,
        org=org,
        flow=flow,
        after_created=after_created,
        after=after_fingerprint,
        limit=limit,
    )
    found = [records.artifact(row["artifact"], row["compliance"]) for row in rows]
    return sorted(found, key=lambda item: (item.created_at, item.fingerprint), reverse=True)


async def list_artifacts_of_repo(
    tx: Tx, org: str, repo_url: str, limit: int, after: tuple[str, str] | None
) -> list[Artifact]:
    (await existing(tx, org)).require_org()
    after_created, after_flow, after_fingerprint = _LATEST, "", ""
    if after is not None:
        rows = await fetch(tx, cypher.ARTIFACT_CREATED, org=org, flow=after[0], fingerprint=after[1])
        if not rows:
            raise assembly.no_artifact_after(after)
        after_created, (after_flow, after_fingerprint) = records.to_datetime(rows[0]["created_at"]), after
    rows = await fetch(
        tx,
        cypher.LIST_REPO_ARTIFACTS,
        org=org,
        repo_url=repo_url,
        after_created=after_created,
        after_flow=after_flow,
        after=after_fingerprint,
        limit=limit,
    )
    found = [records.artifact(row["artifact"], row["compliance"]) for row in rows]
    return sorted(found, key=lambda item: (item.created_at, item.flow, item.fingerprint), reverse=True)


# --- trails -------------------------------------------------------------------------------------------------------


async def trail_detail(tx: Tx, org: str, flow: str, name: str) -> TrailDetail:
    (await existing(tx, org, flow=flow)).require_flow()
    rows = await fetch(tx, cypher.GET_TRAIL, org=org, flow=flow, name=name)
    if not rows:
        raise not_found.trail(flow, name)
    return (await _trail_details(tx, org, flow, [records.trail(rows[0]["trail"])]))[0]


async def _trail_details(tx: Tx, org: str, flow: str, found: Sequence[Trail]) -> list[TrailDetail]:
    """The details of `found` (trails of one flow) in five statements, whatever their number."""
    names = [item.name for item in found]
    slots: dict[str, dict[str, str | None]] = {name: {} for name in names}
    for row in await fetch(tx, cypher.TRAIL_MEMBERS, org=org, flow=flow, names=names):
        slots[row["trail"]][row["fingerprint"]] = row["slot"]
    keys = sorted({(flow, fingerprint) for members in slots.values() for fingerprint in members})
    members = await artifacts_by_key(tx, org, keys)
    known = {item.commit.sha: item.commit for item in members.values() if item.commit is not None}
    missing = {item.git_commit for item in found if item.git_commit is not None} - known.keys()
    known.update(await commits(tx, org, missing))
    attested: dict[str, list[Attestation]] = {}
    if keys:
        rows = await fetch(tx, cypher.ARTIFACT_ATTESTATIONS, org=org, keys=[list(key) for key in keys])
        for row in rows:
            attestation = records.attestation(row["attestation"])
            attested.setdefault(attestation.fingerprint or "", []).append(attestation)
    own: dict[str | None, list[Attestation]] = {}
    for row in await fetch(tx, cypher.TRAIL_OWN_ATTESTATIONS, org=org, flow=flow, names=names):
        attestation = records.attestation(row["attestation"])
        own.setdefault(attestation.trail, []).append(attestation)
    details = []
    for item in found:
        fingerprints = sorted(slots[item.name])
        details.append(
            trails.detail(
                item,
                [(members[(flow, fp)].artifact, slots[item.name][fp]) for fp in fingerprints if (flow, fp) in members],
                known,
                [attestation for fp in fingerprints for attestation in attested.get(fp, ())],
                own.get(item.name, ()),
            )
        )
    return details


async def trail_details_page(tx: Tx, org: str, flow: str, limit: int, after: str | None) -> list[TrailDetail]:
    """`list_trails` with each trail's detail, in one transaction of a fixed number of statements."""
    return await _trail_details(tx, org, flow, await list_trails(tx, org, flow, limit, after))


async def list_trails(tx: Tx, org: str, flow: str, limit: int, after: str | None) -> list[Trail]:
    (await existing(tx, org, flow=flow)).require_flow()
    after_created, after_name = _LATEST, ""
    if after is not None:
        rows = await fetch(tx, cypher.TRAIL_CREATED, org=org, flow=flow, name=after)
        if not rows:
            raise InvalidInput("after", f"no trail '{after}' in flow '{flow}' to page after")
        after_created, after_name = records.to_datetime(rows[0]["created_at"]), after
    rows = await fetch(
        tx, cypher.LIST_TRAILS, org=org, flow=flow, after_created=after_created, after=after_name, limit=limit
    )
    return [records.trail(row["trail"]) for row in rows]


# --- commits ------------------------------------------------------------------------------------------------------


async def _known_shas(tx: Tx, org: str, prefix: str, limit: int) -> list[str]:
    rows = await fetch(tx, cypher.KNOWN_SHAS, org=org, prefix=prefix, limit=limit)
    return sorted(row["sha"] for row in rows)


async def _commit_models(tx: Tx, org: str, shas: Sequence[str]) -> list[Commit]:
    known = await commits(tx, org, shas)
    return [known.get(sha) or Commit.bare(org, sha) for sha in shas]


async def commit_by_prefix(tx: Tx, org: str, prefix: str) -> Commit:
    (await existing(tx, org)).require_org()
    found = await _known_shas(tx, org, prefix, prefixes.CANDIDATES + 1)
    return (await _commit_models(tx, org, [prefixes.commit(org, prefix, found)]))[0]


async def commits_by_prefix(tx: Tx, org: str, asked: Sequence[str]) -> dict[str, Commit | TracegraphError]:
    """`commit_by_prefix` for many prefixes in three statements, however many there are."""
    (await existing(tx, org)).require_org()
    wanted = list(dict.fromkeys(asked))
    rows = await fetch(tx, cypher.KNOWN_SHAS_OF_PREFIXES, org=org, prefixes=wanted, limit=prefixes.CANDIDATES + 1)
    matches = {row["prefix"]: row["shas"] for row in rows}
    unique = {found[0] for found in matches.values() if len(found) == 1}
    models = {commit.sha: commit for commit in await _commit_models(tx, org, sorted(unique))}
    answer: dict[str, Commit | TracegraphError] = {}
    for prefix in wanted:
        try:
            answer[prefix] = models[prefixes.commit(org, prefix, matches.get(prefix, []))]
        except TracegraphError as error:
            answer[prefix] = error
    return answer


async def artifacts_for_commit(tx: Tx, org: str, prefix: str, flow: str | None) -> list[ArtifactDetail]:
    sha = (await commit_by_prefix(tx, org, prefix)).sha
    if flow is not None:
        (await existing(tx, org, flow=flow)).require_flow()
    rows = await fetch(tx, cypher.COMMIT_ARTIFACTS, org=org, sha=sha, flow=flow)
    rows.sort(key=lambda row: (row["flow"], row["fingerprint"]))
    rows.sort(key=lambda row: records.to_datetime(row["created_at"]), reverse=True)
    return await artifact_details(tx, org, [(row["flow"], row["fingerprint"]) for row in rows])


async def commit_graph(tx: Tx, org: str, index: AncestryIndex, state: Row | None = None) -> CommitGraph:
    """The org's commit graph as of this transaction: the held one, brought up to date with what changed since.
    `state` is the org's epoch and commit sequence when the caller read them already."""
    if state is None:
        found = await fetch(tx, cypher.COMMIT_SEQ, org=org)
        if not found:
            raise not_found.org(org)
        state = found[0]
    epoch, seq = str(state["epoch"]), int(state["seq"])
    since = index.stale_since(org, epoch, seq)
    if since is None:
        return index.current(org)
    found = await (
        fetch(tx, cypher.CHANGED_COMMITS, org=org, since=since) if since else fetch(tx, cypher.ALL_COMMITS, org=org)
    )
    columns = found[0]
    changes = [
        CommitEdges(sha=sha, parents=tuple(parents) if known else None)
        for sha, known, parents in zip(columns["shas"], columns["known"], columns["parents"], strict=True)
    ]
    return index.update(org, epoch, seq, since, changes)


async def commit_placements(
    tx: Tx, org: str, shas: Sequence[str], include_past: bool, index: AncestryIndex
) -> dict[str, CommitPlacements]:
    # The candidates are read directed by the graph held (its walks' commits, in the statement that also says
    # whether that graph is current); when it was not, again by the graph brought up to date. Reading every
    # candidate (no graph held yet, too many commits to name, or the sequence moving on under concurrent writes)
    # suits any graph.
    held = index.held(org)
    for attempt in range(DIRECTED_ATTEMPTS + 1):
        walks = held.walks(shas) if held is not None and attempt < DIRECTED_ATTEMPTS else None
        if walks is None or walks.commits is None:
            statement = cypher.PLACED_PLACEMENT_INPUTS if include_past else cypher.RUNNING_PLACEMENT_INPUTS
            found = await fetch(tx, statement, org=org)
        else:
            statement = cypher.PLACED_PLACEMENT_INPUTS_OF if include_past else cypher.RUNNING_PLACEMENT_INPUTS_OF
            found = await fetch(tx, statement, org=org, shas=list(walks.commits))
        if not found:
            raise not_found.org(org)
        inputs = found[0]
        graph = await commit_graph(tx, org, index, inputs)
        if walks is None or walks.commits is None or graph is held:
            break
        held = graph
    if walks is None or walks.graph is not graph:
        walks = graph.walks(shas)
    latest = {name: int(number) for name, number in inputs["latest"]}
    reached = walks.built_after(
        Candidate(flow=flow, fingerprint=fp, commit=commit) for flow, fp, commit in inputs["candidates"]
    )
    keys = {key for built, _ in reached.values() for key in built}
    where = await placements(tx, org, {fingerprint for _, fingerprint in keys})
    origins = await artifacts_by_key(tx, org, keys)
    return {
        sha: CommitPlacements(
            placements=tuple(assembly.commit_placements(built, where, origins, latest, include_past=include_past)),
            undecided=undecided,
        )
        for sha, (built, undecided) in reached.items()
    }


async def commits_with_history(tx: Tx, org: str, shas: Sequence[str], index: AncestryIndex) -> set[str]:
    graph = await commit_graph(tx, org, index)
    return {sha for sha in shas if graph.history_complete(sha)}


async def search(tx: Tx, org: str, prefix: str) -> SearchResult:
    (await existing(tx, org)).require_org()
    shas = await _known_shas(tx, org, prefix, MAX_SEARCH_MATCHES)
    rows = await fetch(tx, cypher.DIGEST_PREFIX, org=org, prefix=prefix, limit=MAX_SEARCH_MATCHES)
    fingerprints = sorted(row["fingerprint"] for row in rows)
    known = await provenance(tx, org, fingerprints)
    where = await placements(tx, org, fingerprints)
    return SearchResult(
        prefix=prefix,
        commits=tuple(await _commit_models(tx, org, shas)),
        fingerprints=tuple(
            DigestMatch(
                fingerprint=fingerprint, artifacts=known.get(fingerprint, ()), placements=where.get(fingerprint, ())
            )
            for fingerprint in fingerprints
        ),
    )


# --- comparisons --------------------------------------------------------------------------------------------------


async def _side(tx: Tx, org: str, side: tuple[str, SnapshotSelector]) -> tuple[DiffSide, list[Row]]:
    """One side of a diff and its running Runs (none when a never reported environment is asked for latest)."""
    env = await environment(tx, org, side[0])
    if selectors.nothing_reported(env, side[1]):
        return DiffSide(environment=env.name, snapshot=None), []
    index = await resolve_index(tx, env, side[1])
    found = await snapshot_row(tx, env, index)
    return DiffSide(environment=env.name, snapshot=found), await running_runs(tx, env, index)


async def diff(
    tx: Tx,
    org: str,
    source: tuple[str, SnapshotSelector],
    target: tuple[str, SnapshotSelector],
    with_provenance: bool = True,
) -> SnapshotDiff:
    source_side, source_runs = await _side(tx, org, source)
    target_side, target_runs = await _side(tx, org, target)
    fingerprints = (run["fingerprint"] for run in source_runs + target_runs) if with_provenance else ()
    known = await provenance(tx, org, fingerprints)
    before, after = running_set(source_runs, known), running_set(target_runs, known)
    return assembly.diff(source_side, before, target_side, after)


async def versions(tx: Tx, org: str, flow: str | None, name: str | None) -> list[EnvironmentVersions]:
    found = await existing(tx, org, flow=flow)
    if flow is None:
        found.require_org()
    else:
        found.require_flow()
    rows = await fetch(tx, cypher.LATEST_SNAPSHOTS, org=org)
    envs = [(records.environment(row["environment"]), row["snapshot"]) for row in rows]
    reported = [env.name for env, _ in envs if env.latest_index > 0]
    runs: dict[str, list[Row]] = defaultdict(list)
    if reported:
        for run in (await fetch(tx, cypher.OPEN_RUNS_OF_ORG, org=org, environments=reported))[0]["runs"]:
            runs[run["environment"]].append(run)
    known = await provenance(tx, org, (run["fingerprint"] for found in runs.values() for run in found))
    answer = []
    for env, latest in sorted(envs, key=lambda pair: pair[0].name):
        if env.latest_index == 0 or latest is None:
            answer.append(EnvironmentVersions(environment=env, snapshot=None, running=()))
            continue
        matching = tuple(item for item in running_set(runs[env.name], known) if assembly.matches(item, flow, name))
        answer.append(EnvironmentVersions(environment=env, snapshot=records.snapshot(latest), running=matching))
    return answer
