"""The web UI in a real browser, offline, on the demo data: headless Chromium (Debian's `chromium`) driven by
Playwright against a real uvicorn server with the embedded store, every request leaving 127.0.0.1 refused.

The tutorial end to end (sign in → overview → aws-prod → 176..177 → the artifact that started → its commit, three
clicks from the overview), the diff that shows the rogue miner, wrong and revoked tokens, a hidden org, axe-core on
every page, a screenshot of each page (test-artifacts/ui/, checked non-blank), and one GraphQL request per page.

Needs /usr/bin/chromium, the UI bundle (any `pip install` of the package with npm present) and web/node_modules
(axe-core); any missing fails the test with that message.
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, Request, Route, async_playwright

from tracegraph.app import UI_BUNDLE, create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.inputs import OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "ui"
HIDDEN_ORG = "hidden-org"
INCIDENT_SHA = "b7a590836cf140e17da3f01eadd5eca17d9efc65"
INCIDENT_FINGERPRINT = "860ad172ace5aee03e6a1e3492a88b3315ecac2a899d4f159f43ca7314290d5a"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def require_browser_and_bundle() -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install -y chromium`")
    if not (UI_BUNDLE / "index.html").is_file():
        pytest.fail(f"{UI_BUNDLE}/index.html is missing: build the UI with `cd web && npm ci && npm run build`")
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `cd web && npm ci`")


@dataclass
class Demo:
    url: str
    store: GraphStore
    secret: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Demo]:
    """The demo org on a real uvicorn server; tokens are checked on every request (no cache), so a revocation shows
    at the next page."""
    require_browser_and_bundle()
    settings = Settings(data_dir=tmp_path_factory.mktemp("ui") / "data", neo4j_uri=None, token_cache_seconds=0)
    app = create_app(settings)
    port = free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(running.serve())
    for _ in range(200):
        if running.started:
            break
        await asyncio.sleep(0.05)
    assert running.started, "uvicorn did not start"
    store: GraphStore = app.state.store
    await load_demo(store)
    await store.create_org(OrgInput(name=HIDDEN_ORG, public=False))
    secret = new_secret()
    await store.create_token(TokenInput(org=DEMO_ORG, role=Role.READER, secret_hash=hash_secret(secret)))
    try:
        yield Demo(f"http://127.0.0.1:{port}", store, secret)
    finally:
        running.should_exit = True
        await task


@dataclass
class Watch:
    """What a page did on the network: GraphQL POSTs, requests refused for leaving the machine, script errors."""

    posts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest_asyncio.fixture(loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        )
        try:
            yield launched
        finally:
            await launched.close()


async def open_page(browser: Browser, demo: Demo, *, bypass_csp: bool = False) -> tuple[BrowserContext, Page, Watch]:
    # bypass_csp only where axe-core is injected (an inline script the page's CSP rightly refuses).
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp, timezone_id="UTC", locale="en-GB"
    )
    watch = Watch()
    local = urlsplit(demo.url).netloc

    async def only_local(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local or request.url.startswith("data:"):
            await route.continue_()
        else:
            watch.refused.append(request.url)
            await route.abort("internetdisconnected")

    await context.route("**/*", only_local)
    page = await context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            watch.posts.append(request.post_data or "")
            if urlsplit(request.url).path == "/graphql" and request.method == "POST"
            else None
        ),
    )
    return context, page, watch


async def ready(page: Page) -> None:
    await page.wait_for_selector("main[data-state=ready]", timeout=30_000)
    await page.wait_for_load_state("networkidle")


async def sign_in(page: Page, demo: Demo, secret: str) -> None:
    await page.goto(f"{demo.url}/")
    await page.get_by_label("API token").fill(secret)
    await page.get_by_role("button", name="Sign in").click()


async def one_request(page: Page, watch: Watch, action: Any) -> None:
    """Runs the action that opens a page, then checks the page asked for its data in exactly one request."""
    before = len(watch.posts)
    await action
    await ready(page)
    assert len(watch.posts) - before == 1, watch.posts[before:]


def png_pixels_vary(path: Path) -> bool:
    """Whether a PNG holds more than one colour: its decompressed scanlines (less the filter bytes) vary."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", body[:4])[0]
        if kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    row = 1 + width * 4 if len(raw) % (1 + width * 4) == 0 else 1 + width * 3
    # Filtered scanlines: a blank page compresses to a handful of distinct bytes; a rendered one to many.
    values = {raw[index] for start in range(0, len(raw), row) for index in range(start + 1, min(start + row, len(raw)))}
    return len(values) > 16


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    assert png_pixels_vary(path), f"{path} looks blank"
    return path


