"""GET /graphql from a browser serves our own GraphiQL page and bundle (no CDN), or says how to build it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.api.conftest import Api
from tracegraph import app as app_module


async def test_browsers_get_graphiql_from_this_server(api: Api) -> None:
    page = await api.http.get("/graphql?query=%7B%20orgs%20%7B%20name%20%7D%20%7D", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/graphiql/graphiql.js" in sources
    assert "/static/graphiql/graphiql.css" in sources
    assert all(not source.startswith(("http:", "https:", "//")) for source in sources), sources
    bundle = await api.http.get("/static/graphiql/graphiql.js")
    assert bundle.status_code == 200
    assert "https://unpkg.com" not in bundle.text
    assert "cdn.jsdelivr" not in bundle.text


async def test_queries_still_run_over_get(api: Api) -> None:
    headers = {"accept": "*/*", **api.headers}
    response = await api.http.get("/graphql", params={"query": "{ orgs { name } }"}, headers=headers)
    assert response.json() == {"data": {"orgs": [{"name": "acme"}]}}


async def test_missing_assets_say_how_to_build_them(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(app_module, "GRAPHIQL_BUNDLE", tmp_path / "absent.js")
    page = await api.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL assets are not built" in page.text
    assert "npm ci" in page.text
    assert "npm run build" in page.text
