"""The real server in a subprocess, seeded people, and headless Chromium to drive it.

`web_server` (per test module): `teamflow serve` on a free port against the suite's
database (a SQLite file, or a fresh PostgreSQL database with Redis as the cache in that
pass). The test process stays connected to the same database, so tests can also call
core services directly (issue a magic link, create an account with a password). The
server stops when its module ends: on SQLite its background loops would otherwise keep
writing to the file while the rest of the suite runs, and SQLite has one writer.

`slack_web_server` (per test module): the same with Slack switched on: the fake
workspace's bot token and signing secret, and the Slack Web API played by a FakeSlack
running in the test process (`server.slack`), so a test can send a signed `/task`
command (`server.slack_command(...)`) the way Slack does.

`browser_page` (per test): a Playwright page (async API) in a fresh browser context,
with a screenshot saved to `test-artifacts/screenshots/` when the test ends.

Chromium is Debian's (`apt-get install chromium`), found at `TEST_CHROMIUM`
(default /usr/bin/chromium); Playwright never downloads a browser here.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests import settings

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")
STEP_TIMEOUT_MS = 10_000
START_TIMEOUT_S = 30.0
PASSWORD = "correct horse battery"
SLACK_SIGNING_SECRET = "browser-tests-signing-secret-0123456789"


@dataclass
class Account:
    """A person who can sign in: their password and the tokens the API gave them."""

    email: str
    password: str
    name: str
    user_id: str
    org: str
    access: str


@dataclass
class Reply:
    status: int
    body: Any

    @property
    def data(self) -> Any:
        return self.body["data"]


class WebServer:
    """A running TeamFlow web process, and the REST API calls tests seed it with."""

    def __init__(
        self, *, base_url: str, database_url: str, log_path: Path, slack: Any = None
    ) -> None:
        self.base_url = base_url
        self.database_url = database_url
        self.log_path = log_path
        self.slack = slack  # a tests.fakes.slack_api.FakeSlack when Slack is switched on
        self._responses = 0

    async def api(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """One call to the server's REST API (`path` starts at `/api/v1`)."""
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        timeout = aiohttp.ClientTimeout(total=STEP_TIMEOUT_MS / 1000)
        async with (
            aiohttp.ClientSession(timeout=timeout) as client,
            client.request(method, self.base_url + path, json=body, headers=sent) as response,
        ):
            parsed = await response.json() if response.content_type == "application/json" else None
            return Reply(response.status, parsed)

    async def register(self, *, org: str = "Acme", name: str = "Olive") -> Account:
        """A new person and their own organization, with them as owner."""
        email = f"{name.lower()}-{secrets.token_hex(4)}@example.com"
        reply = await self.api(
            "POST",
            "/api/v1/auth/register",
            body={"email": email, "password": PASSWORD, "name": name, "organization_name": org},
        )
        assert reply.status == 201, reply.body
        data = reply.data
        return Account(
            email=email,
            password=PASSWORD,
            name=name,
            user_id=data["user"]["id"],
            org=data["organization_id"],
            access=data["access_token"],
        )

    async def join(self, owner: Account, *, role: str, name: str = "Pat") -> Account:
        """Another person with a password, added to the owner's organization with `role`."""
        from core.services import users

        email = f"{name.lower()}-{secrets.token_hex(4)}@example.com"
        user = await users.create_user(email=email, name=name, password=PASSWORD)
        added = await self.api(
            "POST",
            f"/api/v1/organizations/{owner.org}/members",
            token=owner.access,
            body={"email": email, "role": role},
        )
        assert added.status == 201, added.body
        login = await self.api(
            "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD}
        )
        assert login.status == 200, login.body
        return Account(
            email=email,
            password=PASSWORD,
            name=name,
            user_id=str(user.id),
            org=owner.org,
            access=login.data["access_token"],
        )

    async def project(self, owner: Account, *, key: str, name: str) -> dict[str, Any]:
        reply = await self.api(
            "POST",
            f"/api/v1/organizations/{owner.org}/projects",
            token=owner.access,
            body={"key": key, "name": name},
        )
        assert reply.status == 201, reply.body
        return reply.data

    async def task(self, account: Account, *, project: str, **fields: Any) -> dict[str, Any]:
        """Create a task in `project` (a key); extra fields as `POST /tasks` takes them."""
        reply = await self.api(
            "POST",
            "/api/v1/tasks",
            token=account.access,
            body={"project": project, "title": fields.pop("title", "A task"), **fields},
            headers={"X-Organization-ID": account.org},
        )
        assert reply.status == 201, reply.body
        return reply.data

    async def set_status(self, account: Account, key: str, status: str) -> dict[str, Any]:
        reply = await self.api(
            "PATCH",
            f"/api/v1/tasks/{key}",
            token=account.access,
            body={"status": status},
            headers={"X-Organization-ID": account.org},
        )
        assert reply.status == 200, reply.body
        return reply.data

    async def slack_command(self, text: str, *, user_id: str = "U1", channel_id: str = "C1") -> Any:
        """Send `/task <text>` signed as Slack signs it; the answer on its response_url."""
        from tests.fakes import slack_requests

        assert self.slack is not None, "use the slack_web_server fixture"
        self._responses += 1
        name = f"browser-{self._responses}"
        body, kind = slack_requests.slash_command(
            text=text,
            user_id=user_id,
            channel_id=channel_id,
            response_url=self.slack.response_url(name),
        )
        headers = slack_requests.signed_headers(body, kind, secret=SLACK_SIGNING_SECRET)
        timeout = aiohttp.ClientTimeout(total=STEP_TIMEOUT_MS / 1000)
        async with (
            aiohttp.ClientSession(timeout=timeout) as client,
            client.post(self.base_url + "/slack/events", data=body, headers=headers) as reply,
        ):
            assert reply.status == 200, await reply.text()
        calls = await self.slack.wait_for(f"response_url:{name}", timeout=STEP_TIMEOUT_MS / 1000)
        return calls[-1]

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(*, database_url: str, port: int) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "TEAMFLOW_", "DATABASE_URL", "REDIS_URL"))
    }
    env = keep | {
        "TEAMFLOW_ENV": "test",
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "TEAMFLOW_HOST": "127.0.0.1",
        "TEAMFLOW_BASE_URL": f"http://127.0.0.1:{port}",
        "TEAMFLOW_RATE_LIMIT_PER_MINUTE": "100000",
        "TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE": "100000",
        "TEAMFLOW_LOGIN_FAILURES_PER_ADDRESS": "100000",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "console",
        "WEB_CONCURRENCY": "1",
        "TEAMFLOW_RUN_SCHEDULER": "no",
    }
    if settings.CACHE_REDIS_URL:
        env["REDIS_URL"] = settings.CACHE_REDIS_URL
    return env


