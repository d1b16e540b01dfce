"""The web UI's live updates in a real browser, offline (as tests/browser/test_ui.py): a snapshot reported over HTTP
shows on the open timeline and overview without a reload, one refresh request each; a pinned interval does not
follow; a token revoked while the timeline is open lands on sign-in within the re-check time; a server restart is
bridged by reconnecting and resuming after the last event, or else after the `liveCursor` the page read with its
data, so a snapshot reported while it was down still shows.

The pages run with their Content-Security-Policy (no bypass): the WebSocket must pass `connect-src 'self'`. axe-core
is injected as an init script, which the CSP does not govern.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page

from tests.browser.test_ui import (  # noqa: F401 (browser: the fixture)
    AXE,
    Demo,
    Watch,
    browser,
    free_port,
    open_page,
    ready,
    require_browser_and_bundle,
    screenshot,
    sign_in,
)
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.embedded.store import EmbeddedStore
from tracegraph.graph.inputs import SnapshotInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.settings import Settings

RECHECK_SECONDS = 1.0
TIMELINE = f"/orgs/{DEMO_ORG}/environments/aws-prod"
OVERVIEW = f"/orgs/{DEMO_ORG}/environments"
REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { snapshot { index } } }"


@dataclass
class Server:
    """The demo on a real uvicorn, restartable on the same port (a restart is what a reconnect must bridge)."""

    settings: Settings
    port: int
    task: asyncio.Task[None] | None = None
    running: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> EmbeddedStore:
        app = create_app(self.settings)
        self.running = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )
        self.task = asyncio.create_task(self.running.serve())
        for _ in range(200):
            if self.running.started:
                break
            await asyncio.sleep(0.05)
        assert self.running.started, "uvicorn did not start"
        store: EmbeddedStore = app.state.store
        return store

    async def stop(self) -> None:
        assert self.running is not None
        assert self.task is not None
        self.running.should_exit = True
        await self.task


@dataclass
class LiveDemo(Demo):
    server: Server
    writer: str


@pytest_asyncio.fixture(loop_scope="session")
async def demo(tmp_path: Path) -> AsyncIterator[LiveDemo]:
    """The demo org, a reader and a writer token; tokens checked on every request and every second on a socket."""
    require_browser_and_bundle()
    settings = Settings(
        data_dir=tmp_path / "data",
        neo4j_uri=None,
        token_cache_seconds=0,
        subscription_recheck_seconds=RECHECK_SECONDS,
    )
    server = Server(settings, free_port())
    store = await server.start()
    await load_demo(store)
    reader, writer = new_secret(), new_secret()
    await store.create_token(TokenInput(org=DEMO_ORG, role=Role.READER, secret_hash=hash_secret(reader)))
    await store.create_token(TokenInput(org=DEMO_ORG, role=Role.WRITER, secret_hash=hash_secret(writer)))
    try:
        yield LiveDemo(server.url, store, reader, server, writer)
    finally:
        await server.stop()


async def report(demo: LiveDemo, label: str) -> int:
    """A new running set for aws-prod through the API (one artifact nobody ran before); answers its index."""
    artifact = {"fingerprint": (label.encode().hex() * 64)[:64], "name": f"live/{label}:1", "instances": 1}
    variables = {"input": {"org": DEMO_ORG, "environment": "aws-prod", "artifacts": [artifact]}}
    async with httpx.AsyncClient(timeout=30) as client:
        answer = (
            await client.post(
                f"{demo.url}/graphql",
                json={"query": REPORT, "variables": variables},
                headers={"Authorization": f"Bearer {demo.writer}"},
            )
        ).json()
    assert "errors" not in answer, answer
    index: int = answer["data"]["reportSnapshot"]["snapshot"]["index"]
    return index


async def live_page(context: BrowserContext, demo: Demo, path: str, watch: Watch) -> tuple[Page, list[str]]:
    """Another tab signed in (the token is per tab) on `path`, with its own count of GraphQL POSTs."""
    page = await context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.post_data or "")
            if urlsplit(request.url).path == "/graphql" and request.method == "POST"
            else None
        ),
    )
    await sign_in(page, demo, demo.secret)
    await ready(page)
    await page.goto(f"{demo.url}{path}")
    await ready(page)
    return page, posts


async def is_live(page: Page) -> None:
    await page.wait_for_selector("[data-live=live]", timeout=30_000)


async def axe_violations(page: Page) -> list[str]:
    result = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{item['id']} ({item['impact']}): {[node['target'] for node in item['nodes']]}"
        for item in result["violations"]
        if item["impact"] in ("serious", "critical")
    ]


async def newest_shown(page: Page) -> str:
    return (await page.locator("ol.timeline h2").first.inner_text()).split()[0]


async def test_a_new_snapshot_shows_on_the_timeline_and_the_overview_without_a_reload(
    browser: Browser,  # noqa: F811
    demo: LiveDemo,
) -> None:
    context, _, watch = await open_page(browser, demo)
    await context.add_init_script(path=str(AXE))  # outside the page's CSP, unlike a script tag
    timeline, timeline_posts = await live_page(context, demo, TIMELINE, watch)
    overview, overview_posts = await live_page(context, demo, OVERVIEW, watch)
    pinned, pinned_posts = await live_page(context, demo, f"{TIMELINE}?interval=176..177", watch)
    for page in (timeline, overview):
        await is_live(page)
    assert "Not live" in await pinned.locator(".live").inner_text()
    assert await newest_shown(timeline) == "aws-prod#179"
    before = len(timeline_posts), len(overview_posts), len(pinned_posts)

    index = await report(demo, "a")
    assert index == 180
    await timeline.locator("ol.timeline h2", has_text="aws-prod#180").wait_for(timeout=30_000)
    await overview.get_by_role("link", name="aws-prod snapshot 180").wait_for(timeout=30_000)
    for page in (timeline, overview):
        news = page.locator(".live-news[aria-live=polite]")
        await news.get_by_text("New snapshot aws-prod#180").wait_for(timeout=10_000)
        await ready(page)
    await pinned.wait_for_timeout(500)
    # The refresh is one request per page, caused by the event; the pinned interval asks nothing more.
    after = len(timeline_posts), len(overview_posts), len(pinned_posts)
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 0]
    assert await newest_shown(timeline) == "aws-prod#180"
    assert [await newest_shown(pinned), await pinned.locator("ol.timeline > li").count()] == ["aws-prod#177", 2]
    await screenshot(timeline, "timeline-live")
    found = {"timeline": await axe_violations(timeline), "overview": await axe_violations(overview)}
    await context.close()
    assert {name: items for name, items in found.items() if items} == {}
    assert watch.refused == [], f"the UI reached beyond the machine: {watch.refused}"
    assert watch.errors == []


async def test_a_token_revoked_while_the_timeline_is_open_lands_on_sign_in(
    browser: Browser,  # noqa: F811
    demo: LiveDemo,
) -> None:
    secret = new_secret()
    token = await demo.store.create_token(
        TokenInput(org=DEMO_ORG, role=Role.READER, name="revoked live", secret_hash=hash_secret(secret))
    )
    context, page, watch = await open_page(browser, demo)
    await sign_in(page, demo, secret)
    await ready(page)
    await page.goto(f"{demo.url}{TIMELINE}")
    await ready(page)
    await is_live(page)
    posts = len(watch.posts)
    await demo.store.revoke_token(DEMO_ORG, token.id)
    revoked = time.monotonic()
    alert = page.get_by_role("alert")
    await alert.wait_for(timeout=10_000)
    elapsed = time.monotonic() - revoked
    assert "token was refused" in await alert.inner_text()
    assert await page.get_by_label("API token").is_visible()
    assert await page.evaluate("sessionStorage.getItem('tracegraph.token')") is None
    assert len(watch.posts) == posts  # the socket's close brought the user here, not a request
    # The server re-checks every second (at half-intervals); the rest is the close reaching the page.
    assert elapsed <= RECHECK_SECONDS + 1.5, elapsed
    await context.close()
    assert watch.errors == []


async def test_a_server_restart_is_bridged_and_nothing_is_missed(
    browser: Browser,  # noqa: F811
    demo: LiveDemo,
) -> None:
    context, page, watch = await open_page(browser, demo)
    await sign_in(page, demo, demo.secret)
    await ready(page)
    await page.goto(f"{demo.url}{TIMELINE}")
    await ready(page)
    await is_live(page)
    shown = await newest_shown(page)
    first = await report(demo, "b")  # an event: the page now holds its cursor
    await page.locator("ol.timeline h2", has_text=f"aws-prod#{first}").wait_for(timeout=30_000)
    assert shown != f"aws-prod#{first}"

    await demo.server.stop()
    await page.wait_for_selector("[data-live=reconnecting]", timeout=10_000)
    # Reported while no server runs: only a resumption `after` the last cursor can bring it to the page.
    assert isinstance(demo.store, EmbeddedStore)
    offline = EmbeddedStore(demo.store._database.path)
    await offline.start()
    try:
        missed = await offline.report_snapshot(
            SnapshotInput(org=DEMO_ORG, environment="aws-prod", artifacts=[])  # nothing runs any more
        )
    finally:
        await offline.close()
    assert missed.snapshot.index == first + 1
    demo.store = await demo.server.start()
    await page.locator("ol.timeline h2", has_text=f"aws-prod#{missed.snapshot.index}").wait_for(timeout=30_000)
    await is_live(page)
    await context.close()
    assert watch.errors == []


async def test_a_page_without_events_resumes_from_its_own_query_after_a_restart(
    browser: Browser,  # noqa: F811
    demo: LiveDemo,
) -> None:
    """No event before the outage: the page resumes `after` the `liveCursor` its one query read with its data."""
    context, page, watch = await open_page(browser, demo)
    await sign_in(page, demo, demo.secret)
    await ready(page)
    posts = len(watch.posts)
    await page.goto(f"{demo.url}{TIMELINE}")
    await ready(page)
    await is_live(page)
    assert len(watch.posts) == posts + 1  # the page's one query, which carries the resume point
    assert "liveCursor" in watch.posts[-1]
    shown = await newest_shown(page)

    await demo.server.stop()
    await page.wait_for_selector("[data-live=reconnecting]", timeout=10_000)
    assert isinstance(demo.store, EmbeddedStore)
    offline = EmbeddedStore(demo.store._database.path)
    await offline.start()
    try:
        missed = await offline.report_snapshot(SnapshotInput(org=DEMO_ORG, environment="aws-prod", artifacts=[]))
    finally:
        await offline.close()
    assert shown != f"aws-prod#{missed.snapshot.index}"
    demo.store = await demo.server.start()
    await page.locator("ol.timeline h2", has_text=f"aws-prod#{missed.snapshot.index}").wait_for(timeout=30_000)
    await is_live(page)
    assert await newest_shown(page) == f"aws-prod#{missed.snapshot.index}"
    await context.close()
    assert watch.errors == []
