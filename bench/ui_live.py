"""The web UI's live updates on the demo data: time from a snapshot report to the new snapshot shown in the browser,
on the open timeline (aws-prod, newest first) and the overview, in headless Chromium against a real uvicorn server
with the embedded store.

    python -m bench.ui_live [--repeat 5]

Each round reports a new running set for aws-prod over HTTP (`reportSnapshot`, a writer token) and waits until both
open tabs show its number: the timeline's newest heading and the overview's aws-prod link. *Report → shown* runs
from just before the report's POST to the number on the page: the report's write, the event over the WebSocket,
the page's refresh request and the render. *Answer → shown* starts at the report's answer (the UI's part alone).
Medians are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.async_api import BrowserContext, Page, async_playwright

from bench.ui_pages import CHROMIUM, machine, signed_in
from tracegraph.app import create_app
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.demo import DEMO_ORG, load_demo
from tracegraph.graph.inputs import TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore
from tracegraph.settings import Settings

REPORT = "mutation($input: ReportSnapshotInput!) { reportSnapshot(input: $input) { snapshot { index } } }"
TIMELINE = f"/orgs/{DEMO_ORG}/environments/aws-prod"
OVERVIEW = f"/orgs/{DEMO_ORG}/environments"


async def opened(context: BrowserContext, url: str) -> Page:
    page = await context.new_page()
    await page.goto(url)
    await page.wait_for_selector("main[data-state=ready]", timeout=30_000)
    await page.wait_for_selector("[data-live=live]", timeout=30_000)
    return page


async def shown(timeline: Page, overview: Page, index: int) -> dict[str, float]:
    """perf_counter times at which each tab shows the snapshot."""
    seen: dict[str, float] = {}

    async def wait(name: str, page: Page, selector: str) -> None:
        await page.wait_for_selector(selector, timeout=30_000)
        seen[name] = time.perf_counter()

    await asyncio.gather(
        wait("timeline", timeline, f"ol.timeline > li:first-child h2 >> text=aws-prod#{index}"),
        wait("overview", overview, f"a[aria-label='aws-prod snapshot {index}']"),
    )
    return seen


async def measure(repeat: int) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {
        name: {"report": [], "answer": []} for name in ("timeline", "overview")
    }
    with tempfile.TemporaryDirectory() as data:
        app = create_app(Settings(data_dir=Path(data), neo4j_uri=None))
        port = 8900 + os.getpid() % 200
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.05)
        store: GraphStore = app.state.store
        await load_demo(store)
        reader, writer = new_secret(), new_secret()
        await store.create_token(TokenInput(org=DEMO_ORG, role=Role.READER, secret_hash=hash_secret(reader)))
        await store.create_token(TokenInput(org=DEMO_ORG, role=Role.WRITER, secret_hash=hash_secret(writer)))
        base = f"http://127.0.0.1:{port}"
        try:
            async with async_playwright() as playwright, httpx.AsyncClient(timeout=30) as http:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM)
                context = await signed_in(browser, reader)
                timeline, overview = await opened(context, base + TIMELINE), await opened(context, base + OVERVIEW)
                for round_ in range(repeat):
                    await asyncio.sleep(0.5)  # both tabs idle: no refresh of the previous round in flight
                    artifact = {"fingerprint": f"{round_ + 1:064x}", "name": f"bench/live:{round_}", "instances": 1}
                    variables = {"input": {"org": DEMO_ORG, "environment": "aws-prod", "artifacts": [artifact]}}
                    sent = time.perf_counter()
                    waiting = asyncio.create_task(shown(timeline, overview, 180 + round_))
                    answer = await http.post(
                        f"{base}/graphql",
                        json={"query": REPORT, "variables": variables},
                        headers={"Authorization": f"Bearer {writer}"},
                    )
                    answered = time.perf_counter()
                    assert answer.json()["data"]["reportSnapshot"]["snapshot"]["index"] == 180 + round_
                    seen = await waiting
                    for name, at in seen.items():
                        results[name]["report"].append((at - sent) * 1000)
                        results[name]["answer"].append((at - answered) * 1000)
                await browser.close()
        finally:
            server.should_exit = True
            await task
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    results = asyncio.run(measure(arguments.repeat))
    print(f"{machine()}; median of {arguments.repeat} reports\n")
    print("| page | report → shown | answer → shown | slowest report → shown |")
    print("| --- | --- | --- | --- |")
    for name, times in results.items():
        print(
            f"| {name} | {statistics.median(times['report']):.0f} ms | {statistics.median(times['answer']):.0f} ms "
            f"| {max(times['report']):.0f} ms |"
        )


if __name__ == "__main__":
    main()