async def _wait_until_up(server: WebServer, process: asyncio.subprocess.Process) -> None:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_S
    while asyncio.get_running_loop().time() < deadline:
        if process.returncode is not None:
            break
        try:
            if (await server.api("GET", "/health")).status == 200:
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError(f"teamflow serve did not come up:\n{server.log_tail()}")


@pytest.fixture(scope="module")
async def web_server(
    connected: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[WebServer]:
    """`teamflow serve` on a free port, on the suite's database (and Redis in that pass).

    Each test seeds its own organization (`register`), so tests never see each other's
    data even though they share the server and the database.
    """
    async with running_server(connected, tmp_path_factory.mktemp("web-server")) as server:
        yield server


@pytest.fixture(scope="module")
async def slack_web_server(
    connected: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[WebServer]:
    """`web_server` with Slack switched on, its Web API played by a FakeSlack here.

    The fake workspace (tests.fakes.workspace) knows U1 (Alice). Link it to a test's
    organization with `core.services.slack_links.link_workspace` before sending commands.
    """
    from tests.fakes import workspace
    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack()
    fake.add_user("U1", name="alice", real_name="Alice Adams", email="alice@acme.test", tz="UTC")
    await fake.start()
    slack_env = {
        "SLACK_BOT_TOKEN": workspace.BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url,
    }
    workdir = tmp_path_factory.mktemp("slack-web-server")
    try:
        async with running_server(connected, workdir, extra_env=slack_env) as server:
            server.slack = fake
            yield server
    finally:
        await fake.stop()


@asynccontextmanager
async def running_server(
    database_url: str, workdir: Path, *, extra_env: dict[str, str] | None = None
) -> AsyncIterator[WebServer]:
    """`teamflow serve` in `workdir` (no stray .env is read there) until the block ends."""
    port = _free_port()
    log_path = workdir / "server.log"
    server = WebServer(
        base_url=f"http://127.0.0.1:{port}", database_url=database_url, log_path=log_path
    )
    env = _server_env(database_url=database_url, port=port) | (extra_env or {})
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "teamflow.cli",
            "serve",
            "--graceful-timeout",
            "2",
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        await _wait_until_up(server, process)
        yield server
    finally:
        await _stop(process)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=10)
    except TimeoutError:
        process.kill()
        await process.wait()


def _chromium() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found is None:
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install Debian's (`apt-get install -y chromium`) "
            "or point TEST_CHROMIUM at one. Browser tests are never skipped."
        )
    return found


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """Headless Chromium (Debian's build), launched once for the session."""
    from playwright.async_api import async_playwright

    executable = _chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            timeout=STEP_TIMEOUT_MS * 2,
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def browser_page(browser, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A page in a fresh context (own cookies); a screenshot is saved when the test ends."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    try:
        yield page
    finally:
        await save_screenshot(page, request.node.name)
        await context.close()


async def save_screenshot(page: Any, name: str) -> Path | None:
    """Save the page as `test-artifacts/screenshots/<name>.png` (best effort)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe(name)}.png"
    try:
        await page.screenshot(path=str(path), full_page=True, timeout=STEP_TIMEOUT_MS)
    except Exception:  # a closed or crashed page has nothing to show; the test says why
        return None
    return path


async def sign_in(page: Any, server: WebServer, account: Account) -> None:
    """Sign in through the login form and wait for the dashboard."""
    await page.goto(f"{server.base_url}/login")
    await page.get_by_label("Email").fill(account.email)
    await page.get_by_label("Password").fill(account.password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(re.compile(r".*/dashboard.*"))


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150]
