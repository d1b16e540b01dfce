"""`log environment` (SPEC §2.11): `GET /environments/{org}/{env}/events`, one item per event, newest first.

`per_page` counts snapshots (each with all its events), as the store pages its log; Kosli counts events."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import parse
from tracegraph.graph.model import Role
from tracegraph.graph.rules import utc_now
from tracegraph.graph.selectors import MAX_LOG_REPOS, LogQuery, parse_number
from tracegraph.graph.views import LogPage
from tracegraph.kosli.context import caller
from tracegraph.kosli.endpoint import CompactJSON, endpoint, path_param
from tracegraph.kosli.pages import Paging
from tracegraph.kosli.repos import repository_urls
from tracegraph.kosli.running import provenance_fields
from tracegraph.kosli.snappish import interval
from tracegraph.kosli.times import epoch

_AGO = re.compile(r"^(\d{1,9})\s*(m|min|mins|minute|minutes|h|hour|hours|d|day|days|w|week|weeks)$")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def _bound(text: str, latest: int, field: str) -> int | datetime:
    """`start`/`end`: a positive index, a negative one (-1 = latest), NOW, or a time back from now (`2days`)."""
    value = text.strip()
    if value.upper() == "NOW":
        return latest
    if value.startswith("-") and (number := parse_number(value[1:])) is not None and number >= 1:
        return max(latest + 1 - number, 1)
    if (number := parse_number(value)) is not None and number >= 1:
        return number
    if match := _AGO.match(value.lower()):
        return utc_now() - _UNITS[match.group(2)[0]] * int(match.group(1))
    raise InvalidInput(field, f"must be N, -N, NOW or a time back from now such as 2days or 30mins; got {value[:40]!r}")


def _epoch_param(request: Request, name: str) -> datetime | None:
    text = request.query_params.get(name, "")
    if not text:
        return None
    try:
        return datetime.fromtimestamp(float(text), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(name, f"must be Unix seconds; got {text[:40]!r}") from None


def log_query(request: Request, org: str, environment: str, latest: int, paging: Paging) -> dict[str, Any]:
    query: dict[str, Any] = {"org": org, "environment": environment, "limit": paging.per_page}
    query["oldest_first"] = request.query_params.get("reverse", "false").lower() == "true"
    window = interval(request.query_params.get("interval", ""), latest)
    if window is not None:
        query["min_index"], query["max_index"] = window
    for name, key, time_key in (("start", "min_index", "since"), ("end", "max_index", "until")):
        text = request.query_params.get(name, "")
        if text:
            bound = _bound(text, latest, name)
            query[time_key if isinstance(bound, datetime) else key] = bound
    since, until = _epoch_param(request, "start_ts"), _epoch_param(request, "end_ts")
    if since is not None:
        query["since"] = since
    if until is not None:
        query["until"] = until
    return query


def events(page: LogPage) -> list[dict[str, Any]]:
    items = []
    for entry in page.snapshots:
        for event in entry.events:
            flow = provenance_fields(event.artifacts)["flow_name"]
            numbers = [deployment.number for deployment in event.deployments]
            items.append(
                {
                    "snapshot_index": entry.snapshot.index,
                    "artifact_name": event.name,
                    "sha256": event.fingerprint,
                    "description": event.description,
                    "reported_at": epoch(entry.snapshot.reported_at),
                    "pipeline": flow,
                    "environment_name": page.environment.name,
                    "deployments": numbers,
                    "flows": [{"flow_name": flow, "deployments": numbers}] if flow else [],
                }
            )
    return items


@endpoint
async def log_environment(request: Request) -> Response:
    org, name = path_param(request, "org"), path_param(request, "env")
    store = await caller(request, org, Role.READER)
    repo_urls = repository_urls(request.query_params.getlist("repo_name"))
    if len(repo_urls) > MAX_LOG_REPOS:
        raise InvalidInput("repo_name", f"at most {MAX_LOG_REPOS} repository URLs in all (a name stands for 3)")
    paging = Paging.of(request)
    environment = await store.get_environment(org, name)
    if environment.latest_index == 0:
        return CompactJSON([])
    query = log_query(request, org, name, environment.latest_index, paging)
    query["repo_urls"] = repo_urls
    if query.get("max_index", 1) < query.get("min_index", 1):
        return CompactJSON([])
    page = await store.environment_log(parse(LogQuery, query))
    # Page N: the store pages by keyset, so the pages before it are walked (one call each).
    for _ in range(paging.page - 1):
        if not page.has_more or not page.snapshots:
            return CompactJSON([])
        last = page.snapshots[-1].snapshot.index
        query["after" if query["oldest_first"] else "before"] = last
        page = await store.environment_log(parse(LogQuery, query))
    return CompactJSON(events(page))


ROUTES = [Route("/environments/{org}/{env}/events", log_environment, methods=["GET"])]