async def test_the_incident_from_the_overview_to_the_commit_in_three_clicks(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, demo.secret))  # the org picker's query checks the token
    await screenshot(page, "orgs")
    await one_request(page, watch, page.get_by_role("link", name=DEMO_ORG, exact=True).click())
    await screenshot(page, "overview")
    overview = page.locator("main")
    assert await overview.get_by_role("row", name=re.compile("aws-prod")).count() == 1

    clicks = 0
    await one_request(page, watch, page.get_by_role("link", name="aws-prod", exact=True).click())
    clicks += 1
    # The interval is typed into the filter (not a click); the URL carries it.
    await page.get_by_label("Snapshot interval").fill("176..177")
    await one_request(page, watch, page.get_by_label("Snapshot interval").press("Enter"))
    assert page.url.endswith("/orgs/cyber-dojo/environments/aws-prod?interval=176..177")
    snapshots = page.get_by_role("list", name="Snapshots").locator(":scope > li")
    assert await snapshots.count() == 2
    headings = await page.locator("ol.timeline h2").all_inner_texts()
    assert [text.split()[0] for text in headings] == ["aws-prod#177", "aws-prod#176"]
    await screenshot(page, "timeline")

    started = page.locator("li.event.started", has_text="creator:b7a5908")
    assert "1 instance started running (from 0 to 1)." in await started.inner_text()
    await one_request(page, watch, started.locator("a.artifact-link").click())
    clicks += 1
    main = page.locator("main")
    await main.get_by_role("heading", name="cyberdojo/creator:b7a5908").wait_for()
    facts = await main.locator("dl.facts").inner_text()
    for fact in (INCIDENT_FINGERPRINT, INCIDENT_SHA, "COMPLIANT".lower(), "actions/runs/3001102984"):
        assert fact in facts
    history = await main.locator("ol.history").inner_text()
    assert "Started running in aws-prod#176 environment" in history
    await screenshot(page, "artifact")

    await one_request(page, watch, main.locator("a.commit-link").click())
    clicks += 1
    await main.get_by_role("heading", level=1, name="Simplify the respond_to helper").wait_for()
    assert await main.locator("dd.author").inner_text() == "Jon Jagger"
    assert page.url.endswith(f"/orgs/cyber-dojo/commits/{INCIDENT_SHA}")
    placements = await main.inner_text()
    assert "aws-prod" in placements
    assert "built from this commit" in placements
    await screenshot(page, "commit")
    await context.close()

    assert clicks == 3
    assert watch.refused == [], f"the UI reached beyond the machine: {watch.refused}"
    assert watch.errors == []


async def test_a_diff_of_beta_against_prod_shows_the_rogue_miner(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, demo.secret))
    await one_request(page, watch, page.goto(f"{demo.url}/orgs/cyber-dojo/environments/aws-prod/snapshots/179"))
    await screenshot(page, "snapshot")
    running = page.locator("main table tbody tr")
    assert await running.count() == 10
    await page.get_by_label("Diff with the latest of").select_option("aws-beta")
    await one_request(page, watch, page.get_by_role("button", name="Diff", exact=True).click())
    only_in_beta = page.get_by_role("region", name=re.compile(r"^Only in aws-beta#200"))
    miner = only_in_beta.locator("li", has_text="xmrig/xmrig:latest")
    assert await miner.count() == 1
    assert "no provenance" in await miner.inner_text()
    assert "xmrig" not in await page.get_by_role("region", name=re.compile(r"^Only in aws-prod#179")).inner_text()
    await screenshot(page, "diff")
    await context.close()
    assert watch.refused == []
    assert watch.errors == []


async def test_search_jumps_to_one_match_and_lists_the_others(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, demo.secret))
    await one_request(page, watch, page.goto(f"{demo.url}/orgs/cyber-dojo/environments"))
    search = page.get_by_role("searchbox", name="Search a commit sha or fingerprint prefix")
    await search.fill("b7a5908")
    await search.press("Enter")
    await page.get_by_role("heading", level=1, name="Simplify the respond_to helper").wait_for()
    await ready(page)
    await search.fill("eedee")  # the rogue miner's fingerprint: no build to jump to, so it is listed with its places
    await search.press("Enter")
    await page.get_by_role("heading", level=1, name="Matches for eedee").wait_for()
    await ready(page)
    text = await page.locator("main").inner_text()
    assert "eedeee368281afa6485bfa2ef2401ee55b0b01c3714bb6d09bfbda69fea9434e" in text
    assert "Runs in aws-beta#200" in text
    await screenshot(page, "search")
    await context.close()
    assert watch.errors == []


