"""Live updates in Chromium: a change made through the API shows on an open dashboard
without a reload, from the same web process and from another one.

Two processes share changes through Redis. In the PostgreSQL + Redis pass they run on the
suite's database beside `web_server` (all three use the same Redis, so they are one
deployment). In the SQLite pass they get a SQLite file of their own and the test Redis
(TEST_REDIS_URL): `web_server` there keeps an in-process cache, and a relay that cannot
share a lock must not read the same activity log.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from playwright.async_api import expect

from tests import settings
from tests.browser.conftest import (
    Account,
    WebServer,
    _free_port,
    _server_env,
    running_server,
    sign_in,
)

CHANGE_SEEN_MS = 5_000
LIVE = '[data-live-status="live"]'
COMPLETED = '[data-stat="completed"]'
RESYNCED = """() => {
    window.resynced = false;
    window.TeamFlowLive.onChange((event) => {
        if (event.kind === "resync") window.resynced = true;
    });
}"""
HEARD = """(key) => {
    window.heard = null;
    const stop = window.TeamFlowLive.onChange((event) => {
        if (event.task_key === key && event.kind === "task.completed") {
            window.heard = event;
            stop();
        }
    });
}"""


async def _seed(server: WebServer) -> tuple[Account, list[str]]:
    """An owner with three open tasks in WEB and one done."""
    owner = await server.register(name="Olive")
    await server.project(owner, key="WEB", name="Website")
    keys = [(await server.task(owner, project="WEB", title=f"Task {n}"))["key"] for n in range(4)]
    await server.set_status(owner, keys[0], "done")
    return owner, keys[1:]


async def _open_dashboard(page, server: WebServer, owner: Account) -> int:
    """Sign in, wait for the live feed, mark the page so a reload would show; the count."""
    await sign_in(page, server, owner)
    await expect(page.locator(LIVE)).to_be_visible()
    await page.evaluate("() => { window.notReloaded = true; }")
    return int(await page.locator(COMPLETED).inner_text())


async def _complete_and_watch(
    page, server: WebServer, owner: Account, key: str, now: int
) -> tuple[float, float]:
    """Complete `key` through `server`'s API; seconds from the API's answer until the
    page's socket heard of it, and until the number on the page changed."""
    await page.evaluate(HEARD, key)
    await server.set_status(owner, key, "done")
    answered = time.monotonic()
    await page.wait_for_function("() => window.heard !== null", timeout=CHANGE_SEEN_MS)
    heard = time.monotonic() - answered
    await expect(page.locator(COMPLETED)).to_have_text(str(now + 1), timeout=CHANGE_SEEN_MS)
    shown = time.monotonic() - answered
    assert await page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
    return heard, shown


async def test_a_task_completed_through_the_api_appears_on_the_open_dashboard(
    web_server, browser_page
):
    owner, open_keys = await _seed(web_server)
    page = browser_page
    completed = await _open_dashboard(page, web_server, owner)
    assert completed == 1

    for n, key in enumerate(open_keys[:2]):
        heard, shown = await _complete_and_watch(page, web_server, owner, key, completed + n)
        print(f"\n{key}: socket {heard * 1000:.0f} ms, number {shown * 1000:.0f} ms after the API")


async def test_a_change_on_one_web_process_reaches_a_dashboard_on_another(
    web_server, browser_page, tmp_path
):
    async with _two_processes(web_server, tmp_path) as (a, b):
        owner, open_keys = await _seed(b)
        page = browser_page
        completed = await _open_dashboard(page, a, owner)
        heard, shown = await _complete_and_watch(page, b, owner, open_keys[0], completed)
        print(f"\nB to A: socket {heard * 1000:.0f} ms, number {shown * 1000:.0f} ms after B")


async def test_a_page_whose_access_cookie_lapsed_renews_it_and_reconnects(web_server, browser_page):
    """The socket's cookies are checked when it opens and at each ping; the access token
    lives minutes. Told "not signed in", the page renews its session through a page
    request (the refresh cookie) and reconnects, then redraws in case it missed news."""
    owner, open_keys = await _seed(web_server)
    page = browser_page
    sockets = []

    def through(route) -> None:
        route.connect_to_server()
        sockets.append(route)

    await page.route_web_socket(re.compile(r"/live$"), through)
    completed = await _open_dashboard(page, web_server, owner)
    await page.evaluate(RESYNCED)
    await page.context.clear_cookies(name="tf_access")
    await sockets[-1].close(code=4401, reason="Signed out")

    await page.wait_for_function("() => window.resynced === true", timeout=CHANGE_SEEN_MS)
    await expect(page.locator(LIVE)).to_be_visible()
    assert len(sockets) == 2
    assert "tf_access" in {cookie["name"] for cookie in await page.context.cookies()}
    await _complete_and_watch(page, web_server, owner, open_keys[0], completed)


@asynccontextmanager
async def _two_processes(
    web_server: WebServer, workdir: Path
) -> AsyncIterator[tuple[WebServer, WebServer]]:
    """Two `teamflow serve` processes on one database and one Redis. A relays only every
    10 s, so B (every 0.25 s) publishes nearly every change and Redis must carry it to A."""
    if settings.CACHE_REDIS_URL:
        database_url, redis_url = web_server.database_url, settings.CACHE_REDIS_URL
    else:
        database_url = f"sqlite://{workdir / 'live.db'}"
        redis_url = settings.REDIS_URL
        await _migrate(database_url, workdir)
    for name in ("a", "b"):
        (workdir / name).mkdir()  # each its own working directory: no stray .env is read
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(
            _serve(workdir / "a", database_url=database_url, redis_url=redis_url, every="10")
        )
        b = await stack.enter_async_context(
            _serve(workdir / "b", database_url=database_url, redis_url=redis_url, every="0.25")
        )
        yield a, b


async def _migrate(database_url: str, workdir: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "teamflow.cli",
        "migrate",
        cwd=workdir,
        env=_server_env(database_url=database_url, port=_free_port()),
        stdout=asyncio.subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, output.decode(errors="replace")


@asynccontextmanager
async def _serve(
    workdir: Path, *, database_url: str, redis_url: str, every: str
) -> AsyncIterator[WebServer]:
    """`teamflow serve` on a free port with this database, Redis and relay interval."""
    extra = {"REDIS_URL": redis_url, "TEAMFLOW_LIVE_INTERVAL_SECONDS": every}
    async with running_server(database_url, workdir, extra_env=extra) as server:
        try:
            yield server
        except BaseException:
            print(f"--- {workdir.name} log ---\n{server.log_tail()}")
            raise
