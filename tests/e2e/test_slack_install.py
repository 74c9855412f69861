"""Multi-workspace install: the OAuth flow in a browser, then the installed workspace at work.

Everything goes through the real Quart app; slack_sdk trades the code at the fake
Slack's `oauth.v2.access`, and every later request is authorized by the stored token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.listeners.common import NOT_INSTALLED
from core.config import load_settings
from core.enums import Role
from core.models import Organization, SlackInstallation, SlackWorkspace
from core.services import slack_installations, slack_links
from tests.e2e.slack_harness import SECRET, SlackHarness, text_of
from tests.fakes import slack_requests
from webhooks.app import create_app

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fake-client-secret"
INSTALLED_TOKEN = "xoxb-installed-for-t1"
STATE_COOKIE = "slack-app-oauth-state"
PUBLIC_URL = "https://tasks.example.com"

# slack_sdk sends oauth.v2.access credentials with aiohttp's BasicAuth, which warns.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
async def multi(db, app_cache, fake_slack) -> SlackHarness:
    """TeamFlow in multi-workspace mode; Slack grants INSTALLED_TOKEN and Bob (U2) installs."""
    settings = load_settings(
        TEAMFLOW_ENV="test",
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.base_url,
        TEAMFLOW_BASE_URL=PUBLIC_URL,
        TEAMFLOW_RATE_LIMIT_PER_MINUTE=100_000,
    )
    fake_slack.set_oauth(bot_token=INSTALLED_TOKEN, authed_user_id="U2")
    return SlackHarness(create_app(settings, cache=app_cache, manage_database=False), fake_slack)


async def start_install(slack: SlackHarness) -> str:
    """GET /slack/install like a browser; returns the state Slack will hand back."""
    reply = await slack.app.test_client(use_cookies=False).get("/slack/install")
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert (location.scheme, location.netloc, location.path) == (
        "https",
        "slack.com",
        "/oauth/v2/authorize",
    )
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert "commands" in query["scope"][0].split(",")
    assert query["redirect_uri"] == [f"{PUBLIC_URL}/slack/oauth_redirect"]
    [state] = query["state"]
    [cookie] = reply.headers.getlist("Set-Cookie")
    assert cookie.startswith(f"{STATE_COOKIE}={state};")
    assert "HttpOnly" in cookie and "Secure" in cookie
    return state


async def finish_install(
    slack: SlackHarness, state: str, *, code: str = "code-1", cookie: str | None = None
):
    """Slack's redirect back, from the browser that started (and so holds the cookie)."""
    cookie = f"{STATE_COOKIE}={state}" if cookie is None else cookie
    headers = {"Cookie": cookie} if cookie else {}
    return await slack.app.test_client(use_cookies=False).get(
        "/slack/oauth_redirect", query_string={"code": code, "state": state}, headers=headers
    )


async def install(slack: SlackHarness) -> None:
    reply = await finish_install(slack, await start_install(slack))
    assert reply.status_code == 200, await reply.get_data(as_text=True)


async def eventually(check: Callable[[], Awaitable[bool]], *, timeout: float = 5.0) -> None:
    """Event listeners run after the ack: wait for their effect."""
    for _ in range(int(timeout / 0.01)):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the expected change never happened")


async def test_install_redirects_to_slack_with_a_state_and_its_cookie(multi):
    await start_install(multi)


async def test_the_redirect_stores_the_token_encrypted_and_makes_the_installer_owner(multi):
    reply = await finish_install(multi, await start_install(multi))

    page = await reply.get_data(as_text=True)
    assert reply.status_code == 200 and reply.mimetype == "text/html"
    assert "TeamFlow is installed in Acme. Try /task in any channel." in page
    assert f"{STATE_COOKIE}=deleted" in reply.headers["Set-Cookie"]
    [trade] = multi.fake.calls("oauth.v2.access")
    assert (trade.params["code"], trade.params["client_id"]) == ("code-1", CLIENT_ID)

    row = await SlackInstallation.get(team_id="T1")
    assert (row.bot_user_id, row.installer_user_id, row.is_active) == ("UBOT", "U2", True)
    assert INSTALLED_TOKEN not in row.bot_token_encrypted
    assert "xoxb" not in row.bot_token_encrypted

    installer_lookups = multi.fake.calls("users.info")
    assert [(c.params["user"], c.token) for c in installer_lookups] == [("U2", INSTALLED_TOKEN)]
    bob = await slack_links.linked_actor("T1", "U2")
    assert bob is not None and bob.role is Role.OWNER
    assert await slack_links.organization_for_team("T1") == bob.organization_id
    org = await Organization.get(id=bob.organization_id)
    assert org.name == "Acme"


