"""Multi-workspace install: Bolt's OAuth flow, wired to TeamFlow's stores and pages.

`/slack/install` sends the browser to Slack with a state (also set as a cookie);
`/slack/oauth_redirect` checks both, trades the code for a bot token, stores it, and
then links the workspace to an organization owned by the installer.
"""

from __future__ import annotations

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.identity import fetch_profile
from bot.install_pages import failed_page, installed_page
from bot.installation_store import TeamFlowInstallationStore, TeamFlowOAuthStateStore
from bot.manifest import BOT_SCOPES
from core.config import Settings
from core.services import slack_links
from core.services.slack_installations import STATE_LIFETIME

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
HTML = "text/html; charset=utf-8"


def oauth_settings(settings: Settings) -> AsyncOAuthSettings:
    """Everything explicit: Bolt would otherwise read SLACK_* variables and use files."""
    pages = InstallPages(api_url=settings.slack_api_url, command=settings.slack_command)
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=BOT_SCOPES,
        user_scopes=[],
        redirect_uri=settings.base_url.rstrip("/") + REDIRECT_PATH,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's consent screen; no intermediate "Add to Slack" page.
        install_page_rendering_enabled=False,
        installation_store=TeamFlowInstallationStore(secret_key=settings.secret_key),
        installation_store_bot_only=False,
        state_store=TeamFlowOAuthStateStore(),
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        callback_options=AsyncCallbackOptions(success=pages.installed, failure=pages.failed),
    )


class InstallPages:
    """Bolt's success and failure callbacks: link the workspace, then answer the browser."""

    def __init__(self, *, api_url: str, command: str) -> None:
        self.api_url = api_url
        self.command = command

    async def installed(self, args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        team_id = installation.team_id or ""
        # The installer's name, email and time zone, asked with the token just granted.
        client = AsyncWebClient(token=installation.bot_token, base_url=self.api_url)
        installer = await fetch_profile(client, team_id=team_id, slack_user_id=installation.user_id)
        organization_id = await slack_links.connect_workspace(
            team_id,
            team_name=installation.team_name or "",
            first_user=installer,
            bot_user_id=installation.bot_user_id or "",
        )
        # A reinstall finds the organization already there: the installer joins it.
        await slack_links.actor_for_profile(installer, organization_id=organization_id)
        page = installed_page(team_name=installation.team_name or "", command=self.command)
        return _html(200, page, args.settings)

    async def failed(self, args: AsyncFailureArgs) -> BoltResponse:
        page = failed_page(reason=args.reason, install_path=args.settings.install_path)
        return _html(args.suggested_status_code, page, args.settings)


def _html(status: int, page: str, settings: AsyncOAuthSettings) -> BoltResponse:
    # The state cookie has done its job either way: clear it.
    cookie = settings.state_utils.build_set_cookie_for_deletion()
    return BoltResponse(
        status=status, body=page, headers={"Content-Type": HTML, "Set-Cookie": [cookie]}
    )
