"""The web UI's serving: its index page for client-side routes (with a CSP, never cached), hashed assets cached for
good, and the API's own paths never answered with the index page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.api.conftest import make_settings, serve
from tracegraph import app as app_module
from tracegraph.app import UI_BUNDLE, create_app

HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
UI_ROUTES = (
    "/",
    "/orgs/cyber-dojo/environments",
    "/orgs/cyber-dojo/environments/aws-prod?interval=176..177&flow=creator",
    "/orgs/cyber-dojo/environments/aws-prod/snapshots/177",
    "/orgs/cyber-dojo/artifacts/creator/860ad17",
    "/orgs/cyber-dojo/commits/b7a5908",
    "/no/such/page",
)


def require_bundle() -> None:
    if not (UI_BUNDLE / "index.html").is_file():
        pytest.fail(f"{UI_BUNDLE}/index.html is missing: build the UI with `cd web && npm ci && npm run build`")


@pytest_asyncio.fixture(loop_scope="session")
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(make_settings(tmp_path))) as client:
        yield client


@pytest.mark.parametrize("path", UI_ROUTES)
async def test_ui_routes_get_the_index_page(http: httpx.AsyncClient, path: str) -> None:
    require_bundle()
    page = await http.get(path, headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert '<div id="app">' in page.text


async def test_the_index_page_loads_only_local_hashed_assets(http: httpx.AsyncClient) -> None:
    require_bundle()
    page = await http.get("/", headers=HTML)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assets = [source for source in sources if source.startswith("/static/ui/assets/")]
    assert any(source.endswith(".js") for source in assets), sources
    assert all(source.startswith("/static/ui/assets/") or source.startswith("data:") for source in sources), sources
    for source in assets:
        asset = await http.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert re.search(r"-[A-Za-z0-9_-]{8}\.(js|css)$", source), f"{source} has no content hash"
    assert (await http.get("/static/ui/index.html")).headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/environments/cyber-dojo",
        "/metrics",
        "/healthz/x",
        "/graphql/x",
        "/static/ui/assets/none.js",
        "/readyz/x",
    ],
)
async def test_api_paths_are_never_the_index_page(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(path, headers=HTML)
    assert response.status_code in (401, 404), (path, response.status_code)
    assert '<div id="app">' not in response.text


async def test_non_html_requests_to_unknown_paths_are_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/orgs/cyber-dojo/environments", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert (await http.post("/orgs/cyber-dojo/environments", headers=HTML)).status_code == 405


async def test_graphiql_stays_at_graphql(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert '<div id="app">' not in page.text


async def test_missing_bundle_says_how_to_build_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(app_module, "UI_BUNDLE", tmp_path / "absent")
    async with serve(create_app(make_settings(tmp_path))) as client:
        page = await client.get("/orgs/x/environments", headers=HTML)
    assert page.status_code == 200
    assert "The web UI is not built" in page.text
    assert "npm run build" in page.text
