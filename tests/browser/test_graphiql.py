"""GraphiQL in a real browser, offline: headless Chromium (Debian's `chromium` package) driven by Playwright opens
`/graphql` on a real uvicorn server, runs a query and sees the answer — with every request leaving 127.0.0.1
refused, so a CDN dependency would fail the test.

Needs `/usr/bin/chromium` (install with `apt-get install -y chromium`) and the GraphiQL bundle (`npm ci && npm run
build`, or any `pip install` of the package with npm present). Either missing fails the test with that message.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, Request, Response, Route, async_playwright

from tracegraph.app import GRAPHIQL_BUNDLE, create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.inputs import OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
QUERY = "{ orgs { name public } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest_asyncio.fixture(loop_scope="session")
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, GraphStore]]:
    """The app on a real uvicorn server with its own embedded store, answering on 127.0.0.1."""
    port = free_port()
    app = create_app(Settings(data_dir=tmp_path / "data", neo4j_uri=None))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    task = asyncio.create_task(running.serve())
    for _ in range(200):
        if running.started:
            break
        await asyncio.sleep(0.05)
    assert running.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}", app.state.store
    finally:
        running.should_exit = True
        await task


def require_browser_and_bundle() -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium`")
    if not GRAPHIQL_BUNDLE.is_file():
        pytest.fail(f"{GRAPHIQL_BUNDLE} is missing: build GraphiQL with `npm ci && npm run build`")


async def test_graphiql_runs_a_query_offline(server: tuple[str, GraphStore]) -> None:
    require_browser_and_bundle()
    url, store = server
    await store.create_org(OrgInput(name="cyber-dojo", public=True))
    secret = new_secret()
    await store.create_token(TokenInput(org="cyber-dojo", role=Role.READER, secret_hash=hash_secret(secret)))

    refused: list[str] = []
    page_errors: list[str] = []
    local = urlsplit(url).netloc

    async def only_local(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local or request.url.startswith("data:"):
            await route.continue_()
        else:
            refused.append(request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            # Belt and braces: name resolution fails for any host but the loopback, too.
            args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        try:
            # As a user pastes it into GraphiQL's Headers tab: every query carries the token.
            context = await browser.new_context(extra_http_headers={"Authorization": f"Bearer {secret}"})
            await context.route("**/*", only_local)
            page = await context.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            await page.goto(f"{url}/graphql?query={quote(QUERY)}")
            await page.wait_for_selector(".graphiql-container", timeout=30_000)
            await page.click(".graphiql-execute-button")
            response = page.locator(".graphiql-response")
            await response.get_by_text('"cyber-dojo"').wait_for(timeout=30_000)
            text = await response.inner_text()
        finally:
            await browser.close()

    assert '"orgs"' in text
    assert '"public": true' in text
    assert refused == [], f"GraphiQL reached beyond the machine: {refused}"
    assert page_errors == []


async def test_first_load_explores_the_schema_then_runs_the_incident_query(server: tuple[str, GraphStore]) -> None:
    """A new user's first visit: Docs and the explorer work before any token is typed; the token goes into the
    header template and the default tab (the tutorial's Incident query with its variables) answers."""
    require_browser_and_bundle()
    url, store = server
    await load_demo(store)
    secret = new_secret()
    await store.create_token(TokenInput(org=DEMO_ORG, role=Role.READER, secret_hash=hash_secret(secret)))

    statuses: list[int] = []
    page_errors: list[str] = []

    def record(response: Response) -> None:
        if urlsplit(response.url).path == "/graphql" and response.request.method == "POST":
            statuses.append(response.status)

    async with async_playwright() as playwright:
        browser: Browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = await (await browser.new_context()).new_page()  # no token anywhere yet
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("response", record)
            await page.goto(f"{url}/graphql")
            await page.wait_for_selector(".graphiql-container", timeout=30_000)
            query_editor = page.locator(".graphiql-query-editor")
            await query_editor.get_by_text("query Incident").first.wait_for(timeout=30_000)

            await page.click('button[aria-label="Show Documentation Explorer"]')
            docs = page.locator(".graphiql-doc-explorer")
            await docs.get_by_text("Query", exact=True).first.click(timeout=30_000)
            await docs.get_by_text("environment", exact=True).first.wait_for(timeout=30_000)
            docs_text = await docs.inner_text()

            # The explorer plugin (bundled, like GraphiQL) lists the same root fields to tick.
            await page.click('button[aria-label="Show GraphiQL Explorer"]')
            plugin = page.locator(".graphiql-plugin")
            await plugin.get_by_text("environment", exact=True).first.wait_for(timeout=30_000)

            await page.get_by_role("button", name="Headers").click()
            headers = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")
            await headers.get_by_text("Bearer <token>").wait_for(timeout=30_000)
            await headers.click()
            await page.keyboard.press("Control+A")
            await page.keyboard.insert_text(f'{{"Authorization": "Bearer {secret}"}}')

            await page.click(".graphiql-execute-button")
            response = page.locator(".graphiql-response")
            await response.get_by_text('"aws-prod"').first.wait_for(timeout=30_000)
            text = await response.inner_text()
        finally:
            await browser.close()

    assert "Error fetching schema" not in docs_text
    assert "orgs" in docs_text
    assert '"index": 177' in text
    assert '"errors"' not in text
    assert len(statuses) >= 2, statuses  # the tokenless introspection, then the query
    assert all(status == 200 for status in statuses), statuses
    assert page_errors == []