async def test_a_wrong_token_lands_on_sign_in_with_a_clear_message(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await sign_in(page, demo, "not-a-token")
    alert = page.get_by_role("alert")
    await alert.wait_for(timeout=30_000)
    assert "token was refused" in await alert.inner_text()
    assert await page.get_by_label("API token").is_visible()
    assert await page.evaluate("sessionStorage.getItem('tracegraph.token')") is None
    await screenshot(page, "sign-in-refused")
    await context.close()
    assert watch.errors == []


async def test_a_token_revoked_mid_session_lands_on_sign_in(browser: Browser, demo: Demo) -> None:
    secret = new_secret()
    token = await demo.store.create_token(
        TokenInput(org=DEMO_ORG, role=Role.READER, name="revoked in the test", secret_hash=hash_secret(secret))
    )
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, secret))
    await one_request(page, watch, page.get_by_role("link", name=DEMO_ORG, exact=True).click())
    await demo.store.revoke_token(DEMO_ORG, token.id)
    await page.get_by_role("link", name="aws-prod", exact=True).click()
    alert = page.get_by_role("alert")
    await alert.wait_for(timeout=30_000)
    assert "token was refused" in await alert.inner_text()
    assert await page.get_by_label("API token").is_visible()
    assert await page.evaluate("sessionStorage.getItem('tracegraph.token')") is None
    assert secret not in page.url
    await context.close()


async def test_a_hidden_org_looks_exactly_like_a_missing_one(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, demo.secret))
    assert await page.get_by_role("link", name=HIDDEN_ORG).count() == 0  # not offered in the picker
    texts = []
    for org in (HIDDEN_ORG, "no-such-org"):
        before = len(watch.posts)
        await page.goto(f"{demo.url}/orgs/{org}/environments")
        await page.get_by_role("heading", level=1, name="Not found").wait_for(timeout=30_000)
        assert len(watch.posts) - before == 1
        texts.append((await page.locator("main").inner_text()).replace(org, "ORG"))
    await screenshot(page, "not-found")
    await context.close()
    assert texts[0] == texts[1]
    assert "ORG" in texts[0]


PAGES = {
    "orgs": "/",
    "overview": "/orgs/cyber-dojo/environments",
    "timeline": "/orgs/cyber-dojo/environments/aws-prod?interval=176..177",
    "snapshot": "/orgs/cyber-dojo/environments/aws-prod/snapshots/179",
    "diff": "/orgs/cyber-dojo/diff?from=aws-beta&to=aws-prod",
    "artifact": f"/orgs/cyber-dojo/artifacts/creator/{INCIDENT_FINGERPRINT}",
    "commit": f"/orgs/cyber-dojo/commits/{INCIDENT_SHA}",
    "search": "/orgs/cyber-dojo/search?q=eedee",
}


async def axe_violations(page: Page) -> list[str]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{item['id']} ({item['impact']}): {[node['target'] for node in item['nodes']]}"
        for item in result["violations"]
        if item["impact"] in ("serious", "critical")
    ]


async def test_every_page_is_accessible_and_asks_once(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo, bypass_csp=True)
    await page.goto(f"{demo.url}/")
    await ready(page)
    found = {"sign-in": await axe_violations(page)}
    await one_request(page, watch, sign_in(page, demo, demo.secret))
    for name, path in PAGES.items():
        await one_request(page, watch, page.goto(f"{demo.url}{path}"))  # a fresh load: one request, no waterfall
        found[name] = await axe_violations(page)
    await context.close()
    assert {name: items for name, items in found.items() if items} == {}
    assert watch.errors == []


async def test_the_log_pages_back_and_forth_and_filters_by_flow(browser: Browser, demo: Demo) -> None:
    context, page, watch = await open_page(browser, demo)
    await one_request(page, watch, sign_in(page, demo, demo.secret))
    await one_request(page, watch, page.goto(f"{demo.url}/orgs/cyber-dojo/environments/aws-prod"))

    async def shown() -> list[str]:
        return [text.split()[0] for text in await page.locator("ol.timeline h2").all_inner_texts()]

    newest = await shown()
    assert newest[0] == "aws-prod#179"
    assert len(newest) == 15
    await one_request(page, watch, page.get_by_role("link", name="Older snapshots").click())
    assert (await shown())[0] == "aws-prod#164"
    await one_request(page, watch, page.get_by_role("link", name="Newer snapshots").click())
    assert await shown() == newest
    await page.get_by_label("Flow").fill("creator")
    await one_request(page, watch, page.get_by_label("Flow").press("Enter"))
    assert "flow=creator" in page.url
    flows = await page.locator("ol.timeline dl").all_inner_texts()
    assert flows
    assert all("creator" in text for text in flows)

    # A time range (the reader's time zone: UTC here) around the incident: #176 at 14:52:28, #177 at 14:53:28.
    await page.goto(f"{demo.url}/orgs/cyber-dojo/environments/aws-prod")
    await ready(page)
    await page.get_by_label("From").fill("2022-09-06T14:52:00")
    await page.get_by_label("Until").fill("2022-09-06T14:54:00")
    await one_request(page, watch, page.get_by_role("button", name="Show").click())
    assert "since=2022-09-06T14%3A52" in page.url
    assert await shown() == ["aws-prod#177", "aws-prod#176"]
    await context.close()
    assert watch.errors == []
