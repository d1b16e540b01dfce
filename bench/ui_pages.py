"""The web UI's pages on the demo data: GraphQL requests per page, store round trips per request and time to first
render, in headless Chromium against a real uvicorn server with the embedded store.

    python -m bench.ui_pages [--repeat 5] [--screenshot docs/img/timeline.png]

Each page is loaded `repeat` times in a fresh tab: "warm" tabs share one browser context (the hashed assets come from
the browser's cache, as on a second visit), "cold" tabs each get a new context (nothing cached). Time to first
render is the page's `tracegraph:ready` performance mark: from navigation start to the page drawn with its data
(web/src/components/Status.tsx). Medians are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn
from playwright.async_api import Browser, BrowserContext, async_playwright

from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "orgs": "/",
    "overview": "/orgs/cyber-dojo/environments",
    "timeline": "/orgs/cyber-dojo/environments/aws-prod?interval=176..177",
    "timeline (15 newest)": "/orgs/cyber-dojo/environments/aws-prod",
    "snapshot": "/orgs/cyber-dojo/environments/aws-prod/snapshots/179",
    "diff": "/orgs/cyber-dojo/diff?from=aws-beta&to=aws-prod",
    "artifact": "/orgs/cyber-dojo/artifacts/creator/860ad172ace5aee03e6a1e3492a88b3315ecac2a899d4f159f43ca7314290d5a",
    "commit": "/orgs/cyber-dojo/commits/b7a590836cf140e17da3f01eadd5eca17d9efc65",
    "search (candidates)": "/orgs/cyber-dojo/search?q=eedee",
}


@dataclass
class Loads:
    requests: list[int] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)


async def load(context: BrowserContext, url: str, store: GraphStore) -> tuple[int, int, float]:
    """One load in a new tab: GraphQL POSTs, store round trips, ms to the page's ready mark."""
    page = await context.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if urlsplit(r.url).path == "/graphql" else None)
    before = store.round_trips
    await page.goto(url)
    await page.wait_for_selector("main[data-state=ready]", timeout=30_000)
    await page.wait_for_load_state("networkidle")  # a waterfall would show as a second request here
    ready: float = await page.evaluate("performance.getEntriesByName('tracegraph:ready')[0].startTime")
    trips = store.round_trips - before
    await page.close()
    return len(posts), trips, ready


async def signed_in(browser: Browser, secret: str) -> BrowserContext:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    # sessionStorage is per tab: every new tab starts signed in, as a tab opened from a signed-in one does.
    await context.add_init_script(f"sessionStorage.setItem('tracegraph.token', {secret!r})")
    return context


async def measure(repeat: int, screenshot: Path | None) -> dict[str, Loads]:
    with tempfile.TemporaryDirectory() as data:
        app = create_app(Settings(data_dir=Path(data), neo4j_uri=None))
        port = 8700 + os.getpid() % 200
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.05)
        store: GraphStore = app.state.store
        await load_demo(store)
        secret = new_secret()
        await store.create_token(TokenInput(org=DEMO_ORG, role=Role.READER, secret_hash=hash_secret(secret)))
        base = f"http://127.0.0.1:{port}"
        results = {name: Loads() for name in PAGES}
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM)
                warm = await signed_in(browser, secret)
                await load(warm, base + "/", store)  # fills the asset cache
                for name, path in PAGES.items():
                    for _ in range(repeat):
                        requests, trips, ms = await load(warm, base + path, store)
                        results[name].requests.append(requests)
                        results[name].round_trips.append(trips)
                        results[name].warm_ms.append(ms)
                        cold = await signed_in(browser, secret)
                        results[name].cold_ms.append((await load(cold, base + path, store))[2])
                        await cold.close()
                if screenshot is not None:
                    page = await warm.new_page()
                    await page.goto(base + PAGES["timeline"])
                    await page.wait_for_selector("main[data-state=ready]")
                    await page.screenshot(path=str(screenshot), full_page=True)
                await browser.close()
        finally:
            server.should_exit = True
            await task
    return results


def machine() -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {platform.machine()}, {os.cpu_count()} cores, {chromium}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, help="save the timeline page (interval 176..177) here")
    arguments = parser.parse_args()
    results = asyncio.run(measure(arguments.repeat, arguments.screenshot))
    print(f"{machine()}; median of {arguments.repeat} loads\n")
    print("| page | GraphQL requests | store round trips | first render, warm | first render, cold |")
    print("| --- | --- | --- | --- | --- |")
    for name, loads in results.items():
        requests = "/".join(str(value) for value in sorted(set(loads.requests)))
        trips = "/".join(str(value) for value in sorted(set(loads.round_trips)))
        print(
            f"| {name} | {requests} | {trips} | {statistics.median(loads.warm_ms):.0f} ms "
            f"| {statistics.median(loads.cold_ms):.0f} ms |"
        )


if __name__ == "__main__":
    main()
