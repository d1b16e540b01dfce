"""GraphiQL's WebSocket in a real browser, offline: the bundled page runs `subscription { snapshotReported }` with
the token typed into its Headers tab (sent as the connection_init payload), a snapshot is reported over HTTP, and
the event appears in the response pane. Needs what tests/browser/test_graphiql.py needs."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import httpx
from playwright.async_api import Request, Route, async_playwright

from tests.browser.test_graphiql import CHROMIUM, require_browser_and_bundle, server  # noqa: F401 (the fixture)
from tracegraph.auth.tokens import hash_secret, new_secret
from tracegraph.graph.inputs import EnvironmentInput, EnvironmentType, OrgInput, TokenInput
from tracegraph.graph.model import Role
from tracegraph.graph.store import GraphStore

SUBSCRIPTION = 'subscription Live { snapshotReported(org: "acme", environment: "prod") { cursor snapshot { index } } }'
REPORT = """mutation { reportSnapshot(input: {org: "acme", environment: "prod",
  artifacts: [{fingerprint: "%s", name: "shop:1"}]}) { snapshot { index } } }"""


async def test_graphiql_shows_a_subscription_event(server: tuple[str, GraphStore]) -> None:  # noqa: F811
    require_browser_and_bundle()
    url, store = server
    await store.create_org(OrgInput(name="acme"))
    await store.create_environment(EnvironmentInput(org="acme", name="prod", type=EnvironmentType.K8S))
    reader, writer = new_secret(), new_secret()
    await store.create_token(TokenInput(org="acme", role=Role.READER, secret_hash=hash_secret(reader)))
    await store.create_token(TokenInput(org="acme", role=Role.WRITER, secret_hash=hash_secret(writer)))

    refused: list[str] = []
    page_errors: list[str] = []
    sockets: list[str] = []
    local = urlsplit(url).netloc

    async def only_local(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local or request.url.startswith("data:"):
            await route.continue_()
        else:
            refused.append(request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        )
        try:
            context = await browser.new_context()
            await context.route("**/*", only_local)
            page = await context.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.on("websocket", lambda socket: sockets.append(socket.url))
            await page.goto(f"{url}/graphql?query={quote(SUBSCRIPTION)}")
            await page.wait_for_selector(".graphiql-container", timeout=30_000)

            await page.get_by_role("button", name="Headers").click()
            headers = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")
            await headers.get_by_text("Bearer <token>").wait_for(timeout=30_000)
            await headers.click()
            await page.keyboard.press("Control+A")
            await page.keyboard.insert_text(f'{{"Authorization": "Bearer {reader}"}}')

            await page.click(".graphiql-execute-button")
            for _ in range(100):  # the subscription is open once the socket is
                if sockets:
                    break
                await page.wait_for_timeout(100)
            await page.wait_for_timeout(500)
            async with httpx.AsyncClient() as client:
                answer = await client.post(
                    f"{url}/graphql",
                    json={"query": REPORT % ("a" * 64)},
                    headers={"Authorization": f"Bearer {writer}"},
                    timeout=30,
                )
            assert "errors" not in answer.json(), answer.json()
            response = page.locator(".graphiql-response")
            await response.get_by_text('"index": 1').wait_for(timeout=30_000)
            text = await response.inner_text()
        finally:
            await browser.close()

    assert '"snapshotReported"' in text
    assert sockets == [url.replace("http://", "ws://") + "/graphql"]
    assert refused == [], f"GraphiQL reached beyond the machine: {refused}"
    assert page_errors == []