async def test_an_installed_workspace_works_with_its_own_bot_token(multi):
    await install(multi)
    multi.fake.reset()

    reply = await multi.command("add Write release notes", user_id="U1")

    assert reply.params["response_type"] == "in_channel"
    assert "INBOX-1" in text_of(reply)
    assert {c.token for c in multi.fake.calls("auth.test")} == {INSTALLED_TOKEN}
    [lookup] = multi.fake.calls("users.info")
    assert (lookup.params["user"], lookup.token) == ("U1", INSTALLED_TOKEN)
    alice = await slack_links.linked_actor("T1", "U1")
    bob = await slack_links.linked_actor("T1", "U2")
    assert alice.organization_id == bob.organization_id
    assert alice.role is Role.MEMBER


@pytest.mark.parametrize("reuse", [True, False], ids=["reused", "unknown"])
async def test_a_reused_or_unknown_state_fails_and_stores_nothing(multi, reuse):
    if reuse:
        state = await start_install(multi)
        assert (await finish_install(multi, state)).status_code == 200
        await SlackInstallation.all().delete()
    else:
        state = "never-issued"

    reply = await finish_install(multi, state, code="code-2")

    assert reply.status_code == 401
    page = await reply.get_data(as_text=True)
    assert "TeamFlow was not installed" in page
    assert "expired or was already used" in page
    assert await SlackInstallation.all().count() == 0
    assert [c.params["code"] for c in multi.fake.calls("oauth.v2.access")] == (
        ["code-1"] if reuse else []
    )
    if not reuse:
        assert await Organization.all().count() == 0


async def test_a_different_browser_is_refused(multi):
    state = await start_install(multi)

    reply = await finish_install(multi, state, cookie="")

    assert reply.status_code == 400
    assert "different browser" in await reply.get_data(as_text=True)
    assert await SlackInstallation.all().count() == 0
    assert multi.fake.calls("oauth.v2.access") == []


async def test_a_cancelled_install_says_so(multi):
    reply = await multi.app.test_client(use_cookies=False).get(
        "/slack/oauth_redirect", query_string={"error": "access_denied"}
    )

    assert "cancelled" in await reply.get_data(as_text=True)
    assert await SlackInstallation.all().count() == 0


async def test_a_workspace_that_never_installed_is_told_so_and_nothing_is_created(multi):
    reply = await multi.command("add Sneak in", team_id="T9")

    assert reply.params["text"] == NOT_INSTALLED
    assert await Organization.all().count() == 0
    assert await SlackWorkspace.all().count() == 0
    assert multi.fake.calls("users.info") == []


async def test_uninstall_retires_the_token_and_a_reinstall_restores_the_organization(multi):
    await install(multi)
    await multi.command("add Before uninstall", user_id="U1")
    organization_id = await slack_links.organization_for_team("T1")

    body, kind = slack_requests.event(slack_requests.app_uninstalled(), event_id="EvUn")
    assert (await multi.post(body, kind)).status == 200

    async def retired() -> bool:
        return await slack_links.organization_for_team("T1") is None

    await eventually(retired)
    row = await SlackInstallation.get(team_id="T1")
    assert not row.is_active and row.bot_token_encrypted == ""
    reply = await multi.command("list", user_id="U1")
    assert reply.params["text"] == NOT_INSTALLED

    await install(multi)
    assert await slack_links.organization_for_team("T1") == organization_id
    assert "Before uninstall" in text_of(await multi.command("list INBOX", user_id="U1"))


async def test_a_revoked_bot_token_stops_the_workspace(multi):
    await install(multi)

    payload = slack_requests.tokens_revoked(["UBOT"])
    body, kind = slack_requests.event(payload, event_id="EvRevoke")
    assert (await multi.post(body, kind)).status == 200

    async def revoked() -> bool:
        return not await SlackInstallation.filter(team_id="T1", is_active=True).exists()

    await eventually(revoked)
    reply = await multi.command("list", user_id="U2")
    assert reply.params["text"] == NOT_INSTALLED


async def test_single_workspace_mode_has_no_install_route(slack):
    reply = await slack.client.get("/slack/install")

    assert reply.status_code == 404
    stored = await slack_installations.find_installation(
        team_id="T1", enterprise_id=None, cipher=slack_installations.TokenCipher("x")
    )
    assert stored is None
