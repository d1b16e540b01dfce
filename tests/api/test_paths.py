"""A host configured with a trailing slash makes clients send `//path` (the kosli CLI does): it reaches the route."""

from __future__ import annotations

from tests.api.conftest import Api


async def test_repeated_slashes_reach_the_route(api: Api) -> None:
    assert (await api.http.get("http://tracegraph.test//healthz")).json() == {"status": "ok"}
    assert (await api.http.get("http://tracegraph.test//ready")).status_code == 200
    answer = await api.http.post(
        "http://tracegraph.test//graphql", json={"query": "{ orgs { name } }"}, headers=api.headers
    )
    assert answer.status_code == 200
    assert answer.json()["data"]["orgs"] == [{"name": "acme"}]
    assert (await api.http.get("/api/v2//environments/acme", headers=api.headers)).status_code == 200
